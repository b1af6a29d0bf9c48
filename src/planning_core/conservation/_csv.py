"""Reading consumption, site, target and retrofit files (CSV, UTF-8, one header row).

The header says what the file holds; column order is free and extra columns are refused
(a misspelt column would otherwise be silently dropped). The file is strict CSV, read by
:func:`planning_core.inputs.read_csv_rows`:

============  ==============================================================
kind          columns
============  ==============================================================
consumption   ``month`` (YYYY-MM), ``site``, ``resource``, ``amount``, ``unit``
sites         ``year``, ``site``, ``headcount``, ``floor_area_m2``
targets       ``year``, ``resource``, ``baseline_year``, ``reduction_percent``
retrofits     ``project_id``, ``item``, ``site``, ``resource``, ``completed_on``,
              ``cost``, ``expected_annual_saving``
============  ==============================================================

Every cell of every row is read before anything is returned, and every problem is reported
at once with its row and column, so a clerk fixes the file in one pass.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import TypeAlias, TypeVar

import pendulum

from planning_core.conservation._consumption import ConsumptionRecord, Resource, SiteProfile, Target
from planning_core.conservation._fields import to_date, to_decimal
from planning_core.conservation._retrofit import RetrofitProject
from planning_core.errors import PlanningError, ValidationError
from planning_core.inputs import read_csv_rows, short

__all__ = ["CSV_KINDS", "CsvRecord", "read_csv"]

CsvRecord: TypeAlias = ConsumptionRecord | SiteProfile | Target | RetrofitProject

R = TypeVar("R")

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
#: The most digits a whole-number cell (a year, a headcount) may have.
_INTEGER_DIGITS = 9


class _Cells:
    """One row's cells, read column by column; every bad cell is noted, none stops it."""

    def __init__(self, row: dict[str, str]) -> None:
        self.row = row
        self.problems: list[str] = []

    def _fail(self, column: str, message: str) -> None:
        self.problems.append(f"column {column}: {message}")

    def text(self, column: str) -> str:
        value = self.row[column].strip()
        if not value:
            self._fail(column, "is empty")
        return value or "?"

    def decimal(self, column: str) -> Decimal:
        try:
            return to_decimal(self.row[column])
        except PlanningError as exc:
            self._fail(column, str(exc))
            return Decimal(0)

    def integer(self, column: str) -> int:
        value = self.row[column].strip()
        if len(value) > _INTEGER_DIGITS:
            self._fail(column, f"{short(value)} has more than {_INTEGER_DIGITS} digits")
            return 0
        try:
            return int(value)
        except ValueError:
            self._fail(column, f"{short(value)} must be a whole number")
            return 0

    def date(self, column: str) -> pendulum.Date:
        try:
            return to_date(self.row[column].strip())
        except PlanningError as exc:
            self._fail(column, str(exc))
            return pendulum.Date(2000, 1, 1)

    def resource(self, column: str = "resource") -> Resource:
        try:
            return Resource.parse(self.row[column])
        except PlanningError as exc:
            self._fail(column, str(exc))
            return Resource.ELECTRICITY

    def month(self, column: str = "month") -> tuple[int, int]:
        match = _MONTH.match(self.row[column].strip())
        if not match or not 1 <= int(match.group(2)) <= 12:
            self._fail(column, f"{self.row[column]!r} must be a month written as YYYY-MM")
            return 2000, 1
        return int(match.group(1)), int(match.group(2))

    def build(self, make: Callable[[], R]) -> R:
        """Make the record once every cell has been read; report all problems together."""
        if not self.problems:
            try:
                return make()
            except PlanningError as exc:
                self.problems.append(str(exc))
        raise ValidationError("the row has problems", self.problems)


def _consumption(cells: _Cells) -> ConsumptionRecord:
    year, month = cells.month()
    resource = cells.resource()
    site, amount, unit = cells.text("site"), cells.decimal("amount"), cells.text("unit")
    if not cells.problems:
        try:
            resource.check_unit(unit)
        except PlanningError as exc:
            cells._fail("unit", str(exc))
    return cells.build(
        lambda: ConsumptionRecord(
            year=year, month=month, site=site, resource=resource, amount=amount
        )
    )


