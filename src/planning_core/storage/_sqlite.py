"""``sqlite:///path``: the embedded default store.

Settings and why:

* WAL journal, so readers never block the writer and a crash keeps committed data;
* ``synchronous=FULL`` by default (``?synchronous=NORMAL`` in the URL trades the last
  commits on power loss for speed; a process crash loses nothing either way);
* a busy timeout, so concurrent writers from several processes wait instead of failing;
* ``BEGIN IMMEDIATE`` for every unit of work, so two writers serialize at the start rather
  than failing at commit, and a sequence number is taken under the write lock;
* foreign keys on.

The schema version lives in ``PRAGMA user_version``, and planning_core's mark in
``PRAGMA application_id`` (:data:`APPLICATION_ID`, set in the first migration's
transaction). Opening looks before it writes anything: a file that is not SQLite, a
damaged one, one that belongs to another application (another application id, or tables
planning_core did not create) or one written by a newer planning_core is refused and left
byte for byte as it was. A store of ours from before the mark (application id 0 and
exactly the tables of its schema version) is adopted: the mark is set with its next
migration. Then the forward migrations the file lacks run in one transaction.

Read-only: ``?mode=ro``, or an existing file this process may not write (or whose
directory it may not write, where the write-ahead log lives), is opened read-only. Nothing
is migrated and nothing is written to the file; reads work and :meth:`SQLiteStore.unit_of_work`
raises :class:`ReadOnlyStoreError` naming the reason. A store in WAL mode normally needs
its ``-shm`` file to be read; where that cannot be created (a read-only directory) and no
log is pending, the file is opened as immutable, which reads it without any lock file.

Every ``sqlite3`` error becomes a :class:`StorageError` subclass naming the file, the cause
and what to do (``_sqlite_errors``); a unit of work rolls back only a transaction that
is still open, so SQLite's own rollback after a full disk is never reported in place of
the full disk.

This module is the store and its unit of work; the schema and its migrations are in
``_sqlite_schema``, the URL and the checks on the file before it is opened in
``_sqlite_files``, and the translation of errors in ``_sqlite_errors``.
"""

from __future__ import annotations

import json
import os
import sqlite3
from typing import Any

from planning_core.errors import (
    ConflictError,
    ForeignStoreError,
    ReadOnlyStoreError,
    SchemaVersionError,
    StoreNotFoundError,
    StoreUnavailableError,
)
from planning_core.storage._contract import (
    INDEXED_COLUMNS,
    JSON,
    CaseHead,
    CaseRow,
    CaseSnapshot,
    EventRecord,
    Store,
    UnitOfWork,
    WorkItem,
    check_limit,
    document_text,
)
from planning_core.storage._sqlite_errors import (
    _decode,
    _detail,
    _primary,
    _read_only_message,
    _roll_back_quietly,
    _storage_error,
    _Target,
    _translated,
    _undo_savepoint,
)
from planning_core.storage._sqlite_files import (
    _IN_MEMORY,
    _check_header,
    _check_path,
    _parse_url,
    _probed,
    _read_only_target,
    _settings,
    _sqlite,
    _uri,
)
from planning_core.storage._sqlite_schema import (
    APPLICATION_ID,
    MIGRATIONS,
    _inspect,
    _tables_after,
)

__all__ = ["APPLICATION_ID", "MIGRATIONS", "SQLiteStore"]

_NEVER = 2**62
#: Case ids per ``IN (…)`` when reading many histories (well under SQLite's 999 minimum).
_IDS_PER_QUERY = 500

_SELECT_INDEXED = (
    f"SELECT last_seq, {', '.join(INDEXED_COLUMNS)}, work FROM cases WHERE case_id = ?"
)
_INSERT_CASE = (
    f"INSERT INTO cases (case_id, last_seq, doc, work, {', '.join(INDEXED_COLUMNS)}) "
    f"VALUES (?, ?, ?, ?{', ?' * len(INDEXED_COLUMNS)})"
)
_INSERT_EVENT = "INSERT INTO events (case_id, seq, doc) VALUES (?, ?, ?)"
#: Compact JSON for ``cases.work``: the same work gives the same text, so texts compare.
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))

_CASE_COLUMNS = (
    "case_id, case_number, permit_type, status, light, is_open, month, last_seq, "
    "deadline_ts, wake_ts, doc, work"
)


