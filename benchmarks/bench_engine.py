"""The engine on SQLite (synchronous=FULL, one process) against the raw commit rate.

Prints, all measured in the same run on the same file system:

* the raw rate of single-row SQLite commits (WAL, synchronous=FULL): the disk's limit;
* engine transitions per second (each command one transaction) and the ratio to the raw rate;
  the two are measured in interleaved rounds on the same file system, so a burst of load on
  this shared machine hits both alike, and each is the median of its rounds;
* the engine's own SQLite statements, recorded and replayed with no engine code: the cost of
  the storage part of a transition by itself, the floor under the engine's rate;
* complete cases per second (11 commands each: submit … deliver, through a countersign and a
  division meeting);
* commands per second on cached cases and with the cache disabled (``cache_size=0``: every
  command reads its case from the store, its last event number and snapshot in one read and
  any events after it, as a server that did not handle the case's last command does), in
  interleaved rounds, and their ratio;
  on ``synchronous=FULL`` and on ``synchronous=OFF`` (where the disk hides nothing);
* the time to load a cold case of 20, 200 and 2,000 events (a case sent back from the
  division meeting to review again and again), from its snapshot and by a full fold;
* the latency of the overdue board and of an inbox query with 1,000,000 stored cases.

Run: ``.venv/bin/python benchmarks/bench_engine.py [--cases N] [--rounds R] [--big 1000000]``
"""

from __future__ import annotations

import argparse
import gc
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

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
    Command,
    Complete,
    Decide,
    Deliver,
    Engine,
    IssueCertificate,
    Outcome,
    RecordMeetingDecision,
    Submit,
    fold,
)
from planning_core.storage import SQLiteStore
from planning_core.workflow import Actor


class RawCommits:
    """Single-row commits (WAL, synchronous=FULL) on a file of their own: the disk's limit."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = FULL")
        self.conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, doc TEXT)")
        self.done = 0

    def rate(self, n: int) -> float:
        conn = self.conn
        start = time.perf_counter()
        for i in range(self.done, self.done + n):
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO t (doc) VALUES (?)", (f"row {i}",))
            conn.execute("COMMIT")
        self.done += n
        return n / (time.perf_counter() - start)


def case_commands(c: str, t: pendulum.DateTime) -> list[tuple[Command, Actor]]:
    """The 11 commands that take one case from the window to delivery."""
    return [
        (Submit(c, "TEST", "申请人", "项目", ("application", "site_plan")), WINDOW),
        (Accept(c), WINDOW),
        (Complete(c, "window", "FORWARD"), WINDOW),
        (Complete(c, "review", "APPROVE", "", CHECKLIST), REVIEWER),
        (Complete(c, "land", "APPROVE"), LAND),
        (Complete(c, "legal", "APPROVE"), LEGAL),
        (RecordMeetingDecision(c, "meeting", t.date(), ("甲", "乙", "丙"), "同意"), DIVISION_HEAD),
        (Complete(c, "leader", "APPROVE"), DEPUTY),
        (Decide(c, Outcome.APPROVED), DEPUTY),
        (IssueCertificate(c), CERT),
        (Deliver(c), WINDOW),
    ]


class EngineCases:
    """Whole cases through the engine on SQLite, each command one transaction."""

    def __init__(self, path: Path) -> None:
        self.engine = make_engine(f"sqlite:///{path}")
        self.t = pendulum.datetime(2026, 3, 2, 9, tz="Asia/Shanghai")
        self.cases = 0

    def rate(self, cases: int) -> tuple[float, float, float]:
        """(transitions per second, cases per second, CPU seconds per transition) over
        ``cases`` more cases."""
        transitions = 0
        cpu = time.process_time()
        start = time.perf_counter()
        for i in range(self.cases, self.cases + cases):
            self.t = self.t.add(seconds=10)
            for command, actor in case_commands(f"case-{i}", self.t):
                self.engine.execute(command, actor, self.t)
                transitions += 1
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu
        self.cases += cases
        return transitions / elapsed, cases / elapsed, cpu / transitions


class CachedAndCold:
    """The same 11-command cases through two engines, each on its own file: one with the
    default cache, one that keeps no case in memory (``cache_size=0``)."""

    def __init__(self, directory: Path, options: str) -> None:
        tag = "off" if "OFF" in options else "full"
        self.cached = EngineCases(directory / f"cached-{tag}.db")
        self.cold = EngineCases(directory / f"cold-{tag}.db")
        for side in (self.cached, self.cold):
            side.engine.store.close()
            path = side.engine.store.url.removeprefix("sqlite:///")
            side.engine = make_engine(f"sqlite:///{path}{options}")
        self.cold.engine.cache_size = 0
        self.cached.rate(2)
        self.cold.rate(2)

    def round(self, cases: int) -> tuple[float, float]:
        """(cached, cold) commands per second over ``cases`` more cases each."""
        return self.cached.rate(cases)[0], self.cold.rate(cases)[0]


def loop_case(engine: Engine, case_id: str, events: int) -> int:
    """A case sent back from the division meeting to review until it has ``events`` events
    or more; returns how many it has."""
    t = pendulum.datetime(2026, 3, 2, 9, tz="Asia/Shanghai")
    commands = case_commands(case_id, t)
    for command, actor in commands[:3]:
        engine.execute(command, actor, t)
    review, land, legal = commands[3], commands[4], commands[5]
    meeting = RecordMeetingDecision(
        case_id, "meeting", t.date(), ("甲", "乙", "丙"), "退回重审", "RETURN"
    )
    while engine.case(case_id).last_seq < events:
        for command, actor in (review, land, legal, (meeting, DIVISION_HEAD)):
            t = t.add(minutes=1)
            engine.execute(command, actor, t)
    return engine.case(case_id).last_seq


def cold_loads(
    directory: Path, sizes: tuple[int, ...], repeat: int
) -> list[tuple[int, float, float]]:
    """(events, median ms to load from the snapshot, median ms to fold the whole history)
    for a case of each size, on a cold engine (``cache_size=0``)."""
    engine = make_engine(f"sqlite:///{directory / 'loops.db'}?synchronous=OFF")
    found = []
    for size in sizes:
        case_id = f"loop-{size}"
        events = loop_case(engine, case_id, size)
        engine.cache_size = 0
        engine._cache.clear()
        # each measured in a loop of its own: the garbage of a full fold (thousands of
        # events decoded) would otherwise be collected inside the next snapshot load
        snapshot, full = [], []
        gc.collect()
        for _ in range(repeat):
            start = time.perf_counter()
            state = engine.load(case_id)
            snapshot.append((time.perf_counter() - start) * 1000)
        for _ in range(max(3, repeat // 10)):
            start = time.perf_counter()
            folded = fold(case_id, engine.history(case_id))
            full.append((time.perf_counter() - start) * 1000)
        assert state == folded
        engine.cache_size = 4096
        found.append((events, statistics.median(snapshot), statistics.median(full)))
    engine.store.close()
    return found


class _Recorder:
    """Stands in for the store's connection and writes down every statement it runs."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.calls: list[tuple[str, str, Any]] = []

    def execute(self, query: str, params: Any = ()) -> sqlite3.Cursor:
        self.calls.append(("execute", query, params))
        return self.conn.execute(query, params)

    def executemany(self, query: str, rows: Any) -> sqlite3.Cursor:
        rows = list(rows)
        self.calls.append(("executemany", query, rows))
        return self.conn.executemany(query, rows)


