"""``Engine.execute_all``: several commands on one case as one transaction (used by the window)."""

from __future__ import annotations

import pytest
from _support.engine import WINDOW, at

from planning_core import PermissionDeniedError, ValidationError
from planning_core.cases import Accept, CaseStatus, Engine, RequestSupplement, Submit
from planning_core.workflow import Actor


def _submit(case_id: str = "c1") -> Submit:
    return Submit(case_id, "TEST", "唐山市某置业有限公司", "某小区住宅楼", ("application",))


def test_commands_see_the_state_the_previous_ones_left(engine: Engine) -> None:
    events = engine.execute_all(
        [_submit(), Accept("c1")], WINDOW, at("2026-03-02 09:00"), records={"x.y": {"k": {}}}
    )
    assert [type(e.event).__name__ for e in events][:2] == ["CaseSubmitted", "CaseAccepted"]
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert engine.load("c1").status is CaseStatus.IN_REVIEW
    assert engine.store.get_record("x.y", "k") == {}
    assert engine.verify_history("c1").ok and engine.check_projection("c1")


def test_a_failing_later_command_leaves_nothing(engine: Engine) -> None:
    with pytest.raises(ValidationError):  # a supplement notice must list something
        engine.execute_all(
            [_submit(), RequestSupplement("c1", ())],
            WINDOW,
            at("2026-03-02 09:00"),
            records={"x.y": {"k": {}}},
        )
    assert engine.store.get_case("c1") is None
    assert engine.store.get_record("x.y", "k") is None
    engine.execute(_submit(), WINDOW, at("2026-03-02 09:00"))
    assert engine.load("c1").case_number == "2026-000001"  # the number was not consumed


def test_every_command_is_checked_for_the_actor(engine: Engine) -> None:
    clerk_without_window = Actor("x", "某人", ("CERTIFICATE_CLERK",))
    with pytest.raises(PermissionDeniedError):
        engine.execute_all([_submit(), Accept("c1")], clerk_without_window, at("2026-03-02 09:00"))
    assert engine.store.get_case("c1") is None


@pytest.mark.parametrize("cases", [[], ["c1", "c2"]])
def test_exactly_one_case_per_call(engine: Engine, cases: list[str]) -> None:
    with pytest.raises(ValidationError, match="exactly one case"):
        engine.execute_all([_submit(c) for c in cases], WINDOW, at("2026-03-02 09:00"))
