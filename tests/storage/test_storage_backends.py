from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planning_core import SchemaVersionError, ValidationError, open_store
from planning_core.plugins import Hooks
from planning_core.storage import SQLiteStore, Store, WorkItem


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path, hooks: Hooks) -> Iterator[Store]:
    url = "memory://" if request.param == "memory" else f"sqlite:///{tmp_path / 'bureau.db'}"
    with open_store(url, hooks) as opened:
        yield opened


def test_put_get_list_delete(store: Store) -> None:
    store.put_records("rural.village", {"丰润/甲村": {"stage": "编制"}, "丰润/乙村": {"n": 2}})
    store.put_records("rural.village", {"迁安/丙村": {"n": 3}})
    assert store.get_record("rural.village", "丰润/甲村") == {"stage": "编制"}
    assert store.get_record("rural.village", "nobody") is None
    keys = [k for k, _ in store.list_records("rural.village", "丰润/")]
    assert keys == ["丰润/乙村", "丰润/甲村"]
    assert len(store.list_records("rural.village")) == 3
    assert store.delete_records("rural.village", ["丰润/甲村", "nobody"]) == 1
    assert store.get_record("rural.village", "丰润/甲村") is None


def test_a_bad_batch_changes_nothing(store: Store) -> None:
    store.put_records("c", {"a": {"v": 1}})
    with pytest.raises((TypeError, ValueError)):
        store.put_records("c", {"a": {"v": 2}, "b": {"v": object()}})
    assert store.get_record("c", "a") == {"v": 1}
    assert store.get_record("c", "b") is None


@pytest.mark.parametrize("collection", ["", "规划"])
def test_bad_collection_names_are_refused(store: Store, collection: str) -> None:
    with pytest.raises(ValidationError, match="collection name"):
        store.put_records(collection, {"k": {}})


def test_non_object_documents_are_refused(store: Store) -> None:
    with pytest.raises(ValidationError, match="must be a JSON object"):
        store.put_records("c", {"k": [1, 2]})  # type: ignore[dict-item]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=10,
)


@settings(max_examples=50, deadline=None)
@given(docs=st.dictionaries(st.text(min_size=1), st.dictionaries(st.text(), json_values)))
def test_records_round_trip(tmp_path_factory: pytest.TempPathFactory, docs: dict) -> None:  # type: ignore[type-arg]
    path = tmp_path_factory.mktemp("rt") / "rt.db"
    for url in ("memory://", f"sqlite:///{path}"):
        with open_store(url) as store:
            store.put_records("c", docs)
            assert dict(store.list_records("c")) == docs


def test_sqlite_survives_reopen_and_uses_wal(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'b.db'}"
    with open_store(url) as store:
        store.put_records("c", {"k": {"v": "规划"}})
    with open_store(url) as store:
        assert store.get_record("c", "k") == {"v": "规划"}
        assert isinstance(store, SQLiteStore)
        assert store.schema_version() == SQLiteStore.SCHEMA_VERSION
    conn = sqlite3.connect(tmp_path / "b.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_sqlite_newer_schema_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE x (y)")
    conn.execute(f"PRAGMA application_id = {SQLiteStore.APPLICATION_ID}")  # ours, from later
    conn.execute(f"PRAGMA user_version = {SQLiteStore.SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(SchemaVersionError, match="newer than this planning_core"):
        open_store(f"sqlite:///{path}")
    assert path.read_bytes() == before
    assert not Path(f"{path}-wal").exists()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("sqlite://host/x.db", "not a SQLite URL"),
        ("sqlite:///x.db?synchronous=SOMETIMES", "synchronous='SOMETIMES'"),
        ("sqlite:///x.db?colour=red", "unknown option"),
        ("nowhere", "has no scheme"),
    ],
)
def test_bad_urls_name_the_problem(url: str, message: str, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=message):
        open_store(url)


def test_sqlite_migrates_a_version_2_file_keeping_every_event(tmp_path: Path) -> None:
    from planning_core.storage._sqlite import MIGRATIONS

    path = tmp_path / "v2.db"
    conn = sqlite3.connect(path, isolation_level=None)
    for version in (0, 1):
        MIGRATIONS[version](conn)
    conn.execute("PRAGMA user_version = 2")
    conn.execute(
        "INSERT INTO cases (case_id, permit_type, status, light, is_open, month, last_seq, doc) "
        "VALUES ('甲', 'T', 'received', 'green', 1, '2026-03', 2, '{}')"
    )
    conn.executemany(
        "INSERT INTO events (case_id, seq, doc) VALUES ('甲', ?, ?)",
        [(2, '{"n": "二"}'), (1, '{"n": "一"}')],
    )
    conn.execute(
        "INSERT INTO cases (case_id, permit_type, status, light, is_open, month, last_seq, doc) "
        "VALUES ('乙', 'T', 'received', 'green', 1, '2026-03', 0, '{}')"
    )
    conn.executemany(
        "INSERT INTO work_items (case_id, post, step_id, due_ts) VALUES (?, ?, ?, ?)",
        [("甲", "审查岗", "review", 200), ("甲", "WINDOW", "window", 2**62)],
    )
    conn.close()
    with open_store(f"sqlite:///{path}") as store:
        assert store.schema_version() == SQLiteStore.SCHEMA_VERSION == 4
        assert [(e.seq, e.data) for e in store.load_events("甲")] == [
            (1, {"n": "一"}),
            (2, {"n": "二"}),
        ]
        case = store.get_case("甲")
        assert case is not None and case.work == (
            WorkItem("WINDOW", "window", None),
            WorkItem("审查岗", "review", 200),
        )
        assert [r.case_id for r in store.inbox("审查岗")] == ["甲"]
        other = store.get_case("乙")
        assert other is not None and other.work == ()
        with store.unit_of_work() as uow:  # the migrated entries are replaced, not doubled
            uow.append("甲", 2, [{"n": "三"}], attrs.evolve(case, last_seq=3, work=()))
            uow.commit()
        assert store.inbox("审查岗") == [] and store.inbox("WINDOW") == []
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert check.execute("PRAGMA foreign_key_check").fetchall() == []
