"""The engine on SQLite across processes: one winner per step, no lost update, crashes."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from _support.engine import CHECKLIST, REVIEWER, WINDOW, at, make_engine, submit
from _support.workers import complete_branch, complete_window_steps

from planning_core.cases import Accept, Complete, Engine

TESTS = Path(__file__).resolve().parent.parent


def _prepare(url: str, n: int, to_branches: bool = False) -> list[str]:
    engine = make_engine(url)
    ids = [f"c{i}" for i in range(n)]
    for case_id in ids:
        submit(engine, case_id)
        engine.execute(Accept(case_id), WINDOW, at("2026-03-02 10:00"))
        if to_branches:
            engine.execute(Complete(case_id, "window", "FORWARD"), WINDOW, at("2026-03-02 10:01"))
            engine.execute(
                Complete(case_id, "review", "APPROVE", "", CHECKLIST),
                REVIEWER,
                at("2026-03-02 10:02"),
            )
    engine.store.close()
    return ids


def _check_every_case(engine: Engine) -> None:
    for row in engine.store.cases():
        assert engine.verify_history(row.case_id).ok, row.case_id
        assert engine.check_projection(row.case_id), row.case_id


def test_exactly_one_winner_for_each_step(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bureau.db'}"
    ids = _prepare(url, 20)
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(4) as pool:
        wins = pool.starmap(complete_window_steps, [(url, ids)] * 4)
    assert sum(wins) == 20
    engine = make_engine(url)
    for case_id in ids:
        done = [r for r in engine.history(case_id) if type(r.event).__name__ == "StepCompleted"]
        assert [e.event.step_id for e in done] == ["window"]  # type: ignore[union-attr]
    _check_every_case(engine)


def test_parallel_branches_lose_no_update(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bureau.db'}"
    ids = _prepare(url, 15, to_branches=True)
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        done = pool.starmap(
            complete_branch, [(url, ids, "land", "zhao.lei"), (url, ids, "legal", "wu.tao")]
        )
    assert done == [15, 15]
    engine = make_engine(url)
    for case_id in ids:
        assert [t.step_id for t in engine.load(case_id).tokens] == ["meeting"]
    _check_every_case(engine)


@pytest.mark.slow
def test_sigkill_at_random_points_loses_nothing_committed(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    url = f"sqlite:///{db}"
    make_engine(url).store.close()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), *sys.path])}
    script = f"from _support.workers import busy_bureau; busy_bureau({url!r}, {{worker}})"
    rng = random.Random(20261126)
    committed_before = 0
    for round_ in range(4):
        children = [
            subprocess.Popen(
                [sys.executable, "-c", script.format(worker=f"{round_}{w}")],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            for w in range(2)
        ]
        time.sleep(rng.uniform(1.5, 3.0))
        for child in children:
            child.send_signal(signal.SIGKILL)
            child.wait()
        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
        engine = make_engine(url)
        cases = engine.store.cases()
        assert len(cases) >= committed_before
        committed_before = len(cases)
        _check_every_case(engine)
        engine.store.close()
    assert committed_before > 0


def test_an_engine_with_a_stale_cache_decides_on_the_stored_state(tmp_path: Path) -> None:
    """Two engines (two servers) on one file: what one did, the other sees before deciding."""
    from planning_core import InvalidStateError

    url = f"sqlite:///{tmp_path / 'bureau.db'}"
    first, second = make_engine(url), make_engine(url)
    submit(first, "c1")
    first.execute(Accept("c1"), WINDOW, at("2026-03-02 10:00"))  # first caches the case
    second.execute(Complete("c1", "window", "FORWARD"), WINDOW, at("2026-03-02 10:01"))
    # first's cache still shows the window step open: it must not act on that
    with pytest.raises(InvalidStateError, match="no work waiting"):
        first.execute(Complete("c1", "window", "FORWARD"), WINDOW, at("2026-03-02 10:02"))
    # and the step second opened is there for first to complete
    first.execute(
        Complete("c1", "review", "APPROVE", "", CHECKLIST), REVIEWER, at("2026-03-02 10:03")
    )
    assert [e.seq for e in first.store.load_events("c1")] == list(range(1, 11))
    assert first.check_projection("c1") and second.check_projection("c1")
