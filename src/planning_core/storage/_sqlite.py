"""``sqlite:///path``: the embedded default store.

Settings and why:

* WAL journal, so readers never block the writer and a crash keeps committed data;
* ``synchronous=FULL`` by default (``?synchronous=NORMAL`` in the URL trades the last
  commits on power loss for speed; a process crash loses nothing either way);
* a busy timeout, so concurrent writers from several processes wait instead of failing;
* ``BEGIN IMMEDIATE`` for every unit of work, so two writers serialize at the start rather
  than failing at commit, and a sequence number is taken under the write lock;
* foreign keys on.

The schema version lives in ``PRAGMA user_version``. Opening runs the forward migrations
the file lacks; a file written by a newer planning_core is refused before anything is
written to it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

from planning_core.errors import (
    ConflictError,
    SchemaVersionError,
    StorageError,
    ValidationError,
)
from planning_core.storage._contract import (
    INDEXED_COLUMNS,
    JSON,
    CaseRow,
    EventRecord,
    Store,
    UnitOfWork,
    WorkItem,
    check_limit,
    document_text,
)

__all__ = ["MIGRATIONS", "SQLiteStore"]

_SYNCHRONOUS = ("OFF", "NORMAL", "FULL", "EXTRA")
_NEVER = 2**62


def _migrate_1(conn: sqlite3.Connection) -> None:
    """Version 1: the records table."""
    conn.execute(
        """
        CREATE TABLE records (
            collection TEXT NOT NULL,
            key        TEXT NOT NULL,
            doc        TEXT NOT NULL,
            PRIMARY KEY (collection, key)
        ) WITHOUT ROWID
        """
    )


def _migrate_2(conn: sqlite3.Connection) -> None:
    """Version 2: case histories, projections, the posts' work items, sequences."""
    _run_script(
        conn,
        """
        CREATE TABLE cases (
            case_id     TEXT PRIMARY KEY,
            case_number TEXT UNIQUE,
            permit_type TEXT NOT NULL,
            status      TEXT NOT NULL,
            light       TEXT NOT NULL,
            is_open     INTEGER NOT NULL,
            month       TEXT NOT NULL,
            last_seq    INTEGER NOT NULL,
            deadline_ts INTEGER,
            wake_ts     INTEGER,
            doc         TEXT NOT NULL
        );
        CREATE INDEX cases_open_deadline ON cases (deadline_ts) WHERE is_open = 1;
        CREATE INDEX cases_open_wake ON cases (wake_ts) WHERE is_open = 1;
        CREATE INDEX cases_status ON cases (status);
        CREATE INDEX cases_light ON cases (light);
        CREATE INDEX cases_type_month ON cases (permit_type, month);
        CREATE TABLE events (
            case_id TEXT NOT NULL REFERENCES cases (case_id),
            seq     INTEGER NOT NULL,
            doc     TEXT NOT NULL,
            PRIMARY KEY (case_id, seq)
        ) WITHOUT ROWID;
        CREATE TABLE work_items (
            case_id TEXT NOT NULL REFERENCES cases (case_id),
            post    TEXT NOT NULL,
            step_id TEXT NOT NULL,
            due_ts  INTEGER NOT NULL,
            PRIMARY KEY (case_id, post, step_id)
        ) WITHOUT ROWID;
        CREATE INDEX work_items_post_due ON work_items (post, due_ts, case_id);
        CREATE TABLE sequences (
            name  TEXT PRIMARY KEY,
            value INTEGER NOT NULL
        ) WITHOUT ROWID;
        """,
    )


