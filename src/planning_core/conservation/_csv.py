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

A header cell may also be the column's Chinese name (:data:`HEADERS_ZH`: ``月份``, ``场所``,
``资源``, ``用量``, ``单位`` …), as the rural sheets allow, so a bureau's own spreadsheet
imports as it is kept. A unit cell may be written the way the bureau writes it
(:data:`UNIT_SPELLINGS`: ``度`` or ``千瓦时`` for kWh, ``吨`` or ``立方米`` for water's m³,
``升``, ``令``, ``个`` or ``盒``); a unit of another size (MWh, 万千瓦时) is still refused.

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

__all__ = ["CSV_KINDS", "HEADERS_ZH", "UNIT_SPELLINGS", "CsvRecord", "read_csv"]

CsvRecord: TypeAlias = ConsumptionRecord | SiteProfile | Target | RetrofitProject

R = TypeVar("R")

#: The Chinese names a header cell may use for each column (the English key always works).
HEADERS_ZH: dict[str, tuple[str, ...]] = {
    "month": ("月份",),
    "site": ("场所", "楼宇", "部门"),
    "resource": ("资源", "能源资源", "类别"),
    "amount": ("用量", "数量", "消耗量"),
    "unit": ("单位", "计量单位"),
    "year": ("年度", "年份"),
    "headcount": ("人数", "用能人数"),
    "floor_area_m2": ("建筑面积", "建筑面积(m²)", "建筑面积（平方米）", "建筑面积(平方米)"),
    "baseline_year": ("基准年",),
    "reduction_percent": ("目标降幅", "目标降幅(%)", "目标降幅（%）"),
    "project_id": ("项目编号",),
    "item": ("改造项目", "项目名称"),
    "completed_on": ("完工日期",),
    "cost": ("投资", "投资(元)", "投资（元）", "费用"),
    "expected_annual_saving": ("预计年节约", "预计年节约量"),
}

#: How a unit cell may be written for each resource's one unit (case is ignored).
UNIT_SPELLINGS: dict[Resource, tuple[str, ...]] = {
    Resource.ELECTRICITY: ("kWh", "度", "千瓦时", "千瓦·时", "千瓦小时"),
    Resource.WATER: ("m³", "m3", "立方米", "吨", "t", "方"),
    Resource.FUEL: ("L", "升", "公升"),
    Resource.PAPER: ("ream", "reams", "令"),
    Resource.TONER: ("cartridge", "cartridges", "个", "盒", "支"),
}

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
    if not cells.problems and not _unit_fits(resource, unit):
        spellings = "、".join(UNIT_SPELLINGS[resource])
        cells._fail(
            "unit",
            f"{resource.value} is recorded in {resource.unit} (written {spellings}), not "
            f"{unit!r}; convert the amounts",
        )
    return cells.build(
        lambda: ConsumptionRecord(
            year=year, month=month, site=site, resource=resource, amount=amount
        )
    )


def _unit_fits(resource: Resource, unit: str) -> bool:
    word = unit.strip().casefold()
    return any(word == spelling.casefold() for spelling in UNIT_SPELLINGS[resource])


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
    names = [_column_key(cell) for cell in table[0]] if table else []
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


def _column_key(cell: str) -> str:
    """A header cell's column key: the key itself, or the key its Chinese name stands for."""
    word = cell.strip()
    for key, names in HEADERS_ZH.items():
        if word in names:
            return key
    return word


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
