"""Fuzzing every command class (issue #20): fields of any type, any actor, any instant.

Each command is built from values that are sometimes plausible (a case that exists, a
step of its workflow, a material on the list) and sometimes anything at all (None, a
number for an id, text for working days, a dict for a name, a date in year 1), then carried
out by the engine on a store holding cases in several states. The only acceptable outcomes
are: the command refuses to be built with a ``ValidationError`` naming the field, or the
engine records it, or the engine refuses it with a ``PlanningError``; and after a refusal
the store is exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import attrs
import pendulum
import pytest
from _support.engine import (
    CHECKLIST,
    DEPUTY,
    DIVISION_HEAD,
    HEAD,
    LAND,
    LEGAL,
    ORG,
    REVIEWER,
    WINDOW,
    make_engine,
)
from fuzz._doors import dump
from fuzz._mutate import FUZZ, NASTY
from hypothesis import given
from hypothesis import strategies as st
from window._helpers import make_window, review_to_approval

from planning_core.cases import (
    Accept,
    Claim,
    Complete,
    Decide,
    Deliver,
    Extend,
    IssueCertificate,
    Outcome,
    ReceiveSupplement,
    RecordMeetingDecision,
    RecordOpinion,
    RecordPreliminaryReview,
    RefuseAcceptance,
    RequestSupplement,
    Resume,
    Submit,
    Suspend,
    Withdraw,
)
from planning_core.errors import PlanningError, ValidationError

COMMANDS: tuple[type, ...] = (
    Submit, RecordPreliminaryReview, RequestSupplement, ReceiveSupplement, Accept,
    RefuseAcceptance, Claim, Complete, RecordMeetingDecision, Suspend, Resume, Extend,
    Decide, IssueCertificate, Deliver, Withdraw, RecordOpinion,
)  # fmt: skip
START = pendulum.datetime(2026, 3, 2, 9, tz="Asia/Shanghai")
#: The cases on the template store: received; accepted (at the window step); waiting for a
#: supplement; approved; suspended in review.
CASES = ["received", "accepted", "supplement", "approved", "suspended", "no-such-case"]

_JUNK = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=10)
    | st.sampled_from(NASTY[:-1])
    | st.binary(max_size=4)
    | st.dates()
    | st.datetimes(),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
_TEXT = st.text(max_size=20) | st.sampled_from(["某公司", "同意", "", " "])
_CODES = st.lists(st.sampled_from(["application", "site_plan", "bogus", ""]), max_size=3)
#: Plausible values by field name: they let a command get past its own checks to the rules.
_PLAUSIBLE: dict[str, st.SearchStrategy[Any]] = {
    "case_id": st.sampled_from(CASES),
    "permit_type": st.sampled_from(["TEST", "CONSTRUCTION", "NOPE"]),
    "step_id": st.sampled_from(["window", "review", "land", "legal", "meeting", "leader", "x"]),
    "action": st.sampled_from(["APPROVE", "FORWARD", "RETURN", "REJECT", "approve", "x"]),
    "materials": _CODES,
    "missing": _CODES,
    "checklist": st.lists(
        st.tuples(st.sampled_from([c for c, _ in CHECKLIST] + ["x"]), st.booleans()), max_size=3
    ),
    "attendees": st.lists(st.sampled_from(["李华", "王建国", "赵磊", ""]), max_size=4),
    "held_on": st.dates(dt.date(2026, 3, 1), dt.date(2026, 4, 30)),
    "until": st.dates(dt.date(2026, 3, 1), dt.date(2026, 6, 30)),
    "use_from": st.dates(dt.date(2026, 3, 1), dt.date(2027, 12, 31)),
    "use_until": st.dates(dt.date(2026, 3, 1), dt.date(2029, 12, 31)),
    "working_days": st.integers(-3, 40),
    "expected_working_days": st.none() | st.integers(-3, 40),
    "outcome": st.sampled_from([*Outcome, "approved", "denied", "maybe"]),
    "reason": st.sampled_from(["hearing", "expert_review", "专家论证", "", "x"]) | _TEXT,
    "facts": st.dictionaries(
        st.sampled_from(["major_project", "use_from", "use_until", ""]),
        st.booleans() | st.integers() | st.sampled_from(["2026-04-01", "x"]),
        max_size=3,
    ),
    "contact": st.none() | _TEXT,
    "case_number": st.none() | st.sampled_from(["TS-1", ""]),
    "township": st.none() | _TEXT,
    "certificate_number": st.none() | st.sampled_from(["建字第1号", ""]),
    "files": st.just(()),
}
_ACTORS = st.sampled_from([WINDOW, REVIEWER, LAND, LEGAL, DIVISION_HEAD, DEPUTY, HEAD])
_AT = st.datetimes(
    dt.datetime(2026, 3, 3), dt.datetime(2026, 9, 30), timezones=st.just(dt.UTC)
).map(pendulum.instance)


def _field(name: str) -> st.SearchStrategy[Any]:
    """Mostly plausible (three branches in four), so most commands reach the rules."""
    plausible = _PLAUSIBLE.get(name, _TEXT)
    return st.one_of(plausible, plausible, plausible, _JUNK)


def _commands(cls: type) -> st.SearchStrategy[dict[str, Any]]:
    """A command's fields: every required one, and each with a default sometimes left out."""
    fields = attrs.fields(cls)
    return st.fixed_dictionaries(
        {f.name: _field(f.name) for f in fields if f.default is attrs.NOTHING},
        optional={f.name: _field(f.name) for f in fields if f.default is not attrs.NOTHING},
    )


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A store with cases in several states, and what it holds."""
    path = tmp_path_factory.mktemp("commands") / "template.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PLANNING_CORE_LOAD_PLUGINS", "")
        window = make_window(f"sqlite:///{path}")
        engine = window.engine
        for case_id in CASES[:-1]:
            materials = (
                ("application",) if case_id == "supplement" else ("application", "site_plan")
            )
            engine.execute(Submit(case_id, "TEST", "某公司", "某项目", materials), WINDOW, START)
        t = START.add(hours=1)
        engine.execute(RequestSupplement("supplement", ("site_plan",), "缺总平面图"), WINDOW, t)
        for case_id in ("accepted", "approved", "suspended"):
            engine.execute(Accept(case_id), WINDOW, t)
        review_to_approval(window, "approved", t)
        engine.execute(Complete("suspended", "window", "FORWARD"), WINDOW, t.add(minutes=5))
        engine.execute(
            Suspend("suspended", "expert_review", expected_working_days=5), REVIEWER, t.add(hours=1)
        )
        engine.store.close()
    return path, dump(path)


class _Runs:
    count = 0


@pytest.mark.parametrize("cls", COMMANDS, ids=lambda c: c.__name__)
@FUZZ
@given(fields=st.data(), actor=_ACTORS, at=st.one_of(_AT, _AT, _AT, _JUNK))
def test_every_command_is_done_or_refused_cleanly(
    template: tuple[Path, list[str]], cls: type, fields: st.DataObject, actor: Any, at: Any
) -> None:
    values = fields.draw(_commands(cls), label="fields")
    try:
        command = cls(**values)
    except ValidationError as exc:
        assert f"{cls.__name__}." in str(exc) or "application fact" in str(exc), exc
        return
    path, before = template
    _Runs.count += 1
    work = path.with_name(f"work-{_Runs.count}.db")
    shutil.copyfile(path, work)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PLANNING_CORE_LOAD_PLUGINS", "")
        engine = make_engine(f"sqlite:///{work}")
    try:
        engine.execute(command, actor, at)
    except PlanningError:
        engine.store.close()
        assert dump(work) == before, f"a refused {cls.__name__} changed the store"
    else:
        engine.store.close()
    for leftover in work.parent.glob(f"{work.name}*"):
        leftover.unlink(missing_ok=True)


def test_the_fuzzed_commands_are_every_command() -> None:
    from planning_core.cases import _commands

    assert set(COMMANDS) == set(_commands.Command.__args__)  # type: ignore[attr-defined]
    assert ORG.actor("zhang.min") == WINDOW
