"""Hypothesis strategies for planning_core: dates, limits, workflows, applications, scenarios.

Import this module in tests only: it needs ``hypothesis`` (``pip install
planning-core[testing]``), which the library itself does not depend on.

* :func:`working_dates`, :func:`working_instants`: days (and office-hour instants) that are
  working days on a calendar, uniformly among them;
* :func:`time_limits`: limits in working or natural days;
* :func:`workflows`: random *valid* workflow definitions; :func:`permit_types`: permit types
  around them;
* :func:`applications`: applications (``Submit`` commands) for a permit type, complete or
  missing materials;
* :func:`command_sequences`: a legal life of one case on a definition, as a
  :class:`~planning_core.testing.Scenario` to replay on any bureau.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

import pendulum
from hypothesis import strategies as st

from planning_core.cases import (
    Command,
    Extend,
    RefuseAcceptance,
    RequestSupplement,
    Submit,
    Suspend,
    Withdraw,
)
from planning_core.errors import (
    InvalidStateError,
    PermissionDeniedError,
    ValidationError,
)
from planning_core.permits import PermitType
from planning_core.testing._bureau import Bureau
from planning_core.testing._samples import organisation_for, permit_type_for
from planning_core.testing._scenario import Scenario, ScriptedCommand, next_commands
from planning_core.timing import LimitUnit, TimeLimit, WorkCalendar, calendar_for
from planning_core.workflow import (
    Action,
    Actor,
    Authority,
    MeetingBody,
    Organisation,
    WorkflowBuilder,
    WorkflowDefinition,
)

__all__ = [
    "CONDITION",
    "applications",
    "command_sequences",
    "permit_types",
    "time_limits",
    "workflows",
    "working_dates",
    "working_instants",
]

#: The condition the random workflows put on their conditional edges (built in).
CONDITION = "major_project"

_ID_STEMS = ["t", "审核", "a b", "end", 'q"', "x-1", "会签", "graph", "s_1", "#;"]
_NAME_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cf", "Cs", "Co", "Cn")),
    min_size=1,
    max_size=10,
)


class _Generator:
    """Draws one valid workflow, block by block."""

    def __init__(self, draw: Callable[[st.SearchStrategy[Any]], Any], max_depth: int) -> None:
        self.draw = draw
        self.max_depth = max_depth
        self.builder = WorkflowBuilder("RANDOM", version=draw(st.integers(1, 9)))
        self.used: set[str] = set()
        self.deny: str | None = None
        self.count = 0

    def new_id(self) -> str:
        self.count += 1
        step_id = f"{self.draw(st.sampled_from(_ID_STEMS))}{self.count}"
        while step_id in self.used:
            step_id += "'"
        self.used.add(step_id)
        return step_id

    def name(self) -> str:
        return self.draw(_NAME_TEXT).strip() or "步骤"

    def timed(self, *, meeting: bool, returns_to: list[str], depth: int) -> str:
        step_id = self.new_id()
        actions = [Action.APPROVE]
        target = None
        if returns_to and self.draw(st.booleans()):
            target = self.draw(st.sampled_from(returns_to))
            actions.append(Action.RETURN)
        rejects = depth == 0 and self.draw(st.booleans())
        if rejects:
            actions.append(Action.REJECT)
        post = self.draw(st.sampled_from(["P1", "P2", "窗口"]))
        days = self.draw(st.integers(1, 6))
        if meeting:
            body = self.draw(st.sampled_from(MeetingBody))
            self.builder.meeting(
                step_id, self.name(), body=body, quorum=3, post=post, days=days, actions=actions
            )
        else:
            self.builder.task(step_id, self.name(), post=post, days=days, actions=actions)
        if target is not None:
            self.builder.back(step_id, target)
        if rejects:
            self.builder.edge(step_id, self.denial(), Action.REJECT)
        return step_id

    def denial(self) -> str:
        if self.deny is None:
            self.deny = self.new_id()
            end = self.new_id()
            self.builder.task(self.deny, "不予许可", post="P1", days=1)
            self.builder.end(end, "办结（不予许可）")
            self.builder.edge(self.deny, end, Action.APPROVE)
        return self.deny

    def sequence(self, depth: int) -> tuple[str, str, Action]:
        """Blocks in a row; returns (entry, exit, the action that leaves the exit)."""
        earlier: list[str] = []
        entry: str | None = None
        exit_: tuple[str, Action] | None = None
        for _ in range(self.draw(st.integers(1, 3))):
            first, last, action, mains = self.block(depth, earlier)
            if exit_ is None:
                entry = first
            else:
                self.builder.edge(exit_[0], first, exit_[1])
            exit_ = (last, action)
            earlier += mains
        assert entry is not None and exit_ is not None
        return entry, exit_[0], exit_[1]

    def block(self, depth: int, earlier: list[str]) -> tuple[str, str, Action, list[str]]:
        kinds = ["task", "meeting", "choice"] + (["parallel"] if depth < self.max_depth else [])
        kind = self.draw(st.sampled_from(kinds))
        if kind in ("task", "meeting"):
            step = self.timed(meeting=kind == "meeting", returns_to=earlier, depth=depth)
            return step, step, Action.APPROVE, [step]
        if kind == "choice":
            return self.choice(depth, earlier)
        return self.parallel(depth)

    def choice(self, depth: int, earlier: list[str]) -> tuple[str, str, Action, list[str]]:
        head = self.timed(meeting=False, returns_to=earlier, depth=depth)
        alternatives = [self.timed(meeting=False, returns_to=[], depth=1) for _ in range(2)]
        merge = self.timed(meeting=False, returns_to=[*earlier, head], depth=depth)
        self.builder.edge(head, alternatives[0], Action.APPROVE, condition=CONDITION)
        self.builder.edge(head, alternatives[1], Action.APPROVE)
        for alternative in alternatives:
            self.builder.edge(alternative, merge, Action.APPROVE)
        return head, merge, Action.APPROVE, [head, merge]

    def parallel(self, depth: int) -> tuple[str, str, Action, list[str]]:
        split, join = self.new_id(), self.new_id()
        branches = self.draw(st.integers(2, 3))
        n = self.draw(st.none() | st.integers(1, branches))
        self.builder.split(split, "会签")
        for _ in range(branches):
            entry, last, action = self.sequence(depth + 1)
            self.builder.edge(split, entry)
            self.builder.edge(last, join, action)
        self.builder.join(join, "会签汇总", split=split, n=n)
        return split, join, Action.FORWARD, [split]


@st.composite
def workflows(draw: st.DrawFn, max_depth: int = 2) -> WorkflowDefinition:
    """Random *valid* workflow definitions for permit type ``RANDOM``.

    Built by composing blocks (tasks, meetings, exclusive choices on the built-in
    ``major_project`` condition, countersigns nested up to ``max_depth`` deep, all-of or
    N-of-M) with RETURN edges to earlier steps and REJECT edges to a refusal path. Step ids
    and names are drawn to be awkward for renderers (Chinese, quotes, ``end``, ``#``,
    ``;``). Steps belong to the posts ``P1``, ``P2`` and ``窗口``; run them on an engine
    with :func:`~planning_core.testing.organisation_for`.
    """
    generator = _Generator(draw, max_depth)
    start, done = generator.new_id(), generator.new_id()
    generator.builder.start(start, "收件")
    entry, last, action = generator.sequence(0)
    generator.builder.end(done, "办结")
    generator.builder.edge(start, entry)
    generator.builder.edge(last, done, action)
    return generator.builder.build()


# -- dates and limits ---------------------------------------------------------------------------

_ZONE = "Asia/Shanghai"
_FIRST = dt.date(2024, 1, 1)
_LAST = dt.date(2026, 12, 31)


def working_dates(
    calendar: WorkCalendar | None = None,
    *,
    min_value: dt.date = _FIRST,
    max_value: dt.date = _LAST,
) -> st.SearchStrategy[pendulum.Date]:
    """Working days on ``calendar`` (default ``CN``) between the bounds, uniformly.

    The default bounds lie inside the official schedules, so no date drawn is provisional.

    :raises ValidationError: when there is no working day between the bounds.
    """
    cal = calendar if calendar is not None else calendar_for("CN")
    first = cal.add_working_days(min_value, 0)
    count = cal.working_days_between(first, max_value) + 1
    if first > max_value or count < 1:
        raise ValidationError(
            f"no working day on {cal.region} between {min_value} and {max_value}; widen the bounds"
        )
    return st.integers(0, count - 1).map(lambda i: cal.add_working_days(first, i))


def working_instants(
    calendar: WorkCalendar | None = None,
    *,
    min_value: dt.date = _FIRST,
    max_value: dt.date = _LAST,
    opens: dt.time = dt.time(8, 30),
    closes: dt.time = dt.time(17, 30),
) -> st.SearchStrategy[pendulum.DateTime]:
    """Instants in office hours (``opens`` ≤ t < ``closes``, to the minute) on working days,
    in the calendar's zone."""
    cal = calendar if calendar is not None else calendar_for("CN")
    start = opens.hour * 60 + opens.minute
    end = closes.hour * 60 + closes.minute
    if end <= start:
        raise ValidationError(f"office hours {opens}–{closes} are empty; closes must be later")
    return st.builds(
        lambda d, minute: pendulum.datetime(d.year, d.month, d.day, tz=cal.zone).add(
            minutes=minute
        ),
        working_dates(cal, min_value=min_value, max_value=max_value),
        st.integers(start, end - 1),
    )


