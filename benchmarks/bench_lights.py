"""Lights over a generated year: how many clocks go yellow and red under each light policy.

The old default, ``ThresholdPolicy(yellow_within=3)``, lights a clock YELLOW once 3 working
days or fewer remain, so every step of 1 to 3 working days is yellow from its first minute.
The new default, ``ShareThresholdPolicy()``, lights the last fifth of a limit (at least the
last working day, never from the start). This script shows what that means on a year of
cases.

It generates a year of the sample bureau's cases with a seeded random walk (a copy of the
tests' year generator, run in time order: every case's next command waits in one queue; an
extension is asked for only while the decision limits run, as art. 42 wants) on SQLite,
twice, once per policy. The engine sweeps at noon every day and just before every
command, as a host's sweeper would, so every light a clock showed before it stopped is
recorded (``LightChanged``). It then counts the step clocks and the case clocks (committed,
statutory, certificate) that were ever yellow and ever red, side by side, and checks the
counts against the reports' rule (the worst light of each clock, from ``chronicle``).

Run: ``.venv/bin/python benchmarks/bench_lights.py [--cases N] [--seed S]``
"""

from __future__ import annotations

import argparse
import heapq
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Generator, Iterator
from pathlib import Path

import attrs
import pendulum

from planning_core.bureau import open_bureau, permit_registry
from planning_core.cases import (
    Accept,
    Command,
    Complete,
    Decide,
    Deliver,
    Engine,
    Extend,
    IssueCertificate,
    LightChanged,
    Outcome,
    ReceiveSupplement,
    RecordMeetingDecision,
    RefuseAcceptance,
    RequestSupplement,
    Resume,
    Submit,
    Suspend,
    Withdraw,
    chronicle,
)
from planning_core.testing import SAMPLE_CHECKLIST, sample_permit_type
from planning_core.timing import (
    LightPolicy,
    ShareThresholdPolicy,
    ThresholdPolicy,
    light_policy,
)
from planning_core.workflow import Actor, reference_organisation

ZONE = "Asia/Shanghai"
YEAR = 2025
ORG = reference_organisation()
WINDOW = ORG.actor("zhang.min")
CERT = ORG.actor("liu.yang")
DIVISION_HEAD = ORG.actor("li.hua")
DEPUTY = ORG.actor("ma.zhi")
HEAD = ORG.actor("gao.ming")
STEP_ACTORS: dict[str, Actor] = {
    "window": WINDOW,
    "review": ORG.actor("wang.jianguo"),
    "land": ORG.actor("zhao.lei"),
    "legal": ORG.actor("wu.tao"),
    "meeting": DIVISION_HEAD,
    "leader": DEPUTY,
}
PAUSE_REASONS = ("expert_review", "hearing", "public_notice")
CASE_CLOCKS = ("committed", "statutory", "certificate")


@attrs.frozen
class Act:
    """One command a case's walk wants carried out, by whom and when."""

    at: pendulum.DateTime
    command: Command
    actor: Actor


