from __future__ import annotations

import itertools

import pytest

from planning_core.errors import NotFoundError, ValidationError
from planning_core.timing import TimeLimit
from planning_core.workflow import (
    Actor,
    Authority,
    Division,
    Organisation,
    Post,
    reference_organisation,
)


def test_reference_bureau_has_the_posts_the_engine_needs() -> None:
    org = reference_organisation()
    assert org.post("BUREAU_HEAD").authority is Authority.BUREAU_HEAD
    assert [p.code for p in org.posts_with(Authority.BUREAU_HEAD)] == ["BUREAU_HEAD"]
    assert org.division(org.post("CONSTRUCTION_REVIEWER").division).name == "建设工程规划管理处"
    assert org.post("WINDOW_CLERK").time_limit == TimeLimit.working_days(1)
    every_post_held = {code for actor in org.actors for code in actor.posts}
    assert every_post_held == {p.code for p in org.posts}


def test_holders_and_posts_of_follow_the_actors() -> None:
    org = reference_organisation()
    liu = org.actor("liu.yang")
    assert {p.code for p in org.posts_of("liu.yang")} == set(liu.posts)
    assert liu in org.holders("WINDOW_CLERK")
    assert org.holds("liu.yang", "CERTIFICATE_CLERK")
    assert not org.holds("liu.yang", "BUREAU_HEAD")


def test_authority_levels_are_ordered() -> None:
    levels = list(Authority)
    for low, high in itertools.pairwise(levels):
        assert high.at_least(low) and not low.at_least(high)
    assert Authority.DEPUTY_HEAD.zh == "分管副局长"


def test_unknown_codes_name_the_known_ones() -> None:
    org = reference_organisation()
    with pytest.raises(NotFoundError, match=r"unknown post 'MAYOR'.*BUREAU_HEAD"):
        org.post("MAYOR")
    with pytest.raises(NotFoundError, match="unknown actor"):
        org.holds("nobody", "WINDOW_CLERK")


def test_every_organisation_problem_is_reported_at_once() -> None:
    with pytest.raises(ValidationError) as info:
        Organisation(
            divisions=[Division("A", "甲处"), Division("A", "甲处二")],
            posts=[Post("P", "岗位", "A"), Post("Q", "岗位", "NOWHERE")],
            actors=[Actor("x", "某人", ["P", "GHOST"]), Actor("y", "无岗", [])],
        )
    problems = "\n".join(info.value.problems)
    assert len(info.value.problems) == 4
    for fragment in ("division 'A' is defined 2 times", "'NOWHERE'", "'GHOST'", "'y' holds no"):
        assert fragment in problems


def test_blank_codes_are_refused() -> None:
    with pytest.raises(ValidationError, match="code must be a non-empty string"):
        Division(" ", "处")
