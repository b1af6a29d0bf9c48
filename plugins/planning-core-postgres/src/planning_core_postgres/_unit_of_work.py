"""One unit of work: one PostgreSQL transaction on one pooled connection.

How the contract's promises are kept when several application servers write at once
(the transactions run at READ COMMITTED):

* **appends**: the case's projection row is locked with ``SELECT … FOR UPDATE`` before its
  ``last_seq`` is compared with the writer's; a second writer waits for the first to finish
  and then sees the new number, so a stale writer gets :class:`ConflictError`. Two writers
  creating the same case race on the primary key; the loser's unique violation becomes a
  :class:`ConflictError` too.
* **case numbers**: checked before writing, and guarded by a unique constraint whose violation
  (another server took the number between the check and the write) is a :class:`ConflictError`.
* **sequences**: ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` takes the counter's row lock
  until the transaction ends, so a second taker waits, and a rolled-back number is handed out
  again: gap-free.
* **records**: read or written under advisory locks that exist before the record does (see
  :mod:`planning_core_postgres._record_locks`), so a read-check-write is atomic. An insert-only
  write (``insert_records``) is a plain ``INSERT`` in a savepoint: the primary key refuses a
  key that exists, the unique violation becomes a :class:`ConflictError` naming it, and the
  savepoint is rolled back to, so the unit of work goes on as after a refused append.

Round trips. The connections run in autocommit, so the unit of work sends ``BEGIN`` just
before its first statement, never earlier: one that sends no statement costs no round trip,
its commit and rollback none either. Each append runs inside a savepoint, so a conflict
leaves the unit of work usable (as on SQLite and in memory) and nothing of the failed append
is kept. An append takes two round trips, and neither uses psycopg's pipeline mode, which
measured here cost more client CPU than it saved (0.74 ms of client CPU per append and
commit with two pipelines, 0.48 ms this way, the same wall time):

1. one message of several statements: ``BEGIN`` (when the append is the unit of work's first
   statement), ``SAVEPOINT``, the case row's ``SELECT … FOR UPDATE`` with its indexed
   columns, and the case's stored work items. Several statements in one message need the
   simple protocol, which takes no parameters: the case id goes in as a literal quoted by
   psycopg (``sql.Literal``);
2. after the writer's ``last_seq`` is checked against the locked row: one statement whose
   data-modifying ``WITH`` clauses write the case row, the work items and the events. An
   error in it surfaces inside the savepoint, which is then rolled back to; the savepoint is
   otherwise released by the commit.

So an append and its commit cost three round trips (``BEGIN``, ``SAVEPOINT``, the lock, the
writes, ``RELEASE`` and ``COMMIT`` used to cost six). The case number is checked only when
the append sets or changes it, in one more round trip between the two. The other operations
send ``BEGIN`` on its own before their first statement.

Only what changed is written, as on SQLite: an existing case's row gets ``last_seq``, its
document and only the indexed columns whose value differs from the stored one, and only the
work items that appeared, disappeared or changed their due time are deleted, inserted or
updated (never a delete and an insert of one key in one statement), so
a step that moves nothing in an inbox writes no ``work_items`` row or index entry at all.
(PostgreSQL itself updates the case row in place, a HOT update that writes no index entry,
whenever no indexed value changed, whichever columns the ``UPDATE`` names.) Lists
(event documents, work items, record keys) go as binary arrays (``%b``), which psycopg
writes without escaping each element in Python (four event documents: 0.07 ms of client CPU
instead of 0.21 ms); an event that comes with its JSON text (an
:class:`~planning_core.storage.EncodedDocument`) is stored as that text, not encoded again.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any

import psycopg
from psycopg import errors, sql
from psycopg.pq import TransactionStatus
from psycopg.rows import TupleRow
from psycopg_pool import ConnectionPool

from planning_core.errors import ConflictError, StorageError, StoreUnavailableError
from planning_core.storage import (
    INDEXED_COLUMNS,
    JSON,
    CaseRow,
    CaseSnapshot,
    UnitOfWork,
    document_text,
)
from planning_core_postgres._codec import check_text, storable
from planning_core_postgres._errors import storage_error
from planning_core_postgres._record_locks import lock_records

__all__ = ["NEVER", "PostgresUnitOfWork"]

#: What a work item without a deadline stores as its due time: after every real one.
NEVER = 2**62

_LOCK_CASE = (
    f"SELECT last_seq, {', '.join(INDEXED_COLUMNS)} FROM cases WHERE case_id = {{}} FOR UPDATE"
)
_STORED_WORK = "SELECT post, step_id, due_ts FROM work_items WHERE case_id = {}"
_INSERT_CASE = (
    f"INSERT INTO cases (case_id, last_seq, doc, {', '.join(INDEXED_COLUMNS)}) "
    f"VALUES (%s, %s, %s::json{', %s' * len(INDEXED_COLUMNS)})"
)
_INSERT_EVENTS = (
    "INSERT INTO events (case_id, seq, doc) "
    "SELECT %s, s, d::json FROM unnest(%b::integer[], %b::text[]) AS t (s, d)"
)
_DELETE_WORK = (
    "DELETE FROM work_items w USING unnest(%b::text[], %b::text[]) AS t (p, s) "
    "WHERE w.case_id = %s AND w.post = t.p AND w.step_id = t.s"
)
_UPDATE_WORK = (
    "UPDATE work_items w SET due_ts = t.d "
    "FROM unnest(%b::text[], %b::text[], %b::bigint[]) AS t (p, s, d) "
    "WHERE w.case_id = %s AND w.post = t.p AND w.step_id = t.s"
)
_INSERT_WORK = (
    "INSERT INTO work_items (case_id, post, step_id, due_ts) "
    "SELECT %s, p, s, d FROM unnest(%b::text[], %b::text[], %b::bigint[]) AS t (p, s, d)"
)

_PUT_SNAPSHOT = (
    "INSERT INTO snapshots (case_id, seq, version, doc) VALUES (%s, %s, %s, %s::json) "
    "ON CONFLICT (case_id) DO UPDATE SET seq = excluded.seq, version = excluded.version, "
    "doc = excluded.doc"
)

#: Work items as stored: (post, step_id) → due time (:data:`NEVER` for none).
_Work = dict[tuple[str, str], int]


class PostgresUnitOfWork(UnitOfWork):
    """A transaction on a connection borrowed from ``pool`` until the unit of work ends.

    The transaction begins with the unit of work's first statement (see the module's text).
    """

    def __init__(self, pool: ConnectionPool[psycopg.Connection[TupleRow]], where: str) -> None:
        super().__init__()
        self._pool = pool
        self._where = where  # the store's URL, password redacted, for messages
        self._conn = _borrow(pool, where)
        self._begun = False  # whether BEGIN has been sent

    # -- writes ---------------------------------------------------------------------------

    def _append(
        self,
        case_id: str,
        expected_seq: int,
        events: list[JSON],
        case: CaseRow,
        snapshot: CaseSnapshot | None,
    ) -> None:
        _check_case_texts(case)
        if snapshot is not None:
            check_text(snapshot.version, f"case {case_id!r}: snapshot version")
        docs = [
            document_text(event, f"event {seq} of case {case_id!r}")
            for seq, event in enumerate(events, start=expected_seq + 1)
        ]
        case_doc = document_text(case.data, f"projection of case {case_id!r}")
        try:
            old, stored = self._lock_case(case_id)
            last = int(old[0]) if old else 0
            if last != expected_seq:
                raise ConflictError(
                    f"case {case_id!r} has {last} events, the writer expected {expected_seq}; "
                    f"another writer got there first: reload the case and retry"
                )
            if case.case_number is not None and (old is None or old[1] != case.case_number):
                self._check_case_number_free(case_id, case.case_number)
            query, params = _writes(case, case_doc, old, expected_seq, docs, stored, snapshot)
            self._conn.execute(query, params)
        except BaseException as exc:
            self._undo_savepoint()
            if isinstance(exc, psycopg.Error):
                raise _append_error(exc, case, self._where) from exc
            raise

    def _next_sequence(self, name: str) -> int:
        check_text(name, "sequence name")
        self._begin()
        row = self._execute_one(
            "INSERT INTO sequences (name, value) VALUES (%s, 1) "
            "ON CONFLICT (name) DO UPDATE SET value = sequences.value + 1 RETURNING value",
            (name,),
        )
        return int(row[0])

    def _get_record(self, collection: str, key: str) -> JSON | None:
        if not storable(collection, key):
            return None
        self._begin()
        try:
            lock_records(self._conn, collection, [key])
            rows = self._conn.execute(
                "SELECT doc FROM records WHERE collection = %s AND key = %s", (collection, key)
            ).fetchall()
        except psycopg.Error as exc:
            raise self._error(exc) from exc
        return rows[0][0] if rows else None

    def _put_records(self, collection: str, records: dict[str, JSON]) -> None:
        check_text(collection, "collection name")
        for key in records:
            check_text(key, f"record key in {collection}")
        docs = [document_text(doc, f"record {collection}/{key}") for key, doc in records.items()]
        self._begin()
        self._lock_records(collection, list(records))
        self._run(
            "INSERT INTO records (collection, key, doc) "
            "SELECT %s, k, d::json FROM unnest(%b::text[], %b::text[]) AS t (k, d) "
            "ON CONFLICT (collection, key) DO UPDATE SET doc = excluded.doc",
            (collection, list(records), docs),
        )

    def _insert_records(self, collection: str, records: dict[str, JSON]) -> None:
        check_text(collection, "collection name")
        for key in records:
            check_text(key, f"record key in {collection}")
        keys = list(records)
        docs = [document_text(doc, f"record {collection}/{key}") for key, doc in records.items()]
        self._begin()
        self._lock_records(collection, keys)
        try:
            self._conn.execute("SAVEPOINT planning_core_insert")
            self._conn.execute(
                "INSERT INTO records (collection, key, doc) "
                "SELECT %s, k, d::json FROM unnest(%b::text[], %b::text[]) AS t (k, d)",
                (collection, keys, docs),
            )
        except errors.UniqueViolation as exc:
            self._undo_savepoint("planning_core_insert")
            taken = self._existing(collection, keys)
            raise ConflictError(
                f"record {taken!r} already exists in {collection}, which takes new records "
                f"only: take another key (or reload, if another writer got there first); "
                f"nothing of this batch was written"
            ) from exc
        except psycopg.Error as exc:
            self._undo_savepoint("planning_core_insert")
            raise self._error(exc) from exc

    def _delete_records(self, collection: str, keys: list[str]) -> int:
        kept = [key for key in keys if "\x00" not in key]  # such a key cannot be stored
        if "\x00" in collection or not kept:
            return 0
        self._begin()
        self._lock_records(collection, kept)
        return self._run(
            "DELETE FROM records WHERE collection = %s AND key = ANY(%b::text[])",
            (collection, kept),
        )

    # -- the end --------------------------------------------------------------------------

    def _commit(self) -> None:
        if not self._begun:
            return  # nothing was written
        if self._conn.info.transaction_status is TransactionStatus.INERROR:
            # PostgreSQL would answer COMMIT with a silent ROLLBACK: say so instead
            raise StorageError(
                "a statement of this unit of work failed, so PostgreSQL has already given up "
                "the transaction; nothing of it was written: run the unit of work again"
            )
        try:
            self._conn.execute("COMMIT")
        except (errors.SerializationFailure, errors.DeadlockDetected) as exc:
            raise ConflictError(
                f"the transaction could not commit ({exc.diag.message_primary}); "
                f"another writer got there first: reload and retry"
            ) from exc
        except psycopg.Error as exc:
            raise self._error(exc) from exc

    def _rollback(self) -> None:
        if not self._begun or self._conn.closed or self._conn.broken:
            return  # nothing begun, or the server has rolled back with the lost connection
        with suppress(psycopg.OperationalError):  # broke just now: the pool discards it
            self._conn.execute("ROLLBACK")

    def _release(self) -> None:
        self._pool.putconn(self._conn)

    # -- helpers ----------------------------------------------------------------------------

    def _begin(self) -> None:
        """Open the transaction before the unit of work's first statement (autocommit else)."""
        if self._begun:
            return
        try:
            self._conn.execute("BEGIN")
        except psycopg.Error as exc:
            raise self._error(exc) from exc
        self._begun = True

    def _error(self, exc: psycopg.Error) -> StorageError:
        return storage_error(exc, self._where, "writing to")

    def _lock_records(self, collection: str, keys: list[str]) -> None:
        try:
            lock_records(self._conn, collection, keys)
        except psycopg.Error as exc:
            raise self._error(exc) from exc

    def _existing(self, collection: str, keys: list[str]) -> str | None:
        """The first of ``keys`` (in their order) stored in ``collection``, as this
        transaction sees it."""
        try:
            rows = self._conn.execute(
                "SELECT key FROM records WHERE collection = %s AND key = ANY(%b::text[])",
                (collection, keys),
            ).fetchall()
        except psycopg.Error as exc:
            raise self._error(exc) from exc
        stored = {key for (key,) in rows}
        return next((key for key in keys if key in stored), None)

    def _undo_savepoint(self, name: str = "planning_core_append") -> None:
        """Undo a failed append or insert; a failure of the undo must not hide its error."""
        if self._conn.closed or self._conn.broken:
            return
        with suppress(psycopg.Error):  # e.g. the transaction had failed before the append
            self._conn.execute(f"ROLLBACK TO SAVEPOINT {name}")

    def _check_case_number_free(self, case_id: str, number: str) -> None:
        row = self._conn.execute(
            "SELECT case_id FROM cases WHERE case_number = %s AND case_id <> %s",
            (number, case_id),
        ).fetchone()
        if row is not None:
            raise ConflictError(
                f"case number {number!r} already belongs to case {row[0]!r}; take a new number"
            )

    def _lock_case(self, case_id: str) -> tuple[tuple[Any, ...] | None, _Work]:
        """[``BEGIN``,] ``SAVEPOINT``, the case row locked and its stored work items, as one
        message of several statements: one round trip, and less client CPU than a pipeline.

        Several statements in one message need the simple protocol, which takes no
        parameters, so the case id goes in as a literal quoted by psycopg.
        """
        key = sql.Literal(case_id).as_string(self._conn)
        script = f"SAVEPOINT planning_core_append; {_LOCK_CASE.format(key)}; "
        script += _STORED_WORK.format(key)
        if not self._begun:
            script = f"BEGIN; {script}"
            self._begun = True
        cursor = self._conn.execute(script)
        answers = []
        while True:
            if cursor.description is not None:
                answers.append(cursor.fetchall())
            if not cursor.nextset():
                break
        locked, work = answers
        stored: _Work = {(post, step): due for post, step, due in work}
        return (locked[0] if locked else None), stored

    def _run(self, query: Any, params: tuple[Any, ...]) -> int:
        try:
            return self._conn.execute(query, params).rowcount
        except psycopg.Error as exc:
            raise self._error(exc) from exc

    def _execute_one(self, query: Any, params: tuple[Any, ...]) -> tuple[Any, ...]:
        try:
            row = self._conn.execute(query, params).fetchone()
        except psycopg.Error as exc:
            raise self._error(exc) from exc
        assert row is not None, "an INSERT … RETURNING always returns a row"
        return row


