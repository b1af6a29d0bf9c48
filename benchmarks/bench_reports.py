"""Reports over generated years of 10,000 and 100,000 cases: time and peak memory.

Generates a year of the sample bureau's cases through the engine (the tests' seeded random
walk) on SQLite, clones it in SQL into years of 10,000 and 100,000 cases (each copy the same
histories under new case ids and numbers), then measures, each in a fresh process:

* the annual summary (its approval statistics read every history of the year; it also
  gathers the rural township figures and the conservation and rating ones);
* the approval statistics of the year alone;
* a what-if replay halving one post's limit (two walks and the lights of every clock),
  keeping the totals only (``keep="none"``);

and prints the time and the peak memory of each: the growth of the process's peak RSS
while the report ran, and with ``--tracemalloc`` Python's own allocations as traced by
``tracemalloc`` (the time is then measured under tracing, which slows allocation). The
reports read the histories a page at a time and keep only their totals, so the memory of
the larger year should stay within 1.5x of the smaller one's.

Run: ``.venv/bin/python benchmarks/bench_reports.py [--base 2000] [--sizes 10000 100000]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from _support.engine import make_engine
from reports._year import generate_year

from planning_core.reports import PostLimit, annual_summary, approval_statistics, what_if
from planning_core.timing import TimeLimit

YEAR = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
REPORTS = (
    ("annual", "annual summary"),
    ("statistics", "approval statistics"),
    ("whatif", "what-if, totals only"),
)


def clone(base: Path, path: Path, cases: int) -> int:
    """A copy of ``base`` grown to ``cases`` cases by copying its cases under new ids."""
    path.write_bytes(base.read_bytes())
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    have = conn.execute("SELECT count(*) FROM cases").fetchone()[0]
    copies = -(-cases // have) - 1
    conn.execute("BEGIN")
    conn.execute("CREATE TEMP TABLE k (i INTEGER PRIMARY KEY)")
    conn.executemany("INSERT INTO k VALUES (?)", ((i,) for i in range(1, copies + 1)))
    conn.execute("CREATE TEMP TABLE originals AS SELECT case_id FROM cases")
    new_id = "c.case_id || printf('~%03d', k.i)"
    new_number = "c.case_number || printf('~%03d', k.i)"
    conn.execute(
        f"INSERT INTO cases (case_id, case_number, permit_type, status, light, is_open, month, "
        f"last_seq, deadline_ts, wake_ts, doc, work) SELECT {new_id}, {new_number}, "
        f"c.permit_type, c.status, c.light, c.is_open, c.month, c.last_seq, c.deadline_ts, "
        f"c.wake_ts, json_replace(c.doc, '$.case_number', {new_number}), c.work "
        f"FROM cases c JOIN originals o USING (case_id), k"
    )
    conn.execute(
        f"INSERT INTO events (case_id, seq, doc) SELECT {new_id}, e.seq, "
        f"json_replace(e.doc, '$.case_id', {new_id}, '$.data.case_number', {new_number}) "
        f"FROM events e JOIN cases c USING (case_id) JOIN originals o USING (case_id), k "
        f"ORDER BY k.i, c.case_id, e.seq"
    )
    conn.execute("COMMIT")
    total: int = conn.execute("SELECT count(*) FROM cases").fetchone()[0]
    conn.close()
    return total


class RssPeak:
    """The highest resident set size seen (sampled from /proc every 5 ms) while in use."""

    def __init__(self) -> None:
        self.start = self.peak = self.now()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    @staticmethod
    def now() -> int:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    def _sample(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, self.now())

    def __enter__(self) -> RssPeak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.now())


def measure(url: str, which: str, traced: bool) -> dict[str, float]:
    """Run one report on ``url`` in this process: seconds, traced peak MiB (0 unless
    ``traced``), RSS growth MiB."""
    engine = make_engine(url)
    if traced:
        tracemalloc.start()
    with RssPeak() as rss:
        start = time.perf_counter()
        if which == "annual":
            summary = annual_summary(engine, 2025)
            cases = summary.approval.cases
        elif which == "statistics":
            cases = approval_statistics(engine, *YEAR).cases
        else:
            halved = [PostLimit("CONSTRUCTION_HEAD", TimeLimit.working_days(1))]
            report = what_if(engine, halved, *YEAR, keep="none")
            cases = report.case_count
        elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory() if traced else (0, 0)
    tracemalloc.stop()
    return {
        "seconds": elapsed,
        "peak_mib": peak / 2**20,
        "rss_mib": (rss.peak - rss.start) / 2**20,
        "cases": cases,
    }


def in_child(url: str, which: str, traced: bool) -> dict[str, float]:
    flag = ["--tracemalloc"] if traced else []
    done = subprocess.run(
        [sys.executable, __file__, *flag, "--measure", which, url],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=int, default=2000, help="cases generated by the engine")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="also trace Python's allocations (precise, but slows the reports down)",
    )
    parser.add_argument(
        "--reports",
        nargs="+",
        choices=[name for name, _ in REPORTS],
        default=[name for name, _ in REPORTS],
    )
    parser.add_argument("--measure", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        which, url = args.measure
        print(json.dumps(measure(url, which, args.tracemalloc)))
        return
    with tempfile.TemporaryDirectory(dir=".") as tmp:
        directory = Path(tmp)
        base = directory / "base.db"
        engine = make_engine(f"sqlite:///{base}?synchronous=OFF")
        start = time.perf_counter()
        generate_year(engine, args.base)
        engine.store.close()
        took = time.perf_counter() - start
        print(f"generated {args.base:,} cases through the engine in {took:.1f} s")
        results: dict[tuple[str, int], dict[str, float]] = {}
        for size in args.sizes:
            path = directory / f"year-{size}.db"
            total = clone(base, path, size)
            print(f"year of {total:,} cases (cloned in SQL):")
            for which, label in REPORTS:
                if which not in args.reports:
                    continue
                found = in_child(f"sqlite:///{path}", which, args.tracemalloc)
                results[(which, size)] = found
                traced = f"traced peak {found['peak_mib']:>6.1f} MiB  " if args.tracemalloc else ""
                print(
                    f"  {label:<22} {found['seconds']:>7.1f} s  {found['cases']:>8,.0f} cases  "
                    f"{traced}peak RSS growth {found['rss_mib']:>6.1f} MiB"
                )
        small, large = min(args.sizes), max(args.sizes)
        for which, label in REPORTS:
            if which not in args.reports:
                continue
            a, b = results[(which, small)], results[(which, large)]
            traced = (
                f"traced peak {b['peak_mib'] / a['peak_mib']:.2f}x, " if args.tracemalloc else ""
            )
            print(
                f"{label}: {large:,} / {small:,} cases: time {b['seconds'] / a['seconds']:.1f}x, "
                f"{traced}peak RSS growth {b['rss_mib'] / max(a['rss_mib'], 0.1):.2f}x "
                f"(memory must be within 1.5x)"
            )


if __name__ == "__main__":
    main()
