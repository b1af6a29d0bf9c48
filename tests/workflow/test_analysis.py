from __future__ import annotations

from planning_core.workflow import (
    Action,
    MeetingBody,
    WorkflowBuilder,
    critical_path,
    forward_paths,
    worst_case,
)

A = Action.APPROVE


def _diamond(left: int, right: int, meeting: int) -> WorkflowBuilder:
    """START → a(1) → split → {l(left), r(right)} → join → m(meeting) → END, plus a return."""
    return (
        WorkflowBuilder("T")
        .start("s", "收件")
        .task("a", "受理", post="P", days=1)
        .split("x", "会签")
        .task("l", "左", post="P", days=left)
        .task("r", "右", post="P", days=right)
        .join("j", "汇总", split="x")
        .meeting(
            "m",
            "处务会",
            body=MeetingBody.DIVISION_MEETING,
            quorum=3,
            post="H",
            days=meeting,
            actions=(A, Action.RETURN),
        )
        .end("e", "办结")
        .edge("s", "a")
        .edge("a", "x", A)
        .fan_out("x", "l", "r")
        .edge("l", "j", A)
        .edge("r", "j", A)
        .edge("j", "m")
        .edge("m", "e", A)
        .back("m", "a")
    )


def test_worst_case_waits_for_the_slowest_branch() -> None:
    for left, right in ((2, 5), (5, 2), (3, 3)):
        definition = _diamond(left, right, 2).build()
        result = worst_case(definition)
        assert result.days == 1 + max(left, right) + 2
        slow = "l" if left >= right else "r"
        assert result.steps == ("s", "a", "x", slow, "j", "m", "e")
        assert critical_path(definition) == result.steps


def test_return_edges_do_not_count() -> None:
    definition = _diamond(2, 3, 4).build()
    assert worst_case(definition).days == sum(
        definition.step(s).days for s in worst_case(definition).steps
    )


def test_forward_paths_are_every_route_longest_first() -> None:
    definition = _diamond(2, 5, 1).build()
    paths = forward_paths(definition)
    assert [p.steps for p in paths] == [
        ("s", "a", "x", "r", "j", "m", "e"),
        ("s", "a", "x", "l", "j", "m", "e"),
    ]
    assert [p.days for p in paths] == [7, 4]
    assert str(paths[0]).endswith("(7个工作日)")
    assert len(forward_paths(definition, limit=1)) == 1
