"""What-if replay: rule changes tried on recorded cases, with the store left as it was."""

from __future__ import annotations

import datetime as dt
import hashlib
from fractions import Fraction
from pathlib import Path

import pytest
from _support.engine import make_engine, sample_workflow
from hypothesis import given, settings
from hypothesis import strategies as st
from reports._reference import CaseFacts, YearReference, step_stop
from reports._year import generate_year

from planning_core import cases as ev
from planning_core.cases import Engine
from planning_core.errors import ValidationError
from planning_core.reports import (
    CommittedLimit,
    LightPolicyChange,
    PostLimit,
    WorkflowVersion,
    describe,
    parse_changes,
    what_if,
)
from planning_core.timing import (
    Light,
    ShareThresholdPolicy,
    ThreeLevelPolicy,
    ThresholdPolicy,
    TimeLimit,
)
from planning_core.workflow import definition_from_json, definition_to_json

YEAR = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
DEMO = (dt.date(2026, 10, 1), dt.date(2026, 11, 30))


def _file_bytes(path: Path) -> dict[str, str]:
    """The SHA-256 of the database file and of any WAL or shared-memory file beside it."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.parent.glob(path.name + "*"))
    }


def _red_under(engine: Engine, year: YearReference, post: str, limit: TimeLimit) -> set[str]:
    """Direct recomputation: the cases with a step of ``post`` red under ``limit``."""
    red = set()
    for case_id, events in year.histories.items():
        facts = CaseFacts(events, engine, year.closes)
        for i, r in enumerate(events):
            e = r.event
            if isinstance(e, ev.StepActivated) and e.post == post and e.limit is not None:
                stop = step_stop(events, i, e.token)
                paused = facts.suspended_at(i)
                clock = facts.clock(
                    r.at, limit, i, stop, extensions=False, paused_from_start=paused
                )
                if clock.light is Light.RED:
                    red.add(case_id)
    return red


@pytest.mark.slow
def test_halving_a_posts_limit_reddens_exactly_the_recomputed_cases(
    recorded_year: Path, year_reference: YearReference
) -> None:
    before = _file_bytes(recorded_year)
    engine = make_engine(f"sqlite:///{recorded_year}")
    meeting = sample_workflow().step("meeting")
    assert meeting.post == "CONSTRUCTION_HEAD" and meeting.days == 2
    halved = TimeLimit.working_days(meeting.days // 2)

    report = what_if(engine, [PostLimit("CONSTRUCTION_HEAD", halved)], *YEAR)

    ref = year_reference.figures
    red_meetings = _red_under(engine, year_reference, "CONSTRUCTION_HEAD", halved) & ref.relevant
    engine.store.close()
    assert _file_bytes(recorded_year) == before  # nothing was written, byte for byte

    assert {c.case_id for c in report.cases} == ref.relevant
    assert {
        c.case_id for c in report.cases if c.before is Light.RED
    } == ref.red_cases & ref.relevant
    expected = red_meetings - ref.red_cases
    assert expected, "halving the meeting's limit should redden some cases of the year"
    assert {c.case_id for c in report.turned_red} == expected
    assert {c.case_id for c in report.cases if c.after is Light.RED} == (
        (ref.red_cases & ref.relevant) | red_meetings
    )
    for case in report.turned_red:
        assert any(
            clock.post == "CONSTRUCTION_HEAD" and clock.after is Light.RED for clock in case.clocks
        )
    assert report.on_time_after.decided == report.on_time_before.decided
    # the meeting's own limit is not the case's: the decisions' on-time rates do not move
    assert report.on_time_after == report.on_time_before


def test_replaying_without_a_change_changes_nothing(demo: Engine) -> None:
    report = what_if(demo, [], *DEMO)
    assert report.cases and not report.changed
    assert report.on_time_before == report.on_time_after


def test_a_committed_limit_equal_to_the_statutory_one_judges_alike(demo: Engine) -> None:
    statutory = demo.permit_type("CONSTRUCTION").statutory_limit
    report = what_if(demo, [CommittedLimit("CONSTRUCTION", statutory)], *DEMO)
    decided = [c for c in report.cases if c.committed_on_time is not None]
    late = [c for c in decided if c.committed_on_time == (False, True)]
    assert late, "the demo's construction case is decided after its committed limit"
    for case in decided:
        assert case.committed_on_time is not None and case.statutory_on_time is not None
        if case.permit_type == "CONSTRUCTION":
            assert case.committed_on_time[1] == case.statutory_on_time[1]
        else:
            assert case.committed_on_time[0] == case.committed_on_time[1]
    assert report.on_time_after.committed_on_time == (
        report.on_time_before.committed_on_time + len(late)
    )
    for case in late:
        assert any(c.clock == "committed" and c.after is not Light.RED for c in case.clocks)


def test_a_lenient_light_policy_turns_nothing_red(demo: Engine) -> None:
    report = what_if(demo, [LightPolicyChange(ThreeLevelPolicy(follow_up_days=60))], *DEMO)
    assert not report.turned_red
    assert report.count(Light.RED, after=True) <= report.count(Light.RED, after=False)
    assert report.count(Light.RED, after=False) > 0
    # a stricter yellow threshold only ever makes lights worse
    strict = what_if(demo, [LightPolicyChange(ThresholdPolicy(yellow_within=10))], *DEMO)
    assert not strict.improved


def test_a_workflow_version_is_the_same_as_changing_its_steps_posts() -> None:
    engine = make_engine()
    generate_year(engine, 40, seed=7)
    data = definition_to_json(sample_workflow())
    data["graph"]["version"] = 2
    for node in data["nodes"]:
        if node["id"] == "review":
            node["time_limit"]["days"] = 1
    v2 = definition_from_json(data)
    engine.add_workflow(v2)
    by_version = what_if(engine, [WorkflowVersion("TEST", v2)], *YEAR)
    by_post = what_if(
        engine, [PostLimit("CONSTRUCTION_REVIEWER", TimeLimit.working_days(1))], *YEAR
    )
    assert by_version.cases == by_post.cases
    assert by_version.turned_red or by_version.turned_yellow
    parsed = parse_changes(
        {"kind": "workflow_version", "permit_type": "TEST", "version": 2}, engine
    )
    assert parsed == [WorkflowVersion("TEST", v2)]


def test_a_change_file_is_read_whole_and_every_problem_is_named(demo: Engine) -> None:
    changes = parse_changes(
        [
            {"kind": "post_limit", "post": "CONSTRUCTION_REVIEWER", "limit": "3个工作日"},
            {"kind": "committed_limit", "permit_type": "CONSTRUCTION", "limit": 8},
            {"kind": "light_policy", "policy": "three_level", "follow_up_days": 3},
            {"kind": "light_policy", "policy": "share", "share": "1/4", "at_least": 2},
        ],
        demo,
    )
    assert changes == [
        PostLimit("CONSTRUCTION_REVIEWER", TimeLimit.working_days(3)),
        CommittedLimit("CONSTRUCTION", TimeLimit.working_days(8)),
        LightPolicyChange(ThreeLevelPolicy(follow_up_days=3)),
        LightPolicyChange(ShareThresholdPolicy(share=Fraction(1, 4), at_least=2)),
    ]
    assert "1/4" in describe(changes[-1], demo)
    with pytest.raises(ValidationError) as caught:
        parse_changes(
            [
                {"kind": "post_limit", "post": "NO_SUCH_POST", "limit": 3},
                {"kind": "committed_limit", "permit_type": "CONSTRUCTION", "limit": 40},
                {"kind": "faster", "limit": 3},
                {"kind": "light_policy", "policy": "disco"},
            ],
            demo,
        )
    problems = "\n".join(caught.value.problems)
    for expected in (
        "change 1",
        "NO_SUCH_POST",
        "change 2",
        "1 to 20",
        "change 3",
        "faster",
        "disco",
    ):
        assert expected in problems


@settings(max_examples=12, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    step_id=st.sampled_from(["window", "review", "land", "legal", "meeting", "leader"]),
    days=st.integers(min_value=1, max_value=8),
)
def test_a_tighter_limit_never_helps_and_a_looser_one_never_hurts(
    seed: int, step_id: str, days: int
) -> None:
    engine = make_engine()
    generate_year(engine, 6, seed=seed)
    step = sample_workflow().step(step_id)
    assert step.post is not None and step.time_limit is not None
    report = what_if(engine, [PostLimit(step.post, TimeLimit.working_days(days))], *YEAR)
    if days == step.days:
        assert not report.changed
    elif days < step.days:
        assert not report.improved
        assert report.on_time_after == report.on_time_before  # a step's limit is not the case's
    else:
        assert not report.turned_red and not report.turned_yellow
    for case in report.changed:
        assert all(c.post == step.post for c in case.clocks)


def test_what_is_kept_of_each_case_changes_no_total(year_engine: Engine) -> None:
    halved = [PostLimit("CONSTRUCTION_HEAD", TimeLimit.working_days(1))]
    every = what_if(year_engine, halved, *YEAR)
    changed = what_if(year_engine, halved, *YEAR, keep="changed")
    none = what_if(year_engine, halved, *YEAR, keep="none")
    assert every.case_count == changed.case_count == none.case_count == len(every.cases) > 0
    assert changed.cases == every.changed and none.cases == ()
    assert every.changed_count == len(every.changed) > 0
    assert every.lights == changed.lights == none.lights
    for light in Light:
        for after in (False, True):
            counted = sum(1 for c in every.cases if (c.after if after else c.before) is light)
            assert every.count(light, after=after) == none.count(light, after=after) == counted
    assert none.turned_red_count == len(every.turned_red) > 0
    assert none.turned_yellow_count == len(every.turned_yellow)
    assert none.improved_count == len(every.improved)
    assert (none.on_time_before, none.on_time_after) == (every.on_time_before, every.on_time_after)
    with pytest.raises(ValidationError, match="keep"):
        what_if(year_engine, halved, *YEAR, keep="some")  # type: ignore[arg-type]
