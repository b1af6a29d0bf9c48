"""Overdue-board and inbox latency over 1,000,000 cases: PostgreSQL and SQLite in one run.

Loads the same generated cases (with the open ones' work items) into a scratch schema on
PostgreSQL, with COPY, and into a scratch SQLite file; then times, through the public Store
API, ``store.overdue(ts, limit=50)`` and ``store.inbox(post, limit=50)``: median and p95
over repeated runs. Prints the PostgreSQL query plan of the overdue board, so one can see it
reads the partial index, and drops the scratch schema at the end.

Indexes are dropped before the bulk load and rebuilt after it from their own definitions
(``pg_indexes.indexdef``, ``sqlite_master.sql``), so what is measured is the store's schema.

Run (needs ``pip install -e plugins/planning-core-postgres`` and a PostgreSQL server):

    .venv/bin/python benchmarks/bench_postgres_queries.py [--cases 1000000] [--runs 300]

The server is ``PLANNING_CORE_TEST_POSTGRES`` (default
``postgresql://postgres@127.0.0.1:5432/test``) or ``--url``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
from planning_core_postgres._store import _COLUMNS  # the SELECT list, for EXPLAIN
from psycopg import sql

from planning_core import open_store
from planning_core.storage import Store

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test"
POSTS = [f"POST{n:02d}" for n in range(20)]
PERMIT_TYPES = ["建设用地规划许可证", "建设工程规划许可证", "乡村建设规划许可证", "规划条件核实"]
NOW = 1_798_732_800  # 2027-01-01 00:00 +08:00 as UTC epoch seconds; the board's "now"
DAY = 86_400
NEVER = 2**62


def generate(
    count: int, open_share: float, seed: int = 8
) -> Iterator[tuple[tuple[Any, ...], list[tuple[Any, ...]]]]:
    """Cases as (cases row, work item rows); the deadlines of open cases straddle ``NOW``."""
    rng = random.Random(seed)
    for n in range(count):
        case_id = f"C{n:08d}"
        is_open = rng.random() < open_share
        month = f"{2020 + n * 7 // count}-{rng.randint(1, 12):02d}"
        deadline = NOW + rng.randint(-30 * DAY, 90 * DAY) if is_open else None
        wake = deadline - 2 * DAY if deadline is not None else None
        doc = json.dumps(
            {"case_id": case_id, "申请人": "唐山市丰润区某建设公司", "项目": f"第{n}号地块"},
            ensure_ascii=False,
        )
        row = (
            case_id,
            f"唐规{month[:4]}-{n:07d}",
            rng.choice(PERMIT_TYPES),
            "IN_REVIEW" if is_open else "ISSUED",
            rng.choice(["GREEN", "GREEN", "YELLOW", "RED"]) if is_open else "GREEN",
            is_open,
            month,
            rng.randint(2, 9),
            deadline,
            wake,
            doc,
        )
        work = []
        if is_open:
            for post in rng.sample(POSTS, rng.choice([1, 1, 2])):
                due = (deadline or NOW) - rng.randint(0, 10 * DAY) if rng.random() < 0.95 else NEVER
                work.append((case_id, post, f"step-{post.lower()}", due))
        yield row, work


# -- PostgreSQL -----------------------------------------------------------------------------


def load_postgres(url: str, count: int, open_share: float) -> float:
    """Create the store's schema at ``url``, then COPY the cases in; returns seconds."""
    with open_store(url) as store:  # runs the migrations: the tables and indexes
        settings = store.settings  # type: ignore[attr-defined]
    started = time.perf_counter()
    with psycopg.connect(settings.conninfo, options=settings.options) as conn:
        schema = settings.schema
        indexes = conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = %s "
            "AND tablename IN ('cases', 'work_items') AND indexname NOT LIKE '%%pkey' "
            "AND indexname NOT LIKE '%%_key'",
            (schema,),
        ).fetchall()
        for name, _ in indexes:
            conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(schema, name)))
        with conn.cursor() as cur:
            work_rows = []
            with cur.copy(
                "COPY cases (case_id, case_number, permit_type, status, light, is_open, "
                "month, last_seq, deadline_ts, wake_ts, doc) FROM STDIN"
            ) as cases_copy:
                for row, work in generate(count, open_share):
                    cases_copy.write_row(row)
                    work_rows.extend(work)
            with cur.copy("COPY work_items (case_id, post, step_id, due_ts) FROM STDIN") as copy:
                for work_row in work_rows:
                    copy.write_row(work_row)
        for _, definition in indexes:
            conn.execute(definition)
        conn.commit()
    with psycopg.connect(settings.conninfo, options=settings.options, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE cases")
        conn.execute("VACUUM ANALYZE work_items")
    return time.perf_counter() - started


def explain_overdue(url: str, ts: int) -> str:
    with open_store(url) as store:
        settings = store.settings  # type: ignore[attr-defined]
    with psycopg.connect(settings.conninfo, options=settings.options, autocommit=True) as conn:
        plan = conn.execute(
            f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT {_COLUMNS} "
            "FROM cases c WHERE c.is_open AND c.deadline_ts <= %s "
            "ORDER BY c.deadline_ts, c.case_id LIMIT %s",
            (ts - 1, 50),
        ).fetchall()
    return "\n".join(f"    {line}" for (line,) in plan)


def drop_schema(server_url: str, schema: str) -> None:
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


# -- SQLite ---------------------------------------------------------------------------------


def load_sqlite(url: str, path: Path, count: int, open_share: float) -> float:
    with open_store(url):
        pass  # runs the migrations
    started = time.perf_counter()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
    ).fetchall()
    conn.execute("BEGIN")
    for name, _ in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    work_rows: list[tuple[Any, ...]] = []
    cases_rows = []
    for row, work in generate(count, open_share):
        items = sorted([post, step, due] for _, post, step, due in work)
        cases_rows.append((*row[:5], int(row[5]), *row[6:], json.dumps(items)))
        work_rows.extend(work)
    conn.executemany(
        "INSERT INTO cases (case_id, case_number, permit_type, status, light, is_open, month, "
        "last_seq, deadline_ts, wake_ts, doc, work) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        cases_rows,
    )
    conn.executemany(
        "INSERT INTO work_items (case_id, post, step_id, due_ts) VALUES (?, ?, ?, ?)", work_rows
    )
    for _, definition in indexes:
        conn.execute(definition)
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()
    return time.perf_counter() - started