def _writes(
    case: CaseRow,
    doc: str,
    old: tuple[Any, ...] | None,
    expected_seq: int,
    events: list[str],
    stored: _Work,
    snapshot: CaseSnapshot | None = None,
) -> tuple[str, list[Any]]:
    """Every write of one append as one statement (data-modifying ``WITH`` clauses): the
    case row (inserted, or only its changed columns set), the events, only the work
    items that appeared, disappeared or changed their due time, and the snapshot."""
    case_id = case.case_id
    new = case.indexed_values()
    parts: list[tuple[str, list[Any]]] = []
    if old is None:
        parts.append((_INSERT_CASE, [case_id, case.last_seq, doc, *new]))
    else:
        # Only the indexed columns whose value changed are sent; PostgreSQL updates the row
        # in place (HOT, no index entry) when no indexed value changed.
        changed = [i for i, value in enumerate(new) if value != old[i + 1]]
        sets = "".join(f", {INDEXED_COLUMNS[i]} = %s" for i in changed)
        parts.append(
            (
                f"UPDATE cases SET last_seq = %s, doc = %s::json{sets} WHERE case_id = %s",
                [case.last_seq, doc, *(new[i] for i in changed), case_id],
            )
        )
    wanted = _wanted_work(case)
    gone = [key for key in stored if key not in wanted]
    if gone:
        parts.append((_DELETE_WORK, [[p for p, _ in gone], [s for _, s in gone], case_id]))
    moved = [(key, due) for key, due in wanted.items() if key in stored and stored[key] != due]
    if moved:
        parts.append((_UPDATE_WORK, [*_columns(moved), case_id]))
    added = [(key, due) for key, due in wanted.items() if key not in stored]
    if added:
        parts.append((_INSERT_WORK, [case_id, *_columns(added)]))
    if snapshot is not None:
        text = document_text(snapshot.data, f"the snapshot of case {case_id!r}")
        parts.append((_PUT_SNAPSHOT, [case_id, snapshot.seq, snapshot.version, text]))
    seqs = list(range(expected_seq + 1, expected_seq + len(events) + 1))
    clauses = ", ".join(f"w{n} AS ({query})" for n, (query, _) in enumerate(parts))
    params = [value for _, values in parts for value in values]
    return f"WITH {clauses} {_INSERT_EVENTS}", [*params, case_id, seqs, events]