class CaseWalk:
    """One case's life, as a generator of acts (the tests' year walk, one act at a time).

    Each case has its own random source, so the walk does not depend on how the cases
    interleave; a walk reads the engine's state only after its previous act was carried out.
    """

    def __init__(self, engine: Engine, seed: str, case_id: str, t: pendulum.DateTime) -> None:
        self.engine, self.rng, self.case_id, self.t = engine, random.Random(seed), case_id, t

    def act(self, command: object, actor: Actor) -> Act:
        return Act(self.t, command, actor)  # type: ignore[arg-type]

    def later(self, most: int) -> None:
        """Move on 0 to ``most`` working days (a few minutes when 0)."""
        days = self.rng.randint(0, most)
        if days == 0:
            self.t = self.t.add(minutes=self.rng.randint(5, 90))
            return
        calendar = self.engine.calendar
        day = calendar.add_working_days(calendar.local_date(self.t), days)
        hour, minute = self.rng.randint(8, 16), self.rng.randint(0, 59)
        self.t = pendulum.datetime(day.year, day.month, day.day, hour, minute, tz=ZONE)

    def run(self) -> Iterator[Act]:
        rng, cid = self.rng, self.case_id
        materials = ("application", "site_plan")
        yield self.act(Submit(cid, "TEST", f"申请人{cid}", f"项目{cid}", materials), WINDOW)
        roll = rng.random()
        if roll < 0.03:
            self.later(1)
            yield self.act(RefuseAcceptance(cid, "不属于本机关职权范围"), WINDOW)
            return
        if roll < 0.08:
            self.later(2)
            yield self.act(RequestSupplement(cid, ("site_plan",), "总平面图不清晰"), WINDOW)
            self.later(4)
            yield self.act(ReceiveSupplement(cid, ("site_plan",)), WINDOW)
        self.later(1)
        yield self.act(Accept(cid), WINDOW)
        withdrawn = yield from self.review()
        if not withdrawn:
            yield from self.decide()

    def review(self) -> Generator[Act, None, bool]:
        """Walk the workflow; returns True when the applicant withdrew."""
        rng, cid = self.rng, self.case_id
        suspend_at = rng.choice(list(STEP_ACTORS)) if rng.random() < 0.06 else None
        extend_at = rng.choice(list(STEP_ACTORS)) if rng.random() < 0.05 else None
        withdraw_at = rng.choice(list(STEP_ACTORS)) if rng.random() < 0.02 else None
        returned = False
        while (state := self.engine.load(cid)).status.value == "in_review":
            token = next(t for t in state.tokens if t.post is not None)
            step = self.engine.workflow_of(state).step(token.step_id)
            if token.step_id == withdraw_at:
                self.later(2)
                yield self.act(Withdraw(cid, "申请人撤回"), WINDOW)
                return True
            if token.step_id == suspend_at:
                suspend_at = None
                self.later(1)
                yield self.act(
                    Suspend(cid, rng.choice(PAUSE_REASONS), expected_working_days=10), DIVISION_HEAD
                )
                self.later(8)
                yield self.act(Resume(cid), DIVISION_HEAD)
            if token.step_id == extend_at:
                extend_at = None
                self.later(1)
                if self.within_the_period():
                    yield self.act(Extend(cid, rng.randint(1, 10), "情况复杂，需延期"), HEAD)
            self.later(step.days + 3 if rng.random() < 0.25 else step.days)
            yield self.act(self.completion(token.step_id, returned), STEP_ACTORS[token.step_id])
            returned = returned or token.step_id == "meeting"
        return False

    def within_the_period(self) -> bool:
        """An extension is approved before the decision limits run out (行政许可法 art. 42),
        so the head grants none once a decision clock is overdue."""
        clocks = self.engine.load(self.case_id).clocks
        calendar = self.engine.calendar
        running = [c for c in (clocks.committed, clocks.statutory) if c is not None]
        return not any(c.is_overdue(self.t, calendar) for c in running)

    def completion(self, step_id: str, returned: bool) -> object:
        rng, cid = self.rng, self.case_id
        if step_id == "meeting":
            action = "RETURN" if not returned and rng.random() < 0.05 else "APPROVE"
            attendees = ("李华", "王建国", "赵磊")
            return RecordMeetingDecision(cid, "meeting", self.t.date(), attendees, "研究", action)
        if step_id == "leader":
            return Complete(cid, "leader", "REJECT" if rng.random() < 0.1 else "APPROVE", "意见")
        if step_id == "window":
            return Complete(cid, "window", "FORWARD")
        checklist = SAMPLE_CHECKLIST if step_id == "review" else ()
        return Complete(cid, step_id, "APPROVE", "同意", checklist)

    def decide(self) -> Iterator[Act]:
        cid = self.case_id
        state = self.engine.load(cid)
        self.later(2)
        if (state.recommendation or "").upper() == "APPROVE":
            yield self.act(Decide(cid, Outcome.APPROVED), DEPUTY)
            self.later(12 if self.rng.random() < 0.1 else 5)
            yield self.act(IssueCertificate(cid), CERT)
        else:
            yield self.act(Decide(cid, Outcome.DENIED, "不符合控制性详细规划"), DEPUTY)
        self.later(5)
        yield self.act(Deliver(cid, "申请人"), WINDOW)


