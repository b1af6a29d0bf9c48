"""Approval statistics for a period: counts, on-time rates, lights, working days, pauses.

Every figure is defined so that a reader can recompute it from the histories by hand (the
tests do):

* **counts**: each event counted on the day it was recorded, if that day is in the period:
  received (``CaseSubmitted``), accepted, refused, decided (approved + denied), issued,
  delivered, withdrawn; by permit type, by month, and by both;
* **on time**: of the cases decided in the period, those whose committed (and statutory)
  clock was not overdue at the decision; pauses are not counted and an approved extension
  is, as the engine's clocks do it; by permit type and by month of the decision;
* **lights** (the electronic-supervision view, 电子监察): every clock that stopped in the
  period or still runs at its end, at the worst light it showed under the permit type's
  light policy; step clocks by post and division, case clocks (committed, statutory,
  certificate) taken together per case, by permit type;
* **working days**: per step, the days counted on the clocks of steps completed in the
  period; per case, the days counted on the committed clock of cases decided in the period;
  mean, nearest-rank 90th percentile and longest;
* **pauses** begun in the period by reason, and **extensions** granted in the period.

The cases stream through: each is added to running totals (counters, and the working days
as a count per number of days, which is all a mean, a nearest-rank percentile and a longest
need) and dropped, so the memory a year's statistics take does not grow with its cases.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

import attrs

from planning_core.cases import Engine, Outcome
from planning_core.reports._figures import Counts, OnTime, Spread
from planning_core.reports._histories import (
    Names,
    Progress,
    Source,
    read_histories,
    reader,
    timelines,
)
from planning_core.reports._period import Period
from planning_core.reports._timeline import CaseTimeline, ClockRun, worse
from planning_core.timing import Light, PauseReason

__all__ = [
    "ApprovalStatistics",
    "CertificateFigures",
    "DivisionLights",
    "ExtensionFigures",
    "LightTally",
    "PauseFigures",
    "PermitTypeFigures",
    "PostLights",
    "StepDays",
    "approval_statistics",
    "statistics_of",
]


@attrs.frozen
class LightTally:
    """Clocks counted by the worst light they showed."""

    clocks: int = 0
    reminder: int = 0
    yellow: int = 0
    red: int = 0

    def add(self, light: Light) -> LightTally:
        """This tally with one more clock that showed ``light``."""
        changes = {"clocks": self.clocks + 1}
        if light is not Light.GREEN:
            changes[light.value] = getattr(self, light.value) + 1
        return attrs.evolve(self, **changes)


@attrs.frozen
class PostLights:
    """The step clocks of one post (岗位), by light."""

    post: str
    post_name: str
    division: str
    division_name: str
    lights: LightTally


@attrs.frozen
class DivisionLights:
    """The step clocks of one division's posts (处室), by light."""

    division: str
    division_name: str
    lights: LightTally


@attrs.frozen
class StepDays:
    """Working days taken at one step of one permit type's workflow.

    :param late: completions after the step's deadline.
    """

    permit_type: str
    step_id: str
    step_name: str
    post: str | None
    post_name: str
    days: Spread
    late: int


@attrs.frozen
class PermitTypeFigures:
    """One permit type's figures: counts, on-time decisions, days per case, case lights."""

    code: str
    name: str
    counts: Counts
    on_time: OnTime
    case_days: Spread
    case_lights: LightTally


@attrs.frozen
class PauseFigures:
    """Pauses begun in the period for one reason (计时中止)."""

    reason: str
    reason_zh: str
    pauses: int
    cases: int


@attrs.frozen
class ExtensionFigures:
    """Extensions granted in the period (延期, art. 42)."""

    extensions: int = 0
    working_days: int = 0
    by_permit_type: dict[str, int] = attrs.field(factory=dict)


@attrs.frozen
class CertificateFigures:
    """Certificates issued in the period, and how many within the certificate limit."""

    issued: int = 0
    on_time: int = 0


@attrs.frozen
class ApprovalStatistics:
    """The approval system's figures for one period (see the module docstring)."""

    period: Period
    cases: int
    counts: Counts
    by_month: dict[str, Counts]
    by_permit_type: tuple[PermitTypeFigures, ...]
    by_permit_type_and_month: dict[str, dict[str, Counts]]
    on_time: OnTime
    on_time_by_month: dict[str, OnTime]
    certificates: CertificateFigures
    case_lights: LightTally
    step_lights: LightTally
    posts: tuple[PostLights, ...]
    divisions: tuple[DivisionLights, ...]
    steps: tuple[StepDays, ...]
    case_days: Spread
    pauses: tuple[PauseFigures, ...]
    extensions: ExtensionFigures


