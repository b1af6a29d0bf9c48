"""The places sheet (乡镇村庄规划进度): townships, villages and their plans' stages.

One row per place and plan kind. A row with a blank plan kind only registers the place. The
``阶段`` column gives the plan's current stage; the four date columns give the day the plan
entered each stage, so a row holds the whole history: the current stage's date is required,
earlier stages' dates may be blank when nobody recorded them, later stages' must be blank.
"""

from __future__ import annotations

import datetime as dt
import itertools

import attrs

from planning_core.errors import ValidationError
from planning_core.rural._cells import Row
from planning_core.rural._data import RuralData
from planning_core.rural._labels import PLAN_KINDS, STAGES
from planning_core.rural._places import PlaceRef, Township, Village
from planning_core.rural._plans import Plan, PlanKind, Stage, StageChange
from planning_core.rural._sheet import Column, ReadContext, Sheet

__all__ = ["PLACES"]

_STAGE_COLUMNS = {
    Stage.SURVEYING: Column("surveying_on", "地形图测量日期"),
    Stage.COMPILING: Column("compiling_on", "编制日期"),
    Stage.UNDER_APPROVAL: Column("under_approval_on", "审批日期"),
    Stage.COMPLETED: Column("completed_on", "完成日期"),
}

_COLUMNS = (
    Column("site", "示范点", required=True),
    Column("township", "乡镇", required=True),
    Column("township_code", "乡镇代码"),
    Column("village", "村庄", required=True),
    Column("plan_kind", "规划类型", required=True),
    Column("stage", "阶段", required=True),
    *_STAGE_COLUMNS.values(),
    Column("design_institute", "设计单位"),
    Column("contract_on", "合同日期"),
    Column("invested_yuan", "投资(元)"),
)

_PLAN_CELLS = ("stage", *(c.key for c in _STAGE_COLUMNS.values()), "design_institute")
_PLAN_CELLS_MORE = ("contract_on", "invested_yuan")


@attrs.define
class _Reader:
    """State across the rows of one file: what was seen where."""

    context: ReadContext
    places: dict[tuple[str, PlanKind | None], int] = attrs.field(factory=dict)
    codes: dict[str, tuple[str, int]] = attrs.field(factory=dict)
    code_owner: dict[str, tuple[str, int]] = attrs.field(factory=dict)
    townships: dict[str, Township] = attrs.field(factory=dict)
    villages: dict[str, Village] = attrs.field(factory=dict)
    plans: list[Plan] = attrs.field(factory=list)

    def read(self, row: Row) -> None:
        site = row.name("site", required=True, what="the site (district or county)")
        township = row.name("township", required=True, what="the township")
        village = row.name("village")
        code = row.name("township_code")
        kind = row.choice("plan_kind", PLAN_KINDS, what="a plan kind")
        if site is None or township is None:
            return
        place = PlaceRef(site, township, village)
        unreadable_kind = kind is None and row.text("plan_kind") is not None
        if unreadable_kind or self._first(row, place, kind):
            self._register(row, place, code)
        if kind is not None and self.places[(place.key, kind)] == row.number:
            self._plan(row, place, kind)
        elif kind is None and not unreadable_kind:
            _no_plan_cells(row)

    def _first(self, row: Row, place: PlaceRef, kind: PlanKind | None) -> bool:
        """False (and a problem) when this place and kind was already on an earlier row."""
        seen = self.places.setdefault((place.key, kind), row.number)
        if seen == row.number:
            return True
        what = f"village {place.village!r} of {place.site} {place.township}"
        if place.village is None:
            what = f"township {place.township!r} of {place.site}"
        plan = f" with plan kind {kind.zh}" if kind else ""
        once = "once per plan kind" if kind else "once"
        row.problem(
            "village" if place.village else "township",
            f"duplicate: {what} is listed again{plan} (first on row {seen}); list it {once}",
        )
        return False

    def _register(self, row: Row, place: PlaceRef, code: str | None) -> None:
        key = place.township_ref.key
        if code is not None:
            self._check_code(row, key, code)
        stored = self.context.townships.get(key)
        known_code = self.codes.get(key, (None, 0))[0] or (stored.code if stored else None)
        self.townships[key] = Township(place.site, place.township, code or known_code)
        if place.village is not None:
            self.villages[place.key] = Village(place.site, place.township, place.village)

    def _check_code(self, row: Row, township_key: str, code: str) -> None:
        given, where = self.codes.setdefault(township_key, (code, row.number))
        if given != code:
            row.problem(
                "township_code",
                f"differs from {given!r} given for this township on row {where}; "
                f"a township has one code",
            )
        owner, at = self.code_owner.setdefault(code, (township_key, row.number))
        stored = [t for t in self.context.townships.values() if t.code == code]
        if owner != township_key:
            row.problem("township_code", f"is already the code of {owner} (row {at})")
        elif stored and stored[0].ref.key != township_key:
            row.problem("township_code", f"is already the stored code of {stored[0].ref.key}")

    def _plan(self, row: Row, place: PlaceRef, kind: PlanKind) -> None:
        subject = kind.subject_problem(place)
        if subject is not None:
            row.problem("plan_kind", subject)
        stage = row.choice("stage", STAGES, what="a stage")
        history = _history(row, stage)
        institute = row.name("design_institute")
        contract_on = row.date("contract_on")
        invested = row.yuan("invested_yuan")
        if subject is not None or history is None:
            return
        try:
            self.plans.append(Plan(kind, place, history, institute, contract_on, invested))
        except ValidationError as exc:
            row.problem("plan_kind", str(exc))


