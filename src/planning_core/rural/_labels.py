"""The words a bureau's spreadsheet uses for each coded value, and reading them back.

Exports write the Chinese label (``编制``); imports also accept the code (``compiling``,
``COMPILING``) and the common variants a person types (``编制中``, ``正在编制``), so sheets
kept by hand for years import without retyping.
"""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Iterable, Mapping
from typing import TypeVar

from planning_core.rural._matters import MatterKind
from planning_core.rural._money import SumPrecision
from planning_core.rural._places import ChairRole
from planning_core.rural._plans import PlanKind, Stage

__all__ = [
    "CHAIR_ROLES",
    "FLAGS",
    "MATTER_KINDS",
    "PLAN_KINDS",
    "PRECISIONS",
    "STAGES",
    "normalize",
]

E = TypeVar("E", bound=enum.Enum)


def normalize(text: str) -> str:
    """Fold full-width forms and case, and drop spaces, for matching a typed word."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


def _table(cls: type[E], extra: Mapping[E, Iterable[str]]) -> dict[str, E]:
    table: dict[str, E] = {}
    for member in cls:
        words = [member.value, member.name, getattr(member, "zh", ""), *extra.get(member, ())]
        table.update({normalize(word): member for word in words if word})
    return table


STAGES = _table(
    Stage,
    {
        Stage.SURVEYING: ["测量", "地形测量", "地形图测绘", "正在进行地形图测量"],
        Stage.COMPILING: ["编制中", "正在编制", "规划编制"],
        Stage.UNDER_APPROVAL: ["报批", "审批中", "报批中", "under approval"],
        Stage.COMPLETED: ["已完成", "编制完成", "完成编制"],
    },
)

PLAN_KINDS = _table(
    PlanKind,
    {
        PlanKind.TOWNSHIP_MASTER_PLAN: ["总体规划", "镇总体规划", "乡总体规划", "总规"],
        PlanKind.REGULATORY_DETAILED_PLAN: ["控规", "控制性详规"],
        PlanKind.VILLAGE_PLAN: ["村庄建设规划"],
        PlanKind.GUIDELINE: ["导则", "设计导则"],
    },
)

CHAIR_ROLES = _table(
    ChairRole,
    {
        ChairRole.PARTY_SECRETARY: ["书记", "党委书记", "乡镇党委书记"],
        ChairRole.TOWNSHIP_HEAD: ["镇长", "乡长", "乡镇长"],
    },
)

MATTER_KINDS = _table(
    MatterKind,
    {kind: [kind.zh_phrase] for kind in MatterKind}
    | {MatterKind.LAND_USE_PERMIT: ["用地规划许可证", "办理用地规划许可证"]},
)

PRECISIONS = _table(
    SumPrecision,
    {SumPrecision.EXACT: ["精确"], SumPrecision.MORE_THAN: ["多", "以上"]},
)

#: Yes/no cells; a blank cell is "no".
FLAGS: dict[str, bool] = {
    normalize(word): value
    for words, value in (
        (("是", "有", "已设", "yes", "y", "true", "1"), True),
        (("否", "无", "未设", "no", "n", "false", "0"), False),
    )
    for word in words
}
