"""Converters and validators shared by the conservation records.

Records are built from CSV cells, JSON files and Python calls alike, so each field converts
what it is given (``"12.5"``, ``12``, ``Decimal("12.5")``) and refuses what would lose
precision or meaning (a float amount, a naive instant) with a :class:`ValidationError`
that names the value.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import pendulum

from planning_core.errors import ValidationError
from planning_core.inputs import bounded_decimal
from planning_core.serialization import parse_date, parse_instant

__all__ = [
    "at_least_one",
    "month_number",
    "non_empty",
    "non_negative",
    "optional_date",
    "percent",
    "positive",
    "to_date",
    "to_decimal",
    "to_instant",
]


def to_decimal(value: object) -> Decimal:
    """An amount as ``Decimal``; floats are refused so no amount passes through binary.

    Thousands separators (``1,250.5``) are allowed in text. The amount must be finite and
    within ±10**15 (:data:`planning_core.inputs.MAX_AMOUNT`): ``1e309`` is a typing slip
    (or a probe), and would turn into infinity in a report's chart.
    """
    if isinstance(value, bool | float):
        raise ValidationError(f"amount {value!r} must be given as a string or an integer")
    if isinstance(value, str):
        value = value.strip().replace(",", "")
    return bounded_decimal(value, "amount")


def to_instant(value: str | dt.datetime) -> pendulum.DateTime:
    """A timezone-aware instant (a naive one is refused by :func:`parse_instant`)."""
    return parse_instant(value)


def to_date(value: str | dt.date) -> pendulum.Date:
    """A calendar date as ``pendulum.Date``."""
    return parse_date(value)


def optional_date(value: str | dt.date | None) -> pendulum.Date | None:
    """A date, or None when the event has not happened yet."""
    return None if value is None else parse_date(value)


def _owner(instance: object, attribute: attrs.Attribute[Any]) -> str:
    return f"{type(instance).__name__}.{attribute.name}"


def non_negative(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Amounts, counts and distances cannot be below zero."""
    if value is not None and value < 0:
        raise ValidationError(f"{_owner(instance, attribute)} must not be negative, got {value}")


def positive(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Headcounts, floor areas and seat counts must be above zero to divide by."""
    if value is not None and value <= 0:
        raise ValidationError(f"{_owner(instance, attribute)} must be above zero, got {value}")


def percent(instance: object, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    """A share in percent, between 0 and 100."""
    if not Decimal(0) <= value <= Decimal(100):
        raise ValidationError(
            f"{_owner(instance, attribute)} must be a percentage from 0 to 100, got {value}"
        )


def month_number(instance: object, attribute: attrs.Attribute[Any], value: int) -> None:
    """A month of the year, 1 to 12."""
    if not 1 <= value <= 12:
        raise ValidationError(f"{_owner(instance, attribute)} must be from 1 to 12, got {value}")


def non_empty(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    """Names and ids must say something."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(
            f"{_owner(instance, attribute)} must be non-empty text, got {value!r}"
        )


def at_least_one(instance: object, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
    """A requisition without lines, or a pick-up without requests, means nothing."""
    if not value:
        raise ValidationError(f"{_owner(instance, attribute)} needs at least one entry")
