"""Lights over a generated year: how many clocks go yellow and red under each light policy.

The old default, ``ThresholdPolicy(yellow_within=3)``, lights a clock YELLOW once 3 working
days or fewer remain, so every step of 1 to 3 working days is yellow from its first minute.
The new default, ``ShareThresholdPolicy()``, lights the last fifth of a limit (at least the
last working day, never from the start). This script shows what that means on a year of
cases.

It generates a year of the sample bureau's cases with the tests' seeded random walk
(``tests/reports/_year.py``, run in time order: every case's next command waits in one queue; an
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
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import attrs
import pendulum

from planning_core.bureau import open_bureau, permit_registry
from planning_core.cases import (
    Engine,
    LightChanged,
    chronicle,
)
from planning_core.testing import sample_permit_type
from planning_core.timing import (
    LightPolicy,
    ShareThresholdPolicy,
    ThresholdPolicy,
    light_policy,
)
from planning_core.workflow import reference_organisation

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from reports._year import ZONE, Act, CaseWalk, arrivals

YEAR = 2025
CASE_CLOCKS = ("committed", "statutory", "certificate")


class Year:
    """Runs every case's walk in time order, sweeping at noon each day and before each act."""

    def __init__(self, engine: Engine, cases: int, seed: int) -> None:
        self.engine = engine
        self.queue: list[tuple[pendulum.DateTime, int, Act, Iterator[Act]]] = []
        for index, at in enumerate(arrivals(engine, cases, YEAR, seed)):
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
            group: Group = ("step", run.clock.limit.days) if step else ("case", name)
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
        organisation=reference_organisation(),
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