def _migrate_3(conn: sqlite3.Connection) -> None:
    """Version 3: fewer pages written per append (each is a frame the commit must sync).

    * Events move to a rowid table: version 2 kept them in a WITHOUT ROWID table keyed by
      (case_id, seq), where every append landed mid-tree and page splits made each commit
      write almost four pages of events; now rows go to the end and a small unique index
      finds a case's history in order.
    * A case row carries its work items (``cases.work``, JSON), so reading a case needs no
      second query and an append knows what to change without one; ``work_items`` keeps one
      entry per item only for the inboxes, keyed (post, due_ts, case_id, step_id): one
      B-tree instead of a table and an index.
    """
    _run_script(
        conn,
        """
        CREATE TABLE events_v3 (
            id      INTEGER PRIMARY KEY,
            case_id TEXT NOT NULL REFERENCES cases (case_id),
            seq     INTEGER NOT NULL,
            doc     TEXT NOT NULL,
            UNIQUE (case_id, seq)
        );
        INSERT INTO events_v3 (case_id, seq, doc)
            SELECT case_id, seq, doc FROM events ORDER BY case_id, seq;
        DROP TABLE events;
        ALTER TABLE events_v3 RENAME TO events;
        ALTER TABLE cases ADD COLUMN work TEXT NOT NULL DEFAULT '[]';
        UPDATE cases SET work = (
            SELECT json_group_array(json_array(post, step_id, due_ts))
            FROM (SELECT post, step_id, due_ts FROM work_items w
                  WHERE w.case_id = cases.case_id ORDER BY post, step_id)
        ) WHERE EXISTS (SELECT 1 FROM work_items w WHERE w.case_id = cases.case_id);
        CREATE TABLE work_items_v3 (
            post    TEXT NOT NULL,
            due_ts  INTEGER NOT NULL,
            case_id TEXT NOT NULL REFERENCES cases (case_id),
            step_id TEXT NOT NULL,
            PRIMARY KEY (post, due_ts, case_id, step_id)
        ) WITHOUT ROWID;
        INSERT INTO work_items_v3 (post, due_ts, case_id, step_id)
            SELECT post, due_ts, case_id, step_id FROM work_items;
        DROP TABLE work_items;
        ALTER TABLE work_items_v3 RENAME TO work_items
        """,
    )


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run ``;``-separated DDL inside the open transaction (``executescript`` would commit)."""
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


#: Forward migrations, in order; entry i brings the schema from version i to i + 1.
MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _migrate_1,
    _migrate_2,
    _migrate_3,
)

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
        optional ``?synchronous=NORMAL`` and ``?busy_timeout_ms=N``.
    """

    SCHEMA_VERSION = len(MIGRATIONS)

    def __init__(self, url: str) -> None:
        self.url = url
        self.path, options = _parse_url(url)
        self._conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        try:
            self._configure(options)
            self._migrate()
        except BaseException:
            self._conn.close()
            raise

    # -- lifecycle ----------------------------------------------------------------------

    def unit_of_work(self) -> UnitOfWork:
        return _SQLiteUnitOfWork(self._conn)

    def schema_version(self) -> int:
        version: int = self._conn.execute("PRAGMA user_version").fetchone()[0]
        return version

    def close(self) -> None:
        self._conn.close()

    # -- reads ----------------------------------------------------------------------------

    def _get_record(self, collection: str, key: str) -> JSON | None:
        row = self._conn.execute(
            "SELECT doc FROM records WHERE collection = ? AND key = ?", (collection, key)
        ).fetchone()
        return None if row is None else _decode(row[0])

    def _list_records(self, collection: str, prefix: str) -> list[tuple[str, JSON]]:
        rows = self._conn.execute(
            "SELECT key, doc FROM records WHERE collection = ? AND substr(key, 1, ?) = ? "
            "ORDER BY key",
            (collection, len(prefix), prefix),
        ).fetchall()
        return [(key, _decode(doc)) for key, doc in rows]

    def load_events(self, case_id: str) -> list[EventRecord]:
        rows = self._conn.execute(
            "SELECT seq, doc FROM events WHERE case_id = ? ORDER BY seq", (case_id,)
        ).fetchall()
        return [EventRecord(case_id, seq, _decode(doc)) for seq, doc in rows]

    def get_case(self, case_id: str) -> CaseRow | None:
        rows = self._select_cases("WHERE case_id = ?", (case_id,))
        return rows[0] if rows else None

    def find_case(self, case_number: str) -> CaseRow | None:
        rows = self._select_cases("WHERE case_number = ?", (case_number,))
        return rows[0] if rows else None

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

    def cases(
        self,
        *,
        status: str | None = None,
        light: str | None = None,
        permit_type: str | None = None,
        limit: int | None = None,
    ) -> list[CaseRow]:
        check_limit(limit)
        where, params = [], []
        for column, value in (("status", status), ("light", light), ("permit_type", permit_type)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        clause = ("WHERE " + " AND ".join(where)) if where else ""
        return self._select_cases(f"{clause} ORDER BY case_id {_limit(limit)}", tuple(params))

    def due_before(self, ts: int, limit: int | None = None) -> list[CaseRow]:
        check_limit(limit)
        return self._select_cases(
            "WHERE is_open = 1 AND deadline_ts <= ? ORDER BY deadline_ts, case_id " + _limit(limit),
            (ts,),
        )

    def waking(self, ts: int, limit: int | None = None) -> list[CaseRow]:
        check_limit(limit)
        return self._select_cases(
            "WHERE is_open = 1 AND wake_ts <= ? ORDER BY wake_ts, case_id " + _limit(limit),
            (ts,),
        )

    def open_case_ids(self) -> list[str]:
        rows = self._conn.execute(
            "SELECT case_id FROM cases WHERE is_open = 1 ORDER BY case_id"
        ).fetchall()
        return [r[0] for r in rows]

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

    # -- setup --------------------------------------------------------------------------

    def _configure(self, options: dict[str, str]) -> None:
        timeout = options.get("busy_timeout_ms", "30000")
        sync = options.get("synchronous", "FULL").upper()
        if not timeout.isdigit():
            raise ValidationError(f"busy_timeout_ms={timeout!r} in {self.url!r} is not a number")
        if sync not in _SYNCHRONOUS:
            raise ValidationError(
                f"synchronous={sync!r} in {self.url!r}; use one of {', '.join(_SYNCHRONOUS)}"
            )
        conn = self._conn
        conn.execute(f"PRAGMA busy_timeout = {int(timeout)}")
        self._refuse_newer()
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute(f"PRAGMA synchronous = {sync}")
        conn.execute("PRAGMA foreign_keys = ON")

    def _refuse_newer(self) -> None:
        found = self.schema_version()
        if found > self.SCHEMA_VERSION:
            raise SchemaVersionError(
                f"{self.path} has schema version {found}, newer than this planning_core "
                f"understands ({self.SCHEMA_VERSION}); upgrade planning_core to open it. "
                f"The file was not changed."
            )

    def _migrate(self) -> None:
        if self.schema_version() == self.SCHEMA_VERSION:
            return
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            current: int = conn.execute("PRAGMA user_version").fetchone()[0]
            if current > self.SCHEMA_VERSION:  # another process upgraded it meanwhile
                raise SchemaVersionError(
                    f"{self.path} has schema version {current}, newer than "
                    f"{self.SCHEMA_VERSION}; upgrade planning_core"
                )
            for version in range(current, self.SCHEMA_VERSION):
                MIGRATIONS[version](conn)
                conn.execute(f"PRAGMA user_version = {version + 1}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


class _SQLiteUnitOfWork(UnitOfWork):
    def __init__(self, conn: sqlite3.Connection) -> None:
        super().__init__()
        self._conn = conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StorageError(
                f"could not start a write transaction ({exc}); another process holds the "
                f"database longer than the busy timeout: retry, or raise busy_timeout_ms"
            ) from exc

    def _append(self, case_id: str, expected_seq: int, events: list[JSON], case: CaseRow) -> None:
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

    def _next_sequence(self, name: str) -> int:
        row = self._conn.execute(
            "INSERT INTO sequences (name, value) VALUES (?, 1) "
            "ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value",
            (name,),
        ).fetchone()
        value: int = row[0]
        return value

    def _get_record(self, collection: str, key: str) -> JSON | None:
        row = self._conn.execute(
            "SELECT doc FROM records WHERE collection = ? AND key = ?", (collection, key)
        ).fetchone()
        return None if row is None else _decode(row[0])

    def _put_records(self, collection: str, records: dict[str, JSON]) -> None:
        rows = [(collection, k, document_text(v)) for k, v in records.items()]
        self._conn.executemany(
            "INSERT INTO records (collection, key, doc) VALUES (?, ?, ?) "
            "ON CONFLICT (collection, key) DO UPDATE SET doc = excluded.doc",
            rows,
        )

    def _delete_records(self, collection: str, keys: list[str]) -> int:
        count = 0
        for key in keys:
            cursor = self._conn.execute(
                "DELETE FROM records WHERE collection = ? AND key = ?", (collection, key)
            )
            count += cursor.rowcount
        return count

    def _commit(self) -> None:
        self._conn.execute("COMMIT")

    def _rollback(self) -> None:
        self._conn.execute("ROLLBACK")

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


def _parse_url(url: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(url)
    if parts.scheme != "sqlite" or parts.netloc or not parts.path.startswith("/"):
        raise ValidationError(
            f"{url!r} is not a SQLite URL; write sqlite:///relative.db or "
            f"sqlite:////absolute/path.db"
        )
    path = parts.path[1:]
    if not path:
        raise ValidationError(f"{url!r} names no file; write sqlite:///bureau.db")
    options = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    unknown = set(options) - {"synchronous", "busy_timeout_ms"}
    if unknown:
        raise ValidationError(
            f"unknown option(s) {', '.join(sorted(unknown))} in {url!r}; "
            f"known: synchronous, busy_timeout_ms"
        )
    return path, options


def _decode(raw: str) -> JSON:
    try:
        value: JSON = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise StorageError(
            f"a stored document is not valid JSON ({exc}); the file is damaged"
        ) from exc
    return value