def _columns(items: list[tuple[tuple[str, str], int]]) -> list[list[Any]]:
    """Work items as the three arrays (posts, steps, due times) the statements unnest."""
    return [[p for (p, _), _ in items], [s for (_, s), _ in items], [due for _, due in items]]


def _borrow(
    pool: ConnectionPool[psycopg.Connection[TupleRow]], where: str
) -> psycopg.Connection[TupleRow]:
    try:
        return pool.getconn()
    except psycopg.Error as exc:  # PoolTimeout is an OperationalError
        raise StoreUnavailableError(
            f"no PostgreSQL connection to {where} became free in time ({exc}); the server may "
            f"be down or every connection busy: retry, or raise pool_max_size / pool_timeout"
        ) from exc


def _check_case_texts(case: CaseRow) -> None:
    what = f"case {case.case_id!r}:"
    for name in ("case_id", "permit_type", "status", "light", "month"):
        check_text(getattr(case, name), f"{what} {name}")
    if case.case_number is not None:
        check_text(case.case_number, f"{what} case_number")
    for item in case.work:
        check_text(item.post, f"{what} work item post")
        check_text(item.step_id, f"{what} work item step_id")


def _wanted_work(case: CaseRow) -> _Work:
    """The work items ``case`` should have stored (the contract hands them over one per
    (post, step), none for a closed case)."""
    return {(w.post, w.step_id): NEVER if w.due_ts is None else w.due_ts for w in case.work}


def _append_error(exc: psycopg.Error, case: CaseRow, where: str) -> Exception:
    """A database error inside an append, as the contract names it."""
    if isinstance(exc, errors.UniqueViolation):
        if exc.diag.constraint_name == "cases_case_number_key":
            return ConflictError(
                f"case number {case.case_number!r} was just taken by another case; "
                f"take a new number"
            )
        return ConflictError(
            f"case {case.case_id!r} was written by another writer meanwhile "
            f"({exc.diag.constraint_name}); reload the case and retry"
        )
    if isinstance(exc, errors.DeadlockDetected | errors.SerializationFailure):
        return ConflictError(
            f"case {case.case_id!r} is being written by another writer "
            f"({exc.diag.message_primary}); reload the case and retry"
        )
    return storage_error(exc, where, "writing to")