def arrivals(engine: Engine, cases: int, seed: int) -> list[pendulum.DateTime]:
    """``cases`` instants in office hours on the working days of the year, in order."""
    rng = random.Random(seed)
    calendar = engine.calendar
    first = pendulum.date(YEAR, 1, 1)
    days = [
        d
        for d in (first.add(days=i) for i in range(366))
        if d.year == YEAR and calendar.is_working_day(d)
    ]
    return sorted(
        pendulum.datetime(d.year, d.month, d.day, rng.randint(8, 16), rng.randint(0, 59), tz=ZONE)
        for d in (rng.choice(days) for _ in range(cases))
    )


class Year:
    """Runs every case's walk in time order, sweeping at noon each day and before each act."""

    def __init__(self, engine: Engine, cases: int, seed: int) -> None:
        self.engine = engine
        self.queue: list[tuple[pendulum.DateTime, int, Act, Iterator[Act]]] = []
        for index, at in enumerate(arrivals(engine, cases, seed)):
            walk = CaseWalk(engine, f"{seed}-{index}", f"y{YEAR}-{index:05d}", at).run()
            self._push(index, walk)
        self.noon = pendulum.datetime(YEAR, 1, 1, 12, tz=ZONE)
        self.commands = self.sweeps = 0

    def _push(self, order: int, walk: Iterator[Act]) -> None:
        act = next(walk, None)
        if act is not None:
            heapq.heappush(self.queue, (act.at, order, act, walk))

    def run(self) -> None:
        while self.queue:
            at, order, act, walk = heapq.heappop(self.queue)
            while self.noon < at:
                self._sweep(self.noon)
                self.noon = self.noon.add(days=1)
            self._sweep(at)
            self.engine.execute(act.command, act.actor, at)
            self.commands += 1
            self._push(order, walk)

    def _sweep(self, at: pendulum.DateTime) -> None:
        self.engine.sweep(at)
        self.sweeps += 1


@attrs.frozen
class Tally:
    """Clocks of one group: how many ran, were ever yellow, ever red (by the sweeps)."""

    clocks: int = 0
    yellow: int = 0
    red: int = 0

    def add(self, shown: set[str]) -> Tally:
        """This tally with one more clock, which showed the lights ``shown``."""
        yellow, red = "yellow" in shown, "red" in shown
        return Tally(self.clocks + 1, self.yellow + yellow, self.red + red)

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.clocks + other.clocks, self.yellow + other.yellow, self.red + other.red)


#: A group of clocks: ("step", its limit in working days) or ("case", the clock's name).
Group = tuple[str, int | str]


@attrs.define
class Count:
    """Every clock of the year, grouped, with the check against the reports' rule."""

    groups: dict[Group, Tally] = attrs.field(factory=dict)
    disagreements: int = 0
    other_lights: Counter[str] = attrs.field(factory=Counter)

    def add(self, group: Group, shown: set[str]) -> None:
        self.groups[group] = self.groups.get(group, Tally()).add(shown)

    def steps(self) -> list[Group]:
        """The step groups, shortest limit first."""
        return sorted((g for g in self.groups if g[0] == "step"), key=lambda g: int(g[1]))


def count(engine: Engine, policy: LightPolicy) -> Count:
    """Clocks ever yellow and ever red, from the recorded ``LightChanged`` events.

    Each clock's worst light by the reports' rule (``ClockRun.light``: its lights at every
    ledger change and at its end) must agree with the sweeps: RED when it was ever red,
    YELLOW when it was ever yellow but never red.
    """
    result = Count()
    calendar = engine.calendar
    for row in engine.store.cases():
        history = engine.history(row.case_id)
        shown: dict[str, set[str]] = {}
        for recorded in history:
            if isinstance(recorded.event, LightChanged):
                shown.setdefault(recorded.event.clock, set()).add(recorded.event.new)
        timeline = chronicle(row.case_id, history)
        horizon = timeline.last_at or pendulum.now(ZONE)
        for name, run, step in timeline.clocks():
            lights = shown.pop(name, set())
            group: Group = ("step", run.clock.limit.value) if step else ("case", name)
            result.add(group, lights)
            worst = run.light(calendar, policy, horizon)
            expected = "red" if "red" in lights else "yellow" if "yellow" in lights else "green"
            result.disagreements += worst.value != expected
        for name, lights in shown.items():  # clocks the report does not keep (the notice's)
            result.other_lights.update(f"{name.split(':')[0]} {light}" for light in lights)
    return result


