"""Races between two writers, staged by hand: the second waits on the first's row lock and
then sees what the first did. Threads stand in for application servers (each unit of work
has its own connection and transaction, as on two servers)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

import pytest
from _plugins import PLUGINS
from planning_core_postgres._record_locks import MANY_KEYS

from planning_core import ConflictError, open_store
from planning_core.storage import Store, UnitOfWork
from planning_core.testing.storage import make_case_row

R = TypeVar("R")


@pytest.fixture
def store(postgres_schema_url: str) -> Iterator[Store]:
    with open_store(f"{postgres_schema_url}&pool_max_size=4", PLUGINS) as opened:
        yield opened


def _second_writer(store: Store, work: Callable[[UnitOfWork], R]) -> Future[R]:
    """Run ``work`` in its own unit of work on another thread, and let it reach its lock."""
    started = threading.Event()

    def run() -> R:
        with store.unit_of_work() as uow:
            started.set()
            result = work(uow)
            uow.commit()
            return result

    future = ThreadPoolExecutor(1).submit(run)
    started.wait(5)
    time.sleep(0.3)  # long enough to be waiting on the first writer's lock
    return future


def _append(uow: UnitOfWork, case_id: str, expected: int, number: str | None = None) -> None:
    row = make_case_row(case_id, expected + 1, case_number=number)
    uow.append(case_id, expected, [{"n": expected + 1}], row)


def test_two_creators_of_one_case_one_wins(store: Store) -> None:
    with store.unit_of_work() as first:
        _append(first, "case-1", 0)
        second = _second_writer(store, lambda uow: _append(uow, "case-1", 0))
        assert not second.done()
        first.commit()
    with pytest.raises(ConflictError, match="case-1"):
        second.result(10)
    assert [e.seq for e in store.load_events("case-1")] == [1]


def test_a_writer_waits_for_the_case_lock_then_sees_it_is_stale(store: Store) -> None:
    with store.unit_of_work() as uow:
        _append(uow, "case-1", 0)
        uow.commit()
    with store.unit_of_work() as first:
        _append(first, "case-1", 1)
        second = _second_writer(store, lambda uow: _append(uow, "case-1", 1))
        assert not second.done()
        first.commit()
    with pytest.raises(ConflictError, match="has 2 events, the writer expected 1"):
        second.result(10)
    assert [e.seq for e in store.load_events("case-1")] == [1, 2]


def test_a_case_number_taken_meanwhile_is_a_conflict(store: Store) -> None:
    with store.unit_of_work() as first:
        _append(first, "case-1", 0, number="建字第2026-0001号")
        second = _second_writer(store, lambda uow: _append(uow, "case-2", 0, "建字第2026-0001号"))
        assert not second.done()
        first.commit()
    with pytest.raises(ConflictError, match="建字第2026-0001号"):
        second.result(10)
    assert store.get_case("case-2") is None
    found = store.find_case("建字第2026-0001号")
    assert found is not None and found.case_id == "case-1"


def test_a_rolled_back_number_is_handed_out_again(store: Store) -> None:
    with store.unit_of_work() as first:
        assert first.next_sequence("cert:建字:2026") == 1
        second = _second_writer(store, lambda uow: uow.next_sequence("cert:建字:2026"))
        assert not second.done()
        # no commit: the first writer's number is given back
    assert second.result(10) == 1
    with store.unit_of_work() as uow:
        assert uow.next_sequence("cert:建字:2026") == 2


def test_after_a_conflict_the_unit_of_work_goes_on(store: Store) -> None:
    with store.unit_of_work() as uow:
        _append(uow, "case-1", 0)
        uow.commit()
    with store.unit_of_work() as uow:
        with pytest.raises(ConflictError):
            _append(uow, "case-1", 0)
        _append(uow, "case-1", 1)
        uow.put_records("c", {"k": {"v": 1}})
        uow.commit()
    assert [e.seq for e in store.load_events("case-1")] == [1, 2]
    assert store.get_record("c", "k") == {"v": 1}


def test_reads_from_many_threads_share_the_pool(store: Store) -> None:
    with store.unit_of_work() as uow:
        for i in range(20):
            _append(uow, f"case-{i:02}", 0)
        uow.commit()
    with ThreadPoolExecutor(8) as pool:
        found = list(pool.map(lambda i: store.get_case(f"case-{i:02}"), range(20)))
    assert [row.case_id if row else None for row in found] == [f"case-{i:02}" for i in range(20)]


def _count_failure(uow: UnitOfWork) -> int:
    counter = uow.get_record("lockout", "窗口/张三") or {"failures": 0}
    failures = int(counter["failures"]) + 1
    uow.put_records("lockout", {"窗口/张三": {"failures": failures}})
    return failures


def test_a_record_that_does_not_exist_yet_is_locked_by_reading_it(store: Store) -> None:
    with store.unit_of_work() as first:
        assert _count_failure(first) == 1
        second = _second_writer(store, _count_failure)
        assert not second.done()
        first.commit()
    assert second.result(10) == 2
    assert store.get_record("lockout", "窗口/张三") == {"failures": 2}


@pytest.mark.parametrize("batch", [1, MANY_KEYS])
def test_writers_wait_for_a_reader_of_the_record(store: Store, batch: int) -> None:
    keys = ["窗口/张三", *(f"other-{n}" for n in range(batch - 1))]
    with store.unit_of_work() as first:
        assert first.get_record("lockout", "窗口/张三") is None
        second = _second_writer(
            store, lambda uow: uow.put_records("lockout", {k: {"blind": True} for k in keys})
        )
        assert not second.done()
        first.put_records("lockout", {"窗口/张三": {"failures": 1}})
        first.commit()
    second.result(10)
    assert store.get_record("lockout", "窗口/张三") == {"blind": True}


def test_two_inserts_of_one_register_key_one_wins(store: Store) -> None:
    """The second waits on the key's lock, then the primary key refuses it; its unit of work
    goes on, and what it writes after the refusal is kept."""

    def second_insert(uow: UnitOfWork) -> str:
        try:
            uow.insert_records("certs", {"建字第2026-0001号": {"case": "case-2"}})
        except ConflictError as exc:
            uow.insert_records("certs", {"建字第2026-0002号": {"case": "case-2"}})
            return str(exc)
        return "inserted"

    with store.unit_of_work() as first:
        first.insert_records("certs", {"建字第2026-0001号": {"case": "case-1"}})
        second = _second_writer(store, second_insert)
        assert not second.done()
        first.commit()
    assert "'建字第2026-0001号' already exists in certs" in second.result(10)
    assert dict(store.list_records("certs")) == {
        "建字第2026-0001号": {"case": "case-1"},
        "建字第2026-0002号": {"case": "case-2"},
    }