def time_limits(
    *,
    units: Iterable[LimitUnit | str] = (LimitUnit.WORKING_DAYS, LimitUnit.NATURAL_DAYS),
    min_days: int = 0,
    max_days: int = 60,
) -> st.SearchStrategy[TimeLimit]:
    """Time limits of ``min_days`` to ``max_days`` days in one of ``units``."""
    chosen = [LimitUnit(u) for u in units]
    return st.builds(TimeLimit, st.integers(min_days, max_days), st.sampled_from(chosen))


# -- permit types and applications --------------------------------------------------------------


@st.composite
def permit_types(
    draw: st.DrawFn, definitions: st.SearchStrategy[WorkflowDefinition] | None = None
) -> PermitType:
    """Permit types around random workflows (:func:`workflows` by default), with a statutory
    limit of at least 20 working days and a committed limit between 1 and the statutory one
    (so a drawn type may or may not fit its workflow's worst case)."""
    definition = draw(definitions if definitions is not None else workflows())
    statutory = draw(st.integers(20, 45))
    committed = draw(st.integers(1, statutory))
    return permit_type_for(definition, statutory_days=statutory, committed_days=committed)


_APPLICANTS = ["唐山市某置业有限公司", "丰润区某村村民", "迁安市某学校", "开平区某企业", "Ltd. 甲"]
_PROJECTS = ["凤凰新城住宅小区三期", "农村新民居建设", "新建教学楼", "环城快速路", "厂房扩建"]
_WORDS = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N")), min_size=1, max_size=12
)


