"""Each definition rule, broken on purpose in an otherwise valid workflow."""

from __future__ import annotations

import attrs
import pytest

from planning_core.timing import TimeLimit
from planning_core.workflow import (
    Action,
    DefinitionProblem,
    Edge,
    EdgeKind,
    Join,
    JoinMode,
    Meeting,
    MeetingBody,
    Step,
    StepKind,
    WorkflowBuilder,
    WorkflowDefinition,
    WorkflowDefinitionError,
    definition_problems,
    reference_organisation,
    validate,
)
from planning_core.workflow._regions import Region, _nesting_problems

A, R, X, F = Action.APPROVE, Action.RETURN, Action.REJECT, Action.FORWARD


def _base() -> WorkflowDefinition:
    return (
        WorkflowBuilder("T", name="测试流程")
        .start("start", "收件")
        .task("review", "审核", post="P", days=3)
        .split("cs", "会签")
        .task("b1", "会签一", post="P", days=2)
        .task("b2", "会签二", post="P", days=1)
        .join("cj", "会签汇总", split="cs")
        .meeting(
            "dm",
            "处务会",
            body=MeetingBody.DIVISION_MEETING,
            quorum=3,
            post="H",
            days=2,
            actions=(A, X, R),
        )
        .task("prep", "制证", post="C", days=1)
        .task("deny", "不予许可", post="C", days=1)
        .end("done", "办结")
        .end("denied", "办结（不予许可）")
        .edge("start", "review")
        .edge("review", "cs", A)
        .fan_out("cs", "b1", "b2")
        .edge("b1", "cj", A)
        .edge("b2", "cj", A)
        .edge("cj", "dm")
        .edge("dm", "prep", A)
        .edge("dm", "deny", X)
        .back("dm", "review")
        .edge("prep", "done", A)
        .edge("deny", "denied", A)
        .build()
    )


BASE = _base()


def _steps(**changes: dict[str, object]) -> list[Step]:
    """The base steps, with attribute changes per step id."""
    return [attrs.evolve(s, **changes.get(s.id, {})) for s in BASE.steps]


def _fails(steps: list[Step], edges: list[Edge]) -> WorkflowDefinitionError:
    with pytest.raises(WorkflowDefinitionError) as info:
        WorkflowDefinition("T", 1, steps, edges)
    assert info.value.details == tuple(definition_problems(steps, edges))
    return info.value


def _find(error: WorkflowDefinitionError, fragment: str) -> DefinitionProblem:
    found = [d for d in error.details if fragment in str(d)]
    assert found, f"no problem mentions {fragment!r}; got:\n{error}"
    return found[0]


def _without(*pairs: tuple[str, str]) -> list[Edge]:
    return [e for e in BASE.edges if e.key not in pairs]


def test_the_base_workflow_is_valid() -> None:
    assert definition_problems(BASE.steps, BASE.edges) == []
    validate(BASE, conditions=["major_project"])


def test_no_start() -> None:
    steps = [s for s in BASE.steps if s.id != "start"]
    error = _fails(steps, _without(("start", "review")))
    assert _find(error, "has no START").subject == "workflow"


def test_two_starts_are_each_named() -> None:
    steps = [*BASE.steps, Step("start2", "另一收件", StepKind.START)]
    error = _fails(steps, [*BASE.edges, Edge("start2", "review")])
    named = {d.nodes[0] for d in error.details if "one of 2 START steps" in d.message}
    assert named == {"start", "start2"}


def test_no_end() -> None:
    steps = [s for s in BASE.steps if s.kind is not StepKind.END]
    error = _fails(steps, _without(("prep", "done"), ("deny", "denied")))
    _find(error, "has no END")


def test_unreachable_step_is_named() -> None:
    steps = [*BASE.steps, Step("orphan", "孤立", StepKind.TASK, post="P", actions=[A])]
    steps[-1] = attrs.evolve(steps[-1], time_limit=TimeLimit.working_days(1))
    error = _fails(steps, [*BASE.edges, Edge("orphan", "done", A)])
    assert _find(error, "cannot be reached").nodes[0] == "orphan"


def test_dead_end_is_named() -> None:
    stuck = Step("stuck", "卡住", StepKind.TASK, post="P", time_limit=TimeLimit.working_days(1))
    edges = [*BASE.edges, Edge("review", "stuck", A, condition="major_project")]
    error = _fails([*BASE.steps, stuck], edges)
    assert _find(error, "dead end").nodes == ("stuck",)


def test_forward_cycle_names_its_steps() -> None:
    edges = [*BASE.edges, Edge("prep", "review", A, condition="major_project")]
    problem = _find(_fails(list(BASE.steps), edges), "forward cycle")
    assert {"prep", "review", "dm"} <= set(problem.nodes)
    assert "RETURN edge" in problem.message and "'prep'" in problem.message


def test_self_loop_is_a_forward_cycle() -> None:
    edges = [*BASE.edges, Edge("prep", "prep", A, condition="major_project")]
    assert _find(_fails(list(BASE.steps), edges), "forward cycle").nodes == ("prep",)


