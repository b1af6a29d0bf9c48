"""``postgresql://``: the store for several application servers on one database.

Each store holds a :class:`psycopg_pool.ConnectionPool`; its connections run in autocommit,
so a read is one round trip, and a unit of work opens its own transaction with ``BEGIN``
on a borrowed connection. Opening a store first checks, and if needed migrates, the schema
on a connection of its own (see :mod:`planning_core_postgres._schema`), so a server that is
down, a schema that is too new or one that belongs to another application fails at once
with a clear message. Every psycopg error becomes the :class:`StorageError` subclass that
says what it means (:mod:`planning_core_postgres._errors`).

A store may be used from several threads (the pool hands each its own connection) and
opened in several processes at once; spawned worker processes reopen it from ``store.url``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import psycopg
from psycopg.rows import TupleRow
from psycopg_pool import ConnectionPool

from planning_core.storage import (
    JSON,
    CaseHead,
    CaseRow,
    CaseSnapshot,
    EventRecord,
    Store,
    UnitOfWork,
    WorkItem,
    check_limit,
)
from planning_core_postgres._codec import storable
from planning_core_postgres._errors import connect_error, storage_error
from planning_core_postgres._schema import SCHEMA_VERSION, ensure_schema, read_version
from planning_core_postgres._unit_of_work import NEVER, PostgresUnitOfWork
from planning_core_postgres._url import Settings, parse_url, redact

__all__ = ["PostgresStore"]

_COLUMNS = (
    "c.case_id, c.case_number, c.permit_type, c.status, c.light, c.is_open, c.month, "
    "c.last_seq, c.deadline_ts, c.wake_ts, c.doc, "
    "ARRAY(SELECT ARRAY[w.post, w.step_id, w.due_ts::text] FROM work_items w "
    "WHERE w.case_id = c.case_id ORDER BY w.post, w.step_id)"
)

#: A post's inbox, read from the head of the (post, due_ts, case_id) index: the first ``cap``
#: work items in due order hold every case of the first page, as long as they name at least
#: ``limit`` cases (a case outside them has all its items after them, so it ranks after
#: each case in them). ``seen`` tells whether the head was cut short.
_INBOX = (
    "WITH head AS MATERIALIZED (SELECT case_id, due_ts FROM work_items WHERE post = %(post)s "
    "ORDER BY due_ts, case_id LIMIT %(cap)s), "
    "due AS (SELECT case_id, min(due_ts) AS due FROM head GROUP BY case_id "
    "ORDER BY due, case_id LIMIT %(limit)s) "
    f"SELECT (SELECT count(*) FROM head) AS seen, {_COLUMNS} "
    "FROM due JOIN cases c USING (case_id) ORDER BY due.due, c.case_id"
)


class PostgresStore(Store):
    """A store in one schema of a PostgreSQL database.

    :param url: ``postgresql://user:password@host:5432/database`` with optional
        ``?schema=NAME`` (default ``planning_core``), ``pool_min_size``, ``pool_max_size``,
        ``pool_timeout`` and any libpq option; ``postgres://`` works too.
    :param create: whether a missing or empty schema may become a new store; with False it
        raises :class:`StoreNotFoundError` and nothing is created.
    :raises ValidationError: for a malformed URL or option.
    :raises StoreUnavailableError: when the server cannot be reached.
    :raises StoreNotFoundError: when the database does not exist, or the schema holds no
        store and ``create`` is False.
    :raises ForeignStoreError: when the schema holds another application's tables.
    :raises SchemaVersionError: when the schema was written by a newer planning_core.
    """

    SCHEMA_VERSION = SCHEMA_VERSION

    def __init__(self, url: str, *, create: bool = True) -> None:
        self.url = url
        self.settings: Settings = parse_url(url)
        self._where = redact(url)
        with self._connect() as conn:
            try:
                ensure_schema(conn, self.settings.schema, self._where, create=create)
            except psycopg.Error as exc:
                raise storage_error(exc, self._where, "opening") from exc
        self._pool: ConnectionPool[psycopg.Connection[TupleRow]] = ConnectionPool(
            self.settings.conninfo,
            kwargs={"autocommit": True, "options": self.settings.options},
            min_size=self.settings.pool_min_size,
            max_size=self.settings.pool_max_size,
            timeout=self.settings.pool_timeout,
            name=f"planning_core:{self.settings.schema}",
            open=True,
        )

    # -- lifecycle ----------------------------------------------------------------------

    def unit_of_work(self) -> UnitOfWork:
        return PostgresUnitOfWork(self._pool, self._where)

    def schema_version(self) -> int:
        try:
            with self._pool.connection() as conn:
                return read_version(conn, self.settings.schema)
        except psycopg.Error as exc:
            raise storage_error(exc, self._where, "reading from") from exc

    def close(self) -> None:
        self._pool.close()

    # -- reads ----------------------------------------------------------------------------

    def _get_record(self, collection: str, key: str) -> JSON | None:
        if not storable(collection, key):
            return None
        rows = self._fetch(
            "SELECT doc FROM records WHERE collection = %s AND key = %s", (collection, key)
        )
        return rows[0][0] if rows else None

    def _list_records(self, collection: str, prefix: str) -> list[tuple[str, JSON]]:
        if not storable(collection, prefix):
            return []
        rows = self._fetch(
            "SELECT key, doc FROM records WHERE collection = %s AND key LIKE %s ORDER BY key",
            (collection, _like_prefix(prefix)),
        )
        return [(key, doc) for key, doc in rows]

    def _load_events(self, case_id: str, after: int) -> list[EventRecord]:
        if not storable(case_id):
            return []
        rows = self._fetch(
            "SELECT seq, doc FROM events WHERE case_id = %s AND seq > %s ORDER BY seq",
            (case_id, after),
        )
        return [EventRecord(case_id, seq, doc) for seq, doc in rows]

    def _load_histories(self, case_ids: list[str]) -> dict[str, list[EventRecord]]:
        histories: dict[str, list[EventRecord]] = {case_id: [] for case_id in case_ids}
        kept = [case_id for case_id in case_ids if storable(case_id)]
        if kept:
            rows = self._fetch(
                "SELECT case_id, seq, doc FROM events WHERE case_id = ANY(%b::text[]) "
                "ORDER BY case_id, seq",
                (kept,),
            )
            for case_id, seq, doc in rows:
                histories[case_id].append(EventRecord(case_id, seq, doc))
        return histories

    def get_snapshot(self, case_id: str) -> CaseSnapshot | None:
        if not storable(case_id):
            return None
        rows = self._fetch("SELECT seq, version, doc FROM snapshots WHERE case_id = %s", (case_id,))
        return CaseSnapshot(rows[0][0], rows[0][1], rows[0][2]) if rows else None

    def get_case_head(self, case_id: str) -> CaseHead | None:
        if not storable(case_id):
            return None
        rows = self._fetch(
            "SELECT c.last_seq, s.seq, s.version, s.doc FROM cases c "
            "LEFT JOIN snapshots s ON s.case_id = c.case_id WHERE c.case_id = %s",
            (case_id,),
        )
        if not rows:
            return None
        last_seq, seq, version, doc = rows[0]
        return CaseHead(last_seq, None if seq is None else CaseSnapshot(seq, version, doc))

    def get_case(self, case_id: str) -> CaseRow | None:
        rows = self._cases("WHERE c.case_id = %s", (case_id,)) if storable(case_id) else []
        return rows[0] if rows else None

    def find_case(self, case_number: str) -> CaseRow | None:
        found = storable(case_number)
        rows = self._cases("WHERE c.case_number = %s", (case_number,)) if found else []
        return rows[0] if rows else None

    def inbox(self, post: str, limit: int = 100) -> list[CaseRow]:
        check_limit(limit)
        if not storable(post) or limit <= 0:
            return []
        cap = 2 * limit  # most cases wait for a post with one step; a few with two
        while True:
            rows = self._fetch(_INBOX, {"post": post, "cap": cap, "limit": limit})
            if len(rows) == limit or not rows or rows[0][0] < cap:
                return [_case_row(row[1:]) for row in rows]
            cap *= 4  # the head named too few cases: read further down the index

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
        filters = {"status": status, "light": light, "permit_type": permit_type}
        wanted = {column: value for column, value in filters.items() if value is not None}
        if not storable(*wanted.values()):
            return []
        conditions = [f"c.{column} = %s" for column in wanted]
        params: list[Any] = list(wanted.values())
        if after is not None:
            conditions.append("c.case_id > %s")
            params.append(after.replace("\x00", ""))
        clause = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        return self._cases(f"{clause} ORDER BY c.case_id LIMIT %s", (*params, limit))

    def due_before(self, ts: int, limit: int | None = None) -> list[CaseRow]:
        check_limit(limit)
        return self._cases(
            "WHERE c.is_open AND c.deadline_ts <= %s ORDER BY c.deadline_ts, c.case_id LIMIT %s",
            (ts, limit),
        )

    def waking(
        self, ts: int, limit: int | None = None, after: tuple[int, str] | None = None
    ) -> list[CaseRow]:
        check_limit(limit)
        if after is None:
            return self._cases(
                "WHERE c.is_open AND c.wake_ts <= %s ORDER BY c.wake_ts, c.case_id LIMIT %s",
                (ts, limit),
            )
        return self._cases(
            "WHERE c.is_open AND c.wake_ts <= %s AND (c.wake_ts, c.case_id) > (%s, %s) "
            "ORDER BY c.wake_ts, c.case_id LIMIT %s",
            (ts, after[0], after[1].replace("\x00", ""), limit),
        )

    def open_case_ids(self) -> list[str]:
        rows = self._fetch("SELECT case_id FROM cases WHERE is_open ORDER BY case_id", ())
        return [case_id for (case_id,) in rows]

    def counts_by_type_and_month(self) -> dict[tuple[str, str], int]:
        rows = self._fetch(
            "SELECT permit_type, month, count(*) FROM cases GROUP BY permit_type, month", ()
        )
        return {(permit_type, month): count for permit_type, month, count in rows}

    # -- helpers ----------------------------------------------------------------------------

    def _cases(self, clause: str, params: tuple[Any, ...]) -> list[CaseRow]:
        rows = self._fetch(f"SELECT {_COLUMNS} FROM cases c {clause}", params)
        return [_case_row(row) for row in rows]

    def _fetch(self, query: Any, params: Sequence[Any] | Mapping[str, Any]) -> list[TupleRow]:
        try:
            with self._pool.connection() as conn:
                return conn.execute(query, params).fetchall()
        except psycopg.Error as exc:
            raise storage_error(exc, self._where, "reading from") from exc

    def _connect(self) -> psycopg.Connection[TupleRow]:
        try:
            return psycopg.connect(
                self.settings.conninfo, autocommit=True, options=self.settings.options
            )
        except psycopg.OperationalError as exc:
            raise connect_error(exc, self._where) from exc


def _case_row(row: Sequence[Any]) -> CaseRow:
    work: list[list[str]] = row[11]
    return CaseRow(
        case_id=row[0],
        case_number=row[1],
        permit_type=row[2],
        status=row[3],
        light=row[4],
        is_open=row[5],
        month=row[6],
        last_seq=row[7],
        deadline_ts=row[8],
        wake_ts=row[9],
        data=row[10],
        work=tuple(WorkItem(p, s, None if int(d) == NEVER else int(d)) for p, s, d in work),
    )


def _like_prefix(prefix: str) -> str:
    """A LIKE pattern matching keys that start with ``prefix`` literally."""
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}%"
