"""A case's application form in forms.case, written with the submission in one transaction."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest
from _support.forms import construction_form
from _support.geo import rect

from planning_core import open_store
from planning_core.bureau import open_bureau
from planning_core.cases import Submit
from planning_core.errors import NotFoundError, ValidationError
from planning_core.forms import (
    FORMS_COLLECTION,
    case_form_records,
    case_site,
    load_case_form,
    save_case_form,
    validate_form,
)
from planning_core.plugins import Hooks
from planning_core.workflow import reference_organisation

T = pendulum.datetime(2026, 11, 26, 9, tz="Asia/Shanghai")


def test_the_form_is_stored_with_the_submission(hooks: Hooks, tmp_path: Path) -> None:
    org = reference_organisation()
    store = open_store(f"sqlite:///{tmp_path / 'bureau.db'}", hooks)
    engine = open_bureau(hooks=hooks, store=store, organisation=org).engine
    form = validate_form("CONSTRUCTION", construction_form())
    submit = Submit(
        "c1", "CONSTRUCTION", "唐山市某置业有限公司", "凤凰新城住宅小区一期", ("application",)
    )
    engine.execute(submit, org.actor("zhang.min"), T, records=case_form_records("c1", form))
    again = load_case_form(store, "c1")
    assert again.applicant == form.applicant
    assert again.get("total_floor_area") == form.get("total_floor_area")
    site, data = case_site(store, "c1")
    assert site.equals(rect(10, 10, 60, 50))
    assert data["project_name"] == "凤凰新城住宅小区一期"
    store.close()


def test_a_refused_submission_stores_no_form(hooks: Hooks) -> None:
    org = reference_organisation()
    store = open_store("memory://", hooks)
    engine = open_bureau(hooks=hooks, store=store, organisation=org).engine
    form = validate_form("CONSTRUCTION", construction_form())
    submit = Submit("c1", "NO_SUCH_TYPE", "某公司", "某项目")
    with pytest.raises(NotFoundError, match="NO_SUCH_TYPE"):
        engine.execute(submit, org.actor("zhang.min"), T, records=case_form_records("c1", form))
    assert store.get_record(FORMS_COLLECTION, "c1") is None


def test_a_case_without_a_form_says_so(hooks: Hooks) -> None:
    store = open_store("memory://", hooks)
    with pytest.raises(NotFoundError, match="no application form"):
        load_case_form(store, "c9")
    with pytest.raises(NotFoundError, match="no application form"):
        case_site(store, "c9")


def test_a_stored_form_without_a_site_gives_no_map(hooks: Hooks) -> None:
    store = open_store("memory://", hooks)
    store.put_records(FORMS_COLLECTION, {"c2": {"permit_type": "X", "version": 1, "data": {}}})
    with pytest.raises(ValidationError, match="has no site"):
        case_site(store, "c2")


def test_save_replaces_an_earlier_form(hooks: Hooks) -> None:
    store = open_store("memory://", hooks)
    save_case_form(store, "c3", validate_form("CONSTRUCTION", construction_form()))
    save_case_form(store, "c3", validate_form("CONSTRUCTION", construction_form(height=30)))
    assert str(load_case_form(store, "c3").get("height")) == "30"
