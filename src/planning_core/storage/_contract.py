"""The Store contract every backend keeps.

A store holds three kinds of rows, and knows nothing of what they mean:

* **records**: JSON documents in named collections (rural planning, conservation, window
  settings), written in all-or-nothing batches;
* **case histories**: each case's events, numbered from 1, appended only, together with the
  case's *projection* row (status, light, deadlines, the posts that hold its work) in the same
  transaction, with optimistic concurrency on the last event number;
* **snapshots**: beside each case row, the case's folded state as of one of its events,
  written in the unit of work that appends those events, so a server that has the case cold
  reads the snapshot and only the events after it (the store keeps the document and its
  version label and never looks inside);
* **sequences**: named counters that hand out 1, 2, 3 … with no gap, inside a transaction, so a
  certificate or case number is consumed only if the transaction that used it commits.

Writes go through a :class:`UnitOfWork` (``with store.unit_of_work() as uow: … uow.commit()``):
nothing is kept unless ``commit()`` is called, and one unit of work is one transaction.
Every failure of the backend itself (a full disk, a damaged file, a server gone) reaches the
caller as a :class:`~planning_core.errors.StorageError` subclass, never as a driver's
exception. Units of
work on one store are serialized (SQLite's ``BEGIN IMMEDIATE``, a lock in memory, row locks in
PostgreSQL), which is what makes sequences gap-free and appends race-free.

The classes are abstract bases in the repository pattern's shape: public methods check their
arguments and call the backend's ``_`` methods, so every backend rejects bad input alike.
"""

from __future__ import annotations

import abc
import json
from collections.abc import Iterator, Mapping, Sequence
from types import TracebackType
from typing import Any, Protocol, TypeAlias

import attrs

from planning_core.errors import InvalidStateError, ValidationError

__all__ = [
    "INDEXED_COLUMNS",
    "JSON",
    "CaseHead",
    "CaseRow",
    "CaseSnapshot",
    "EncodedDocument",
    "EventRecord",
    "Store",
    "StoreFactory",
    "UnitOfWork",
    "WorkItem",
    "check_limit",
    "document_text",
]

#: A JSON object as Python data (what cattrs unstructures a model into). Documents are strict
#: JSON: no NaN or infinity (``ValidationError``), so every backend can store them alike.
JSON: TypeAlias = dict[str, Any]


class EncodedDocument(dict[str, Any]):
    """A JSON object that carries its own strict JSON text.

    The engine has to encode every event once anyway (its hash is taken over the encoded
    bytes), so it hands the store the text along with the object; :func:`document_text`
    then costs nothing. A backend that ignores ``text`` loses only that saving: the text
    always decodes to the same object.
    """

    __slots__ = ("text",)

    def __init__(self, doc: JSON, text: str) -> None:
        super().__init__(doc)
        self.text = text


#: Strict JSON, Chinese kept; made once (json.dumps with options builds one per call).
_STRICT = json.JSONEncoder(ensure_ascii=False, allow_nan=False)


def document_text(doc: JSON, what: str = "a document") -> str:
    """``doc`` as strict JSON text, Chinese kept as written (what every backend stores).

    :param what: names the document in the error ("event 3 of case 'c1'").
    :raises ValidationError: for NaN or an infinity, which strict JSON cannot hold.
    """
    if type(doc) is EncodedDocument:
        return doc.text
    try:
        return _STRICT.encode(doc)
    except ValueError as exc:
        raise ValidationError(
            f"{what} holds a number JSON cannot write ({exc}); store NaN or infinity as "
            f"null or a string"
        ) from exc


@attrs.frozen
class WorkItem:
    """One piece of open work on a case: a step waiting for a post.

    :param post: the post code whose inbox shows it.
    :param step_id: the workflow step.
    :param due_ts: the step's deadline as UTC epoch seconds, or None while unknown.
    """

    post: str
    step_id: str
    due_ts: int | None = None


#: The columns of a case's projection that indexes and queries use, in the order
#: :meth:`CaseRow.indexed_values` gives them: what an append may leave alone when unchanged.
INDEXED_COLUMNS = (
    "case_number",
    "permit_type",
    "status",
    "light",
    "is_open",
    "month",
    "deadline_ts",
    "wake_ts",
)


