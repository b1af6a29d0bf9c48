"""The sweep records many crossings in batched transactions, once per crossing, and a
sweep killed (SIGKILL) in the middle is finished by the next one, adding nothing twice."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from _support.engine import at, count_transactions, make_engine, submit

from planning_core.cases import Engine, LightChanged
from planning_core.errors import ConflictError, ValidationError

TESTS = Path(__file__).resolve().parents[1]
#: Past every notice clock of cases received on 2026-03-02: deemed accepted, lights red.
LATE = at("2026-03-20 12:00")


def _cases(engine: Engine, count: int) -> list[str]:
    ids = [f"c{i:04d}" for i in range(count)]
    for case_id in ids:
        submit(engine, case_id, "2026-03-02 09:00")
    return ids


def _crossings(engine: Engine, case_ids: list[str]) -> Counter[tuple[str, str, str]]:
    """Every recorded light change, by (case, clock, new light)."""
    return Counter(
        (case_id, rec.event.clock, rec.event.new)
        for case_id in case_ids
        for rec in engine.history(case_id)
        if isinstance(rec.event, LightChanged)
    )


@pytest.mark.parametrize("batch", [1, 4, 25, 100])
def test_a_batched_sweep_records_what_a_case_by_case_one_does(batch: int) -> None:
    one, batched = make_engine(), make_engine()
    ids = _cases(one, 25)
    _cases(batched, 25)
    transactions = count_transactions(batched)
    expected = one.sweep(LATE, batch_size=1)
    got = batched.sweep(LATE, batch_size=batch)
    assert len(got) == len(expected) > 25
    assert transactions[0] == -(-25 // batch)  # one transaction per batch of cases
    for case_id in ids:
        assert [r.event for r in batched.history(case_id)] == [
            r.event for r in one.history(case_id)
        ]
        assert batched.check_projection(case_id) and batched.verify_history(case_id).ok
    assert set(_crossings(batched, ids).values()) == {1}
    transactions[0] = 0
    assert batched.sweep(LATE, batch_size=batch) == []  # twice: nothing more
    assert transactions[0] <= 1


def test_the_engine_setting_chooses_the_batch_and_bad_sizes_are_refused() -> None:
    engine = make_engine()
    _cases(engine, 7)
    engine.sweep_batch = 3
    transactions = count_transactions(engine)
    engine.sweep(LATE)
    assert transactions[0] == 3
    for bad in (0, -1, True, 2.5):
        with pytest.raises(ValidationError, match="batch_size"):
            engine.sweep(LATE, batch_size=bad)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="sweep_batch"):
        Engine(engine.store, engine.organisation, sweep_batch=0)


def test_a_batch_that_meets_another_writer_is_undone_and_swept_case_by_case(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine = make_engine()
    ids = _cases(engine, 6)
    original = engine._sweep_once
    failed: list[list[str]] = []

    def once(case_ids: list[str], now: object) -> object:
        if len(case_ids) > 1 and not failed:
            failed.append(case_ids)
            original(case_ids[:1], now)  # "another writer" sweeps a case of the batch first
            raise ConflictError("another writer got there first")
        return original(case_ids, now)

    monkeypatch.setattr(engine, "_sweep_once", once)
    warnings = engine.sweep(LATE, batch_size=3)
    assert failed and len(failed[0]) == 3
    crossings = _crossings(engine, ids)
    assert set(crossings.values()) == {1}
    # the crossings the "other writer" recorded are not reported by this sweep
    assert len(warnings) == sum(crossings.values()) - sum(
        n for (case_id, _, _), n in crossings.items() if case_id == failed[0][0]
    )


_CHILD = """
import sys, time
from _support.engine import make_engine
engine = make_engine(sys.argv[1])
original = engine.store.unit_of_work

def unit_of_work():
    with open(sys.argv[2], "a", encoding="utf-8") as log:
        log.write("batch\\n")
    time.sleep(0.03)
    return original()

engine.store.unit_of_work = unit_of_work
engine.sweep(sys.argv[3], batch_size=10)
"""


def test_a_sweep_killed_in_the_middle_is_finished_by_the_next_once_per_crossing(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'sweep.db'}"
    engine = make_engine(url)
    ids = _cases(engine, 120)
    engine.store.close()
    log = tmp_path / "batches.log"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), *sys.path])}
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, url, str(log), LATE.isoformat()],
        env=env,
        stderr=subprocess.PIPE,
    )
    stop_after = random.Random(24).randint(3, 9)  # of 12 batches
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and child.poll() is None:
        if log.exists() and len(log.read_text(encoding="utf-8").split()) >= stop_after:
            break
        time.sleep(0.002)
    child.send_signal(signal.SIGKILL)
    child.wait()
    engine = make_engine(url)
    swept = {case_id for case_id, _, _ in _crossings(engine, ids)}
    assert 0 < len(swept) < len(ids), "the sweep was not killed in the middle"
    assert len(swept) % 10 == 0  # whole batches, nothing of the one cut short
    engine.sweep(LATE, batch_size=10)
    crossings = _crossings(engine, ids)
    assert {case_id for case_id, _, _ in crossings} == set(ids)
    assert set(crossings.values()) == {1}
    for case_id in ids:
        assert engine.check_projection(case_id)
    assert engine.sweep(LATE, batch_size=10) == []
