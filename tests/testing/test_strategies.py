"""The hypothesis strategies keep their promises, and a scenario replays alike everywhere."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planning_core import ValidationError, make_hooks
from planning_core.cases import CaseStatus, Submit
from planning_core.permits import PermitType, check_statutory, reference_permit_types
from planning_core.testing import Scenario, sample_permit_type
from planning_core.testing.strategies import (
    applications,
    command_sequences,
    permit_types,
    time_limits,
    workflows,
    working_dates,
    working_instants,
)
from planning_core.timing import LimitUnit, TimeLimit, calendar_for
from planning_core.workflow import WorkflowDefinition, validate, workflow_conditions

CN = calendar_for("CN")
WEEKDAYS = calendar_for("weekdays")
SLOW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@given(day=working_dates(CN, min_value=dt.date(2026, 9, 25), max_value=dt.date(2026, 10, 12)))
def test_working_dates_are_working_days_within_the_bounds(day: pendulum.Date) -> None:
    assert CN.is_working_day(day)
    assert dt.date(2026, 9, 25) <= day <= dt.date(2026, 10, 12)
    assert day.isoformat() not in {"2026-10-01", "2026-10-05", "2026-10-07"}


def test_working_dates_reach_every_working_day_between_the_bounds() -> None:
    days = working_dates(WEEKDAYS, min_value=dt.date(2026, 3, 2), max_value=dt.date(2026, 3, 13))
    found: set[dt.date] = set()

    @settings(max_examples=200, database=None)
    @given(days)
    def collect(day: pendulum.Date) -> None:
        found.add(day)

    collect()
    assert found == {dt.date(2026, 3, d) for d in (2, 3, 4, 5, 6, 9, 10, 11, 12, 13)}


def test_bounds_without_a_working_day_are_refused() -> None:
    with pytest.raises(ValidationError, match="widen the bounds"):
        working_dates(CN, min_value=dt.date(2026, 10, 1), max_value=dt.date(2026, 10, 7))


@given(instant=working_instants(CN))
def test_working_instants_are_in_office_hours(instant: pendulum.DateTime) -> None:
    assert instant.tzinfo is not None and CN.is_working_day(instant.date())
    assert dt.time(8, 30) <= instant.time() < dt.time(17, 30)


@given(limit=time_limits(units=["working_days"], min_days=1, max_days=30))
def test_time_limits_respect_their_bounds_and_round_trip(limit: TimeLimit) -> None:
    assert limit.unit is LimitUnit.WORKING_DAYS and 1 <= limit.days <= 30
    assert TimeLimit.parse(str(limit)) == limit


@SLOW
@given(definition=workflows())
def test_workflows_validate_against_the_built_in_conditions(
    definition: WorkflowDefinition,
) -> None:
    validate(definition, conditions=workflow_conditions(make_hooks(entry_points=False)))


@SLOW
@given(permit=permit_types())
def test_permit_types_promise_no_more_than_the_law(permit: PermitType) -> None:
    assert 1 <= permit.committed_limit.days <= permit.statutory_limit.days
    assert permit.statutory_limit.days >= 20
    check = check_statutory(permit.workflow, permit)
    assert check.fits_committed == (check.worst_case.days <= permit.committed_limit.days)


@given(data=st.data())
def test_applications_are_complete_or_miss_a_required_material(data: st.DataObject) -> None:
    catalogue = reference_permit_types()
    complete = data.draw(st.booleans())
    submit = data.draw(applications(catalogue, complete=complete))
    assert isinstance(submit, Submit) and submit.applicant.strip() and submit.project.strip()
    permit = next(p for p in catalogue if p.code == submit.permit_type)
    required = {m.code for m in permit.required_materials}
    assert set(submit.materials) <= {m.code for m in permit.materials}
    assert (required <= set(submit.materials)) is complete


def test_an_application_cannot_miss_what_nothing_requires() -> None:
    permit = sample_permit_type()
    optional = PermitType(
        **{
            **{f: getattr(permit, f) for f in ("code", "name_zh", "name_en", "legal_basis")},
            "statutory_limit": permit.statutory_limit,
            "committed_limit": permit.committed_limit,
            "extension": permit.extension,
            "materials": [],
            "certificate": permit.certificate,
            "workflow": permit.workflow,
        }
    )

    @given(applications(optional, complete=False))
    def draw(submit: Submit) -> None:
        raise AssertionError("unreachable")

    with pytest.raises(ValidationError, match="no required material"):
        draw()


@SLOW
@given(scenario=command_sequences())
def test_a_scenario_replays_without_a_refusal(scenario: Scenario) -> None:
    bureau = scenario.bureau()
    recorded = scenario.run(bureau)
    assert len(recorded) >= len(scenario.commands)
    assert bureau.engine.verify_history(scenario.case_id).ok
    assert bureau.engine.check_projection(scenario.case_id)
    ats = [c.at for c in scenario.commands]
    assert ats == sorted(ats)


@SLOW
@given(scenario=command_sequences(sample_permit_type()))
def test_memory_and_sqlite_record_the_same_case(
    scenario: Scenario, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder: Path = tmp_path_factory.mktemp("scenario")
    memory, sqlite = scenario.bureau(), scenario.bureau(f"sqlite:///{folder}/s.db")
    try:
        scenario.run(memory)
        scenario.run(sqlite)
        case_id = scenario.case_id
        assert memory.store.get_case(case_id) == sqlite.store.get_case(case_id)
        assert memory.engine.history(case_id) == sqlite.engine.history(case_id)
    finally:
        memory.close()
        sqlite.close()


def test_scenarios_reach_the_end_of_a_case() -> None:
    closed: set[CaseStatus] = set()

    @settings(max_examples=60, deadline=None, database=None)
    @given(command_sequences(sample_permit_type(), min_commands=30, max_commands=30))
    def collect(scenario: Scenario) -> None:
        bureau = scenario.bureau()
        scenario.run(bureau)
        closed.add(bureau.engine.load(scenario.case_id).status)

    collect()
    assert CaseStatus.DELIVERED in closed