def approval_statistics(
    source: Source, start: dt.date, end: dt.date, *, progress: Progress | None = None
) -> ApprovalStatistics:
    """The approval statistics of the days ``start`` to ``end`` (both included).

    :param source: an engine (its organisation names divisions; its calendar and light
        policy time the clocks), or a store read with the reference organisation.
    :param progress: told ``(done, total)`` as histories are read.
    :raises ValidationError: when ``end`` is before ``start``.
    """
    engine = reader(source)
    period = Period(start, end, engine.calendar.zone)
    read = timelines(read_histories(engine, period, progress), period)
    return statistics_of(read, period, engine)


def statistics_of(
    cases: Iterable[CaseTimeline], period: Period, engine: Engine
) -> ApprovalStatistics:
    """The statistics of timelines (a list, or an iterator read once and dropped case by
    case; see :func:`approval_statistics`)."""
    tally = _Tally(period, engine)
    count = 0
    for case in cases:
        tally.add(case)
        count += 1
    return tally.result(count)


class _Tally:
    """Adds cases up one by one; :meth:`result` makes the frozen figures."""

    def __init__(self, period: Period, engine: Engine) -> None:
        self.period = period
        self.engine = engine
        self.names = Names(engine)
        self.counts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        self.on_time: dict[tuple[str, str], OnTime] = defaultdict(OnTime)
        # working days as {days: how many}: flat in the number of cases
        self.case_days: dict[str, Counter[int]] = defaultdict(Counter)
        self.case_lights: dict[str, LightTally] = defaultdict(LightTally)
        self.post_lights: dict[str, LightTally] = defaultdict(LightTally)
        self.step_days: dict[tuple[str, str], Counter[int]] = defaultdict(Counter)
        self.step_late: Counter[tuple[str, str]] = Counter()
        self.step_names: dict[tuple[str, str], tuple[str, str | None, str]] = {}
        self.pauses: Counter[str] = Counter()
        self.paused_cases: Counter[str] = Counter()
        self.extensions: Counter[str] = Counter()
        self.extension_days = 0
        self.certificates = CertificateFigures()

    def add(self, case: CaseTimeline) -> None:
        self._count(case)
        self._decision(case)
        self._lights(case)
        self._steps(case)
        reasons: set[str] = set()
        for pause in case.pauses:
            if self.period.contains(pause.started):
                self.pauses[pause.reason] += 1
                reasons.add(pause.reason)
        self.paused_cases.update(reasons)  # each case is added once: a case per reason
        for extension in case.extensions:
            if self.period.contains(extension.at):
                self.extensions[case.permit_type] += 1
                self.extension_days += extension.days

    # -- the parts ------------------------------------------------------------------------------

    def _count(self, case: CaseTimeline) -> None:
        moments = {
            "received": case.received_at,
            "accepted": case.accepted_at,
            "refused": case.refused_at,
            "decided": case.decided_at,
            "issued": case.issued_at,
            "delivered": case.delivered_at,
            "withdrawn": case.withdrawn_at,
        }
        if case.outcome is not None:
            moments["approved" if case.outcome is Outcome.APPROVED else "denied"] = case.decided_at
        for what, at in moments.items():
            if at is not None and self.period.contains(at):
                self.counts[(case.permit_type, self.period.month_of(at))][what] += 1

    def _decision(self, case: CaseTimeline) -> None:
        calendar, horizon = self.engine.calendar, self.period.closes
        decided = case.decided_at
        if decided is not None and self.period.contains(decided) and case.committed is not None:
            committed_ok = not case.committed.overdue(calendar, horizon)
            statutory_ok = case.statutory is not None and not case.statutory.overdue(
                calendar, horizon
            )
            key = (case.permit_type, self.period.month_of(decided))
            self.on_time[key] += OnTime(1, int(committed_ok), int(statutory_ok))
            self.case_days[case.permit_type][case.committed.used(calendar, horizon)] += 1
        issued = case.issued_at
        if issued is not None and self.period.contains(issued) and case.certificate is not None:
            late = case.certificate.overdue(calendar, horizon)
            self.certificates = CertificateFigures(
                self.certificates.issued + 1, self.certificates.on_time + int(not late)
            )

    def _lights(self, case: CaseTimeline) -> None:
        calendar, horizon = self.engine.calendar, self.period.closes
        policy = self.engine.policy(case.permit_type)
        case_light: Light | None = None
        for _name, run, step in case.clocks():
            if not self._in_view(run):
                continue
            light = run.light(calendar, policy, horizon)
            if step is None:
                case_light = light if case_light is None else worse(case_light, light)
            elif step.post is not None:
                self.post_lights[step.post] = self.post_lights[step.post].add(light)
        if case_light is not None:
            tally = self.case_lights[case.permit_type]
            self.case_lights[case.permit_type] = tally.add(case_light)

    def _in_view(self, run: ClockRun) -> bool:
        return run.ended is None or self.period.contains(run.ended)

    def _steps(self, case: CaseTimeline) -> None:
        calendar, horizon = self.engine.calendar, self.period.closes
        for step in case.steps:
            if step.how != "completed" or step.clock is None or step.ended_at is None:
                continue
            if not self.period.contains(step.ended_at):
                continue
            key = (case.permit_type, step.step_id)
            self.step_days[key][step.clock.used(calendar, horizon)] += 1
            self.step_late[key] += int(step.clock.overdue(calendar, horizon))
            if key not in self.step_names:
                name = self.names.step(case.permit_type, case.workflow_version, step.step_id)
                post_name = self.names.post(step.post)[0] if step.post else "—"
                self.step_names[key] = (name, step.post, post_name)

    # -- the result -----------------------------------------------------------------------------

    def result(self, cases: int) -> ApprovalStatistics:
        months = self.period.months
        types = sorted({t for t, _ in self.counts} | set(self.case_lights) | set(self.case_days))
        by_both = {
            t: {m: _counts(self.counts.get((t, m), Counter())) for m in months} for t in types
        }
        by_month = {m: sum((by_both[t][m] for t in types), Counts()) for m in months}
        on_time_by_type = {
            t: sum((v for (pt, _), v in self.on_time.items() if pt == t), OnTime()) for t in types
        }
        return ApprovalStatistics(
            period=self.period,
            cases=cases,
            counts=sum(by_month.values(), Counts()),
            by_month=by_month,
            by_permit_type=tuple(
                PermitTypeFigures(
                    t,
                    self.names.permit_type(t),
                    sum(by_both[t].values(), Counts()),
                    on_time_by_type[t],
                    _spread(self.case_days.get(t, Counter())),
                    self.case_lights.get(t, LightTally()),
                )
                for t in types
            ),
            by_permit_type_and_month=by_both,
            on_time=sum(on_time_by_type.values(), OnTime()),
            on_time_by_month={
                m: sum((v for (_, mm), v in self.on_time.items() if mm == m), OnTime())
                for m in months
            },
            certificates=self.certificates,
            case_lights=_sum_lights(self.case_lights.values()),
            step_lights=_sum_lights(self.post_lights.values()),
            posts=self._posts(),
            divisions=self._divisions(),
            steps=tuple(
                StepDays(t, s, *self.step_names[(t, s)], _spread(v), self.step_late[(t, s)])
                for (t, s), v in sorted(self.step_days.items())
            ),
            case_days=_spread(sum(self.case_days.values(), Counter())),
            pauses=tuple(
                PauseFigures(r, _reason_zh(r), n, self.paused_cases[r])
                for r, n in sorted(self.pauses.items())
            ),
            extensions=ExtensionFigures(
                sum(self.extensions.values()),
                self.extension_days,
                dict(sorted(self.extensions.items())),
            ),
        )

    def _posts(self) -> tuple[PostLights, ...]:
        rows = []
        for post, lights in self.post_lights.items():
            name, division, division_name = self.names.post(post)
            rows.append(PostLights(post, name, division, division_name, lights))
        return tuple(sorted(rows, key=lambda r: (r.division, r.post)))

    def _divisions(self) -> tuple[DivisionLights, ...]:
        grouped: dict[tuple[str, str], list[LightTally]] = defaultdict(list)
        for row in self._posts():
            grouped[(row.division, row.division_name)].append(row.lights)
        return tuple(
            DivisionLights(code, name, _sum_lights(tallies))
            for (code, name), tallies in sorted(grouped.items())
        )


def _spread(days: Counter[int]) -> Spread:
    """:meth:`Spread.of` the values ``days`` counts ({value: how many times}), computed
    from the counts: the same figures without a list of every value."""
    n = sum(days.values())
    if n == 0:
        return Spread(0, None, None, None)
    total = sum(value * times for value, times in days.items())
    mean = (Decimal(total) / Decimal(n)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    rank, seen, p90 = (9 * n + 9) // 10, 0, 0
    for value in sorted(days):
        seen += days[value]
        if seen >= rank:
            p90 = value
            break
    return Spread(n, mean, p90, max(days))


def _counts(counter: Counter[str]) -> Counts:
    return Counts(**counter)


def _sum_lights(tallies: Iterable[LightTally]) -> LightTally:
    total = LightTally()
    for tally in tallies:
        total = LightTally(
            total.clocks + tally.clocks,
            total.reminder + tally.reminder,
            total.yellow + tally.yellow,
            total.red + tally.red,
        )
    return total


def _reason_zh(reason: str) -> str:
    try:
        return PauseReason(reason).zh
    except ValueError:
        return reason
