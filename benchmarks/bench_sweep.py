"""The sweep the morning after a long holiday: 100,000 cases crossing a light at one instant.

On SQLite (WAL, synchronous=FULL), prints, measured in the same run:

* crossings recorded per second by ``Engine.sweep(now, batch_size=N)`` and the number of
  transactions it took (counted by wrapping the store's ``unit_of_work``), for the default
  batch and for one transaction per case on a sample of the cases, for the ratio;
* a sweep killed with SIGKILL in the middle (a child process, after a few batches): how many
  cases it had recorded, and after a second sweep, that every crossing is recorded exactly
  once (counted in SQL over the stored events).

The cases are one application cloned in SQL (the engine would take long to receive 100,000),
with its snapshot: each is a case received on the same day whose acceptance period ends
unanswered, so the sweep records the acceptance the law deems made (art. 32) and the light
changes that follow, the same for every case.

Run: ``.venv/bin/python benchmarks/bench_sweep.py [--cases 100000] [--batch 500]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from _support.engine import at, count_transactions, make_engine, submit

TESTS = Path(__file__).resolve().parent.parent / "tests"
#: Past the acceptance period of a case received on 2026-03-02 (and a May Day holiday).
NOW = at("2026-05-06 09:00")


def generate(path: Path, cases: int) -> None:
    """``cases`` copies of one received application, with their rows and snapshots."""
    engine = make_engine(f"sqlite:///{path}")
    submit(engine, "c0", "2026-03-02 09:00")
    engine.store.close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    conn.execute("CREATE TEMP TABLE n (i INTEGER PRIMARY KEY)")
    conn.executemany("INSERT INTO n VALUES (?)", ((i,) for i in range(1, cases)))
    ids = "printf('c%07d', n.i)"
    number = "printf('S-%07d', n.i)"
    conn.execute(
        f"INSERT INTO cases (case_id, case_number, permit_type, status, light, is_open, month, "
        f"last_seq, deadline_ts, wake_ts, doc, work) SELECT {ids}, {number}, permit_type, "
        f"status, light, is_open, month, last_seq, deadline_ts, wake_ts, "
        f"json_replace(doc, '$.case_number', {number}), work FROM cases, n WHERE case_id = 'c0'"
    )
    conn.execute(
        f"INSERT INTO events (case_id, seq, doc) SELECT {ids}, seq, json_replace(doc, "
        f"'$.case_id', {ids}, '$.data.case_number', {number}) FROM events, n "
        f"WHERE case_id = 'c0' ORDER BY n.i, seq"
    )
    conn.execute(
        f"INSERT INTO snapshots (case_id, seq, version, doc) SELECT {ids}, seq, version, "
        f"json_replace(doc, '$.state.case_id', {ids}, '$.state.case_number', {number}) "
        f"FROM snapshots, n "
        f"WHERE case_id = 'c0'"
    )
    conn.execute(
        f"INSERT INTO work_items (post, due_ts, case_id, step_id) SELECT post, due_ts, {ids}, "
        f"step_id FROM work_items, n WHERE case_id = 'c0'"
    )
    conn.execute("COMMIT")
    conn.close()
    # the copies' snapshots must be trusted, or every load folds the history instead and
    # the figures measure something else
    engine = make_engine(f"sqlite:///{path}")
    head = engine.store.get_case_head(f"c{cases - 1:07d}")
    assert head is not None
    assert engine.snapshots.restore(f"c{cases - 1:07d}", head.snapshot) is not None
    engine.store.close()


def crossings(path: Path) -> tuple[int, int, int]:
    """(cases with a light change, light changes, the most times one crossing is recorded)."""
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT case_id, json_extract(doc, '$.data.clock'), json_extract(doc, '$.data.new'), "
        "count(*) FROM events WHERE json_extract(doc, '$.type') = 'LightChanged' "
        "GROUP BY 1, 2, 3"
    ).fetchall()
    conn.close()
    return len({r[0] for r in rows}), sum(r[3] for r in rows), max((r[3] for r in rows), default=0)


_CHILD = """
import sys
from _support.engine import make_engine
engine = make_engine(sys.argv[1])
original = engine.store.unit_of_work
def unit_of_work():
    with open(sys.argv[2], "a", encoding="utf-8") as log:
        log.write("batch\\n")
    return original()
