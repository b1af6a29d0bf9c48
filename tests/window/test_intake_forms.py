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


def _rural_form(township: str) -> dict[str, object]:
    from _support.forms import PERSON
    from _support.geo import rect

    from planning_core.geo import geometry_to_geojson

    return {
        "applicant": dict(PERSON),
        "project_name": "村民住宅",
        "location": "丰润区某村",
        "site": geometry_to_geojson(rect(0, 0, 15, 12)),
        "land_area": 180,
        "township": township,
        "village": "某村",
        "purpose": "housing",
        "building_area": 160,
        "floors": 2,
        "height": 7.5,
    }


@pytest.mark.parametrize("township", ["130208101", " 乡镇01 "])
def test_the_township_on_a_rural_form_makes_the_case_a_township_matter(township: str) -> None:
    """The window keeps the form's 乡镇 on the case, so the decided permit is counted as
    that township's 乡村建设规划许可证 (by its code, or by its name when unique)."""
    from planning_core.cases import Decide, Outcome
    from planning_core.rural import MatterKind, RuralRepository, Township, rural_progress

    bureau = make_bureau(hooks=make_hooks(entry_points=False))
    RuralRepository(bureau.store).put(Township("丰润", "乡镇01", code="130208101"))
    materials = ("application", "township_opinion", "site_plan")
    application = Application(
        "RURAL_CONSTRUCTION", "张三", "村民住宅", materials, form=_rural_form(township)
    )
    receipt = bureau.window.intake(application, bureau.actor("WINDOW_CLERK"), AT)
    assert bureau.engine.load(receipt.case_id).township == township.strip()
    clock = ManualClock(AT.add(hours=1), bureau.calendar)
    walk_case(bureau, clock, receipt.case_id)
    decide = Decide(receipt.case_id, Outcome.APPROVED)
    bureau.engine.execute(decide, bureau.actor_for(decide), clock.now)
    report = rural_progress(
        bureau.store, clock.now.add(days=1), permit_types=bureau.engine.permit_types.values()
    )
    assert report.sites[0].matters[MatterKind.RURAL_CONSTRUCTION_PERMIT] == 1
