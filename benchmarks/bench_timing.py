"""Benchmark the timing room: Clock deadlines against the holidays package, and mass revision.

Run: ``.venv/bin/python benchmarks/bench_timing.py [--clocks N]``

1. 10,000 random start instants in 2020-2026, a 20-working-day limit: deadlines from
   ``Clock.deadline`` (per clock, no batching) and from the ``holidays`` package's own
   ``get_nth_working_day``, in the same run. The dates must be identical (the script exits
   1 otherwise); both rates and their ratio are printed.
2. 1,000,000 deadline recomputations: the day next year's official schedule is registered,
   every open case's clock is asked for its deadline on the new calendar, one call per
   clock. The clocks (a realistic mix of limits, pauses and extensions) are built before
   the timer starts, as an engine holds or loads them; each is recomputed exactly once.

Timings are the best of a few repeats (as ``timeit`` reports); nothing here is asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import sys
import time
from collections.abc import Callable
from typing import TypeVar

import holidays
import pendulum

from planning_core.timing import (
    Clock,
    Deadline,
    NamedDay,
    OfficialSchedule,
    PauseReason,
    TimeLimit,
    calendar_for,
)

T = TypeVar("T")
ZONE = pendulum.timezone("Asia/Shanghai")


def best_of(repeats: int, work: Callable[[], T]) -> tuple[float, T]:
    """The shortest wall time of ``repeats`` runs of ``work``, and its last result."""
    best, result = float("inf"), None
    for _ in range(repeats):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    assert result is not None
    return best, result


def cpu_of(work: Callable[[], object]) -> float:
    """CPU seconds of one run of ``work``: on a shared machine wall time includes waiting."""
    started = time.process_time()
    work()
    return time.process_time() - started


def random_instants(rng: random.Random, n: int, first: int, last: int) -> list[pendulum.DateTime]:
    low = pendulum.datetime(first, 1, 1, tz=ZONE).int_timestamp
    high = pendulum.datetime(last, 12, 31, 23, 59, 59, tz=ZONE).int_timestamp
    return [pendulum.from_timestamp(rng.randint(low, high), tz=ZONE) for _ in range(n)]


def compare_with_holidays(n: int) -> bool:
    rng = random.Random(20260101)
    started = time.perf_counter()
    calendar = calendar_for("CN")
    print(f"calendar CN built in {time.perf_counter() - started:.2f} s ({calendar!r})")
    starts = random_instants(rng, n, 2020, 2026)
    limit = TimeLimit.working_days(20)
    clocks = [Clock(start, limit) for start in starts]
    days = [calendar.local_date(start) for start in starts]
    reference = holidays.country_holidays("CN", years=range(2020, 2028))

    ours_time, ours = best_of(5, lambda: [clock.deadline(calendar) for clock in clocks])
    theirs_time, theirs = best_of(3, lambda: [reference.get_nth_working_day(d, 20) for d in days])

    same = sum(isinstance(o, Deadline) and o.date == t for o, t in zip(ours, theirs, strict=True))
    provisional = sum(isinstance(o, Deadline) and o.provisional for o in ours)
    ours_rate, theirs_rate = n / ours_time, n / theirs_time
    print(f"{n:,} deadlines of a 20-working-day limit from random instants in 2020-2026")
    print(
        f"  planning_core Clock.deadline        {ours_rate:>12,.0f} per second "
        f"({1e6 / ours_rate:.2f} us each)"
    )
    print(
        f"  holidays get_nth_working_day        {theirs_rate:>12,.0f} per second "
        f"({1e6 / theirs_rate:.2f} us each)"
    )
    print(f"  ratio Clock / holidays              {ours_rate / theirs_rate:>12.1f}x")
    print(f"  identical dates                     {same:>12,} of {n:,} ({provisional} provisional)")
    return same == n


def stand_in_2027() -> OfficialSchedule:
    """A stand-in for the 2027 notice (not published when this was written), for timing."""
    off = [("2027-01-01", "元旦")] + [(f"2027-02-{d:02d}", "春节") for d in range(6, 14)]
    off += [(f"2027-10-{d:02d}", "国庆节") for d in range(1, 8)]
    work = [("2027-02-20", "春节调休上班"), ("2027-10-09", "国庆节调休上班")]
    return OfficialSchedule(
        region="CN",
        year=2027,
        source="benchmark stand-in, not the State Council's notice",
        days_off=tuple(NamedDay(dt.date.fromisoformat(d), name) for d, name in off),
        working_days=tuple(NamedDay(dt.date.fromisoformat(d), name) for d, name in work),
    )


def open_cases(n: int) -> list[Clock]:
    """Open cases accepted September to December 2026: 70 % plain, 15 % with a closed pause,
    10 % extended, 5 % with a pause still open; limits of 5 to 45 working days or 30 days."""
    rng = random.Random(2027)
    limits = [TimeLimit.working_days(v) for v in (5, 10, 20, 20, 20, 45)]
    limits.append(TimeLimit.natural_days(30))
    low = pendulum.datetime(2026, 9, 1, tz=ZONE).int_timestamp
    high = pendulum.datetime(2026, 12, 31, 18, tz=ZONE).int_timestamp
    clocks = []
    for _ in range(n):
        start = pendulum.from_timestamp(rng.randint(low, high), tz=ZONE)
        clock = Clock(start, rng.choice(limits))
        kind = rng.random()
        if kind < 0.15:
            begin = start.add(days=rng.randint(0, 10))
            clock = clock.pause(begin, PauseReason.EXPERT_REVIEW)
            clock = clock.resume(begin.add(days=rng.randint(1, 20)))
        elif kind < 0.25:
            clock = clock.extend(10, approver="局长", reason="情况复杂", at=start.add(days=5))
        elif kind < 0.30:
            clock = clock.pause(start.add(days=rng.randint(0, 10)), PauseReason.SUPPLEMENT)
        clocks.append(clock)
    return clocks


def revise_all(n: int) -> None:
    before = calendar_for("CN")
    revised = calendar_for("CN", schedules=[stand_in_2027()])
    started = time.perf_counter()
    gc.disable()  # building a million objects: skip collections that would find no garbage
    try:
        clocks = open_cases(n)
    finally:
        gc.enable()  # the timed part runs with the collector on, as a host would
    print(f"{n:,} open clocks built in {time.perf_counter() - started:.1f} s (not timed below)")
    old = [clock.deadline(before) for clock in clocks]
    elapsed, new = best_of(3, lambda: [clock.deadline(revised) for clock in clocks])
    cpu = cpu_of(lambda: [clock.deadline(revised) for clock in clocks])
    changed = sum(a != b for a, b in zip(old, new, strict=True))
    exact = sum(isinstance(d, Deadline) and not d.provisional for d in new)
    print(f"{n:,} deadline recomputations on the calendar with 2027 registered")
    print(
        f"  Clock.deadline, one call per clock  {elapsed:>12.2f} s "
        f"({n / elapsed:,.0f} per second, {1e6 * elapsed / n:.2f} us each)"
    )
    print(f"  CPU time of one such pass           {cpu:>12.2f} s")
    print(f"  deadlines that moved                {changed:>12,}")
    print(f"  no longer provisional               {exact:>12,}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=10_000)
    parser.add_argument("--clocks", type=int, default=1_000_000)
    args = parser.parse_args()
    agree = compare_with_holidays(args.starts)
    revise_all(args.clocks)
    if not agree:
        print("error: the two libraries disagree on some deadline", file=sys.stderr)
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
