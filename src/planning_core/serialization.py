"""The one configured cattrs converter, and the JSON rules every room shares.

Rules (as cattrs' ``preconf`` modules list theirs):

* ``datetime`` and ``pendulum.DateTime`` become ISO 8601 strings *with* their UTC offset
  and come back as ``pendulum.DateTime``; a naive instant is refused both ways, because an
  instant without a zone cannot be placed on a bureau's calendar.
* ``date`` and ``pendulum.Date`` become ``YYYY-MM-DD`` and come back as ``pendulum.Date``.
* ``Decimal`` becomes a string (money must not pass through float) and back, finite and
  within ±10**15 (:data:`planning_core.inputs.MAX_AMOUNT`).
* ``str``, ``int``, ``float`` and ``bool`` fields take only their own JSON type: cattrs
  would otherwise store a dict given as a name as its ``repr``, read ``"false"`` as True
  and ``"3"`` as 3. An int is not a bool, and a float is finite.
* An instant lies between 1949-10-01 and 2199-12-31 (:func:`planning_core.inputs.
  check_instant`): year 0001 is a slip, not a record.
* Enums go by value; attrs classes, frozen or not, field by field.
* A renamed field is still read under its former name, so stored events and files written
  before the rename load: the field says so with ``metadata={"formerly": "old_name"}``
  (``TimeLimit.days``, formerly ``value``). It is written under its new name only; data
  giving both names is refused.
* Plugins add their own types through ``planning_core_configure_converter``, called after
  the rules above.

Structuring errors are collected by cattrs' detailed validation and re-raised as one
:class:`~planning_core.errors.ValidationError` listing every problem as
``description @ $.path``, so a bad input file is reported all at once.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Protocol, TypeVar

import attrs
import cattrs
import pendulum
from cattrs.gen import make_dict_structure_fn
from cattrs.preconf.json import make_converter as _make_json_converter
from cattrs.v import format_exception

from planning_core.errors import ValidationError
from planning_core.inputs import bounded_decimal, check_instant, finite_number, short
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
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(bool, _structure_bool)
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(float, _structure_float)
    converter.register_structure_hook_factory(
        _has_renamed_fields, lambda cls: _structure_renamed(converter, cls)
    )


def dump(converter: cattrs.Converter, value: object) -> Any:
    """Unstructure ``value`` into JSON-ready Python data."""
    return converter.unstructure(value)


def load(converter: cattrs.Converter, data: object, cls: type[T]) -> T:
    """Structure ``data`` into ``cls``, reporting every problem at once.

    :raises ValidationError: listing each problem as ``description @ $.path``.
    """
    if attrs.has(cls) and not isinstance(data, Mapping):
        raise ValidationError(
            f"{cls.__name__}: expected a JSON object with its fields, not {short(data)}"
        )
    try:
        return converter.structure(data, cls)
    except (cattrs.ClassValidationError, cattrs.IterableValidationError) as exc:
        # a key or value quoted in a problem may hold a line break: keep each problem on a line
        problems = [
            p.translate(_LINE_BREAKS)
            for p in cattrs.transform_error(exc, format_exception=_describe)
        ]
        raise ValidationError(
            f"{cls.__name__}: the input does not fit ({len(problems)} problem(s)); "
            f"fix each one below and try again",
            problems,
        ) from exc
    except (ValueError, TypeError, AttributeError, KeyError) as exc:
        raise ValidationError(f"{cls.__name__}: {exc}") from exc


#: Every character ``str.splitlines`` breaks a line at, written as its escape instead.
_LINE_BREAKS = {
    ord(c): c.encode("unicode_escape").decode("ascii")
    for c in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
}


def parse_instant(value: str | dt.datetime) -> pendulum.DateTime:
    """Parse an ISO 8601 instant; it must carry a UTC offset and lie between 1949-10-01
    and 2199-12-31 (:func:`planning_core.inputs.check_instant`).

    :raises ValidationError: quoting the value when it is not an instant, is naive or is
        out of that range.
    """
    if isinstance(value, dt.datetime):
        return _with_offset(check_instant(value))
    if not isinstance(value, str):
        raise ValidationError(f"expected an ISO 8601 instant, got {short(value)}")
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            f"{short(value)} is not an ISO 8601 instant; write e.g. 2026-11-26T09:30:00+08:00"
        ) from None
    return _with_offset(check_instant(parsed))


def _with_offset(value: dt.datetime) -> pendulum.DateTime:
    """``value`` (timezone-aware) as the instant its text reads back as: the same moment at
    the same UTC offset, in pendulum's zone for that offset.

    An instant read from a stored event carries only its offset, so one given in a named
    zone (``Asia/Shanghai``) is brought to its offset at the door: a state folded from the
    history then equals the state its commands built in every respect, and a case read
    back by another server compares and hashes as the one this server holds. Built
    directly, it costs a fraction of ``pendulum.instance``.
    """
    offset = value.utcoffset()
    assert offset is not None  # check_instant refuses naive instants
    return pendulum.DateTime(
        value.year,
        value.month,
        value.day,
        value.hour,
        value.minute,
        value.second,
        value.microsecond,
        tzinfo=_fixed_zone(int(offset.total_seconds())),
    )


@functools.lru_cache(maxsize=64)
def _fixed_zone(seconds: int) -> pendulum.Timezone | pendulum.FixedTimezone:
    """The zone pendulum gives a fixed UTC offset (UTC itself for zero), one object per
    offset: a zone is immutable."""
    return pendulum.UTC if seconds == 0 else pendulum.FixedTimezone(seconds)


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
    """Say what was wrong with the value itself, not only which type was expected.

    A record's own ``ValidationError`` listing several problems becomes one line, its
    problems after its message, so each problem of the file stays on a line of its own.
    """
    if isinstance(exc, ValueError) and str(exc):
        return "; ".join(line.strip() for line in str(exc).split("\n") if line.strip())
    return format_exception(exc, type_)


#: The attrs metadata key naming a field's former name (see the module docstring).
_FORMERLY = "formerly"


def _renamed_fields(cls: Any) -> dict[str, str]:
    """``{former name: name}`` of ``cls``'s renamed fields (empty for anything else)."""
    try:
        fields = attrs.fields(cls) if attrs.has(cls) else ()
    except TypeError:  # a generic alias of an attrs class, say
        return {}
    return {f.metadata[_FORMERLY]: f.name for f in fields if _FORMERLY in f.metadata}


