"""What one append writes and how a unit of work uses its transaction, seen from PostgreSQL:
only what changed is written, the engine's event text is stored as it came, the transaction
begins with the first statement sent (never for a unit of work that sends none), and a failed
append leaves the unit of work usable, wherever it fails."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast
from urllib.parse import quote

import psycopg
import pytest
from _plugins import PLUGINS
from planning_core_postgres import parse_url
from planning_core_postgres._unit_of_work import PostgresUnitOfWork

from planning_core import StorageError, open_store
from planning_core.storage import EncodedDocument, Store, UnitOfWork, WorkItem
from planning_core.testing.storage import make_case_row


@pytest.fixture
def store(postgres_schema_url: str) -> Iterator[Store]:
    with open_store(postgres_schema_url, PLUGINS) as opened:
        yield opened


@pytest.fixture
def sql(postgres_schema_url: str) -> Iterator[psycopg.Connection[Any]]:
    """A connection of its own on the store's schema, to look at the rows."""
    settings = parse_url(postgres_schema_url)
    with psycopg.connect(settings.conninfo, options=settings.options, autocommit=True) as conn:
        yield conn


def _conn(uow: UnitOfWork) -> psycopg.Connection[Any]:
    return cast(PostgresUnitOfWork, uow)._conn


def _work_rows(sql: psycopg.Connection[Any]) -> dict[tuple[str, str], tuple[int, str]]:
    """(post, step) → (due, the row version's xmin): a rewritten row has a new xmin."""
    rows = sql.execute("SELECT post, step_id, due_ts, xmin::text FROM work_items").fetchall()
    return {(post, step): (due, xmin) for post, step, due, xmin in rows}


def test_only_changed_work_items_are_rewritten(store: Store, sql: psycopg.Connection[Any]) -> None:
    keep, move, drop = (
        WorkItem("审查", "审查", 100),
        WorkItem("窗口", "补正", 5),
        WorkItem("x", "y"),
    )
    with store.unit_of_work() as uow:
        uow.append("case-1", 0, [{"n": 1}], make_case_row("case-1", 1, work=(keep, move, drop)))
        uow.commit()
    before = _work_rows(sql)
    new = WorkItem("审批", "签发", None)
    work = (keep, WorkItem("窗口", "补正", 6), new, WorkItem("审查", "审查", 7))  # first wins
    with store.unit_of_work() as uow:
        uow.append("case-1", 1, [{"n": 2}], make_case_row("case-1", 2, work=work))
        uow.commit()
    after = _work_rows(sql)
    assert set(after) == {("审查", "审查"), ("窗口", "补正"), ("审批", "签发")}
    assert after[("审查", "审查")] == before[("审查", "审查")]  # untouched
    assert after[("窗口", "补正")][0] == 6
    assert after[("窗口", "补正")][1] != before[("窗口", "补正")][1]
    with store.unit_of_work() as uow:  # the same work again: nothing to write
        uow.append("case-1", 2, [{"n": 3}], make_case_row("case-1", 3, work=work))
        uow.commit()
    assert _work_rows(sql) == after
    with store.unit_of_work() as uow:  # closed: no work left
        uow.append("case-1", 3, [{"n": 4}], make_case_row("case-1", 4, is_open=False, work=work))
        uow.commit()
    assert _work_rows(sql) == {}


def test_a_step_that_moves_no_indexed_column_is_a_hot_update(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.append("case-1", 0, [{"n": 1}], make_case_row("case-1", 1, deadline_ts=9))
        uow.commit()
    counts = "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables WHERE relname = 'cases'"
    with store.unit_of_work() as uow:
        uow.append("case-1", 1, [{"n": 2}], make_case_row("case-1", 2, deadline_ts=9))
        assert _conn(uow).execute(counts).fetchone() == (1, 1)  # in place, no index entry
        uow.append("case-1", 2, [{"n": 3}], make_case_row("case-1", 3, deadline_ts=10))
        assert _conn(uow).execute(counts).fetchone() == (2, 1)  # the deadline index moved
        uow.commit()
    row = store.get_case("case-1")
    assert row == make_case_row("case-1", 3, deadline_ts=10)


def test_an_encoded_event_is_stored_as_its_text(store: Store, sql: psycopg.Connection[Any]) -> None:
    text = '{ "名" : "事件",\n "n": 1, "nul": "a\\u0000b" }'
    event = EncodedDocument({"名": "事件", "n": 1, "nul": "a\x00b"}, text)
    with store.unit_of_work() as uow:
        uow.append("case-1", 0, [event], make_case_row("case-1", 1))
        uow.commit()
    assert sql.execute("SELECT doc::text FROM events").fetchone() == (text,)
    assert [e.data for e in store.load_events("case-1")] == [dict(event)]


def test_the_transaction_begins_with_the_first_statement(store: Store) -> None:
    with store.unit_of_work() as uow:
        conn = _conn(uow)
        assert uow.get_record("c", "no\x00such key") is None  # cannot exist: nothing sent
        assert conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.get_record("c", "k") is None
        assert _conn(uow).info.transaction_status == psycopg.pq.TransactionStatus.INTRANS
        uow.put_records("c", {"k": {"v": 1}})
    assert store.get_record("c", "k") is None  # rolled back: every statement was inside


@pytest.mark.parametrize("first", [True, False])
def test_an_append_that_fails_on_the_lock_leaves_the_unit_usable(
    store: Store, postgres_schema_url: str, first: bool
) -> None:
    """The lock wait fails inside the first batch (with BEGIN in it when ``first``)."""
    with store.unit_of_work() as uow:
        uow.append("case-1", 0, [{"n": 1}], make_case_row("case-1", 1))
        uow.commit()
    impatient = f"{postgres_schema_url}&options={quote('-c lock_timeout=200')}"
    with store.unit_of_work() as holder, open_store(impatient, PLUGINS) as other:
        holder.append("case-1", 1, [{"n": 2}], make_case_row("case-1", 2))  # holds the row
        with other.unit_of_work() as uow:
            if not first:
                uow.put_records("c", {"before": {}})
            with pytest.raises(StorageError, match="LockNotAvailable"):
                uow.append("case-1", 1, [{"n": 2}], make_case_row("case-1", 2))
            uow.append("case-2", 0, [{"n": 1}], make_case_row("case-2", 1))
            uow.put_records("c", {"after": {}})
            uow.commit()
        holder.commit()
    assert [k for k, _ in store.list_records("c")] == ["after"] + ([] if first else ["before"])
    assert [e.seq for e in store.load_events("case-1")] == [1, 2]
    assert store.get_case("case-2") == make_case_row("case-2", 1)


def test_a_commit_after_a_failed_statement_says_nothing_was_written(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.put_records("c", {"k": {"v": 1}})
        with pytest.raises(psycopg.errors.DivisionByZero):
            _conn(uow).execute("SELECT 1 / 0")
        with pytest.raises(StorageError, match="nothing of it was written"):
            uow.commit()
    assert store.get_record("c", "k") is None
