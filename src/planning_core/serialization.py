"""The one configured cattrs converter, and the JSON rules every room shares.

Rules (as cattrs' ``preconf`` modules list theirs):

* ``datetime`` and ``pendulum.DateTime`` become ISO 8601 strings *with* their UTC offset
  and come back as ``pendulum.DateTime``; a naive instant is refused both ways, because an
  instant without a zone cannot be placed on a bureau's calendar.
* ``date`` and ``pendulum.Date`` become ``YYYY-MM-DD`` and come back as ``pendulum.Date``.
* ``Decimal`` becomes a string (money must not pass through float) and back.
* Enums go by value; attrs classes, frozen or not, field by field.
* Plugins add their own types through ``planning_core_configure_converter``, called after
  the rules above.

Structuring errors are collected by cattrs' detailed validation and re-raised as one
:class:`~planning_core.errors.ValidationError` listing every problem as
``description @ $.path``, so a bad input file is reported all at once.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol, TypeVar

import cattrs
import pendulum
from cattrs.preconf.json import make_converter as _make_json_converter
from cattrs.v import format_exception

from planning_core.errors import ValidationError
from planning_core.markers import hookimpl

__all__ = [
    "dump",
    "load",
    "make_converter",
    "parse_date",
    "parse_instant",
]

T = TypeVar("T")


class _ConverterHooks(Protocol):
    """What the converter needs of a plugin manager (``planning_core.plugins.Hooks`` has it)."""

    def configure_converter(self, converter: cattrs.Converter) -> None: ...


def make_converter(hooks: _ConverterHooks | None = None) -> cattrs.Converter:
    """Build the converter, with the rules in this module's docstring.

    :param hooks: when given, every plugin's ``planning_core_configure_converter`` runs
        (the built-in one first). Without it only the built-in rules apply.
    """
    converter = _make_json_converter(detailed_validation=True, forbid_extra_keys=True)
    if hooks is None:
        planning_core_configure_converter(converter)
    else:
        hooks.configure_converter(converter)
    return converter


@hookimpl(tryfirst=True)
def planning_core_configure_converter(converter: cattrs.Converter) -> None:
    """The built-in rules: instants, dates and Decimal (see the module docstring)."""
    for instant_type in (dt.datetime, pendulum.DateTime):
        converter.register_unstructure_hook(instant_type, _unstructure_instant)
        converter.register_structure_hook(instant_type, _structure_instant)
    for date_type in (dt.date, pendulum.Date):
        converter.register_unstructure_hook(date_type, _unstructure_date)
        converter.register_structure_hook(date_type, _structure_date)
    converter.register_unstructure_hook(Decimal, str)
    converter.register_structure_hook(Decimal, _structure_decimal)


def dump(converter: cattrs.Converter, value: object) -> Any:
    """Unstructure ``value`` into JSON-ready Python data."""
    return converter.unstructure(value)


def load(converter: cattrs.Converter, data: object, cls: type[T]) -> T:
    """Structure ``data`` into ``cls``, reporting every problem at once.

    :raises ValidationError: listing each problem as ``description @ $.path``.
    """
    try:
        return converter.structure(data, cls)
    except (cattrs.ClassValidationError, cattrs.IterableValidationError) as exc:
        problems = cattrs.transform_error(exc, format_exception=_describe)
        raise ValidationError(
            f"{cls.__name__}: the input does not fit ({len(problems)} problem(s)); "
            f"fix each one below and try again",
            problems,
        ) from exc
    except (ValueError, TypeError) as exc:
        raise ValidationError(f"{cls.__name__}: {exc}") from exc


def parse_instant(value: str | dt.datetime) -> pendulum.DateTime:
    """Parse an ISO 8601 instant; it must carry a UTC offset.

    :raises ValidationError: quoting the value when it is not an instant or is naive.
    """
    if isinstance(value, dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValidationError(
                f"instant {value.isoformat()!r} has no time zone; give an offset such as +08:00"
            )
        return pendulum.instance(value)
    if not isinstance(value, str):
        raise ValidationError(f"expected an ISO 8601 instant, got {value!r}")
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            f"{value!r} is not an ISO 8601 instant; write e.g. 2026-11-26T09:30:00+08:00"
        ) from None
    return parse_instant(parsed)


def parse_date(value: str | dt.date) -> pendulum.Date:
    """Parse ``YYYY-MM-DD`` into a ``pendulum.Date``.

    :raises ValidationError: quoting the value when it is not a calendar date.
    """
    if isinstance(value, dt.datetime):
        raise ValidationError(f"expected a date, got the instant {value.isoformat()!r}")
    if isinstance(value, dt.date):
        return pendulum.Date(value.year, value.month, value.day)
    if not isinstance(value, str):
        raise ValidationError(f"expected a date as YYYY-MM-DD, got {value!r}")
    try:
        parsed = dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(f"{value!r} is not a date; write it as YYYY-MM-DD") from None
    return pendulum.Date(parsed.year, parsed.month, parsed.day)


def _describe(exc: BaseException, type_: type | None) -> str:
    """Say what was wrong with the value itself, not only which type was expected."""
    if isinstance(exc, ValueError) and str(exc):
        return str(exc)
    return format_exception(exc, type_)


def _unstructure_instant(value: dt.datetime) -> str:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(
            f"instant {value.isoformat()!r} has no time zone and cannot be stored; "
            f"make it timezone-aware first"
        )
    return value.isoformat()


def _structure_instant(value: object, _: object) -> pendulum.DateTime:
    if not isinstance(value, str | dt.datetime):
        raise ValueError(f"expected an ISO 8601 instant string, got {value!r}")
    return parse_instant(value)


def _unstructure_date(value: dt.date) -> str:
    return dt.date(value.year, value.month, value.day).isoformat()


def _structure_date(value: object, _: object) -> pendulum.Date:
    if not isinstance(value, str | dt.date):
        raise ValueError(f"expected a date string YYYY-MM-DD, got {value!r}")
    return parse_date(value)


def _structure_decimal(value: object, _: object) -> Decimal:
    if isinstance(value, float):
        raise ValueError(f"amount {value!r} is a float; give it as a string or an integer")
    if not isinstance(value, str | int | Decimal):
        raise ValueError(f"expected a decimal amount, got {value!r}")
    try:
        result = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a decimal amount") from None
    if not result.is_finite():
        raise ValueError(f"amount {value!r} is not finite")
    return result