def sqlite_plan(path: Path, ts: int) -> str:
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "EXPLAIN QUERY PLAN SELECT * FROM cases WHERE is_open = 1 AND deadline_ts <= ? "
        "ORDER BY deadline_ts, case_id LIMIT 50",
        (ts - 1,),
    ).fetchall()
    conn.close()
    return "\n".join(f"    {row[-1]}" for row in rows)


# -- timing ---------------------------------------------------------------------------------


def timed(call: Callable[[int], object], runs: int) -> tuple[float, float]:
    """Median and p95 in milliseconds, after a few warm-up calls."""
    for i in range(5):
        call(i)
    samples = []
    for i in range(runs):
        started = time.perf_counter()
        call(i)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def measure(store: Store, runs: int) -> dict[str, tuple[float, float]]:
    busiest = POSTS[0]
    results = {
        "overdue(ts, limit=50)": timed(lambda i: store.overdue(NOW + i * 60, limit=50), runs),
        f"inbox({busiest!r}, limit=50)": timed(lambda i: store.inbox(busiest, limit=50), runs),
    }
    overdue = store.overdue(NOW, limit=50)
    assert len(overdue) == 50 and all(r.is_open for r in overdue), "the data has overdue cases"
    assert len(store.inbox(busiest, limit=50)) == 50
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--open-share", type=float, default=0.4)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--url", default=os.environ.get("PLANNING_CORE_TEST_POSTGRES", DEFAULT_URL))
    args = parser.parse_args()
    schema = f"pc_bench_{uuid.uuid4().hex[:12]}"
    pg_url = f"{args.url}{'&' if '?' in args.url else '?'}schema={schema}"
    print(f"{args.cases:,} cases, {args.open_share:.0%} open, {len(POSTS)} posts; ", end="")
    print(f"{args.runs} runs per query")
    results: dict[str, dict[str, tuple[float, float]]] = {}
    try:
        seconds = load_postgres(pg_url, args.cases, args.open_share)
        print(f"PostgreSQL: loaded with COPY and rebuilt indexes in {seconds:.1f} s")
        print("PostgreSQL plan of the overdue board:")
        print(explain_overdue(pg_url, NOW))
        with open_store(pg_url) as store:
            results["PostgreSQL"] = measure(store, args.runs)
    finally:
        drop_schema(args.url, schema)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        sqlite_url = f"sqlite:///{path}"
        seconds = load_sqlite(sqlite_url, path, args.cases, args.open_share)
        print(f"SQLite: loaded in {seconds:.1f} s; plan of the overdue board:")
        print(sqlite_plan(path, NOW))
        with open_store(sqlite_url) as store:
            results["SQLite"] = measure(store, args.runs)
    print()
    print(f"{'query':<32}{'backend':<12}{'median ms':>10}{'p95 ms':>10}")
    for query in results["PostgreSQL"]:
        for backend, figures in results.items():
            median, p95 = figures[query]
            print(f"{query:<32}{backend:<12}{median:>10.2f}{p95:>10.2f}")
        pg, lite = results["PostgreSQL"][query][0], results["SQLite"][query][0]
        print(f"{'':<32}{'ratio':<12}{pg / lite:>10.2f}  (PostgreSQL median / SQLite median)")
    overdue_p95 = results["PostgreSQL"]["overdue(ts, limit=50)"][1]
    verdict = "under" if overdue_p95 < 20 else "NOT under"
    print(f"PostgreSQL overdue p95 {overdue_p95:.2f} ms: {verdict} the 20 ms target")


if __name__ == "__main__":
    main()
