"""Validating application forms: every problem at once, each with its field path."""

from __future__ import annotations

import math
from decimal import Decimal

import pendulum
import pytest
from _support.forms import COMPANY, PERSON, construction_form
from _support.geo import rect
from hypothesis import given
from hypothesis import strategies as st

from planning_core.errors import NotFoundError, ValidationError
from planning_core.forms import (
    FormDefinition,
    NumberField,
    Party,
    PartyKind,
    TextField,
    reference_forms,
    validate_form,
)
from planning_core.geo import geometry_to_geojson


def _problems(permit_type: str, data: object) -> tuple[str, ...]:
    with pytest.raises(ValidationError) as info:
        validate_form(permit_type, data)
    return info.value.problems


def test_a_valid_form_gives_typed_values() -> None:
    form = validate_form("CONSTRUCTION", construction_form())
    assert form.permit_type == "CONSTRUCTION"
    assert form.applicant == Party(
        PartyKind.ORGANISATION, "唐山市某置业有限公司", "91350100M000100Y43"
    )
    assert form.get("building_area") == Decimal("7200.5")
    assert form.get("land_area") == Decimal(3000)
    assert form.site is not None and form.site.equals(rect(10, 10, 60, 50))
    assert form.to_record()["data"] == construction_form()


def test_a_form_with_three_bad_fields_reports_all_three_with_their_paths() -> None:
    bad = construction_form(
        applicant={**COMPANY, "id_number": "91350100M000100Y44"},  # wrong check character
        land_area=-3000,
        height="45 m",
    )
    problems = _problems("CONSTRUCTION", bad)
    assert len(problems) == 3
    assert [p.rsplit(" @ ", 1)[1] for p in problems] == [
        "$.applicant.id_number",
        "$.land_area",
        "$.height",
    ]
    assert "check character" in problems[0]
    assert "-3000" in problems[1]


def test_a_wrong_identity_number_of_a_person_is_caught() -> None:
    person = {**PERSON, "id_number": "110105194912310021"}
    problems = _problems("RURAL_CONSTRUCTION", _rural(applicant=person))
    assert problems == (
        "身份证号 '110105194912310021': the check character does not match; check every digit "
        "@ $.applicant.id_number",
    )


def test_the_identifier_is_checked_by_the_applicants_kind() -> None:
    # A valid identity number is no credit code: an organisation must give its credit code.
    problems = _problems(
        "CONSTRUCTION", construction_form(applicant={**PERSON, "kind": "organisation"})
    )
    assert len(problems) == 1 and problems[0].endswith("@ $.applicant.id_number")


def test_missing_required_and_unknown_fields_are_reported_together() -> None:
    data = construction_form(colour="red")
    del data["project_name"], data["site"]
    problems = _problems("CONSTRUCTION", data)
    paths = sorted(p.rsplit(" @ ", 1)[1] for p in problems)
    assert paths == ["$.colour", "$.project_name", "$.site"]


def test_nested_party_problems_name_each_sub_field() -> None:
    applicant = {"kind": "company", "name": "", "id_number": "x", "fax": "1"}
    problems = _problems("CONSTRUCTION", construction_form(applicant=applicant))
    paths = sorted(p.rsplit(" @ ", 1)[1] for p in problems)
    assert paths == ["$.applicant.fax", "$.applicant.kind", "$.applicant.name"]


def test_a_site_that_is_not_in_degrees_is_refused() -> None:
    metres = {
        "type": "Polygon",
        "coordinates": [
            [[600000, 4390000], [600100, 4390000], [600100, 4390100], [600000, 4390000]]
        ],
    }
    problems = _problems("CONSTRUCTION", construction_form(site=metres))
    assert len(problems) == 1 and problems[0].endswith("@ $.site")
    assert "not CGCS2000" in problems[0]


def test_a_self_intersecting_site_is_refused() -> None:
    bow = {
        "type": "Polygon",
        "coordinates": [[[118, 39], [118.01, 39.01], [118.01, 39], [118, 39.01], [118, 39]]],
    }
    problems = _problems("CONSTRUCTION", construction_form(site=bow))
    assert "Self-intersection" in problems[0]