class SQLiteStore(Store):
    """A store in one SQLite file.

    :param url: ``sqlite:///relative/path.db``, ``sqlite:////absolute/path.db``, with
        optional ``?synchronous=NORMAL``, ``?busy_timeout_ms=N`` and ``?mode=ro`` (read
        only), ``?mode=rw`` (an existing file only) or ``?mode=rwc`` (the default).
    :param create: whether a missing file may be created (see ``open_store``).
    :raises StoreNotFoundError: when the file does not exist and may not be created, or its
        directory does not exist.
    :raises NotADatabaseError: for a file that is not SQLite, or a damaged one.
    :raises ForeignStoreError: for another application's database.
    :raises SchemaVersionError: for a file written by a newer planning_core.
    """

    SCHEMA_VERSION = len(MIGRATIONS)
    #: planning_core's ``PRAGMA application_id`` (:data:`APPLICATION_ID`).
    APPLICATION_ID = APPLICATION_ID

    def __init__(self, url: str, *, create: bool = True) -> None:
        self.url = url
        self.path, options = _parse_url(url)
        timeout, sync, mode = _settings(url, options)
        # SQLite's in-memory database is new on every open: nothing to refuse, as memory://
        create = (create and mode == "rwc") or self.path == _IN_MEMORY
        exists = _check_path(self.path, mode, create)
        self._target = _read_only_target(self.path, mode) if exists else _Target(self.path)
        if exists:
            _check_header(self.path)
        try:
            self._conn = self._connect(timeout, exists)
        except sqlite3.Error as exc:
            raise _storage_error(exc, self._target, "opening") from exc
        try:
            self._open(sync, create=create)
        except sqlite3.Error as exc:
            self._conn.close()
            raise _storage_error(exc, self._target, "opening") from exc
        except BaseException:
            self._conn.close()
            raise

    @property
    def read_only(self) -> bool:
        """Whether the store was opened read-only (``?mode=ro``, or a file it may not write)."""
        return self._target.read_only is not None

    # -- lifecycle ----------------------------------------------------------------------

    def unit_of_work(self) -> UnitOfWork:
        if self._target.read_only is not None:
            raise ReadOnlyStoreError(_read_only_message(self._target))
        return _SQLiteUnitOfWork(self._conn, self._target)

    @_translated("reading")
    def schema_version(self) -> int:
        version: int = self._conn.execute("PRAGMA user_version").fetchone()[0]
        return version

    def close(self) -> None:
        self._conn.close()

    # -- reads ----------------------------------------------------------------------------

    @_translated("reading")
    def _get_record(self, collection: str, key: str) -> JSON | None:
        row = self._conn.execute(
            "SELECT doc FROM records WHERE collection = ? AND key = ?", (collection, key)
        ).fetchone()
        return None if row is None else _decode(row[0])

    @_translated("reading")
    def _list_records(self, collection: str, prefix: str) -> list[tuple[str, JSON]]:
        rows = self._conn.execute(
            "SELECT key, doc FROM records WHERE collection = ? AND substr(key, 1, ?) = ? "
            "ORDER BY key",
            (collection, len(prefix), prefix),
        ).fetchall()
        return [(key, _decode(doc)) for key, doc in rows]

    @_translated("reading")
    def _load_events(self, case_id: str, after: int) -> list[EventRecord]:
        rows = self._conn.execute(
            "SELECT seq, doc FROM events WHERE case_id = ? AND seq > ? ORDER BY seq",
            (case_id, after),
        ).fetchall()
        return [EventRecord(case_id, seq, _decode(doc)) for seq, doc in rows]

    @_translated("reading")
    def _load_histories(self, case_ids: list[str]) -> dict[str, list[EventRecord]]:
        histories: dict[str, list[EventRecord]] = {case_id: [] for case_id in case_ids}
        for start in range(0, len(case_ids), _IDS_PER_QUERY):
            chunk = case_ids[start : start + _IDS_PER_QUERY]
            rows = self._conn.execute(
                f"SELECT case_id, seq, doc FROM events WHERE case_id IN "
                f"({', '.join('?' * len(chunk))}) ORDER BY case_id, seq",
                chunk,
            )
            for case_id, seq, doc in rows:
                histories[case_id].append(EventRecord(case_id, seq, _decode(doc)))
        return histories

    @_translated("reading")
    def get_snapshot(self, case_id: str) -> CaseSnapshot | None:
        row = self._conn.execute(
            "SELECT seq, version, doc FROM snapshots WHERE case_id = ?", (case_id,)
        ).fetchone()
        return None if row is None else CaseSnapshot(row[0], row[1], _decode(row[2]))

    @_translated("reading")
    def get_case_head(self, case_id: str) -> CaseHead | None:
        row = self._conn.execute(
            "SELECT c.last_seq, s.seq, s.version, s.doc FROM cases c "
            "LEFT JOIN snapshots s ON s.case_id = c.case_id WHERE c.case_id = ?",
            (case_id,),
        ).fetchone()
        if row is None:
            return None
        last_seq, seq, version, doc = row
        snapshot = None if seq is None else CaseSnapshot(seq, version, _decode(doc))
        return CaseHead(last_seq, snapshot)

    @_translated("reading")
    def get_case(self, case_id: str) -> CaseRow | None:
        rows = self._select_cases("WHERE case_id = ?", (case_id,))
        return rows[0] if rows else None

    @_translated("reading")
    def find_case(self, case_number: str) -> CaseRow | None:
        rows = self._select_cases("WHERE case_number = ?", (case_number,))
        return rows[0] if rows else None

    @_translated("reading")
    def inbox(self, post: str, limit: int = 100) -> list[CaseRow]:
        check_limit(limit)
        # Walk the (post, due_ts, case_id) index in order; a case with two steps for the
        # same post appears once, at its soonest step.
        ids: list[str] = []
        cursor = self._conn.execute(
            "SELECT case_id FROM work_items WHERE post = ? ORDER BY due_ts, case_id", (post,)
        )
        for (case_id,) in cursor:
            if case_id not in ids:
                ids.append(case_id)
                if len(ids) >= limit:
                    break
        cursor.close()
        return self._rows_by_ids(ids)

    @_translated("reading")
    def cases(
        self,
        *,
        status: str | None = None,
        light: str | None = None,
        permit_type: str | None = None,
        limit: int | None = None,
        after: str | None = None,
    ) -> list[CaseRow]:
        check_limit(limit)
        where, params = [], []
        filters = (("status", status), ("light", light), ("permit_type", permit_type))
        if after is not None:
            where.append("case_id > ?")
            params.append(after)
        for column, value in filters:
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        clause = ("WHERE " + " AND ".join(where)) if where else ""
        return self._select_cases(f"{clause} ORDER BY case_id {_limit(limit)}", tuple(params))

    @_translated("reading")
    def due_before(self, ts: int, limit: int | None = None) -> list[CaseRow]:
        check_limit(limit)
        return self._select_cases(
            "WHERE is_open = 1 AND deadline_ts <= ? ORDER BY deadline_ts, case_id " + _limit(limit),
            (ts,),
        )

    @_translated("reading")
    def waking(
        self, ts: int, limit: int | None = None, after: tuple[int, str] | None = None
    ) -> list[CaseRow]:
        check_limit(limit)
        if after is None:
            return self._select_cases(
                "WHERE is_open = 1 AND wake_ts <= ? ORDER BY wake_ts, case_id " + _limit(limit),
                (ts,),
            )
        return self._select_cases(
            "WHERE is_open = 1 AND wake_ts <= ? AND (wake_ts, case_id) > (?, ?) "
            "ORDER BY wake_ts, case_id " + _limit(limit),
            (ts, after[0], after[1]),
        )

    @_translated("reading")
    def open_case_ids(self) -> list[str]:
        rows = self._conn.execute(
            "SELECT case_id FROM cases WHERE is_open = 1 ORDER BY case_id"
        ).fetchall()
        return [r[0] for r in rows]

    @_translated("reading")
    def counts_by_type_and_month(self) -> dict[tuple[str, str], int]:
        rows = self._conn.execute(
            "SELECT permit_type, month, count(*) FROM cases GROUP BY permit_type, month"
        ).fetchall()
        return {(t, m): n for t, m, n in rows}

    def _select_cases(self, clause: str, params: tuple[Any, ...]) -> list[CaseRow]:
        rows = self._conn.execute(f"SELECT {_CASE_COLUMNS} FROM cases {clause}", params)
        return [self._case_row(row) for row in rows.fetchall()]

    def _rows_by_ids(self, ids: list[str]) -> list[CaseRow]:
        rows = [self._select_cases("WHERE case_id = ?", (case_id,)) for case_id in ids]
        return [found[0] for found in rows if found]

    def _case_row(self, row: tuple[Any, ...]) -> CaseRow:
        return CaseRow(
            case_id=row[0],
            case_number=row[1],
            permit_type=row[2],
            status=row[3],
            light=row[4],
            is_open=bool(row[5]),
            month=row[6],
            last_seq=row[7],
            deadline_ts=row[8],
            wake_ts=row[9],
            work=tuple(
                WorkItem(p, s, None if d == _NEVER else d) for p, s, d in json.loads(row[11])
            ),
            data=_decode(row[10]),
        )

    # -- opening --------------------------------------------------------------------------

    def _connect(self, timeout: int, exists: bool) -> sqlite3.Connection:
        """A connection to the file: read-write, or read-only (immutable when it must leave
        no lock files, or cannot create them)."""
        if self._target.read_only is None:
            return _sqlite(_uri(self.path, "rw" if exists else "rwc"), timeout)
        if self._target.leave_no_files and not os.path.exists(f"{self.path}-wal"):
            # No process has the store open in WAL mode (it would keep a -wal beside it):
            # the file alone holds everything, read it without making any lock file.
            return _probed(_sqlite(_uri(self.path, "ro", immutable=True), timeout))
        conn = _sqlite(_uri(self.path, "ro"), timeout)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.Error as exc:
            conn.close()
            if _primary(exc) not in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN):
                raise
            # A WAL file is read through its -shm file, which SQLite could not create here
            # (a read-only directory). With no log pending, the file alone holds everything:
            # read it as immutable, with no lock file at all.
            wal = f"{self.path}-wal"
            if os.path.exists(wal) and os.path.getsize(wal) > 0:
                raise StoreUnavailableError(
                    f"cannot read {self.path} read-only ({_detail(exc)}): its write-ahead log "
                    f"{wal} holds changes not yet in the file, and SQLite cannot read them "
                    f"without creating {self.path}-shm, which this process may not; open it "
                    f"once with write access (which folds the log into the file), or copy "
                    f"the files somewhere writable. The file was not changed."
                ) from exc
        return _probed(_sqlite(_uri(self.path, "ro", immutable=True), timeout))

    def _open(self, sync: str, *, create: bool) -> None:
        """Refuse what is not ours or too new, then set the connection up and migrate.

        Everything before ``journal_mode`` only reads, so a refused file is unchanged.
        """
        conn = self._conn
        app_id, version, objects = _inspect(conn)
        kind = self._classify(app_id, version, objects)
        if self._target.read_only is not None:
            self._check_readable(kind, version)
            conn.execute("PRAGMA query_only = ON")
            return
        if kind == "new" and not create:
            raise StoreNotFoundError(
                f"no store at {self.path}: the file is an empty SQLite database; check the "
                f"path, or open it for writing (create=True, any command that writes) to "
                f"create the store there. The file was not changed."
            )
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute(f"PRAGMA synchronous = {sync}")
        conn.execute("PRAGMA foreign_keys = ON")
        if kind != "ours" or version < self.SCHEMA_VERSION:
            self._migrate()

    def _classify(self, app_id: int, version: int, objects: frozenset[str]) -> str:
        """``ours``, ``new`` (an empty file) or ``adopt`` (ours from before the mark).

        :raises ForeignStoreError: for another application's database.
        :raises SchemaVersionError: for a store of a newer planning_core.
        """
        if app_id == APPLICATION_ID:
            if version > self.SCHEMA_VERSION:
                raise SchemaVersionError(
                    f"{self.path} has schema version {version}, newer than this planning_core "
                    f"understands ({self.SCHEMA_VERSION}); upgrade planning_core to open it. "
                    f"The file was not changed."
                )
            return "ours"
        if app_id != 0:
            raise ForeignStoreError(
                f"{self.path} belongs to another application: its SQLite application_id is "
                f"{app_id & 0xFFFFFFFF:#010x}, planning_core's is {APPLICATION_ID:#010x}; name "
                f"another file for the store. The file was not changed."
            )
        if version == 0 and not objects:
            return "new"
        if 0 < version <= self.SCHEMA_VERSION and objects == _tables_after(version):
            return "adopt"
        strange = sorted(objects - _tables_after(min(version, self.SCHEMA_VERSION)))
        found = (
            f"tables planning_core did not create ({', '.join(strange[:5])}"
            f"{' …' if len(strange) > 5 else ''})"
            if strange
            else f"some of planning_core's tables under user_version {version}, which no "
            f"planning_core wrote"
        )
        raise ForeignStoreError(
            f"{self.path} holds {found}, and not planning_core's mark (SQLite application_id "
            f"{APPLICATION_ID:#010x}): it is another application's database. Name another "
            f"file for the store. The file was not changed."
        )

    def _check_readable(self, kind: str, version: int) -> None:
        """A read-only store must already be one this code can read as it is."""
        if kind == "new":
            raise StoreNotFoundError(
                f"no store at {self.path}: the file is an empty SQLite database, and it is "
                f"open read-only ({self._target.read_only}); check the path. The file was "
                f"not changed."
            )
        if version < self.SCHEMA_VERSION:
            raise ReadOnlyStoreError(
                f"{self.path} holds a store of schema version {version}, which this "
                f"planning_core reads only after migrating it to version "
                f"{self.SCHEMA_VERSION}, and it is open read-only because "
                f"{self._target.read_only}: to migrate it, {self._target.to_write}, and open "
                f"it once. The file was not changed."
            )

    def _migrate(self) -> None:
        """Run the missing migrations and set the mark, in one transaction.

        The file is looked at again under the write lock: another process may have created,
        migrated or replaced it since it was first read.
        """
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                app_id, current, objects = _inspect(conn)
                self._classify(app_id, current, objects)
                for version in range(current, self.SCHEMA_VERSION):
                    MIGRATIONS[version](conn)
                    conn.execute(f"PRAGMA user_version = {version + 1}")
                if app_id != APPLICATION_ID:
                    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                conn.execute("COMMIT")
            except BaseException:
                _roll_back_quietly(conn)
                raise
        except sqlite3.Error as exc:
            raise _storage_error(exc, self._target, "migrating") from exc