def simulate(policy: LightPolicy, cases: int, seed: int, folder: Path) -> tuple[Count, Year]:
    url = f"sqlite:///{folder / f'{type(policy).__name__}.db'}?synchronous=OFF"
    engine = open_bureau(
        store=url,
        organisation=ORG,
        permit_types=permit_registry([sample_permit_type()]),
        policy=policy,
    ).engine
    year = Year(engine, cases, seed)
    year.run()
    return count(engine, policy), year


def _share(part: int, whole: int) -> str:
    return f"{part:>6,} {100 * part / whole:5.1f}%" if whole else f"{part:>6,}    --"


def _label(group: Group) -> str:
    kind, what = group
    return f"  {what}-day steps" if kind == "step" else f"  {what}"


def _rows(old: Count, new: Count) -> list[tuple[str, Tally, Tally]]:
    """Step clocks, then case clocks: the total first, then each group."""
    rows: list[tuple[str, Tally, Tally]] = []
    cases: list[Group] = [("case", name) for name in CASE_CLOCKS if ("case", name) in old.groups]
    for label, groups in (("step clocks", old.steps()), ("case clocks", cases)):
        before = sum((old.groups[g] for g in groups), Tally())
        after = sum((new.groups.get(g, Tally()) for g in groups), Tally())
        rows.append((label, before, after))
        rows += [(_label(g), old.groups[g], new.groups.get(g, Tally())) for g in groups]
    return rows


def report(old: Count, new: Count, names: tuple[str, str]) -> None:
    """One row per group: clocks, then ever yellow and ever red under each policy."""
    width, pair = 22, f"{names[0]:>13} {names[1]:>13}"
    print(f"{'':<{width}}{'':>7}  {'ever yellow':^27}  {'ever red':^27}")
    print(f"{'clocks':<{width}}{'count':>7}  {pair}  {pair}")
    for label, a, b in _rows(old, new):
        assert a.clocks == b.clocks, label  # the same walk under both policies
        print(
            f"{label:<{width}}{a.clocks:>7,}  {_share(a.yellow, a.clocks)} "
            f"{_share(b.yellow, b.clocks)}  {_share(a.red, a.clocks)} {_share(b.red, b.clocks)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20250101)
    args = parser.parse_args()
    policies: list[tuple[str, LightPolicy]] = [
        ("ThresholdPolicy(3)", ThresholdPolicy(yellow_within=3)),
        ("new default", light_policy(None)),
    ]
    assert isinstance(policies[1][1], ShareThresholdPolicy)
    counts = []
    with tempfile.TemporaryDirectory() as directory:
        for label, policy in policies:
            start = time.perf_counter()
            counted, year = simulate(policy, args.cases, args.seed, Path(directory))
            elapsed = time.perf_counter() - start
            print(
                f"{label}: {args.cases:,} cases of {YEAR}, {year.commands:,} commands, "
                f"{year.sweeps:,} sweeps, in {elapsed:.1f} s; the reports' worst lights "
                f"disagree with the sweeps on {counted.disagreements} clocks"
            )
            if counted.other_lights:
                print(f"  lights of other clocks: {dict(sorted(counted.other_lights.items()))}")
            counts.append(counted)
    print(f"old: {policies[0][1]!r}; new: {policies[1][1]!r}")
    report(counts[0], counts[1], ("old", "new"))
    if any(c.disagreements for c in counts):
        sys.exit(1)


if __name__ == "__main__":
    main()
