"""Intake validates the application form (表格) and stores it with the case, or nothing."""

from __future__ import annotations

import pendulum
import pytest
from _support.forms import COMPANY, construction_form

from planning_core import ValidationError, make_hooks
from planning_core.bureau import open_bureau
from planning_core.forms import load_case_form
from planning_core.testing import ManualClock, make_bureau, walk_case
from planning_core.window import Application, ScryptParameters, Window, WindowSettings
from planning_core.workflow import reference_organisation

AT = pendulum.datetime(2026, 11, 26, 9, tz="Asia/Shanghai")


def _window() -> Window:
    hooks = make_hooks(entry_points=False)
    engine = open_bureau(hooks=hooks, store="memory://").engine
    return Window(engine, WindowSettings(scrypt=ScryptParameters(n=2**8, r=4)))


def _application(form: dict[str, object]) -> Application:
    engine_materials = ("application", "land_documents", "land_permit", "design_scheme")
    materials = (*engine_materials, "construction_drawings")
    return Application("CONSTRUCTION", "唐山市某置业有限公司", "某小区", materials, form=form)


def test_a_valid_form_is_stored_with_the_case() -> None:
    window = _window()
    receipt = window.intake(
        _application(construction_form()), reference_organisation().actor("zhang.min"), AT
    )
    stored = load_case_form(window.engine.store, receipt.case_id)
    assert stored is not None
    assert stored.permit_type == "CONSTRUCTION"
    assert stored.to_record()["data"] == construction_form()


def test_a_form_with_three_bad_fields_refuses_the_intake_and_stores_nothing() -> None:
    window = _window()
    bad = construction_form(
        applicant={**COMPANY, "id_number": "91350100M000100Y44"}, land_area=-3000, height="45 m"
    )
    with pytest.raises(ValidationError) as info:
        window.intake(_application(bad), reference_organisation().actor("zhang.min"), AT)
    assert len(info.value.problems) == 3
    assert window.engine.store.cases() == []
    assert window.engine.store.list_records("forms.case") == []


@pytest.mark.parametrize(("major", "decided_by"), [(True, "bureau_meeting"), (False, "leader")])
def test_a_major_project_on_the_form_routes_to_the_bureau_meeting(
    major: bool, decided_by: str
) -> None:
    """The form's 是否重大建设项目 reaches the workflow condition ``major_project``: after the
    division meeting a major project goes to the bureau meeting (局务会), any other to the
    deputy head."""
    bureau = make_bureau(hooks=make_hooks(entry_points=False))
    receipt = bureau.window.intake(
        _application(construction_form(major_project=major)), bureau.actor("WINDOW_CLERK"), AT
    )
    assert bureau.engine.load(receipt.case_id).facts == (("major_project", major),)
    walk = walk_case(bureau, ManualClock(AT.add(hours=1), bureau.calendar), receipt.case_id)
    visited = [visit.step_id for visit in walk.visits]
    assert decided_by in visited
    assert not ({"bureau_meeting", "leader"} - {decided_by}) & set(visited)