engine.store.unit_of_work = unit_of_work
engine.sweep(sys.argv[3], batch_size=int(sys.argv[4]))
"""


def killed_sweep(path: Path, batch: int, after_batches: int) -> int:
    """Sweep ``path`` in a child process and SIGKILL it once it began ``after_batches``
    batches; returns how many batches it began."""
    log = path.with_suffix(".log")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), *sys.path])}
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, f"sqlite:///{path}", str(log), NOW.isoformat(), str(batch)],
        env=env,
    )
    while child.poll() is None:
        if log.exists() and len(log.read_text(encoding="utf-8").split()) >= after_batches:
            break
        time.sleep(0.01)
    child.send_signal(signal.SIGKILL)
    child.wait()
    return len(log.read_text(encoding="utf-8").split()) if log.exists() else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--single", type=int, default=2000, help="cases swept one per transaction")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=".") as tmp:
        directory = Path(tmp)
        base = directory / "base.db"
        start = time.perf_counter()
        generate(base, args.cases)
        print(f"{args.cases:,} cases cloned in {time.perf_counter() - start:.1f} s")
        batched, single, killed = (directory / f"{name}.db" for name in ("a", "b", "c"))
        for copy in (batched, single, killed):
            shutil.copyfile(base, copy)

        engine = make_engine(f"sqlite:///{batched}")
        transactions = count_transactions(engine)
        start = time.perf_counter()
        warnings = engine.sweep(NOW, batch_size=args.batch)
        elapsed = time.perf_counter() - start
        engine.store.close()
        cases, changes, most = crossings(batched)
        rate = len(warnings) / elapsed
        print(
            f"batched sweep (batch_size={args.batch}): {len(warnings):,} crossings of "
            f"{cases:,} cases in {elapsed:.1f} s = {rate:,.0f} crossings/s, "
            f"{transactions[0]:,} transactions ({cases / max(transactions[0], 1):,.0f} cases "
            f"each); each crossing recorded at most {most}x"
        )

        engine = make_engine(f"sqlite:///{single}")
        transactions = count_transactions(engine)
        ids = [row.case_id for row in engine.store.waking(int(NOW.timestamp()), args.single)]
        start = time.perf_counter()
        one = [w for case_id in ids for w in engine._sweep_case(case_id, NOW)]
        elapsed_one = time.perf_counter() - start
        engine.store.close()
        print(
            f"one transaction per case, on {len(ids):,} of them: {len(one) / elapsed_one:,.0f} "
            f"crossings/s, {transactions[0]:,} transactions; batched / one per case: "
            f"{rate / (len(one) / elapsed_one):.1f}x"
        )

        batches = -(-args.cases // args.batch)
        began = killed_sweep(killed, args.batch, max(2, batches // 3))
        cases_before, _, _ = crossings(killed)
        engine = make_engine(f"sqlite:///{killed}")
        transactions = count_transactions(engine)
        engine.sweep(NOW, batch_size=args.batch)
        engine.store.close()
        cases_after, changes_after, most_after = crossings(killed)
        print(
            f"sweep killed (SIGKILL) after beginning {began} of {batches} batches: "
            f"{cases_before:,} cases recorded; a second sweep ({transactions[0]:,} "
            f"transactions) left {cases_after:,} of {args.cases:,} cases with "
            f"{changes_after:,} crossings (the uninterrupted sweep: {changes:,}), each "
            f"recorded {most_after}x at most: "
            f"{'exactly once' if most_after == 1 and changes_after == changes else 'NOT once'}"
        )


if __name__ == "__main__":
    main()