def test_ratios_above_one_and_fractional_floors_are_refused() -> None:
    problems = _problems("CONSTRUCTION", construction_form(green_ratio=32, floors=3.5))
    assert [p.rsplit(" @ ", 1)[1] for p in problems] == ["$.green_ratio", "$.floors"]


def test_booleans_are_not_numbers() -> None:
    problems = _problems("CONSTRUCTION", construction_form(height=True))
    assert problems[0].endswith("@ $.height")


def _temporary(**changes: object) -> dict[str, object]:
    data = {
        "applicant": dict(COMPANY),
        "project_name": "施工临时用房",
        "location": "唐山市路南区",
        "site": geometry_to_geojson(rect(0, 0, 20, 10)),
        "land_area": 200,
        "purpose": "施工工棚",
        "building_area": 180,
        "height": 6,
        "use_from": "2026-03-01",
        "use_until": "2027-03-01",
    }
    data.update(changes)
    return data


def _rural(**changes: object) -> dict[str, object]:
    data = {
        "applicant": dict(PERSON),
        "project_name": "村民住宅",
        "location": "丰润区某村",
        "site": geometry_to_geojson(rect(0, 0, 15, 12)),
        "land_area": 180,
        "township": "丰润镇",
        "village": "某村",
        "purpose": "housing",
        "building_area": 160,
        "floors": 2,
        "height": 7.5,
    }
    data.update(changes)
    return data


def test_a_temporary_buildings_period_is_typed_and_checked() -> None:
    form = validate_form("TEMPORARY_CONSTRUCTION", _temporary())
    assert form.get("use_until") == pendulum.Date(2027, 3, 1)
    too_long = _problems("TEMPORARY_CONSTRUCTION", _temporary(use_until="2028-03-02"))
    assert too_long[0].endswith("@ $.use_until") and "2 years" in too_long[0]
    backwards = _problems("TEMPORARY_CONSTRUCTION", _temporary(use_until="2026-02-01"))
    assert "swap" in backwards[0]


def test_an_unknown_permit_type_names_the_known_ones() -> None:
    with pytest.raises(NotFoundError, match="CONSTRUCTION"):
        validate_form("BILLBOARD", {})


def test_a_form_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(ValidationError, match="JSON object"):
        validate_form("CONSTRUCTION", ["not", "a", "form"])


def test_every_national_permit_type_has_a_form_with_applicant_and_site() -> None:
    forms = reference_forms()
    assert [f.permit_type for f in forms] == [
        "SITE_SELECTION",
        "LAND_USE",
        "CONSTRUCTION",
        "RURAL_CONSTRUCTION",
        "TEMPORARY_CONSTRUCTION",
        "VERIFICATION",
    ]
    for form in forms:
        names = [f.name for f in form.fields]
        assert {"applicant", "site", "land_area", "project_name"} <= set(names)


def test_a_form_definition_refuses_duplicate_fields() -> None:
    with pytest.raises(ValidationError, match="'height' is declared 2 times"):
        FormDefinition("X", "表", [NumberField("height", "高"), NumberField("height", "高度")])


def test_a_field_name_must_be_snake_case() -> None:
    with pytest.raises(ValidationError, match="snake_case"):
        TextField("项目", "项目名称")


_LOWEST = {"land_area": 0, "height": 0, "footprint_area": 0, "green_ratio": 0, "floors": 1}


def _acceptable(name: str, value: object) -> bool:
    """What the construction form promises about each number, written out independently."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return False
    if name == "land_area" and value <= 0:
        return False
    if value < _LOWEST[name] or (name == "green_ratio" and value > 1):
        return False
    return name != "floors" or float(value).is_integer()


@given(
    st.dictionaries(
        st.sampled_from(sorted(_LOWEST)),
        st.one_of(
            st.integers(-10, 10**6),
            st.floats(allow_nan=True),
            st.text(max_size=3),
            st.booleans(),
        ),
    )
)
def test_each_bad_number_is_reported_once_at_its_path(changes: dict[str, object]) -> None:
    data = construction_form(**changes)
    bad = sorted(f"$.{name}" for name, value in changes.items() if not _acceptable(name, value))
    if not bad:
        validate_form("CONSTRUCTION", data)
        return
    problems = _problems("CONSTRUCTION", data)
    assert sorted(p.rsplit(" @ ", 1)[1] for p in problems) == bad
