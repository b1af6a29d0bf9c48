"""The three smaller sheets: committees (规划委员会), matter counts (事项), funding (资金).

Each refers to places the places sheet registered; a row naming a site or township that is
not stored is reported, because these sheets record facts about places, they do not create
them.
"""

from __future__ import annotations

import datetime as dt
import re

from planning_core.rural._cells import Row
from planning_core.rural._data import RuralData
from planning_core.rural._labels import CHAIR_ROLES, FLAGS, MATTER_KINDS, PRECISIONS
from planning_core.rural._matters import MatterCount
from planning_core.rural._money import FundingRecord, RecordedSum, SumPrecision
from planning_core.rural._places import MEMBER_SEPARATORS, PlanningCommittee
from planning_core.rural._sheet import Column, ReadContext, Sheet

__all__ = ["COMMITTEES", "FUNDING", "MATTERS"]

_MEMBER_SEPARATORS = re.compile(f"[{MEMBER_SEPARATORS}]")


def _place(row: Row, context: ReadContext, *, township_required: bool) -> tuple[str, str | None]:
    """The row's site and township, checked against the store; ("", None) on a problem."""
    site = row.name("site", required=True, what="the site (district or county)")
    township = row.name("township", required=township_required, what="the township")
    if site is None or (township_required and township is None):
        return "", None
    problem = context.known.problem(site)
    if problem is not None:
        row.problem("site", problem)
        return "", None
    problem = context.known.problem(site, township)
    if problem is not None:
        row.problem("township", problem)
        return "", None
    return site, township


def _unique(row: Row, seen: dict[str, int], key: str, column: str, what: str) -> bool:
    first = seen.setdefault(key, row.number)
    if first != row.number:
        row.problem(column, f"duplicate: {what} is listed again (first on row {first})")
    return first == row.number


# -- committees ---------------------------------------------------------------------------


def _read_committees(rows: list[Row], context: ReadContext) -> RuralData:
    seen: dict[str, int] = {}
    committees = []
    for row in rows:
        site, township = _place(row, context, township_required=True)
        role = row.choice("chair_role", CHAIR_ROLES, what="a chair role")
        chair = row.name("chair_name")
        members = _members(row)
        formed_on = row.date("formed_on")
        office = row.flag("planning_office", FLAGS)
        head = row.name("office_head")
        if head is not None and not office:
            row.problem("office_head", "names an office head, but 规划办公室 is not 是")
            continue
        if not site or township is None or len(set(members)) != len(members):
            continue
        if _unique(row, seen, f"{site}/{township}", "township", f"{site} {township}"):
            committees.append(
                PlanningCommittee(site, township, role, chair, members, formed_on, office, head)
            )
    return RuralData(committees=committees)


def _members(row: Row) -> tuple[str, ...]:
    text = row.text("members") or ""
    names = tuple(n.strip() for n in _MEMBER_SEPARATORS.split(text) if n.strip())
    if len(set(names)) != len(names):
        row.problem("members", "names someone twice; list each member once")
    return names


def _write_committees(data: RuralData) -> list[dict[str, str]]:
    return [
        {
            "site": c.site,
            "township": c.township,
            "chair_role": c.chair_role.zh if c.chair_role else "",
            "chair_name": c.chair_name or "",
            "members": "、".join(c.members),
            "formed_on": _iso(c.formed_on),
            "planning_office": "是" if c.planning_office else "否",
            "office_head": c.office_head or "",
        }
        for c in data.committees
    ]


COMMITTEES = Sheet(
    "committees",
    "乡镇规划委员会",
    (
        Column("site", "示范点", required=True),
        Column("township", "乡镇", required=True),
        Column("chair_role", "主任职务", required=True),
        Column("chair_name", "主任"),
        Column("members", "委员"),
        Column("formed_on", "成立日期"),
        Column("planning_office", "规划办公室"),
        Column("office_head", "办公室负责人"),
    ),
    _read_committees,
    _write_committees,
)

# -- matter counts ------------------------------------------------------------------------


def _read_matters(rows: list[Row], context: ReadContext) -> RuralData:
    seen: dict[str, int] = {}
    counts = []
    for row in rows:
        site, township = _place(row, context, township_required=False)
        kind = row.choice("matter_kind", MATTER_KINDS, required=True, what="a matter kind")
        count = row.count("count", required=True)
        as_of = row.date("as_of")
        if not site or kind is None or count is None:
            continue
        record = MatterCount(site, kind, count, township, as_of)
        where = f"{site} {township or '(whole site)'}"
        if _unique(row, seen, record.key, "matter_kind", f"{kind.zh} of {where}"):
            counts.append(record)
    return RuralData(matter_counts=counts)


def _write_matters(data: RuralData) -> list[dict[str, str]]:
    return [
        {
            "site": m.site,
            "township": m.township or "",
            "matter_kind": m.kind.zh,
            "count": str(m.count),
            "as_of": _iso(m.as_of),
        }
        for m in data.matter_counts
    ]


MATTERS = Sheet(
    "matters",
    "乡镇规划管理事项",
    (
        Column("site", "示范点", required=True),
        Column("township", "乡镇", required=True),
        Column("matter_kind", "事项", required=True),
        Column("count", "件数", required=True),
        Column("as_of", "截至日期"),
    ),
    _read_matters,
    _write_matters,
)

# -- funding ------------------------------------------------------------------------------


def _read_funding(rows: list[Row], context: ReadContext) -> RuralData:
    seen: dict[str, int] = {}
    records = []
    for row in rows:
        site, township = _place(row, context, township_required=False)
        label = row.name("label", required=True, what="what the sum is, e.g. 目前投入资金")
        amount = row.yuan("amount_yuan", required=True)
        precision = row.choice("precision", PRECISIONS, what="准确, 约 or 余")
        as_of = row.date("as_of")
        if not site or label is None or amount is None:
            continue
        record = FundingRecord(
            site, label, RecordedSum(amount, precision or SumPrecision.EXACT), township, as_of
        )
        if _unique(row, seen, record.key, "label", f"{label!r} of {site} {township or ''}"):
            records.append(record)
    return RuralData(funding=records)


def _write_funding(data: RuralData) -> list[dict[str, str]]:
    return [
        {
            "site": f.site,
            "township": f.township or "",
            "label": f.label,
            "amount_yuan": str(f.sum.amount),
            "precision": f.sum.precision.zh,
            "as_of": _iso(f.as_of),
        }
        for f in data.funding
    ]


FUNDING = Sheet(
    "funding",
    "规划资金投入",
    (
        Column("site", "示范点", required=True),
        Column("township", "乡镇", required=True),
        Column("label", "说明", required=True),
        Column("amount_yuan", "金额(元)", required=True),
        Column("precision", "精度"),
        Column("as_of", "截至日期"),
    ),
    _read_funding,
    _write_funding,
)


def _iso(day: dt.date | None) -> str:
    return "" if day is None else day.isoformat()