@attrs.frozen
class CaseRow:
    """A case's projection as the store keeps it: indexed columns plus the whole document.

    The columns exist so the queries a bureau runs all day (a post's inbox, the overdue board,
    statistics by month) are index lookups; ``data`` carries everything else.

    :param deadline_ts: the case deadline as UTC epoch seconds; None when unknown or closed.
    :param wake_ts: the earliest instant (UTC epoch seconds) at which any of the case's lights
        can change; the sweep looks only at cases whose ``wake_ts`` has passed.
    :param month: the month of receipt, ``YYYY-MM``, for statistics.
    """

    case_id: str
    permit_type: str
    status: str
    light: str
    is_open: bool
    month: str
    last_seq: int
    case_number: str | None = None
    deadline_ts: int | None = None
    wake_ts: int | None = None
    work: tuple[WorkItem, ...] = ()
    data: JSON = attrs.field(factory=dict)

    def indexed_values(self) -> tuple[Any, ...]:
        """The values of :data:`INDEXED_COLUMNS`, in that order."""
        return (
            self.case_number,
            self.permit_type,
            self.status,
            self.light,
            self.is_open,
            self.month,
            self.deadline_ts,
            self.wake_ts,
        )


@attrs.frozen
class EventRecord:
    """One stored event: its case, its number in the case's history, and its document."""

    case_id: str
    seq: int
    data: JSON


@attrs.frozen
class CaseSnapshot:
    """A case's folded state as of event ``seq``, as the engine wrote it.

    The store keeps it beside the case row and hands it back unchanged; it never trusts or
    interprets it. The reader compares ``version`` with its own and folds the whole history
    instead when they differ, so a snapshot written by older code is rebuilt, never used.

    :param seq: the number of the last event the state includes (1 or more).
    :param version: the label of the code that folded it (the engine's snapshot version).
    :param data: the state as a JSON object.
    """

    seq: int
    version: str
    data: JSON


@attrs.frozen
class CaseHead:
    """Where a case's history ends, and the snapshot stored beside it: what a cold load
    reads first (see :meth:`Store.get_case_head`).

    :param last_seq: the number of the case's last event (its row's ``last_seq``).
    :param snapshot: the snapshot stored for the case, or None. Its ``seq`` is
        ``last_seq`` when the last append wrote one, and lower when it did not (the events
        after it are then read on top of it).
    """

    last_seq: int
    snapshot: CaseSnapshot | None


