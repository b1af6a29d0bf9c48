"""More of the law's clocks, each test named after its article: the township's preliminary
review (行政许可法 art. 43, 城乡规划法 art. 41), a temporary permit's period of use and a
选址意见书's validity (城乡规划法 arts. 36, 44), and the time to organise a hearing
(行政许可法 art. 47).

Cases start on Monday 2026-03-02 09:00 (``pc_start``), on the national calendar. The
catalogue is the six national permit types, with a township review of 20 working days set
on the rural one here (the reference type leaves it off: its application brings the
township's opinion as a material).
"""

from __future__ import annotations

from collections.abc import Callable

import attrs
import pendulum
import pytest

from planning_core.cases import (
    CERTIFICATE_REGISTER,
    Accept,
    CaseDecided,
    CaseStatus,
    Decide,
    IssueCertificate,
    Outcome,
    PreliminaryReviewRecorded,
    RecordPreliminaryReview,
    RefuseAcceptance,
    Resume,
    Suspend,
)
from planning_core.errors import InvalidStateError, ValidationError
from planning_core.permits import PermitType, reference_permit_types
from planning_core.registry import Registry
from planning_core.testing import Bureau, CaseFactory, ManualClock, permit_registry
from planning_core.timing import TimeLimit

TOWNSHIP_REVIEW = TimeLimit.working_days(20)


@pytest.fixture
def pc_permit_types() -> Registry[PermitType]:
    """The national permit types, the rural one reviewed first by the township."""
    return permit_registry(
        attrs.evolve(p, preliminary_review=TOWNSHIP_REVIEW) if p.code == "RURAL_CONSTRUCTION" else p
        for p in reference_permit_types()
    )


# -- art. 43: the township's preliminary review before the bureau's clock ------------------------


def test_art43_the_acceptance_period_starts_from_the_townships_opinion(
    pc_bureau: Bureau, pc_cases: CaseFactory, pc_clock: ManualClock
) -> None:
    case = pc_cases.submit("RURAL_CONSTRUCTION")
    clocks = pc_bureau.engine.load(case).clocks
    assert clocks.preliminary is not None and clocks.preliminary.limit == TOWNSHIP_REVIEW
    assert clocks.notice is None  # the bureau's acceptance period has not started
    with pytest.raises(InvalidStateError, match=r"art\. 43"):
        pc_cases.execute(Accept(case))
    with pytest.raises(InvalidStateError, match=r"art\. 43"):
        pc_cases.execute(RefuseAcceptance(case, "不属于本机关职权范围"))
    pc_clock.advance(working_days=8)  # past five working days from receipt: not deemed
    pc_bureau.engine.sweep(pc_clock.now)
    assert pc_bureau.engine.load(case).status is CaseStatus.RECEIVED
    opinion_at = pc_clock.now
    [recorded] = pc_cases.execute(RecordPreliminaryReview(case, "同意报批", "丰登坞镇"))
    assert isinstance(recorded.event, PreliminaryReviewRecorded)
    state = pc_bureau.engine.load(case)
    assert state.clocks.preliminary is None and state.preliminary_opinion == "同意报批"
    assert state.clocks.notice is not None and state.clocks.notice.started == opinion_at
    with pytest.raises(InvalidStateError, match="not waiting for a preliminary review"):
        pc_cases.execute(RecordPreliminaryReview(case, "同意"))
    pc_clock.advance(working_days=6)
    pc_bureau.engine.sweep(pc_clock.now)
    state = pc_bureau.engine.load(case)
    assert state.deemed_accepted and state.accepted_at == opinion_at  # art. 32, from the opinion
    assert pc_bureau.engine.check_projection(case)


def test_art43_a_township_that_never_reviews_turns_the_preliminary_clock_red(
    pc_bureau: Bureau, pc_cases: CaseFactory, pc_clock: ManualClock
) -> None:
    case = pc_cases.submit("RURAL_CONSTRUCTION")
    pc_clock.advance(working_days=21)
    pc_bureau.engine.sweep(pc_clock.now)
    state = pc_bureau.engine.load(case)
    assert state.recorded_light("preliminary") == "red"
    assert state.status is CaseStatus.RECEIVED  # the law deems nothing here
    row = pc_bureau.store.get_case(case)
    assert row is not None and row.light == "red"


def test_art43_the_reference_rural_type_is_accepted_directly(
    pc_make_bureau: Callable[..., Bureau], pc_clock: ManualClock
) -> None:
    bureau = pc_make_bureau(permit_types=permit_registry(reference_permit_types()))
    (rural,) = [p for p in reference_permit_types() if p.code == "RURAL_CONSTRUCTION"]
    assert rural.preliminary_review is None  # opt-in: a city's plugin sets it
    cases = CaseFactory(bureau, pc_clock)
    case = cases.submit("RURAL_CONSTRUCTION")
    assert bureau.engine.load(case).clocks.preliminary is None
    with pytest.raises(InvalidStateError, match="not waiting for a preliminary review"):
        cases.execute(RecordPreliminaryReview(case, "同意"))
    cases.execute(Accept(case))
    assert bureau.engine.load(case).status is CaseStatus.IN_REVIEW


