"""Filled-in application forms for the forms, geo and CLI tests."""

from __future__ import annotations

from typing import Any

from _support.geo import rect
from planning_core.geo import geometry_to_geojson

COMPANY = {
    "kind": "organisation",
    "name": "唐山市某置业有限公司",
    "id_number": "91350100M000100Y43",
}
PERSON = {
    "kind": "person",
    "name": "张三",
    "id_number": "11010519491231002X",
    "phone": "0315-1234567",
}


def construction_form(**changes: Any) -> dict[str, Any]:
    """A valid 建设工程规划许可申请表 for a 60 m × 50 m site inside plot A-01."""
    data: dict[str, Any] = {
        "applicant": dict(COMPANY),
        "project_name": "凤凰新城住宅小区一期",
        "location": "唐山市路北区",
        "site": geometry_to_geojson(rect(10, 10, 60, 50)),
        "land_area": 3000,
        "land_permit_number": "地字第130200202600012号",
        "land_use": "R2",
        "total_floor_area": 5800,
        "building_area": 7200.5,
        "footprint_area": 950,
        "floor_area_ratio": 1.93,
        "height": 45,
        "green_ratio": 0.32,
        "setback_road": 12,
        "setback_boundary": 6,
    }
    data.update(changes)
    return data
