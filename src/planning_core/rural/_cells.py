"""Reading one CSV row's cells into values, collecting every problem instead of stopping.

Each problem names the spreadsheet row (the header is row 1), the column as the file spells
it, and the value found, then says what to write instead, so a bureau fixes the whole file in
one pass.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import TypeVar

import attrs

from planning_core.errors import ValidationError
from planning_core.inputs import EARLIEST_DAY, LATEST_DAY, check_date
from planning_core.rural._checks import name_problem
from planning_core.rural._labels import normalize
from planning_core.rural._money import yuan_problem

__all__ = ["Problems", "Row"]

V = TypeVar("V")

#: The most digits a count cell may have: a billion matters or committees is a typing slip.
_COUNT_DIGITS = 9


@attrs.define
class Problems:
    """Problems found in a file, each tied to its row so they can be listed in file order."""

    items: list[tuple[int, str]] = attrs.field(factory=list)

    def add(self, row: int, message: str) -> None:
        """Record ``message`` for spreadsheet row ``row``."""
        self.items.append((row, message))

    def sorted(self) -> list[str]:
        """The messages by row number, in the order found within a row."""
        return [message for _, message in sorted(self.items, key=lambda item: item[0])]

    def __bool__(self) -> bool:
        return bool(self.items)


@attrs.define
class Row:
    """One data row: its number, its cells by column key, and where problems go.

    :param headers: each column key's header as written in the file, for messages.
    """

    number: int
    cells: dict[str, str]
    headers: Mapping[str, str]
    problems: Problems

    def problem(self, key: str, message: str) -> None:
        """Report ``message`` about the cell of column ``key``."""
        header = self.headers.get(key, key)
        value = self.cells.get(key, "")
        self.problems.add(
            self.number, f"row {self.number}, column {header}, value {value!r}: {message}"
        )

    def text(self, key: str) -> str | None:
        """The cell, or None when blank or absent."""
        value = self.cells.get(key, "").strip()
        return value or None

    def name(self, key: str, *, required: bool = False, what: str = "a name") -> str | None:
        """A name cell (see :func:`name_problem`)."""
        value = self.text(key)
        if value is None:
            if required:
                self.problem(key, f"is empty; give {what}")
            return None
        problem = name_problem(value)
        if problem is not None:
            self.problem(key, problem)
            return None
        return value

    def choice(
        self, key: str, table: Mapping[str, V], *, required: bool = False, what: str
    ) -> V | None:
        """A coded value looked up in ``table`` (see ``_labels``)."""
        value = self.text(key)
        if value is None:
            if required:
                self.problem(key, f"is empty; give {what}")
            return None
        found = table.get(normalize(value))
        if found is None:
            words = "、".join(dict.fromkeys(_label(v) for v in table.values()))
            self.problem(key, f"is not {what}; write one of {words}")
        return found

    def date(self, key: str, *, required: bool = False) -> dt.date | None:
        """A ``YYYY-MM-DD`` date cell."""
        value = self.text(key)
        if value is None:
            if required:
                self.problem(key, "is empty; give a date as YYYY-MM-DD")
            return None
        try:
            return check_date(dt.date.fromisoformat(value))
        except ValidationError:
            self.problem(key, f"is outside {EARLIEST_DAY} to {LATEST_DAY}; check the year")
            return None
        except ValueError:
            self.problem(key, "is not a date; write it as YYYY-MM-DD, e.g. 2022-01-13")
            return None

    def yuan(self, key: str, *, required: bool = False) -> Decimal | None:
        """An amount of yuan (commas as thousands separators allowed)."""
        value = self.text(key)
        if value is None:
            if required:
                self.problem(key, "is empty; give the amount in yuan, e.g. 6000000")
            return None
        try:
            amount = Decimal(value.replace(",", ""))
        except InvalidOperation:
            self.problem(key, "is not an amount; write yuan as digits, e.g. 6000000 or 1234.50")
            return None
        problem = yuan_problem(amount)
        if problem is not None:
            self.problem(key, problem)
            return None
        return amount

    def count(self, key: str, *, required: bool = False) -> int | None:
        """A whole number >= 0."""
        value = self.text(key)
        if value is None:
            if required:
                self.problem(key, "is empty; give a whole number such as 21")
            return None
        if not value.isascii() or not value.isdigit():
            self.problem(key, "is not a whole number >= 0; write digits such as 21")
            return None
        if len(value) > _COUNT_DIGITS:
            self.problem(key, f"is more than {_COUNT_DIGITS} digits; check the number")
            return None
        return int(value)

    def flag(self, key: str, table: Mapping[str, bool]) -> bool:
        """A yes/no cell; blank is no."""
        value = self.text(key)
        if value is None:
            return False
        found = table.get(normalize(value))
        if found is None:
            self.problem(key, "is not yes or no; write 是 or 否")
            return False
        return found


def _label(value: object) -> str:
    zh = getattr(value, "zh", None)
    return zh if isinstance(zh, str) else str(value)
