"""The exported JSON Schema: valid draft 2020-12, and never stricter than the validator."""

from __future__ import annotations

import copy
import json
from typing import Any

import jsonschema
import pytest
from _support.forms import COMPANY, PERSON, construction_form
from hypothesis import given
from hypothesis import strategies as st

from planning_core.errors import ValidationError
from planning_core.forms import SCHEMA_DIALECT, reference_forms, validate_form

FORMS = {form.permit_type: form for form in reference_forms()}


@pytest.mark.parametrize("code", sorted(FORMS))
def test_every_form_exports_a_valid_draft_2020_12_schema(code: str) -> None:
    schema = FORMS[code].json_schema()
    assert schema["$schema"] == SCHEMA_DIALECT
    jsonschema.Draft202012Validator.check_schema(schema)
    json.dumps(schema, ensure_ascii=False)  # plain JSON, ready to serve
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {f.name for f in FORMS[code].fields if f.required}


def test_the_schema_carries_labels_units_and_choices() -> None:
    schema = FORMS["LAND_USE"].json_schema()
    assert schema["title"] == "建设用地规划许可申请表"
    assert schema["properties"]["land_area"]["title"] == "用地面积（m²）"
    assert schema["properties"]["land_area"]["exclusiveMinimum"] == 0
    assert schema["properties"]["land_source"]["enum"] == ["allocation", "grant"]


def _schema_accepts(code: str, data: Any) -> bool:
    validator = jsonschema.Draft202012Validator(
        FORMS[code].json_schema(), format_checker=jsonschema.FormatChecker()
    )
    return validator.is_valid(data)


def _validator_accepts(code: str, data: Any) -> bool:
    try:
        validate_form(code, data)
    except ValidationError:
        return False
    return True


def test_the_sample_form_passes_both() -> None:
    assert _schema_accepts("CONSTRUCTION", construction_form())
    assert _validator_accepts("CONSTRUCTION", construction_form())


def test_the_schema_checks_the_identifiers_shape_by_the_applicants_kind() -> None:
    # A credit code has letters where an identity number has digits.
    company_as_person = construction_form(applicant={**COMPANY, "kind": "person"})
    assert not _schema_accepts("CONSTRUCTION", company_as_person)
    assert _schema_accepts("CONSTRUCTION", construction_form(applicant=PERSON))


_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**5),
    st.floats(-1, 10**5, allow_nan=False),
    st.text(max_size=4),
    st.just("2026-02-30"),
    st.just("91350100M000100Y44"),
    st.just("R2"),
    st.just({"type": "Point", "coordinates": [118.2, 39.6]}),
)
_NAMES = st.sampled_from(
    [*[f.name for f in FORMS["CONSTRUCTION"].fields], "applicant.id_number", "applicant.kind"]
)


@given(st.dictionaries(_NAMES, _VALUES, max_size=4))
def test_whatever_the_validator_accepts_the_schema_accepts(changes: dict[str, Any]) -> None:
    data = copy.deepcopy(construction_form())
    for name, value in changes.items():
        target, key = (data.get("applicant"), name[10:]) if "." in name else (data, name)
        if not isinstance(target, dict):
            continue
        if value is None:
            target.pop(key, None)
        else:
            target[key] = value
    if _validator_accepts("CONSTRUCTION", data):
        assert _schema_accepts("CONSTRUCTION", data)