def _no_plan_cells(row: Row) -> None:
    """A row without a plan kind may not carry plan details."""
    for key in (*_PLAN_CELLS, *_PLAN_CELLS_MORE):
        if row.text(key) is not None:
            row.problem(key, "belongs to a plan, but the plan kind is blank; give the plan kind")


def _history(row: Row, stage: Stage | None) -> tuple[StageChange, ...] | None:
    """The stage history the row's date columns give, or None after reporting problems."""
    before = len(row.problems.items)
    dates = {s: row.date(column.key) for s, column in _STAGE_COLUMNS.items()}
    given = [StageChange(s, d) for s, d in dates.items() if d is not None]
    if stage is None and row.text("stage") is not None:
        return None  # the stage cell itself was reported as unreadable
    if stage is None and given:
        row.problem("stage", "is empty but stage dates are given; give the current stage")
    if stage is not None:
        _check_stage_dates(row, stage, given)
    return tuple(given) if len(row.problems.items) == before else None


def _check_stage_dates(row: Row, stage: Stage, given: list[StageChange]) -> None:
    column = _STAGE_COLUMNS[stage].key
    if row.text(column) is None:
        row.problem(column, f"is empty; give the date the plan entered {stage.zh}")
    for change in given:
        if change.stage.order > stage.order:
            row.problem(
                _STAGE_COLUMNS[change.stage].key,
                f"is a date for {change.stage.zh}, after the current stage {stage.zh}; "
                f"clear it or change the stage",
            )
    for before, after in itertools.pairwise(given):
        if after.on < before.on:
            row.problem(
                _STAGE_COLUMNS[after.stage].key,
                f"is before the {before.stage.zh} date {before.on.isoformat()}; "
                f"stage dates cannot go back",
            )


def _read(rows: list[Row], context: ReadContext) -> RuralData:
    reader = _Reader(context)
    for row in rows:
        reader.read(row)
    return RuralData(
        townships=reader.townships.values(),
        villages=reader.villages.values(),
        plans=reader.plans,
    )


def _write(data: RuralData) -> list[dict[str, str]]:
    codes = {t.ref.key: t.code or "" for t in data.townships}
    plans: dict[str, list[Plan]] = {}
    for plan in data.plans:
        plans.setdefault(plan.place.key, []).append(plan)
    places = [t.ref for t in data.townships] + [v.ref for v in data.villages]
    rows: list[dict[str, str]] = []
    for place in sorted(places, key=lambda p: p.parts):
        base = {
            "site": place.site,
            "township": place.township,
            "township_code": codes.get(place.township_ref.key, ""),
            "village": place.village or "",
        }
        rows.extend(base | _plan_cells(plan) for plan in plans.get(place.key, []))
        if place.key not in plans:
            rows.append(base)
    return rows


def _plan_cells(plan: Plan) -> dict[str, str]:
    cells = {
        "plan_kind": plan.kind.zh,
        "stage": plan.stage.zh if plan.stage else "",
        "design_institute": plan.design_institute or "",
        "contract_on": _iso(plan.contract_on),
        "invested_yuan": "" if plan.invested is None else str(plan.invested),
    }
    for change in plan.history:
        cells[_STAGE_COLUMNS[change.stage].key] = change.on.isoformat()
    return cells


def _iso(day: dt.date | None) -> str:
    return "" if day is None else day.isoformat()


PLACES = Sheet("places", "乡镇村庄规划进度", _COLUMNS, _read, _write)