class _SQLiteUnitOfWork(UnitOfWork):
    def __init__(self, conn: sqlite3.Connection, target: _Target) -> None:
        super().__init__()
        self._conn = conn
        self._target = target
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _storage_error(exc, target, "writing to") from exc

    @_translated("writing to")
    def _append(
        self,
        case_id: str,
        expected_seq: int,
        events: list[JSON],
        case: CaseRow,
        snapshot: CaseSnapshot | None,
    ) -> None:
        conn = self._conn
        old = conn.execute(_SELECT_INDEXED, (case_id,)).fetchone()
        last = old[0] if old else 0
        if last != expected_seq:
            raise ConflictError(
                f"case {case_id!r} has {last} events, the writer expected {expected_seq}; "
                f"another writer got there first: reload the case and retry"
            )
        if case.case_number is not None and (old is None or old[1] != case.case_number):
            _check_case_number_free(conn, case_id, case.case_number)
        new = case.indexed_values()
        doc = document_text(case.data)
        snapshot_text = (
            None
            if snapshot is None
            else document_text(snapshot.data, f"the snapshot of case {case_id!r}")
        )
        work = _work_items(case)
        work_text = _COMPACT.encode(work)
        stored: list[list[Any]] = []
        if old is None:
            conn.execute(_INSERT_CASE, (case_id, case.last_seq, doc, work_text, *new))
        else:
            # Set only the indexed columns that changed: an index whose column is not set is
            # left alone, so a step that moves no deadline writes one page of `cases`, not
            # one per index (each page is a frame the commit must write and sync).
            changed = [i for i, value in enumerate(new, start=1) if value != old[i]]
            sets = "".join(f", {INDEXED_COLUMNS[i - 1]} = ?" for i in changed)
            values = [case.last_seq, doc, *(new[i - 1] for i in changed)]
            if old[-1] == work_text:
                work = []  # the inboxes stay as they are
            else:
                stored = json.loads(old[-1])
                sets += ", work = ?"
                values.append(work_text)
            conn.execute(
                f"UPDATE cases SET last_seq = ?, doc = ?{sets} WHERE case_id = ?",
                (*values, case_id),
            )
        conn.executemany(
            _INSERT_EVENT,
            [(case_id, expected_seq + i, document_text(e)) for i, e in enumerate(events, 1)],
        )
        _write_inboxes(conn, case_id, stored, work)
        if snapshot is not None:
            conn.execute(
                "INSERT INTO snapshots (case_id, seq, version, doc) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (case_id) DO UPDATE SET seq = excluded.seq, "
                "version = excluded.version, doc = excluded.doc",
                (case_id, snapshot.seq, snapshot.version, snapshot_text),
            )

    @_translated("writing to")
    def _next_sequence(self, name: str) -> int:
        row = self._conn.execute(
            "INSERT INTO sequences (name, value) VALUES (?, 1) "
            "ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value",
            (name,),
        ).fetchone()
        value: int = row[0]
        return value

    @_translated("writing to")
    def _get_record(self, collection: str, key: str) -> JSON | None:
        row = self._conn.execute(
            "SELECT doc FROM records WHERE collection = ? AND key = ?", (collection, key)
        ).fetchone()
        return None if row is None else _decode(row[0])

    @_translated("writing to")
    def _put_records(self, collection: str, records: dict[str, JSON]) -> None:
        rows = [(collection, k, document_text(v)) for k, v in records.items()]
        self._conn.executemany(
            "INSERT INTO records (collection, key, doc) VALUES (?, ?, ?) "
            "ON CONFLICT (collection, key) DO UPDATE SET doc = excluded.doc",
            rows,
        )

    @_translated("writing to")
    def _insert_records(self, collection: str, records: dict[str, JSON]) -> None:
        # A plain INSERT: the records table's primary key refuses a key that exists. The
        # batch runs in a savepoint, so a refused batch leaves none of its rows behind.
        rows = [(collection, k, document_text(v)) for k, v in records.items()]
        conn = self._conn
        conn.execute("SAVEPOINT planning_core_insert")
        try:
            conn.executemany("INSERT INTO records (collection, key, doc) VALUES (?, ?, ?)", rows)
        except sqlite3.IntegrityError as exc:
            _undo_savepoint(conn, "planning_core_insert")
            if exc.sqlite_errorcode != sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
                raise
            taken = next((k for k in records if self._get_record(collection, k) is not None), None)
            raise ConflictError(
                f"record {taken!r} already exists in {collection}, which takes new records "
                f"only: take another key (or reload, if another writer got there first); "
                f"nothing of this batch was written"
            ) from exc
        except BaseException:
            _undo_savepoint(conn, "planning_core_insert")
            raise
        conn.execute("RELEASE planning_core_insert")

    @_translated("writing to")
    def _delete_records(self, collection: str, keys: list[str]) -> int:
        count = 0
        for key in keys:
            cursor = self._conn.execute(
                "DELETE FROM records WHERE collection = ? AND key = ?", (collection, key)
            )
            count += cursor.rowcount
        return count

    def _commit(self) -> None:
        try:
            self._conn.execute("COMMIT")
        except sqlite3.Error as exc:
            error = _storage_error(exc, self._target, "writing to")
            # End what is left of the transaction now, so the store stays usable: the next
            # unit of work begins afresh.
            _roll_back_quietly(self._conn)
            raise error from exc

    def _rollback(self) -> None:
        # Only a transaction that is still open: after some errors (a full disk) SQLite has
        # rolled back by itself, and a second ROLLBACK would fail with "no transaction is
        # active", which must never be what the caller sees.
        if not self._conn.in_transaction:
            return
        try:
            self._conn.execute("ROLLBACK")
        except sqlite3.Error as exc:
            raise _storage_error(exc, self._target, "rolling back") from exc

    def _release(self) -> None:
        """The connection belongs to the store; nothing else is held."""