class StorageAlone:
    """The engine's own SQLite statements, recorded once and replayed with no engine code:
    what the storage part of a transition costs by itself (a floor for the engine)."""

    def __init__(self, directory: Path, cases: int) -> None:
        self.directory = directory
        engine = EngineCases(directory / "recorded.db")
        store = engine.engine.store
        assert isinstance(store, SQLiteStore)
        recorder = _Recorder(store._conn)
        store._conn = recorder  # type: ignore[assignment]
        engine.rate(cases)
        store._conn = recorder.conn
        store.close()
        self.calls = recorder.calls
        self.commits = sum(1 for _, query, _ in self.calls if query == "COMMIT")
        self.replays = 0

    def rate(self) -> float:
        """Commits per second replaying the statements into a fresh file."""
        self.replays += 1
        path = self.directory / f"replay-{self.replays}.db"
        SQLiteStore(f"sqlite:///{path}").close()
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        start = time.perf_counter()
        for method, query, params in self.calls:
            getattr(conn, method)(query, params)
        elapsed = time.perf_counter() - start
        conn.close()
        return self.commits / elapsed


def query_latency(directory: Path, n: int) -> tuple[list[float], list[float]]:
    path = directory / "big.db"
    SQLiteStore(f"sqlite:///{path}").close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    base = int(pendulum.datetime(2026, 1, 1, tz="UTC").timestamp())
    posts = ["CONSTRUCTION_REVIEWER", "LAND_REVIEWER", "LEGAL_REVIEWER", "WINDOW_CLERK"]

    def work_of(i: int) -> list[list[object]]:
        return [[posts[i % 4], "review", base + (i * 37) % 31_536_000]] if i % 5 else []

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
            json.dumps(work_of(i)),
        )
        for i in range(n)
    )
    conn.executemany(
        "INSERT INTO cases (case_id, permit_type, status, light, is_open, month, last_seq, "
        "deadline_ts, wake_ts, doc, work) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.executemany(
        "INSERT INTO work_items (case_id, post, step_id, due_ts) VALUES (?, ?, ?, ?)",
        ((f"c{i:07d}", *item) for i in range(n) for item in work_of(i)),
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
    parser.add_argument("--cases", type=int, default=200, help="cases through the engine")
    parser.add_argument("--raw", type=int, default=2000, help="raw single-row commits")
    parser.add_argument("--rounds", type=int, default=10, help="interleaved rounds")
    parser.add_argument("--big", type=int, default=1_000_000)
    parser.add_argument("--cold-rounds", type=int, default=6, help="cached/cold rounds")
    parser.add_argument("--cold-cases", type=int, default=10, help="cases per cached/cold round")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=".") as tmp:
        directory = Path(tmp)
        raw, engine = RawCommits(directory / "raw.db"), EngineCases(directory / "engine.db")
        engine.rate(2)  # warm up: imports, caches, the file's first pages
        raw.rate(50)
        alone = StorageAlone(directory, max(1, args.cases // args.rounds))
        alone_rates = []
        raw_rates, engine_rates, case_rates, cpu_per = [], [], [], []
        # Interleaved rounds, so a burst of load elsewhere on the machine or in the disk
        # hits both alike; each figure is the median of its rounds.
        for _ in range(args.rounds):
            raw_rates.append(raw.rate(max(1, args.raw // args.rounds)))
            per_transition, per_case, cpu = engine.rate(max(1, args.cases // args.rounds))
            engine_rates.append(per_transition)
            case_rates.append(per_case)
            cpu_per.append(cpu)
            alone_rates.append(alone.rate())
        engine.engine.store.close()
        raw.conn.close()
        ratios = [e / r for e, r in zip(engine_rates, raw_rates, strict=True)]
        raw_median = statistics.median(raw_rates)
        engine_median = statistics.median(engine_rates)
        print(
            f"{args.rounds} interleaved rounds of {args.raw // args.rounds} raw commits and "
            f"{args.cases // args.rounds} engine cases (11 commands each), medians:"
        )
        print(f"raw SQLite single-row commits (WAL, synchronous=FULL): {raw_median:,.0f}/s")
        print(
            f"engine transitions (one command, one transaction): {engine_median:,.0f}/s "
            f"= {engine_median / raw_median:.0%} of the raw commit rate "
            f"(per-round ratios {min(ratios):.0%} to {max(ratios):.0%}, "
            f"median {statistics.median(ratios):.0%})"
        )
        alone_median = statistics.median(alone_rates)
        print(
            f"the engine's own SQLite statements replayed alone, no engine code: "
            f"{alone_median:,.0f} commits/s = {alone_median / raw_median:.0%} of the raw rate "
            f"({len(alone.calls) / alone.commits:.1f} statements per commit)"
        )
        print(f"complete 11-command cases: {statistics.median(case_rates):,.1f}/s")
        print(
            f"per transition: {1000 / engine_median:.3f} ms in all, of which "
            f"{statistics.median(cpu_per) * 1000:.3f} ms of CPU in this process (the engine, "
            f"sqlite3, the WAL writes); a raw commit takes {1000 / raw_median:.3f} ms"
        )
        for options, what in (("", "synchronous=FULL"), ("?synchronous=OFF", "synchronous=OFF")):
            pair = CachedAndCold(directory, options)
            cached_rates, cold_rates = [], []
            for _ in range(args.cold_rounds):
                cached, cold = pair.round(args.cold_cases)
                cached_rates.append(cached)
                cold_rates.append(cold)
            cached_median, cold_median = (
                statistics.median(cached_rates),
                statistics.median(cold_rates),
            )
            per_round = [c / w for c, w in zip(cold_rates, cached_rates, strict=True)]
            print(
                f"commands/s on {what}, {args.cold_rounds} interleaved rounds of "
                f"{args.cold_cases} cases: cached {cached_median:,.0f}/s, cold (cache_size=0) "
                f"{cold_median:,.0f}/s, ratio cold/cached {cold_median / cached_median:.2f} "
                f"(per round {min(per_round):.2f} to {max(per_round):.2f}; must be >= 0.8)"
            )
        loads = cold_loads(directory, (20, 200, 2000), 100)
        for events, from_snapshot, full in loads:
            print(
                f"cold load of a case of {events:,} events: {from_snapshot:.2f} ms from its "
                f"snapshot (a full fold would take {full:.2f} ms)"
            )
        smallest, largest = loads[0][1], loads[-1][1]
        print(
            f"cold load, largest case / smallest: {largest / smallest:.2f}x (must be <= 2); "
            f"a full fold: {loads[-1][2] / loads[0][2]:.1f}x"
        )
        overdue, inbox = query_latency(directory, args.big)
        for name, times in (("overdue board (limit 50)", overdue), ("inbox (limit 50)", inbox)):
            print(
                f"{name} over {args.big:,} cases: median {statistics.median(times):.2f} ms, "
                f"max {max(times):.2f} ms"
            )


if __name__ == "__main__":
    main()
