"""The engine on SQLite (synchronous=FULL, one process) against the raw commit rate.

Prints, all measured in the same run on the same file system:

* the raw rate of single-row SQLite commits (WAL, synchronous=FULL): the disk's limit;
* engine transitions per second (each command one transaction) and the ratio to the raw rate;
* complete cases per second (11 commands each: submit … deliver, through a countersign and a
  division meeting);
* the latency of the overdue board and of an inbox query with 1,000,000 stored cases.

Run: ``.venv/bin/python benchmarks/bench_engine.py [--cases N] [--big 1000000]``
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pendulum

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from _support.engine import (
    CERT,
    CHECKLIST,
    DEPUTY,
    DIVISION_HEAD,
    LAND,
    LEGAL,
    REVIEWER,
    WINDOW,
    make_engine,
)

from planning_core.cases import (
    Accept,
    Complete,
    Decide,
    Deliver,
    IssueCertificate,
    Outcome,
    RecordMeetingDecision,
    Submit,
)
from planning_core.storage import SQLiteStore


def raw_commit_rate(directory: Path, n: int) -> float:
    conn = sqlite3.connect(directory / "raw.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, doc TEXT)")
    start = time.perf_counter()
    for i in range(n):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t (doc) VALUES (?)", (f"row {i}",))
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return n / elapsed


def engine_run(directory: Path, cases: int) -> tuple[float, float, int]:
    engine = make_engine(f"sqlite:///{directory / 'engine.db'}")
    t = pendulum.datetime(2026, 3, 2, 9, tz="Asia/Shanghai")
    transitions = 0
    start = time.perf_counter()
    for i in range(cases):
        c = f"case-{i}"
        t = t.add(seconds=10)
        steps = [
            (Submit(c, "TEST", "申请人", "项目", ("application", "site_plan")), WINDOW),
            (Accept(c), WINDOW),
            (Complete(c, "window", "FORWARD"), WINDOW),
            (Complete(c, "review", "APPROVE", "", CHECKLIST), REVIEWER),
            (Complete(c, "land", "APPROVE"), LAND),
            (Complete(c, "legal", "APPROVE"), LEGAL),
            (
                RecordMeetingDecision(c, "meeting", t.date(), ("甲", "乙", "丙"), "同意"),
                DIVISION_HEAD,
            ),
            (Complete(c, "leader", "APPROVE"), DEPUTY),
            (Decide(c, Outcome.APPROVED), DEPUTY),
            (IssueCertificate(c), CERT),
            (Deliver(c), WINDOW),
        ]
        for command, actor in steps:
            engine.execute(command, actor, t)  # type: ignore[arg-type]
            transitions += 1
    elapsed = time.perf_counter() - start
    engine.store.close()
    return transitions / elapsed, cases / elapsed, transitions


def query_latency(directory: Path, n: int) -> tuple[list[float], list[float]]:
    path = directory / "big.db"
    SQLiteStore(f"sqlite:///{path}").close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    base = int(pendulum.datetime(2026, 1, 1, tz="UTC").timestamp())
    posts = ["CONSTRUCTION_REVIEWER", "LAND_REVIEWER", "LEGAL_REVIEWER", "WINDOW_CLERK"]
    rows = (
        (
            f"c{i:07d}",
            "TEST",
            "in_review" if i % 5 else "delivered",
            "green",
            int(i % 5 != 0),
            "2026-01",
            3,
            base + (i * 37) % 31_536_000,
            base + (i * 37) % 31_536_000,
            "{}",
        )
        for i in range(n)
    )
    conn.executemany(
        "INSERT INTO cases (case_id, permit_type, status, light, is_open, month, last_seq, "
        "deadline_ts, wake_ts, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.executemany(
        "INSERT INTO work_items (case_id, post, step_id, due_ts) VALUES (?, ?, ?, ?)",
        (
            (f"c{i:07d}", posts[i % 4], "review", base + (i * 37) % 31_536_000)
            for i in range(n)
            if i % 5
        ),
    )
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()
    store = SQLiteStore(f"sqlite:///{path}")
    now = base + 15_000_000
    overdue, inbox = [], []
    for _ in range(30):
        start = time.perf_counter()
        board = store.overdue(now, limit=50)
        overdue.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        work = store.inbox("LAND_REVIEWER", limit=50)
        inbox.append((time.perf_counter() - start) * 1000)
    assert len(board) == 50 and len(work) == 50
    store.close()
    return overdue, inbox


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100)
    parser.add_argument("--raw", type=int, default=2000)
    parser.add_argument("--big", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=".") as tmp:
        directory = Path(tmp)
        raw = raw_commit_rate(directory, args.raw)
        per_transition, per_case, n = engine_run(directory, args.cases)
        print(f"raw SQLite single-row commits (WAL, synchronous=FULL): {raw:,.0f}/s")
        print(
            f"engine transitions: {per_transition:,.0f}/s over {n} transitions "
            f"= {per_transition / raw:.0%} of the raw commit rate"
        )
        print(f"complete 11-command cases: {per_case:,.1f}/s")
        overdue, inbox = query_latency(directory, args.big)
        for name, times in (("overdue board (limit 50)", overdue), ("inbox (limit 50)", inbox)):
            print(
                f"{name} over {args.big:,} cases: median {statistics.median(times):.2f} ms, "
                f"max {max(times):.2f} ms"
            )


if __name__ == "__main__":
    main()