def test_task_without_post_or_limit() -> None:
    error = _fails(_steps(review={"post": None, "time_limit": None}), list(BASE.edges))
    assert _find(error, "without a post").nodes == ("review",)
    assert _find(error, "without a time limit").nodes == ("review",)


def test_limits_must_be_working_days() -> None:
    steps = _steps(review={"time_limit": TimeLimit.natural_days(3)})
    assert _find(_fails(steps, list(BASE.edges)), "natural days").nodes == ("review",)


def test_gateways_take_no_post_or_limit() -> None:
    steps = _steps(cs={"post": "P", "time_limit": TimeLimit.working_days(1)})
    assert _find(_fails(steps, list(BASE.edges)), "passes on at once").nodes == ("cs",)


def test_meeting_shape() -> None:
    steps = _steps(dm={"meeting": None}, prep={"meeting": Meeting(MeetingBody.BUREAU_MEETING, 5)})
    error = _fails(steps, list(BASE.edges))
    assert _find(error, "without its body").nodes == ("dm",)
    assert _find(error, "only a MEETING").nodes == ("prep",)


def test_gateway_and_end_actions() -> None:
    steps = _steps(cs={"actions": (A,)}, done={"actions": (A,)})
    error = _fails(steps, list(BASE.edges))
    assert _find(error, "its only action is FORWARD").nodes[0] == "cs"
    assert _find(error, "takes no action").nodes == ("done",)


def test_action_not_allowed_at_its_step() -> None:
    edges = [attrs.evolve(e, action=X) if e.key == ("review", "cs") else e for e in BASE.edges]
    error = _fails(list(BASE.steps), edges)
    assert _find(error, "REJECT is not allowed").nodes == ("review", "cs")
    assert _find(error, "allows APPROVE but no edge").nodes == ("review",)


def test_two_unconditional_edges_for_one_action() -> None:
    error = _fails(list(BASE.steps), [*BASE.edges, Edge("dm", "done", A)])
    assert set(_find(error, "2 unconditional APPROVE").nodes) == {"dm", "prep", "done"}


def test_conditional_edges_need_a_default() -> None:
    edges = [
        attrs.evolve(e, condition="major_project") if e.key == ("dm", "prep") else e
        for e in BASE.edges
    ]
    assert _find(_fails(list(BASE.steps), edges), "only conditional").nodes == ("dm",)


def test_every_allowed_action_needs_an_edge() -> None:
    error = _fails(list(BASE.steps), _without(("dm", "deny")))
    assert _find(error, "allows REJECT but no edge").nodes == ("dm",)
    assert _find(error, "cannot be reached").nodes[0] == "deny"


def test_edges_to_unknown_steps_and_duplicates() -> None:
    edges = [*BASE.edges, Edge("prep", "nowhere", A), Edge("review", "cs", A)]
    error = _fails(list(BASE.steps), edges)
    assert _find(error, "'nowhere' is not a step").nodes == ("prep", "nowhere")
    assert _find(error, "defined 2 times").nodes == ("review", "cs")


def test_duplicate_step_ids() -> None:
    steps = [*BASE.steps, BASE.step("prep")]
    assert _find(_fails(steps, list(BASE.edges)), "defined 2 times").nodes == ("prep",)


def test_return_action_and_return_kind_go_together() -> None:
    edges = [
        attrs.evolve(e, kind=EdgeKind.FORWARD) if e.key == ("dm", "review") else e
        for e in BASE.edges
    ]
    assert _find(_fails(list(BASE.steps), edges), "go together").nodes == ("dm", "review")


def test_nothing_enters_start_or_leaves_end() -> None:
    edges = [*_without(("dm", "review")), Edge("dm", "start", R, EdgeKind.RETURN)]
    edges.append(Edge("done", "prep"))
    error = _fails(list(BASE.steps), edges)
    assert _find(error, "enters START").nodes == ("dm", "start")
    assert _find(error, "leaves END").nodes == ("done", "prep")


def test_split_edges_are_unconditional() -> None:
    edges = [
        attrs.evolve(e, condition="major_project") if e.key == ("cs", "b1") else e
        for e in BASE.edges
    ]
    assert _find(_fails(list(BASE.steps), edges), "leaves a SPLIT").nodes == ("cs", "b1")


def test_split_needs_two_branches() -> None:
    edges = [*_without(("cs", "b2"), ("b2", "cj"))]
    steps = [s for s in BASE.steps if s.id != "b2"]
    error = _fails(steps, edges)
    assert _find(error, "fewer than two branches").nodes == ("cs",)


def test_join_must_name_a_split() -> None:
    error = _fails(_steps(cj={"join": Join("review")}), list(BASE.edges))
    assert _find(error, "as its split, but it is a TASK").nodes == ("cj", "review")
    assert _find(error, "no JOIN closes").nodes == ("cs",)
    error = _fails(_steps(cj={"join": None}), list(BASE.edges))
    assert _find(error, "names no SPLIT").nodes == ("cj",)
    error = _fails(_steps(cj={"join": Join("ghost")}), list(BASE.edges))
    assert _find(error, "not a step").nodes == ("cj",)
    error = _fails(_steps(prep={"join": Join("cs")}), list(BASE.edges))
    assert _find(error, "only a JOIN names a split").nodes == ("prep",)