class UnitOfWork(abc.ABC):
    """One write transaction. Use as a context manager; call :meth:`commit` to keep it."""

    def __init__(self) -> None:
        self._done = False

    def append(
        self,
        case_id: str,
        expected_seq: int,
        events: Sequence[JSON],
        case: CaseRow,
        snapshot: CaseSnapshot | None = None,
    ) -> None:
        """Append ``events`` to the history of ``case_id`` and replace its projection.

        The backend receives the projection's work as it must keep it: one item per
        (post, step), the first given, sorted; none for a closed case.

        :param expected_seq: the number of the last event the writer saw (0 for a new case).
        :param snapshot: the case's folded state, replacing the stored one in the same
            transaction; its ``seq`` lies between 1 and the new last event number. None
            leaves the stored snapshot as it is (still valid: the events after it are kept).
        :raises ConflictError: when another writer appended since: re-read and retry.
        """
        self._check_open()
        if not events:
            raise ValidationError(f"append to case {case_id!r} needs at least one event")
        if case.case_id != case_id or case.last_seq != expected_seq + len(events):
            raise ValidationError(
                f"projection for case {case_id!r} must have case_id {case_id!r} and last_seq "
                f"{expected_seq + len(events)}, not {case.case_id!r} / {case.last_seq}"
            )
        if snapshot is not None:
            _check_snapshot(case_id, snapshot, case.last_seq)
        self._append(case_id, expected_seq, list(events), _with_stored_work(case), snapshot)

    def next_sequence(self, name: str) -> int:
        """The next number of the counter ``name`` (1 for a new counter), with no gap."""
        self._check_open()
        if not isinstance(name, str) or not name:
            raise ValidationError(f"sequence name must be a non-empty string, not {name!r}")
        return self._next_sequence(name)

    def get_record(self, collection: str, key: str) -> JSON | None:
        """Read a record inside this transaction, locked until it ends.

        What the unit of work wrote is visible; other writers wait until it commits, so a
        read-check-write (an appointment slot's bookings, a lockout counter) is atomic.
        """
        self._check_open()
        _check_name(collection, "collection name")
        return self._get_record(collection, key)

    def put_records(self, collection: str, records: Mapping[str, JSON]) -> None:
        """Insert or replace records in ``collection``."""
        self._check_open()
        _check_records(collection, records)
        if records:
            self._put_records(collection, dict(records))

    def insert_records(self, collection: str, records: Mapping[str, JSON]) -> None:
        """Insert records whose keys must not exist yet: all of them, or none.

        For registers whose entries are written once and never replaced (a certificate
        number, a case number): the backend's own unique key decides, so two writers that
        both looked and found the key free cannot both write it.

        :raises ConflictError: when a key exists, stored or written earlier in this unit of
            work; the message names the collection and the key. Nothing of the batch is
            written, the stored record is unchanged, and the unit of work may go on.
        """
        self._check_open()
        _check_records(collection, records)
        if records:
            self._insert_records(collection, dict(records))

    def delete_records(self, collection: str, keys: Sequence[str]) -> int:
        """Delete the given keys; returns how many existed."""
        self._check_open()
        _check_name(collection, "collection name")
        return self._delete_records(collection, list(keys)) if keys else 0

    def commit(self) -> None:
        """Make every write of this unit of work durable, all at once."""
        self._check_open()
        self._commit()
        self._done = True

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if not self._done:
                self._done = True
                self._rollback()
        except Exception as failed:
            if exc is None:
                raise
            # The error that ended the unit of work says what happened (a full disk, a
            # conflict); a rollback failing after it must not replace it.
            exc.add_note(f"rolling back afterwards failed too: {failed}")
        finally:
            self._release()

    def _check_open(self) -> None:
        if self._done:
            raise InvalidStateError("this unit of work is finished; open a new one")

    @abc.abstractmethod
    def _append(
        self,
        case_id: str,
        expected_seq: int,
        events: list[JSON],
        case: CaseRow,
        snapshot: CaseSnapshot | None,
    ) -> None:
        """Write the events, the row and (unless None) the snapshot, or nothing of them."""

    @abc.abstractmethod
    def _next_sequence(self, name: str) -> int: ...

    @abc.abstractmethod
    def _get_record(self, collection: str, key: str) -> JSON | None: ...

    @abc.abstractmethod
    def _put_records(self, collection: str, records: dict[str, JSON]) -> None: ...

    @abc.abstractmethod
    def _insert_records(self, collection: str, records: dict[str, JSON]) -> None:
        """Insert ``records``, none of whose keys may exist (see :meth:`insert_records`)."""

    @abc.abstractmethod
    def _delete_records(self, collection: str, keys: list[str]) -> int: ...

    @abc.abstractmethod
    def _commit(self) -> None: ...

    @abc.abstractmethod
    def _rollback(self) -> None: ...

    @abc.abstractmethod
    def _release(self) -> None:
        """Free what the unit of work held (a lock, a connection); after commit or rollback."""


