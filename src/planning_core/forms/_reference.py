"""The application forms of the six national permit types.

Every form starts with the same block (applicant, agent, project, location, site, land
area), as the reform's single form (一张表单) has it, and adds what its permit needs: the
approval number for site selection, the land source for a land-use permit, the scheme's
indicators for a construction permit, the use period of a temporary building. A city
changes a form by replacing it through ``planning_core_register_forms``.

Ratios (floor-area ratio, green ratio, density) are plain numbers: 2.5, and 0.35 for 35 %.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import pendulum

from planning_core.forms._fields import (
    ChoiceField,
    DateField,
    Field,
    FlagField,
    NumberField,
    PartyField,
    SiteField,
    TextField,
)
from planning_core.forms._form import FormCheck, FormDefinition

__all__ = ["period_check", "reference_forms"]

_LAND_USE = TextField(
    "land_use",
    "用地性质",
    max_length=8,
    pattern="[A-Z0-9][A-Za-z0-9]{0,7}",
    hint="a land-use class code such as R2, B1 or 0701",
)
_LAND_AREA = NumberField("land_area", "用地面积", "m²", exclusive_minimum=True)
_RATIO = Decimal(1)
#: Read by the workflow condition ``major_project``: the bureau meeting (局务会) decides.
_MAJOR_PROJECT = FlagField("major_project", "是否重大建设项目（提交局务会集体研究）")


def _common(*, bureau_meeting: bool = True) -> list[Field]:
    """The single form's common block; ``major_project`` where the workflow has a bureau
    meeting for major projects (every reference workflow but the temporary permit's)."""
    return [
        PartyField("applicant", "申请人"),
        PartyField("agent", "委托代理人", required=False),
        TextField("project_name", "项目名称", max_length=100),
        TextField("location", "建设地点"),
        SiteField("site", "用地范围"),
        _LAND_AREA,
        *([_MAJOR_PROJECT] if bureau_meeting else []),
    ]


def _area(name: str, label: str, required: bool = True) -> NumberField:
    return NumberField(name, label, "m²", required=required)


def _indicators() -> list[Field]:
    """The scheme's figures checked against the planning conditions (art. 40)."""
    return [
        _area("total_floor_area", "计容建筑面积"),
        _area("building_area", "总建筑面积"),
        _area("footprint_area", "建筑基底面积"),
        NumberField("floor_area_ratio", "容积率"),
        NumberField("height", "建筑高度", "m"),
        NumberField("green_ratio", "绿地率", maximum=_RATIO),
        _area("green_area", "绿地面积", required=False),
        NumberField("setback_road", "退道路红线距离", "m", required=False),
        NumberField("setback_boundary", "退用地边界距离", "m", required=False),
    ]


def period_check(start: str, end: str, max_years: int) -> FormCheck:
    """A check that ``end`` falls after ``start`` and within ``max_years`` of it."""

    def check(values: Mapping[str, Any]) -> list[str]:
        first, last = values.get(start), values.get(end)
        if not isinstance(first, pendulum.Date) or not isinstance(last, pendulum.Date):
            return []
        if last <= first:
            return [f"the period ends on {last} but begins on {first}; swap them @ $.{end}"]
        if last > first.add(years=max_years):
            return [
                f"the period {first} to {last} is over {max_years} years; a temporary "
                f"building is approved for at most {max_years} @ $.{end}"
            ]
        return []

    return check


def _site_selection() -> FormDefinition:
    return FormDefinition(
        "SITE_SELECTION",
        "建设项目用地预审与选址意见书申请表",
        [
            *_common(),
            TextField("approval_number", "项目批准（核准、备案）文号", max_length=60),
            _LAND_USE,
            _area("building_area", "拟建建筑面积", required=False),
        ],
    )


def _land_use() -> FormDefinition:
    return FormDefinition(
        "LAND_USE",
        "建设用地规划许可申请表",
        [
            *_common(),
            ChoiceField("land_source", "土地取得方式", (("allocation", "划拨"), ("grant", "出让"))),
            TextField("land_document_number", "出让合同或划拨决定书编号", max_length=60),
            _LAND_USE,
        ],
    )


def _construction() -> FormDefinition:
    return FormDefinition(
        "CONSTRUCTION",
        "建设工程规划许可申请表",
        [
            *_common(),
            TextField("land_permit_number", "建设用地规划许可证号", max_length=60),
            _LAND_USE,
            *_indicators(),
            NumberField("floors", "地上层数", integer=True, minimum=Decimal(1), required=False),
        ],
    )


def _rural() -> FormDefinition:
    return FormDefinition(
        "RURAL_CONSTRUCTION",
        "乡村建设规划许可申请表",
        [
            *_common(),
            TextField("township", "乡镇", max_length=40),
            TextField("village", "村", max_length=40),
            ChoiceField(
                "purpose",
                "建设用途",
                (
                    ("housing", "村民住宅"),
                    ("enterprise", "乡镇企业"),
                    ("public", "乡村公共设施和公益事业"),
                ),
            ),
            _area("building_area", "建筑面积"),
            NumberField("floors", "层数", integer=True, minimum=Decimal(1)),
            NumberField("height", "建筑高度", "m"),
        ],
    )


def _temporary() -> FormDefinition:
    return FormDefinition(
        "TEMPORARY_CONSTRUCTION",
        "临时建设工程规划许可申请表",
        [
            *_common(bureau_meeting=False),
            TextField("purpose", "临时用途", max_length=100),
            _area("building_area", "建筑面积"),
            NumberField("height", "建筑高度", "m"),
            DateField("use_from", "使用期限起"),
            DateField("use_until", "使用期限止"),
        ],
        checks=[period_check("use_from", "use_until", max_years=2)],
    )


def _verification() -> FormDefinition:
    return FormDefinition(
        "VERIFICATION",
        "规划条件核实申请表",
        [
            *_common(),
            TextField("construction_permit_number", "建设工程规划许可证号", max_length=60),
            _area("total_floor_area", "竣工计容建筑面积"),
            _area("footprint_area", "竣工建筑基底面积"),
            NumberField("height", "竣工建筑高度", "m"),
            NumberField("green_ratio", "绿地率", maximum=_RATIO),
            _area("green_area", "绿地面积", required=False),
            DateField("completed_on", "竣工日期", required=False),
        ],
    )


def reference_forms() -> tuple[FormDefinition, ...]:
    """The forms of the six national permit types, in the order of the permit types."""
    return (
        _site_selection(),
        _land_use(),
        _construction(),
        _rural(),
        _temporary(),
        _verification(),
    )
