"""Storage failures say what happened and what to do, and change nothing they should not.

Every failure of the SQLite backend reaches the caller as a ``StorageError`` subclass: a full
disk (a file-size limit, in a subprocess), a file that is not a database, a truncated or
damaged one, another application's database, a missing store or directory, a read-only file.
Each refusal leaves the file byte for byte as it was (hashed before and after, the log
checkpointed first), and the command line turns each into one line and exit status 2.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from planning_core import (
    ConflictError,
    ForeignStoreError,
    NotADatabaseError,
    NotFoundError,
    PlanningError,
    ReadOnlyStoreError,
    StorageError,
    StorageFullError,
    StorageWriteError,
    StoreBusyError,
    StoreNotFoundError,
    StoreUnavailableError,
    open_store,
)
from planning_core.cli import cli
from planning_core.registry import Registry
from planning_core.storage import MemoryStore, SQLiteStore, Store, StoreFactory
from planning_core.storage._sqlite import _SQLiteUnitOfWork
from planning_core.testing.storage import make_case_row

ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
#: Root ignores file permissions, so a chmod cannot make a file read-only for it.
needs_permissions = pytest.mark.skipif(
    ROOT, reason="runs as root, which may write any file: chmod cannot make one read-only"
)


def _url(path: Path, query: str = "") -> str:
    return f"sqlite:///{path}{query}"


def _sha(path: Path) -> str:
    """The file's hash, after folding any write-ahead log into it (so a committed change
    that still sits in the log counts as a change)."""
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _siblings(path: Path) -> set[str]:
    return {p.name for p in path.parent.iterdir()}


def _make_store(path: Path, records: int = 1) -> str:
    """A store with records and one case, closed cleanly (no log left beside it)."""
    url = _url(path)
    with open_store(url) as store:
        store.put_records("c", {f"k{i}": {"v": "规划" * 200, "i": i} for i in range(records)})
        with store.unit_of_work() as uow:
            uow.append("case-1", 0, [{"n": 1}], make_case_row("case-1", 1))
            uow.commit()
    assert not Path(f"{path}-wal").exists()
    return url


def _assert_intact(url: str, records: int = 1) -> None:
    """The store opens, holds what it held, and takes a new write."""
    with open_store(url) as store:
        assert len(store.list_records("c")) == records
        assert store.get_record("c", "k0") == {"v": "规划" * 200, "i": 0}
        row = store.get_case("case-1")
        assert row is not None and row.last_seq == 1
        store.put_records("c", {"after": {"ok": True}})
        assert store.get_record("c", "after") == {"ok": True}


# -- the error family -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "cls",
    [
        ForeignStoreError,
        NotADatabaseError,
        ReadOnlyStoreError,
        StorageFullError,
        StorageWriteError,
        StoreBusyError,
        StoreNotFoundError,
        StoreUnavailableError,
    ],
)
def test_every_storage_failure_is_a_storage_error(cls: type[Exception]) -> None:
    assert issubclass(cls, StorageError) and issubclass(cls, PlanningError)


def test_the_kinds_a_caller_may_catch_more_broadly() -> None:
    assert issubclass(StoreNotFoundError, NotFoundError)  # and so a LookupError
    assert issubclass(StorageFullError, StorageWriteError)


# -- a full disk ------------------------------------------------------------------------------

#: Opens the store, then lowers this process's file-size limit to a little above what the
#: files hold and writes a record far larger: the write must fail as a StorageFullError that
#: names the limit, and the store must still read afterwards, in the same process.
_FILL_THE_DISK = """
import os, resource, signal, sys
from planning_core import StorageError, open_store

path = sys.argv[1]
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails, not the process
store = open_store("sqlite:///" + path)
limit = max(os.path.getsize(path), 32768) + 65536
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
for size in (3_000_000, 300_000):  # spills during the unit of work; fails at its commit
    try:
        store.put_records("c", {"big": {"x": "规" * size}})
        print("WRITTEN")
    except StorageError as exc:
        print(f"{type(exc).__name__}: {exc}")
        print(f"cause: {type(exc.__cause__).__name__}: {exc.__cause__}")
    print("still reads:", store.get_record("c", "k0")["i"], store.get_record("c", "big"))