# -- 城乡规划法 arts. 36, 44: the period of use and the validity -----------------------------------


def _decided(bureau: Bureau, case: str) -> CaseDecided:
    (event,) = [r.event for r in bureau.engine.history(case) if isinstance(r.event, CaseDecided)]
    return event


def test_cgh_art44_a_temporary_permit_is_approved_for_at_most_two_years(
    pc_bureau: Bureau, pc_cases: CaseFactory, pc_clock: ManualClock
) -> None:
    case = pc_cases.reviewed("TEMPORARY_CONSTRUCTION")
    too_long = Decide(
        case,
        Outcome.APPROVED,
        use_from=pendulum.Date(2026, 4, 1),
        use_until=pendulum.Date(2028, 4, 2),
    )
    with pytest.raises(ValidationError, match="2 years"):
        pc_cases.execute(too_long)
    first, last = pendulum.Date(2026, 4, 1), pendulum.Date(2027, 9, 30)
    pc_cases.execute(Decide(case, Outcome.APPROVED, use_from=first, use_until=last))
    event = _decided(pc_bureau, case)
    assert (event.term, event.term_from, event.term_until) == ("use", first, last)
    state = pc_bureau.engine.load(case)
    assert (state.term, state.term_from, state.term_until) == ("use", first, last)
    [issued] = pc_cases.execute(IssueCertificate(case))
    number = issued.event.certificate_number  # type: ignore[union-attr]
    entry = pc_bureau.store.get_record(CERTIFICATE_REGISTER, number)
    assert isinstance(entry, dict)
    assert (entry["term"], entry["term_from"], entry["term_until"]) == (
        "use",
        "2026-04-01",
        "2027-09-30",
    )


def test_cgh_art44_without_dates_the_period_of_use_is_the_longest_from_the_decision(
    pc_bureau: Bureau, pc_cases: CaseFactory, pc_clock: ManualClock
) -> None:
    case = pc_cases.decided("TEMPORARY_CONSTRUCTION")
    event = _decided(pc_bureau, case)
    today = pc_clock.now.date()
    assert (event.term, event.term_from, event.term_until) == ("use", today, today.add(years=2))


def test_cgh_art36_a_site_selection_opinion_records_its_validity(
    pc_bureau: Bureau, pc_cases: CaseFactory, pc_clock: ManualClock
) -> None:
    case = pc_cases.issued("SITE_SELECTION")
    today = pc_clock.now.date()
    state = pc_bureau.engine.load(case)
    assert (state.term, state.term_from, state.term_until) == (
        "validity",
        today,
        today.add(years=3),
    )
    number = state.certificate_number
    assert number is not None
    entry = pc_bureau.store.get_record(CERTIFICATE_REGISTER, number)
    assert isinstance(entry, dict)
    assert entry["term"] == "validity" and entry["term_until"] == today.add(years=3).isoformat()


def test_cgh_art44_a_permit_without_a_term_records_none(
    pc_bureau: Bureau, pc_cases: CaseFactory
) -> None:
    case = pc_cases.decided("CONSTRUCTION")
    event = _decided(pc_bureau, case)
    assert (event.term, event.term_from, event.term_until) == ("", None, None)
    denied = pc_cases.decided("TEMPORARY_CONSTRUCTION", Outcome.DENIED)
    assert _decided(pc_bureau, denied).term == ""


# -- art. 47: a hearing is organised within 20 days of the request -------------------------------


def test_art47_a_hearing_never_held_turns_red_instead_of_stopping_the_case_forever(
    pc_bureau: Bureau, pc_cases: CaseFactory, pc_clock: ManualClock
) -> None:
    case = pc_cases.accepted("CONSTRUCTION")
    pc_clock.advance(working_days=1)
    pc_cases.execute(Suspend(case, "hearing", expected_working_days=10), "CONSTRUCTION_HEAD")
    hearing = pc_bureau.engine.load(case).clocks.hearing
    assert hearing is not None and hearing.limit == TimeLimit.working_days(20)
    assert hearing.open_pause is None  # it runs while the decision clocks stand still
    pc_clock.advance(working_days=25)
    pc_bureau.engine.sweep(pc_clock.now)
    state = pc_bureau.engine.load(case)
    assert state.recorded_light("hearing") == "red"
    assert state.recorded_light("committed") != "red"  # art. 45: the hearing is not counted
    row = pc_bureau.store.get_case(case)
    assert row is not None and row.light == "red"
    pc_cases.execute(Resume(case), "CONSTRUCTION_HEAD")
    assert pc_bureau.engine.load(case).clocks.hearing is None  # held: its clock is done


def test_art47_only_a_hearing_is_timed_while_it_stops_the_clocks(
    pc_bureau: Bureau, pc_cases: CaseFactory, pc_clock: ManualClock
) -> None:
    case = pc_cases.accepted("CONSTRUCTION")
    pc_cases.execute(Suspend(case, "expert_review", expected_working_days=10), "CONSTRUCTION_HEAD")
    assert pc_bureau.engine.load(case).clocks.hearing is None
