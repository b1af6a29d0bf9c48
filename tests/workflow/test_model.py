from __future__ import annotations

import pytest

from planning_core.errors import ValidationError
from planning_core.timing import TimeLimit
from planning_core.workflow import (
    Action,
    Edge,
    Join,
    JoinMode,
    Meeting,
    MeetingBody,
    ReviewPoint,
    Step,
    StepKind,
)


@pytest.mark.parametrize("bad", ["", " review", "review ", "two\nlines", "tab\there"])
def test_step_ids_and_names_are_one_clean_line(bad: str) -> None:
    with pytest.raises(ValidationError):
        Step(bad, "审核", StepKind.TASK)
    with pytest.raises(ValidationError):
        Step("review", bad, StepKind.TASK)


def test_default_actions_follow_the_kind() -> None:
    assert Step("e", "办结", StepKind.END).actions == ()
    for kind in (StepKind.START, StepKind.TASK, StepKind.SPLIT, StepKind.JOIN):
        assert Step("x", "步骤", kind).actions == (Action.FORWARD,)


def test_actions_are_a_tuple_without_repeats() -> None:
    step = Step("r", "审核", StepKind.TASK, actions=[Action.APPROVE, Action.RETURN])
    assert step.actions == (Action.APPROVE, Action.RETURN)
    assert step.allows(Action.RETURN) and not step.allows(Action.REJECT)
    with pytest.raises(ValidationError, match="name an action twice"):
        Step("r", "审核", StepKind.TASK, actions=[Action.APPROVE, Action.APPROVE])


def test_days_is_the_limit_or_zero() -> None:
    limited = Step("r", "审核", StepKind.TASK, post="P", time_limit=TimeLimit.working_days(4))
    assert limited.days == 4
    assert Step("s", "会签", StepKind.SPLIT).days == 0


def test_join_mode_and_n_go_together() -> None:
    assert Join("split").mode is JoinMode.ALL
    assert Join("split", JoinMode.N_OF_M, 2).n == 2
    with pytest.raises(ValidationError, match="mode ALL takes no n"):
        Join("split", JoinMode.ALL, 2)
    with pytest.raises(ValidationError, match="needs n"):
        Join("split", JoinMode.N_OF_M)
    with pytest.raises(ValidationError, match=">= 1"):
        Join("split", JoinMode.N_OF_M, 0)


def test_meeting_needs_a_quorum_of_at_least_one() -> None:
    assert Meeting(MeetingBody.BUREAU_MEETING, 5).body.zh == "局务会"
    with pytest.raises(ValidationError, match="quorum"):
        Meeting(MeetingBody.DIVISION_MEETING, 0)


def test_review_points_and_edges_are_values() -> None:
    assert ReviewPoint("a", "要点") == ReviewPoint("a", "要点")
    edge = Edge("a", "b", Action.APPROVE)
    assert edge.key == ("a", "b")
    assert str(edge) == "'a' -> 'b'"
    with pytest.raises(ValidationError):
        Edge("a", "b", condition="")