class Store(abc.ABC):
    """The storage contract. Open one with :func:`planning_core.storage.open_store`."""

    #: The URL this store was opened from.
    url: str

    #: The schema version this code writes; a database with a newer one is refused.
    SCHEMA_VERSION: int = 3

    @abc.abstractmethod
    def unit_of_work(self) -> UnitOfWork:
        """Begin a write transaction (see :class:`UnitOfWork`).

        :raises ReadOnlyStoreError: when the store was opened for reading only.
        """

    # -- records ------------------------------------------------------------------------

    def put_records(self, collection: str, records: Mapping[str, JSON]) -> None:
        """Write (insert or replace) ``records`` in one transaction: all or none."""
        _check_records(collection, records)
        with self.unit_of_work() as uow:
            uow.put_records(collection, records)
            uow.commit()

    def insert_records(self, collection: str, records: Mapping[str, JSON]) -> None:
        """Insert ``records`` in one transaction; a key that exists refuses the whole batch
        (see :meth:`UnitOfWork.insert_records`).

        :raises ConflictError: naming the collection and the key that exists.
        """
        _check_records(collection, records)
        with self.unit_of_work() as uow:
            uow.insert_records(collection, records)
            uow.commit()

    def delete_records(self, collection: str, keys: list[str]) -> int:
        """Delete the given keys in one transaction; returns how many existed."""
        with self.unit_of_work() as uow:
            count = uow.delete_records(collection, keys)
            uow.commit()
        return count

    def get_record(self, collection: str, key: str) -> JSON | None:
        """The record stored under ``key``, or None."""
        _check_name(collection, "collection name")
        return self._get_record(collection, key)

    def list_records(self, collection: str, prefix: str = "") -> list[tuple[str, JSON]]:
        """All records of ``collection`` whose key starts with ``prefix``, sorted by key."""
        _check_name(collection, "collection name")
        return self._list_records(collection, prefix)

    # -- cases ----------------------------------------------------------------------------

    def load_events(self, case_id: str, after: int = 0) -> list[EventRecord]:
        """The history of ``case_id`` in order (empty for an unknown case).

        :param after: leave out the events numbered ``after`` or lower (what a snapshot
            already holds).
        """
        if isinstance(after, bool) or not isinstance(after, int) or after < 0:
            raise ValidationError(f"after must be a whole number >= 0, not {after!r}")
        return self._load_events(case_id, after)

    def load_histories(self, case_ids: Sequence[str]) -> dict[str, list[EventRecord]]:
        """The histories of several cases at once, by case id (an unknown id maps to an
        empty list): what a report reads page by page instead of one query per case."""
        ids = list(dict.fromkeys(case_ids))
        return self._load_histories(ids) if ids else {}

    @abc.abstractmethod
    def get_snapshot(self, case_id: str) -> CaseSnapshot | None:
        """The snapshot stored for ``case_id``, or None (an unknown case, or none written)."""

    def get_case_head(self, case_id: str) -> CaseHead | None:
        """The case's last event number and its stored snapshot, or None for an unknown case.

        A cold load needs both and nothing else of the row, so a backend should answer in
        one read (SQLite and PostgreSQL join the two tables); this default reads the row
        and the snapshot one after the other.
        """
        row = self.get_case(case_id)
        return None if row is None else CaseHead(row.last_seq, self.get_snapshot(case_id))

    def iter_cases(self, batch: int = 1000) -> Iterator[CaseRow]:
        """Every case row in case id order, read ``batch`` rows at a time, so the caller
        holds one page, never the whole table."""
        if isinstance(batch, bool) or not isinstance(batch, int) or batch < 1:
            raise ValidationError(f"batch must be a whole number >= 1, not {batch!r}")
        after: str | None = None
        while True:
            page = self.cases(limit=batch, after=after)
            yield from page
            if len(page) < batch:
                return
            after = page[-1].case_id

    @abc.abstractmethod
    def get_case(self, case_id: str) -> CaseRow | None:
        """The projection of ``case_id``, or None."""

    @abc.abstractmethod
    def find_case(self, case_number: str) -> CaseRow | None:
        """The projection of the case with this public case number, or None."""

    @abc.abstractmethod
    def inbox(self, post: str, limit: int = 100) -> list[CaseRow]:
        """Open cases with work waiting for ``post``, soonest due first."""

    @abc.abstractmethod
    def cases(
        self,
        *,
        status: str | None = None,
        light: str | None = None,
        permit_type: str | None = None,
        limit: int | None = None,
        after: str | None = None,
    ) -> list[CaseRow]:
        """Cases filtered by status, light and permit type, by case id.

        :param after: only cases whose id sorts after this one (the last of the previous
            page), so a long list is read page by page.
        """

    @abc.abstractmethod
    def due_before(self, ts: int, limit: int | None = None) -> list[CaseRow]:
        """Open cases whose deadline is at or before ``ts`` (UTC epoch seconds), soonest first."""

    def overdue(self, ts: int, limit: int | None = None) -> list[CaseRow]:
        """Open cases whose deadline has passed at ``ts`` (UTC epoch seconds)."""
        return self.due_before(ts - 1, limit)

    @abc.abstractmethod
    def waking(
        self, ts: int, limit: int | None = None, after: tuple[int, str] | None = None
    ) -> list[CaseRow]:
        """Open cases whose ``wake_ts`` is at or before ``ts``: the sweep's work list, by
        (``wake_ts``, case id).

        :param after: only cases whose (``wake_ts``, case id) sorts after this pair (the
            last of the previous page), so a sweep reads its work a batch at a time.
        """

    @abc.abstractmethod
    def open_case_ids(self) -> list[str]:
        """The ids of every open case (for re-dating deadlines after a calendar change)."""

    @abc.abstractmethod
    def counts_by_type_and_month(self) -> dict[tuple[str, str], int]:
        """Number of cases by (permit type, month of receipt)."""

    # -- lifecycle ----------------------------------------------------------------------

    @abc.abstractmethod
    def schema_version(self) -> int:
        """The schema version of the open database."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release connections; the store must not be used afterwards."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @abc.abstractmethod
    def _get_record(self, collection: str, key: str) -> JSON | None: ...

    @abc.abstractmethod
    def _load_events(self, case_id: str, after: int) -> list[EventRecord]: ...

    def _load_histories(self, case_ids: list[str]) -> dict[str, list[EventRecord]]:
        """One query per case; a backend that can read many histories at once overrides."""
        return {case_id: self._load_events(case_id, 0) for case_id in case_ids}

    @abc.abstractmethod
    def _list_records(self, collection: str, prefix: str) -> list[tuple[str, JSON]]: ...


class StoreFactory(Protocol):
    """What a storage backend registers: the whole URL in, an open store out.

    A store class whose constructor takes these arguments is a factory as it stands
    (``MemoryStore``, ``SQLiteStore``, ``PostgresStore``).
    """

    def __call__(self, url: str, *, create: bool = True) -> Store:
        """Open the store at ``url``.

        :param create: whether a store that does not exist yet may be created. With
            ``False`` (every command that only reads passes it) a missing store raises
            :class:`~planning_core.errors.StoreNotFoundError` and nothing is created; an
            existing store is opened (and migrated) as usual.
        :raises StorageError: (a subclass of it) when the store cannot be opened.
        """
        ...


def check_limit(limit: int | None) -> int | None:
    """A query's ``limit``: None for all, else a whole number >= 0."""
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise ValidationError(f"limit must be None or a whole number >= 0, not {limit!r}")
    return limit