def test_join_reached_without_its_split() -> None:
    edges = [*BASE.edges, Edge("review", "b2", A, condition="major_project")]
    problem = _find(_fails(list(BASE.steps), edges), "without passing its SPLIT")
    assert problem.nodes == ("cj", "cs")


def test_branch_escaping_its_join() -> None:
    steps = _steps(b1={"actions": (A, X)})
    problem = _find(_fails(steps, [*BASE.edges, Edge("b1", "deny", X)]), "without passing this")
    assert problem.nodes == ("cj", "cs")


def test_join_waits_for_as_many_edges_as_the_split_opens() -> None:
    extra = Step("b1x", "会签一补充", StepKind.TASK, post="P", time_limit=TimeLimit.working_days(1))
    edges = [
        *BASE.edges,
        Edge("b1", "b1x", A, condition="major_project"),
        Edge("b1x", "cj", A),
    ]
    problem = _find(_fails([*BASE.steps, extra], edges), "waits for 3 incoming")
    assert problem.nodes == ("cj", "cs")


def test_n_of_m_needs_n_at_most_m() -> None:
    steps = _steps(cj={"join": Join("cs", JoinMode.N_OF_M, 3)})
    assert _find(_fails(steps, list(BASE.edges)), "3 of only 2").nodes == ("cj", "cs")


def test_return_goes_to_an_earlier_step() -> None:
    steps = _steps(prep={"actions": (A, R)})
    edges = [*BASE.edges, Edge("prep", "deny", R, EdgeKind.RETURN)]
    assert _find(_fails(steps, edges), "does not lead to").nodes == ("prep", "deny")


def test_return_to_itself() -> None:
    steps = _steps(prep={"actions": (A, R)})
    edges = [*BASE.edges, Edge("prep", "prep", R, EdgeKind.RETURN)]
    assert _find(_fails(steps, edges), "to itself").nodes == ("prep", "prep")


def test_return_does_not_cross_a_countersign() -> None:
    steps = _steps(b1={"actions": (A, R)})
    edges = [*BASE.edges, Edge("b1", "review", R, EdgeKind.RETURN)]
    problem = _find(_fails(steps, edges), "crosses the boundary")
    assert problem.nodes == ("b1", "review")


def test_return_into_a_join() -> None:
    edges = [*_without(("dm", "review")), Edge("dm", "cj", R, EdgeKind.RETURN)]
    assert _find(_fails(list(BASE.steps), edges), "returns into JOIN").nodes == ("dm", "cj")


def test_crossing_countersigns_are_named() -> None:
    outer = Region("s1", "j1", frozenset({"a", "s2"}))
    inner = Region("s2", "j2", frozenset({"b"}))
    problems = _nesting_problems([outer, inner])
    assert len(problems) == 1 and set(problems[0].nodes) == {"j2", "s2", "s1", "j1"}
    nested = Region("s2", "j2", frozenset({"b"}))
    assert _nesting_problems([attrs.evolve(outer, inside=outer.inside | {"j2", "b"}), nested]) == []


def test_every_problem_is_reported_at_once() -> None:
    steps = _steps(
        review={"post": None}, prep={"time_limit": TimeLimit.natural_days(2)}, cj={"join": None}
    )
    error = _fails(steps, [*BASE.edges, Edge("prep", "nowhere", A)])
    assert {"review", "prep", "cj", "nowhere"} <= error.nodes
    assert len(error.problems) >= 4
    assert str(error).count("\n") == len(error.problems)


def test_validate_checks_condition_names() -> None:
    definition = WorkflowDefinition(
        "T",
        1,
        BASE.steps,
        [*BASE.edges, Edge("review", "prep", A, condition="unheard_of")],
    )
    with pytest.raises(WorkflowDefinitionError) as info:
        validate(definition, conditions=["major_project"])
    problem = _find(info.value, "'unheard_of' is not registered")
    assert problem.nodes == ("review", "prep")


def test_validate_checks_posts_against_the_organisation() -> None:
    org = reference_organisation()
    steps = [attrs.evolve(s, post="WINDOW_CLERK") if s.post is not None else s for s in BASE.steps]
    definition = WorkflowDefinition("T", 1, steps, BASE.edges)
    with pytest.raises(WorkflowDefinitionError) as info:
        validate(definition, organisation=org)
    too_long = {d.nodes[0] for d in info.value.details if "exceeds post" in d.message}
    assert too_long == {s.id for s in steps if s.days > 1}
    unknown = WorkflowDefinition("T", 1, _steps(prep={"post": "GHOST"}), BASE.edges)
    with pytest.raises(WorkflowDefinitionError, match="'GHOST' is not in the organisation"):
        validate(unknown, organisation=org)