def _site(cells: _Cells) -> SiteProfile:
    year, site = cells.integer("year"), cells.text("site")
    headcount, area = cells.integer("headcount"), cells.decimal("floor_area_m2")
    return cells.build(
        lambda: SiteProfile(year=year, site=site, headcount=headcount, floor_area_m2=area)
    )


def _target(cells: _Cells) -> Target:
    year, resource = cells.integer("year"), cells.resource()
    baseline, reduction = cells.integer("baseline_year"), cells.decimal("reduction_percent")
    return cells.build(
        lambda: Target(
            year=year, resource=resource, baseline_year=baseline, reduction_percent=reduction
        )
    )


def _retrofit(cells: _Cells) -> RetrofitProject:
    project_id, item, site = cells.text("project_id"), cells.text("item"), cells.text("site")
    resource, completed_on = cells.resource(), cells.date("completed_on")
    cost, saving = cells.decimal("cost"), cells.decimal("expected_annual_saving")
    return cells.build(
        lambda: RetrofitProject(
            project_id=project_id,
            item=item,
            site=site,
            resource=resource,
            completed_on=completed_on,
            cost=cost,
            expected_annual_saving=saving,
        )
    )


_Parse: TypeAlias = Callable[[_Cells], CsvRecord]

#: Each kind of file: its exact columns and how a row becomes a record.
CSV_KINDS: dict[str, tuple[frozenset[str], _Parse]] = {
    "consumption": (frozenset({"month", "site", "resource", "amount", "unit"}), _consumption),
    "sites": (frozenset({"year", "site", "headcount", "floor_area_m2"}), _site),
    "targets": (frozenset({"year", "resource", "baseline_year", "reduction_percent"}), _target),
    "retrofits": (
        frozenset(
            {"project_id", "item", "site", "resource", "completed_on", "cost"}
            | {"expected_annual_saving"}
        ),
        _retrofit,
    ),
}


def read_csv(text: str | bytes, *, source: str = "the file") -> tuple[str, list[CsvRecord]]:
    """Read a CSV text into records; returns the file's kind and its records.

    The text is read strictly (:func:`planning_core.inputs.read_csv_rows`): a quote left
    open, a cell over 32,767 characters, or a row with another number of cells than the
    header is refused with its line. Amounts are finite and within ±10**15.

    :param text: the file's text, or its bytes (UTF-8, a byte-order mark allowed).
    :param source: the file's name, for messages.
    :raises ValidationError: naming every bad cell by row and column, a repeated row, or an
        unknown header; then no record is returned at all.
    """
    table = read_csv_rows(text, source)
    names = [cell.strip() for cell in table[0]] if table else []
    header = frozenset(names)
    kind, parse = _kind(header, source)
    if len(header) != len(names):
        raise ValidationError(f"{source}: a column appears twice in the header; keep one")
    records: list[CsvRecord] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        row = dict(zip(names, cells, strict=True))
        try:
            record = parse(_Cells(row))
        except ValidationError as exc:
            problems.extend(f"row {number}, {problem}" for problem in exc.problems)
            continue
        if record.key in seen:
            problems.append(f"row {number}: repeats row {seen[record.key]} ({record.key})")
            continue
        seen[record.key] = number
        records.append(record)
    if problems:
        raise ValidationError(
            f"{source}: {len(problems)} problem(s); nothing was recorded. "
            f"Fix each one below and try again",
            problems,
        )
    if not records:
        raise ValidationError(f"{source} has a {kind} header but no rows; add some rows")
    return kind, records


def _kind(header: frozenset[str], source: str) -> tuple[str, _Parse]:
    for kind, (columns, parse) in CSV_KINDS.items():
        if header == columns:
            return kind, parse
    expected = "; ".join(
        f"{kind}: {', '.join(sorted(columns))}" for kind, (columns, _) in CSV_KINDS.items()
    )
    raise ValidationError(
        f"{source}: the header ({', '.join(sorted(header)) or 'empty'}) fits no known file; "
        f"use exactly the columns of one kind — {expected}"
    )