store.close()
"""


@pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX file-size limits")
def test_a_full_disk_is_a_storage_full_error_and_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "bureau.db"
    url = _make_store(path)
    before = _sha(path)
    child = subprocess.run(
        [sys.executable, "-c", _FILL_THE_DISK, str(path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert child.returncode == 0, child.stderr
    out = child.stdout
    assert "WRITTEN" not in out, out
    assert out.count("StorageFullError: writing to") == 2, out
    assert "file-size limit of this process" in out and "the unit of work was not kept" in out
    assert "cause: OperationalError: disk I/O error" in out  # the cause, not "cannot rollback"
    assert "cannot rollback" not in out and "no transaction is active" not in out
    assert out.count("still reads: 0 None") == 2
    assert _sha(path) == before
    _assert_intact(url)


# -- not a database ---------------------------------------------------------------------------


@pytest.mark.parametrize("create", [True, False])
def test_a_junk_file_is_not_a_database_and_is_left_alone(tmp_path: Path, create: bool) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(os.urandom(8192))
    before, files = _sha(path), _siblings(path)
    with pytest.raises(NotADatabaseError, match="not a SQLite database") as caught:
        open_store(_url(path), create=create)
    assert str(path) in str(caught.value) and "The file was not changed" in str(caught.value)
    assert _sha(path) == before and _siblings(path) == files


def test_a_truncated_store_is_not_a_database_and_is_left_alone(tmp_path: Path) -> None:
    whole = tmp_path / "whole.db"
    _make_store(whole, records=300)
    data = whole.read_bytes()
    path = tmp_path / "cut.db"
    path.write_bytes(data[: len(data) // 2])
    before, files = _sha(path), _siblings(path)
    with pytest.raises(NotADatabaseError, match="damaged") as caught, open_store(_url(path)) as s:
        s.list_records("c")
    assert "restore the file from a backup" in str(caught.value)
    assert _sha(path) == before and _siblings(path) == files


def test_a_file_cut_inside_the_header_is_not_a_database(tmp_path: Path) -> None:
    whole = tmp_path / "whole.db"
    _make_store(whole)
    path = tmp_path / "cut.db"
    path.write_bytes(whole.read_bytes()[:60])
    with pytest.raises(NotADatabaseError, match="ends inside SQLite's 100-byte header"):
        open_store(_url(path))
    assert len(path.read_bytes()) == 60


def test_a_damaged_page_is_found_when_read_and_the_file_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "damaged.db"
    _make_store(path, records=300)
    data = bytearray(path.read_bytes())
    middle = len(data) // 2 // 4096 * 4096
    data[middle : middle + 4096] = os.urandom(4096)
    path.write_bytes(bytes(data))
    before = _sha(path)
    # the header and the schema are intact: the damage is found where it is read
    with open_store(_url(path)) as store, pytest.raises(NotADatabaseError, match="damaged"):
        store.list_records("c")
    assert _sha(path) == before


def test_a_directory_is_not_a_store_file(tmp_path: Path) -> None:
    with pytest.raises(NotADatabaseError, match="is a directory"):
        open_store(_url(tmp_path))


# -- another application's database ----------------------------------------------------------


def test_a_new_store_carries_planning_cores_application_id(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    _make_store(path)
    assert _application_id(path) == SQLiteStore.APPLICATION_ID == 0x504C4E43


def test_sqlites_in_memory_database_is_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with open_store("sqlite:///:memory:", create=False) as store:  # new on every open
        store.put_records("c", {"k": {}})
        assert store.get_record("c", "k") == {}
    assert list(tmp_path.iterdir()) == []


def test_another_applications_tables_are_refused_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "crm.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO customers (name) VALUES ('唐山钢铁')")
    conn.commit()
    conn.close()
    before, files = _sha(path), _siblings(path)
    for create in (True, False):
        with pytest.raises(ForeignStoreError, match=r"did not create \(customers\)") as caught:
            open_store(_url(path), create=create)
        assert "another application's database" in str(caught.value)
        assert "The file was not changed" in str(caught.value)
    assert _sha(path) == before and _siblings(path) == files


def test_another_applications_id_is_refused_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "map.gpkg"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 0x47504B47")  # a GeoPackage
    conn.execute("CREATE TABLE records (collection, key, doc)")  # even with a table of ours
    conn.commit()
    conn.close()
    before = _sha(path)
    with pytest.raises(ForeignStoreError, match="application_id is 0x47504b47"):
        open_store(_url(path))
    with pytest.raises(ForeignStoreError):
        open_store(_url(path, "?mode=ro"))
    assert _sha(path) == before


def test_another_applications_user_version_is_not_a_newer_store(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE settings (k, v)")
    conn.execute("PRAGMA user_version = 42")
    conn.commit()
    conn.close()
    before = _sha(path)
    with pytest.raises(ForeignStoreError, match="settings"):
        open_store(_url(path))
    assert _sha(path) == before


def _old_store(path: Path, version: int) -> None:
    """A store as planning_core wrote it before the application id: no mark."""
    from planning_core.storage._sqlite import MIGRATIONS

    conn = sqlite3.connect(path, isolation_level=None)
    for migrate in MIGRATIONS[:version]:
        migrate(conn)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.execute("""INSERT INTO records VALUES ('c', 'k0', '{"old": true}')""")
    conn.close()


def _application_id(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        value: int = conn.execute("PRAGMA application_id").fetchone()[0]
        return value
    finally:
        conn.close()


@pytest.mark.parametrize("version", [1, 2, SQLiteStore.SCHEMA_VERSION])
def test_an_old_store_of_ours_is_adopted(tmp_path: Path, version: int) -> None:
    path = tmp_path / "old.db"
    _old_store(path, version)
    with open_store(_url(path), create=False) as store:  # ours: opening it is no creation
        assert store.get_record("c", "k0") == {"old": True}
        assert store.schema_version() == SQLiteStore.SCHEMA_VERSION
    assert _application_id(path) == SQLiteStore.APPLICATION_ID == 0x504C4E43


def test_an_old_store_opened_read_only_is_read_but_not_marked(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _old_store(path, SQLiteStore.SCHEMA_VERSION)
    before = _sha(path)
    with open_store(_url(path, "?mode=ro")) as store:
        assert store.get_record("c", "k0") == {"old": True}
    assert _sha(path) == before and _application_id(path) == 0


def test_an_old_version_opened_read_only_says_it_needs_migrating(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _old_store(path, 2)
    before = _sha(path)
    with pytest.raises(ReadOnlyStoreError, match=r"schema version 2.*migrating") as caught:
        open_store(_url(path, "?mode=ro"))
    assert "open it without ?mode=ro" in str(caught.value)
    assert _sha(path) == before


# -- no store, no creation --------------------------------------------------------------------


def test_create_false_on_a_missing_file_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "typo.db"
    with pytest.raises(StoreNotFoundError, match=r"no store at .*typo\.db") as caught:
        open_store(_url(path), create=False)
    assert "check the path" in str(caught.value) and "Nothing was created" in str(caught.value)
    assert isinstance(caught.value, NotFoundError)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("query", ["?mode=ro", "?mode=rw"])
def test_modes_that_do_not_create_refuse_a_missing_file(tmp_path: Path, query: str) -> None:
    with pytest.raises(StoreNotFoundError, match=f"{query.removeprefix('?')} opens an existing"):
        open_store(_url(tmp_path / "typo.db", query))
    assert list(tmp_path.iterdir()) == []


def test_create_false_on_an_empty_file_creates_no_store(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    with pytest.raises(StoreNotFoundError, match="empty SQLite database"):
        open_store(_url(path), create=False)
    assert path.read_bytes() == b"" and _siblings(path) == {"empty.db"}
    with open_store(_url(path)) as store:  # created when it may be
        store.put_records("c", {"k": {}})


def test_a_missing_directory_is_named_even_when_creating(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such"
    for create in (True, False):
        with pytest.raises(StoreNotFoundError, match=r"the directory .*no/such does not exist"):
            open_store(_url(missing / "bureau.db"), create=create)
    assert list(tmp_path.iterdir()) == []


def test_create_false_opens_an_existing_store(tmp_path: Path) -> None:
    url = _make_store(tmp_path / "b.db")
    with open_store(url, create=False) as store:
        assert store.get_record("c", "k0") is not None
    with open_store("memory://", create=False) as memory:  # nothing to refuse in memory
        assert memory.list_records("c") == []


def test_a_backend_written_before_create_still_opens() -> None:
    opened: list[str] = []

    def old_factory(url: str) -> Store:  # takes no create: opened as it always was
        opened.append(url)
        return MemoryStore(url)

    class Hooks:
        def register_storage_backends(self, registry: Registry[StoreFactory]) -> None:
            registry.add("old", old_factory)  # type: ignore[arg-type]

    with open_store("old://x", Hooks(), create=False) as store:
        assert store.url == "old://x"
    assert opened == ["old://x"]


# -- read-only --------------------------------------------------------------------------------


def test_mode_ro_reads_refuses_writes_and_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "bureau.db"
    _make_store(path)
    before = _sha(path)
    with open_store(_url(path, "?mode=ro")) as store:
        assert isinstance(store, SQLiteStore) and store.read_only
        assert store.get_record("c", "k0") is not None
        assert [r.case_id for r in store.cases()] == ["case-1"]
        with pytest.raises(ReadOnlyStoreError, match=r"opened with \?mode=ro") as caught:
            store.put_records("c", {"k": {}})
        assert str(path) in str(caught.value) and "open it without ?mode=ro" in str(caught.value)
        with pytest.raises(ReadOnlyStoreError):
            store.unit_of_work()
    assert _sha(path) == before
    with open_store(_url(path)) as store:
        assert not isinstance(store, SQLiteStore) or not store.read_only


@needs_permissions
def test_a_file_it_may_not_write_opens_read_only(tmp_path: Path) -> None:
    path = tmp_path / "bureau.db"
    url = _make_store(path)
    before, files = _sha(path), _siblings(path)
    path.chmod(0o444)
    try:
        with open_store(url) as store:
            assert store.get_record("c", "k0") is not None
            with pytest.raises(ReadOnlyStoreError, match="may not write the file"):
                store.put_records("c", {"k": {}})
    finally:
        path.chmod(0o644)
    # no -wal or -shm left with this process's owner and the file's 0444: they would keep
    # the store read-only for its owner once the file is writable again
    assert _siblings(path) == files
    assert _sha(path) == before
    _assert_intact(url)


@needs_permissions
@pytest.mark.parametrize("query", ["", "?mode=ro"])
def test_a_store_in_a_read_only_directory_is_read_without_lock_files(
    tmp_path: Path, query: str
) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    path = folder / "bureau.db"
    _make_store(path)
    before, files = _sha(path), _siblings(path)
    folder.chmod(0o555)
    try:
        with open_store(_url(path, query)) as store:
            assert store.get_record("c", "k0") is not None
            with pytest.raises(ReadOnlyStoreError):
                store.put_records("c", {"k": {}})
        assert _siblings(path) == files  # no -wal or -shm written there
    finally:
        folder.chmod(0o755)
    assert _sha(path) == before


# -- units of work ------------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(_url(tmp_path / "bureau.db")) as opened:
        yield opened


def test_a_transaction_sqlite_ended_by_itself_does_not_hide_the_cause(store: Store) -> None:
    """After some errors (a full disk) SQLite rolls back by itself; the unit of work must not
    answer with "cannot rollback - no transaction is active" in place of the cause."""
    with pytest.raises(RuntimeError, match="the cause"), store.unit_of_work() as uow:
        uow.put_records("c", {"k": {"v": 1}})
        store._conn.execute("ROLLBACK")  # type: ignore[attr-defined]  # as SQLite would
        raise RuntimeError("the cause")
    assert store.get_record("c", "k") is None
    store.put_records("c", {"k": {"v": 2}})  # the store goes on
    assert store.get_record("c", "k") == {"v": 2}


def test_a_failing_rollback_does_not_replace_the_cause(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: _SQLiteUnitOfWork) -> None:
        self._conn.execute("ROLLBACK")
        raise StorageError("rolling back failed")

    monkeypatch.setattr(_SQLiteUnitOfWork, "_rollback", broken)
    with pytest.raises(ConflictError, match="stale") as caught, store.unit_of_work():
        raise ConflictError("stale")
    assert "rolling back afterwards failed too: rolling back failed" in caught.value.__notes__[0]
    with pytest.raises(StorageError, match="rolling back failed"), store.unit_of_work():
        pass  # with no error of its own, the rollback's is the one to report


def test_a_failed_commit_leaves_the_store_usable(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.put_records("c", {"k": {"v": 1}})
        store._conn.execute("ROLLBACK")  # type: ignore[attr-defined]  # the commit will fail
        with pytest.raises(StorageError, match="no transaction is active"):
            uow.commit()
    store.put_records("c", {"k": {"v": 2}})
    assert store.get_record("c", "k") == {"v": 2}


def test_a_writer_held_up_too_long_gets_store_busy(tmp_path: Path) -> None:
    path = tmp_path / "bureau.db"
    url = _make_store(path)
    with open_store(url) as holder, open_store(f"{url}?busy_timeout_ms=50") as other:
        with holder.unit_of_work() as uow:
            uow.put_records("c", {"held": {}})
            with pytest.raises(StoreBusyError, match="busy_timeout_ms") as caught:
                other.put_records("c", {"k": {}})
            assert str(path) in str(caught.value)
            uow.commit()
        other.put_records("c", {"k": {}})  # the lock is free again


def test_reading_a_closed_store_is_a_storage_error(tmp_path: Path) -> None:
    store = open_store(_url(tmp_path / "b.db"))
    store.close()
    with pytest.raises(StorageError, match="open it again"):
        store.get_record("c", "k")


def test_bad_options_are_refused_before_any_file_is_created(tmp_path: Path) -> None:
    from planning_core import ValidationError

    for query in ("?mode=sometimes", "?busy_timeout_ms=soon", "?synchronous=MAYBE"):
        with pytest.raises(ValidationError):
            open_store(_url(tmp_path / "b.db", query))
    assert list(tmp_path.iterdir()) == []


# -- the command line -------------------------------------------------------------------------


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stderr


def _one_error_line(stderr: str) -> str:
    assert stderr.count("\n") == 1 and stderr.startswith("planning-core: error: "), stderr
    assert "Traceback" not in stderr
    return stderr


@pytest.mark.parametrize(
    "command",
    [
        ["cases", "inbox"],
        ["cases", "overdue", "--at", "2026-03-02T09:00:00+08:00"],
        ["certificates", "list"],
        ["rural", "progress", "--at", "2026-03-02T09:00:00+08:00"],
        ["layers", "list"],
        ["report", "stats", "--from", "2026-01-01", "--to", "2026-03-31"],
    ],
    ids=" ".join,
)
def test_a_read_command_on_a_missing_store_creates_nothing(
    tmp_path: Path, command: list[str]
) -> None:
    code, stderr = _cli(*command, "--store", _url(tmp_path / "typo.db"))
    assert code == 2
    assert "no store at" in _one_error_line(stderr)
    assert list(tmp_path.iterdir()) == []


def test_the_cli_names_a_junk_file_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(os.urandom(4096))
    before = _sha(path)
    code, stderr = _cli("cases", "inbox", "--store", _url(path))
    assert code == 2 and "not a SQLite database" in _one_error_line(stderr)
    code, stderr = _cli("demo", "--store", _url(path))  # a command that writes, likewise
    assert code == 2 and "not a SQLite database" in _one_error_line(stderr)
    assert _sha(path) == before


def test_the_cli_names_a_foreign_database_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "crm.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY)")
    conn.close()
    before = _sha(path)
    code, stderr = _cli("demo", "--store", _url(path))
    assert code == 2 and "another application's database" in _one_error_line(stderr)
    assert _sha(path) == before


def test_the_cli_refuses_writing_a_read_only_store_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "bureau.db"
    _make_store(path)
    before = _sha(path)
    code, stderr = _cli("demo", "--store", _url(path, "?mode=ro"))
    assert code == 2 and "is open read-only" in _one_error_line(stderr)
    assert _sha(path) == before