@st.composite
def applications(
    draw: st.DrawFn,
    permit_types: PermitType | Iterable[PermitType],
    *,
    complete: bool | None = None,
    case_ids: st.SearchStrategy[str] | None = None,
) -> Submit:
    """An application (the ``Submit`` command the window gives) for one of ``permit_types``.

    :param complete: True: every required material (and some optional ones); False: at
        least one required material missing; None: either.
    :param case_ids: where case ids come from (default: ``case-`` and 12 hex digits).
    """
    choices = [permit_types] if isinstance(permit_types, PermitType) else list(permit_types)
    if not choices:
        raise ValidationError("applications() needs at least one permit type")
    permit = draw(st.sampled_from(choices))
    required = [m.code for m in permit.required_materials]
    optional = [m.code for m in permit.materials if not m.required]
    whole = draw(st.booleans()) if complete is None and required else complete is not False
    if not whole and not required:
        raise ValidationError(f"permit type {permit.code!r} has no required material to omit")
    if whole:
        handed = required + draw(_subset(optional))
    else:
        missing = set(draw(st.lists(st.sampled_from(required), min_size=1, unique=True)))
        handed = [c for c in required if c not in missing] + draw(_subset(optional))
    ids = case_ids if case_ids is not None else st.uuids().map(lambda u: f"case-{u.hex[:12]}")
    return Submit(
        case_id=draw(ids),
        permit_type=permit.code,
        applicant=draw(st.sampled_from(_APPLICANTS) | _WORDS),
        project=draw(st.sampled_from(_PROJECTS) | _WORDS),
        materials=tuple(handed),
    )


def _subset(codes: list[str]) -> st.SearchStrategy[list[str]]:
    if not codes:
        return st.just([])
    return st.lists(st.sampled_from(codes), unique=True)


# -- legal command sequences ----------------------------------------------------------------

