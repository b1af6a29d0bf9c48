"""What-if replay: a period's recorded cases under changed rules, and what would differ.

Limits travel in the events (``CaseAccepted.committed``, ``StepActivated.limit``), so a rule
change is tried by rewriting those fields in copies of the recorded events and walking them
again; a light-policy change is tried by judging the same clocks with another policy. What
people did and when stays as recorded. Nothing is written: the store is only read.

For each case the report gives the worst light any of its clocks showed (case clocks and
step clocks, up to the period's end) before and after the change, the clocks whose light
changed, and whether the decision was on time against the committed and statutory limits;
in total, the cases that would have turned yellow or red and the on-time rates.

The histories stream through (:class:`~planning_core.reports._histories.Histories`): each case
is replayed, added to the totals and dropped. The totals (how many cases, by light before
and after, how many changed, the on-time rates) are always kept; the cases themselves as
``keep`` says: every case (the default), only those where anything would differ, or none,
which keeps the memory of a year's replay flat in its number of cases.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence, Sized
from typing import Literal

import attrs

from planning_core import cases as ev
from planning_core.cases import Engine, RecordedEvent
from planning_core.errors import ValidationError
from planning_core.reports._changes import (
    CommittedLimit,
    LightPolicyChange,
    PostLimit,
    RuleChange,
    WorkflowVersion,
    describe,
)
from planning_core.reports._figures import OnTime
from planning_core.reports._histories import (
    CaseHistory,
    Progress,
    Source,
    read_histories,
    reader,
)
from planning_core.reports._period import Period
from planning_core.reports._timeline import CaseTimeline, rank, walk, worse
from planning_core.timing import Light, LightPolicy

__all__ = [
    "KEEP",
    "CaseWhatIf",
    "ClockWhatIf",
    "WhatIfReport",
    "replay",
    "rewrite",
    "what_if",
]


#: What a what-if report keeps of each case: ``all``, ``changed`` (only the cases where
#: anything would differ) or ``none`` (totals only).
Keep = Literal["all", "changed", "none"]
KEEP: tuple[Keep, ...] = ("all", "changed", "none")


@attrs.frozen
class ClockWhatIf:
    """A clock whose worst light would have differed."""

    clock: str
    step_id: str | None
    post: str | None
    before: Light
    after: Light


@attrs.frozen
class CaseWhatIf:
    """One case before and after the change.

    :param before: the worst light of all its clocks as recorded.
    :param after: the same under the change.
    :param committed_on_time: (before, after) for a case decided in the period, else None.
    :param statutory_on_time: likewise against the statutory limit.
    :param clocks: the clocks whose light would have differed.
    """

    case_id: str
    case_number: str
    permit_type: str
    before: Light
    after: Light
    committed_on_time: tuple[bool, bool] | None
    statutory_on_time: tuple[bool, bool] | None
    clocks: tuple[ClockWhatIf, ...]

    @property
    def turned_red(self) -> bool:
        """Red under the change, not red as recorded."""
        return self.after is Light.RED and self.before is not Light.RED

    @property
    def turned_yellow(self) -> bool:
        """Yellow under the change, better than yellow as recorded."""
        return self.after is Light.YELLOW and rank(self.before) < rank(Light.YELLOW)

    @property
    def improved(self) -> bool:
        """Better under the change than as recorded."""
        return rank(self.after) < rank(self.before)

    @property
    def changed(self) -> bool:
        """Anything about the case would have differed."""
        on_time = [self.committed_on_time, self.statutory_on_time]
        return bool(self.clocks) or any(p is not None and p[0] != p[1] for p in on_time)


@attrs.frozen
class WhatIfReport:
    """The replay of a period under ``changes``, case by case and in total.

    :param descriptions: each change in words, with the bureau's names.
    :param cases: the cases kept (every case replayed, unless ``keep`` said otherwise).
    :param case_count: how many cases were replayed, kept or not.
    :param lights: how many cases had each (worst light as recorded, under the change).
    :param changed_count: how many cases would have differed in anything.
    :param keep: what was kept of each case (:data:`KEEP`).
    """

    period: Period
    changes: tuple[RuleChange, ...]
    descriptions: tuple[str, ...]
    cases: tuple[CaseWhatIf, ...]
    on_time_before: OnTime
    on_time_after: OnTime
    case_count: int = 0
    lights: dict[tuple[Light, Light], int] = attrs.field(factory=dict)
    changed_count: int = 0
    keep: Keep = "all"

    def count(self, light: Light, *, after: bool) -> int:
        """Cases whose worst light is ``light``, as recorded or (``after``) under the change
        (counted over every case replayed, whatever was kept)."""
        return sum(n for pair, n in self.lights.items() if pair[int(after)] is light)

    @property
    def turned_red_count(self) -> int:
        """How many cases would have gone red (kept or not)."""
        return sum(n for (b, a), n in self.lights.items() if a is Light.RED and b is not a)

    @property
    def turned_yellow_count(self) -> int:
        """How many cases would have gone yellow from better (kept or not)."""
        return sum(
            n
            for (b, a), n in self.lights.items()
            if a is Light.YELLOW and rank(b) < rank(Light.YELLOW)
        )

    @property
    def improved_count(self) -> int:
        """How many cases would have had a better worst light (kept or not)."""
        return sum(n for (b, a), n in self.lights.items() if rank(a) < rank(b))

    @property
    def turned_red(self) -> tuple[CaseWhatIf, ...]:
        """The cases that would have gone red."""
        return tuple(c for c in self.cases if c.turned_red)

    @property
    def turned_yellow(self) -> tuple[CaseWhatIf, ...]:
        """The cases that would have gone yellow."""
        return tuple(c for c in self.cases if c.turned_yellow)

    @property
    def improved(self) -> tuple[CaseWhatIf, ...]:
        """The cases whose worst light would have been better."""
        return tuple(c for c in self.cases if c.improved)

    @property
    def changed(self) -> tuple[CaseWhatIf, ...]:
        """Every case where anything would have differed."""
        return tuple(c for c in self.cases if c.changed)


def what_if(
    source: Source,
    changes: Sequence[RuleChange],
    start: dt.date,
    end: dt.date,
    *,
    progress: Progress | None = None,
    keep: Keep = "all",
) -> WhatIfReport:
    """Replay the cases of the days ``start`` to ``end`` under ``changes``; write nothing.

    :param progress: told ``(done, total)`` as the histories are read and replayed, which
        happens together, a page of cases at a time.
    :param keep: what to keep of each case (:data:`KEEP`): ``all`` (the default),
        ``changed`` or ``none``; the totals count every case either way.
    :raises ValidationError: for another ``keep``.
    """
    engine = reader(source)
    period = Period(start, end, engine.calendar.zone)
    histories = read_histories(engine, period, progress)
    return replay(engine, histories, changes, period, keep=keep)


def replay(
    engine: Engine,
    histories: Iterable[CaseHistory],
    changes: Sequence[RuleChange],
    period: Period,
    *,
    progress: Progress | None = None,
    keep: Keep = "all",
) -> WhatIfReport:
    """The what-if report of histories (a list, or an iterable read once, case by case; see
    :func:`what_if`)."""
    if keep not in KEEP:
        raise ValidationError(f"keep must be one of {', '.join(KEEP)}, not {keep!r}")
    judge = _Judge(engine, period, tuple(changes))
    kept = []
    lights: Counter[tuple[Light, Light]] = Counter()
    count = changed = 0
    on_time_before, on_time_after = OnTime(), OnTime()
    total = len(histories) if isinstance(histories, Sized) else 0
    for done, history in enumerate(histories, start=1):
        before = walk(history.case_id, history.events)
        if before.last_at is not None and (before.last_at >= period.opens or before.running):
            after = walk(history.case_id, rewrite(history.events, changes))
            case = judge.case(before, after)
            count += 1
            changed += case.changed
            lights[(case.before, case.after)] += 1
            on_time_before += _on_time(case, 0)
            on_time_after += _on_time(case, 1)
            if keep == "all" or (keep == "changed" and case.changed):
                kept.append(case)
        if progress is not None:
            progress(done, max(total, done))
    return WhatIfReport(
        period,
        tuple(changes),
        tuple(describe(c, engine) for c in changes),
        tuple(kept),
        on_time_before,
        on_time_after,
        count,
        dict(lights),
        changed,
        keep,
    )


def rewrite(
    events: Sequence[RecordedEvent], changes: Sequence[RuleChange]
) -> tuple[RecordedEvent, ...]:
    """Copies of ``events`` as they would have read under ``changes`` (later changes win)."""
    permit_type = ""
    out = []
    for recorded in events:
        event = recorded.event
        if isinstance(event, ev.CaseSubmitted):
            permit_type = event.permit_type
        elif isinstance(event, ev.CaseAccepted):
            for change in changes:
                if isinstance(change, CommittedLimit) and change.permit_type == permit_type:
                    event = attrs.evolve(event, committed=change.limit)
        elif isinstance(event, ev.StepActivated):
            limit = event.limit
            for change in changes:
                if isinstance(change, PostLimit | WorkflowVersion):
                    limit = change.step_limit(permit_type, event.step_id, event.post, limit)
            event = attrs.evolve(event, limit=limit)
        out.append(recorded if event is recorded.event else attrs.evolve(recorded, event=event))
    return tuple(out)


def _on_time(case: CaseWhatIf, side: int) -> OnTime:
    if case.committed_on_time is None or case.statutory_on_time is None:
        return OnTime()
    return OnTime(1, int(case.committed_on_time[side]), int(case.statutory_on_time[side]))


class _Judge:
    """Reads the lights of a case's clocks before and after, under the right policies."""

    def __init__(self, engine: Engine, period: Period, changes: tuple[RuleChange, ...]) -> None:
        self.engine = engine
        self.period = period
        self.changes = changes

    def policy(self, permit_type: str, *, after: bool) -> LightPolicy:
        chosen = self.engine.policy(permit_type)
        if after:
            for change in self.changes:
                if isinstance(change, LightPolicyChange) and change.permit_type in (
                    None,
                    permit_type,
                ):
                    chosen = change.policy
        return chosen

    def lights(self, case: CaseTimeline, *, after: bool) -> dict[str, Light]:
        policy = self.policy(case.permit_type, after=after)
        calendar, horizon = self.engine.calendar, self.period.closes
        return {name: run.light(calendar, policy, horizon) for name, run, _ in case.clocks()}

    def case(self, before: CaseTimeline, after: CaseTimeline) -> CaseWhatIf:
        old, new = self.lights(before, after=False), self.lights(after, after=True)
        steps = {f"step:{s.token}": s for s in after.steps}
        clocks = tuple(
            ClockWhatIf(
                name,
                steps[name].step_id if name in steps else None,
                steps[name].post if name in steps else None,
                old.get(name, Light.GREEN),
                new.get(name, Light.GREEN),
            )
            for name in sorted(set(old) | set(new))
            if old.get(name, Light.GREEN) is not new.get(name, Light.GREEN)
        )
        return CaseWhatIf(
            before.case_id,
            before.case_number,
            before.permit_type,
            _worst(old.values()),
            _worst(new.values()),
            self._on_time(before, after, "committed"),
            self._on_time(before, after, "statutory"),
            clocks,
        )

    def _on_time(
        self, before: CaseTimeline, after: CaseTimeline, name: str
    ) -> tuple[bool, bool] | None:
        decided = before.decided_at
        if decided is None or not self.period.contains(decided):
            return None
        calendar, horizon = self.engine.calendar, self.period.closes
        runs = getattr(before, name), getattr(after, name)
        if runs[0] is None or runs[1] is None:
            return None
        return (not runs[0].overdue(calendar, horizon), not runs[1].overdue(calendar, horizon))


def _worst(lights: Iterable[Light]) -> Light:
    worst = Light.GREEN
    for light in lights:
        worst = worse(worst, light)
    return worst
