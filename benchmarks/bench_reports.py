"""Reports over a generated year: how fast histories are read, counted and replayed.

Generates a year of the sample bureau's cases through the engine (the tests' seeded random
walk) on SQLite, then prints, each measured in the same run:

* reading every history of the year (``store.cases()`` then ``load_events`` per case) and
  walking it into a timeline, per second;
* the approval statistics of the year (reading included), and the ratio to reading alone;
* a what-if replay halving one post's limit (two walks and the lights of every clock);
* the annual summary as HTML with its three charts.

Run: ``.venv/bin/python benchmarks/bench_reports.py [--cases N]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from _support.engine import make_engine
from reports._year import generate_year

from planning_core.reports import (
    PostLimit,
    annual_summary,
    approval_statistics,
    summary_html,
    what_if,
)
from planning_core.reports._histories import read_histories, timelines
from planning_core.reports._period import Period
from planning_core.timing import TimeLimit

YEAR = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def _timed(label: str, n: int, work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    elapsed = time.perf_counter() - start
    print(f"  {label:<44}{elapsed:>8.2f} s  {n / elapsed:>9,.0f} cases/s")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{Path(directory) / 'year.db'}?synchronous=OFF"
        engine = make_engine(url)
        start = time.perf_counter()
        generate_year(engine, args.cases)
        generated = time.perf_counter() - start
        print(f"generated {args.cases:,} cases through the engine in {generated:.1f} s")
        period = Period(*YEAR)
        read = _timed(
            "read and walk every history",
            args.cases,
            lambda: timelines(read_histories(engine, period), period),
        )
        stats = _timed(
            "approval statistics (reading included)",
            args.cases,
            lambda: approval_statistics(engine, *YEAR),
        )
        halved = [PostLimit("CONSTRUCTION_HEAD", TimeLimit.working_days(1))]
        replay = _timed(
            "what-if: halve a post's limit", args.cases, lambda: what_if(engine, halved, *YEAR)
        )
        annual = _timed(
            "annual summary as HTML with charts",
            args.cases,
            lambda: summary_html(annual_summary(engine, 2025)),
        )
        print(
            f"ratios to reading alone: statistics {stats / read:.2f}x, "
            f"what-if {replay / read:.2f}x, annual {annual / read:.2f}x"
        )


if __name__ == "__main__":
    main()