def _check_case_number_free(conn: sqlite3.Connection, case_id: str, number: str) -> None:
    row = conn.execute(
        "SELECT case_id FROM cases WHERE case_number = ? AND case_id != ?", (number, case_id)
    ).fetchone()
    if row is not None:
        raise ConflictError(
            f"case number {number!r} already belongs to case {row[0]!r}; take a new number"
        )


def _work_items(case: CaseRow) -> list[list[Any]]:
    """The case's work as ``cases.work`` stores it: [post, step_id, due_ts] (the contract
    hands it over one item per (post, step), sorted, none for a closed case)."""
    return [[w.post, w.step_id, _NEVER if w.due_ts is None else w.due_ts] for w in case.work]


def _write_inboxes(
    conn: sqlite3.Connection, case_id: str, stored: list[list[Any]], wanted: list[list[Any]]
) -> None:
    """Bring the case's inbox entries from ``stored`` to ``wanted``, touching only changes."""
    before = {(post, due, step) for post, step, due in stored}
    after = {(post, due, step) for post, step, due in wanted}
    gone = [(post, due, case_id, step) for post, due, step in before - after]
    if gone:
        conn.executemany(
            "DELETE FROM work_items WHERE post = ? AND due_ts = ? AND case_id = ? AND step_id = ?",
            gone,
        )
    added = [(post, due, case_id, step) for post, due, step in after - before]
    if added:
        conn.executemany(
            "INSERT INTO work_items (post, due_ts, case_id, step_id) VALUES (?, ?, ?, ?)", added
        )


def _limit(limit: int | None) -> str:
    return "" if limit is None else f"LIMIT {int(limit)}"
