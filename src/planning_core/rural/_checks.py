"""Field checks shared by the rural records: names, and whole numbers.

A bureau's spreadsheets identify a township by its name within its district or county, and a
village by its name within its township, so the library does the same: a place is a path of
names. Store keys join those names with ``/`` and add a record's kind after ``#``; that is why
a name may contain neither character, and why surrounding spaces are refused (a spreadsheet
cell ``" 丰润"`` must not become a second district).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from planning_core.errors import ValidationError

__all__ = [
    "check_count",
    "check_name",
    "check_names",
    "check_optional_name",
    "check_year",
    "name_problem",
    "to_tuple",
]

_FORBIDDEN = ("/", "#")


def name_problem(value: Any) -> str | None:
    """Why ``value`` is not a usable name, or None when it is."""
    if not isinstance(value, str) or not value:
        return "is empty; give a name"
    if value != value.strip():
        return "has spaces at its start or end; remove them"
    if any(ch in value for ch in _FORBIDDEN):
        return "contains '/' or '#', which the store uses in keys; choose another spelling"
    if not value.isprintable():
        return "contains a control character (a line break or tab); remove it"
    return None


def check_name(_instance: object, attribute: Any, value: Any) -> None:
    """attrs validator: ``value`` is a usable name (see :func:`name_problem`)."""
    problem = name_problem(value)
    if problem is not None:
        raise ValidationError(f"{attribute.name} {value!r} {problem}")


def check_optional_name(instance: object, attribute: Any, value: Any) -> None:
    """attrs validator: None, or a usable name."""
    if value is not None:
        check_name(instance, attribute, value)


def check_count(_instance: object, attribute: Any, value: Any) -> None:
    """attrs validator: a whole number >= 0 (a count of matters, people, places)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(f"{attribute.name} {value!r} must be a whole number >= 0")


def check_year(_instance: object, attribute: Any, value: Any) -> None:
    """attrs validator: a plausible calendar year (1949 to 2999)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1949 <= value <= 2999:
        raise ValidationError(f"{attribute.name} {value!r} must be a year such as 2022")


def check_names(instance: object, attribute: Any, value: Any) -> None:
    """attrs validator: every item of ``value`` is a usable name."""
    for item in value:
        check_name(instance, attribute, item)


def to_tuple(values: Iterable[Any]) -> tuple[Any, ...]:
    """attrs converter: a list (or any iterable) given for a tuple field becomes a tuple."""
    return tuple(values)