_REFUSED = (InvalidStateError, PermissionDeniedError, ValidationError)
#: Commands that end a case before its decision.
_CLOSING: tuple[type, ...] = (Withdraw, RefuseAcceptance)
#: Commands that take the case aside from its workflow for a while.
_ASIDE: tuple[type, ...] = (Suspend, Extend, RequestSupplement)
_START = pendulum.datetime(2026, 3, 2, 9, tz=_ZONE)
_GAPS = st.one_of(
    st.integers(0, 8 * 60),
    st.integers(1, 8).map(lambda days: days * 24 * 60),
)


@st.composite
def command_sequences(
    draw: st.DrawFn,
    workflow: WorkflowDefinition | PermitType | None = None,
    *,
    organisation: Organisation | None = None,
    start: pendulum.DateTime | None = None,
    min_commands: int = 1,
    max_commands: int = 30,
    case_id: str = "case-1",
) -> Scenario:
    """A legal life of one case on ``workflow``, as a :class:`Scenario`.

    Each command is drawn among those the case's state allows (intake; the one-time
    supplement notice, before acceptance or during review, and the supplement's arrival,
    even while the case is suspended; acceptance or refusal; every allowed action at every
    waiting step, RETURNs included; suspension and resumption; extension; decision,
    certificate, delivery, withdrawal), given by the person who would normally give it,
    minutes to days after the one before; a scratch engine on a memory store checks each
    one, so every command of the script is accepted when it is replayed on a bureau built
    with :meth:`Scenario.bureau`. The script ends when the case closes or after
    ``min_commands`` to ``max_commands`` commands.

    :param workflow: a definition (wrapped with :func:`~planning_core.testing.permit_type_for`),
        a permit type, or None for a random :func:`permit_types` draw.
    :param organisation: default: :func:`~planning_core.testing.organisation_for` the
        workflow.
    :param start: the instant of the first command (default 2026-03-02 09:00, Shanghai).
    """
    if workflow is None:
        permit = draw(permit_types())
    elif isinstance(workflow, PermitType):
        permit = workflow
    else:
        permit = permit_type_for(workflow)
    org = organisation if organisation is not None else organisation_for(permit.workflow)
    bureau = Scenario(permit, org, ()).bureau()
    now = start if start is not None else _START
    target = draw(st.integers(min_commands, max_commands))
    script: list[ScriptedCommand] = []
    try:
        while len(script) < target:
            now = now.add(minutes=draw(_GAPS))
            done = _one_legal(draw, bureau, case_id, now, permit.code)
            if done is None:
                break
            script.append(done)
    finally:
        bureau.close()
    return Scenario(permit, org, tuple(script))


def _actor_for(bureau: Bureau, command: Command) -> Actor:
    """Who gives ``command``: as :meth:`Bureau.actor_for`, except that a supplement asked
    for during review comes from the review side (a division head), not the window."""
    if (
        isinstance(command, RequestSupplement)
        and bureau.engine.load(command.case_id).accepted_at is not None
    ):
        return bureau.actor_with(Authority.DIVISION_HEAD)
    return bureau.actor_for(command)


def _one_legal(
    draw: Callable[[st.SearchStrategy[Any]], Any],
    bureau: Bureau,
    case_id: str,
    now: pendulum.DateTime,
    permit_type: str,
) -> ScriptedCommand | None:
    """Draw candidates until the engine accepts one; None when nothing is possible."""
    options = next_commands(bureau, case_id, now, permit_type=permit_type)
    pools = {
        "closing": [c for c in options if isinstance(c, _CLOSING)],
        "aside": [c for c in options if isinstance(c, _ASIDE)],
    }
    pools["onward"] = [c for c in options if not isinstance(c, _CLOSING + _ASIDE)]
    while any(pools.values()):
        # Mostly the case moves on; about one move in five is a detour (suspension,
        # extension, supplement) and one in sixteen ends the case early, so most scripts
        # reach the decision and beyond while shrinking still finds the short ones.
        roll = draw(st.integers(0, 15))
        wanted = "closing" if roll == 0 else "aside" if roll <= 3 else "onward"
        pool = pools[wanted] or next(p for p in pools.values() if p)
        command = pool.pop(draw(st.integers(0, len(pool) - 1)))
        actor = _actor_for(bureau, command)
        try:
            bureau.engine.execute(command, actor, now)
        except _REFUSED:
            continue
        return ScriptedCommand(command, actor.id, now)
    return None