def _has_renamed_fields(cls: Any) -> bool:
    return bool(_renamed_fields(cls))


def _structure_renamed(converter: cattrs.Converter, cls: Any) -> Any:
    """The usual structuring of ``cls``, reading each renamed field under either name."""
    base = make_dict_structure_fn(
        cls,
        converter,
        _cattrs_forbid_extra_keys=True,
        _cattrs_detailed_validation=True,
    )
    renamed = _renamed_fields(cls)

    def structure(data: Any, type_: Any) -> Any:
        if isinstance(data, Mapping) and any(old in data for old in renamed):
            data = dict(data)
            for old, new in renamed.items():
                if old not in data:
                    continue
                if new in data:
                    raise ValueError(
                        f"give {new!r} only; {old!r} is its former name, and both were given"
                    )
                data[new] = data.pop(old)
        return base(data, type_)

    return structure


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
        raise ValueError(f"expected a decimal amount, got {short(value)}")
    return bounded_decimal(value, "amount")


def _structure_str(value: object, _: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected text, got {short(value)}")
    return value


def _structure_bool(value: object, _: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {short(value)}")
    return value


def _structure_int(value: object, _: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected a whole number, got {short(value)}")
    return value


def _structure_float(value: object, _: object) -> float:
    return finite_number(value, "number")