def _check_snapshot(case_id: str, snapshot: object, last_seq: int) -> None:
    if not isinstance(snapshot, CaseSnapshot):
        raise ValidationError(
            f"snapshot of case {case_id!r} must be a CaseSnapshot, not {type(snapshot).__name__}"
        )
    seq = snapshot.seq
    if isinstance(seq, bool) or not isinstance(seq, int) or not 1 <= seq <= last_seq:
        raise ValidationError(
            f"snapshot of case {case_id!r} covers event {seq!r}; it must cover an event the "
            f"case has (1 to {last_seq})"
        )
    if not isinstance(snapshot.version, str) or not snapshot.version:
        raise ValidationError(
            f"snapshot of case {case_id!r} needs a version label (a non-empty string), "
            f"not {snapshot.version!r}"
        )
    if not isinstance(snapshot.data, dict):
        raise ValidationError(
            f"snapshot of case {case_id!r} must hold a JSON object (dict), not "
            f"{type(snapshot.data).__name__}"
        )


def _with_stored_work(case: CaseRow) -> CaseRow:
    """``case`` with its work as every backend keeps it: one item per (post, step), the
    first given, sorted by post and step; none for a closed case, which waits in no inbox."""
    first: dict[tuple[str, str], WorkItem] = {}
    for item in case.work if case.is_open else ():
        first.setdefault((item.post, item.step_id), item)
    work = tuple(first[key] for key in sorted(first))
    return case if work == case.work else attrs.evolve(case, work=work)


def _check_name(name: object, what: str) -> None:
    if not isinstance(name, str) or not name or not name.isascii():
        raise ValidationError(
            f"{what} {name!r} must be a non-empty ASCII string such as 'rural.township'"
        )


def _check_records(collection: str, records: Mapping[str, JSON]) -> None:
    _check_name(collection, "collection name")
    for key, doc in records.items():
        if not isinstance(key, str) or not key:
            raise ValidationError(
                f"record key in {collection} must be a non-empty string, not {key!r}"
            )
        if not isinstance(doc, dict):
            raise ValidationError(
                f"record {collection}/{key} must be a JSON object (dict), not {type(doc).__name__}"
            )
