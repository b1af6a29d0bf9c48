"""``memory://``: the in-memory store, for tests and as the contract's reference fake.

Each ``open_store("memory://")`` gives a new, empty store; nothing outlives the object
(so ``create=False`` has nothing to refuse: a memory store exists only while it is open).
A unit of work holds the store's lock from start to end (the in-memory ``BEGIN IMMEDIATE``)
and stages its writes, applying them only on commit. Documents are kept as JSON text, so
what comes out is a fresh copy and an unserializable document fails before anything changes.
"""

from __future__ import annotations

import json
import threading

import attrs

from planning_core.errors import ConflictError
from planning_core.storage._contract import (
    JSON,
    CaseRow,
    CaseSnapshot,
    EventRecord,
    Store,
    UnitOfWork,
    check_limit,
    document_text,
)

__all__ = ["MemoryStore"]


@attrs.define
class _State:
    records: dict[str, dict[str, str]] = attrs.field(factory=dict)
    events: dict[str, list[str]] = attrs.field(factory=dict)
    cases: dict[str, CaseRow] = attrs.field(factory=dict)
    snapshots: dict[str, CaseSnapshot] = attrs.field(factory=dict)
    sequences: dict[str, int] = attrs.field(factory=dict)


class MemoryStore(Store):
    """A store that lives in a few dicts.

    :param create: accepted for the factory contract and ignored: every memory store is new.
    """

    def __init__(self, url: str = "memory://", *, create: bool = True) -> None:
        self.url = url
        self._lock = threading.Lock()
        self._state = _State()

    def unit_of_work(self) -> UnitOfWork:
        return _MemoryUnitOfWork(self._lock, self._state)

    def schema_version(self) -> int:
        return self.SCHEMA_VERSION

    def close(self) -> None:
        """Nothing to release; kept for the contract."""

    # -- reads ----------------------------------------------------------------------------

    def _get_record(self, collection: str, key: str) -> JSON | None:
        raw = self._state.records.get(collection, {}).get(key)
        return None if raw is None else _decode(raw)

    def _list_records(self, collection: str, prefix: str) -> list[tuple[str, JSON]]:
        items = sorted(self._state.records.get(collection, {}).items())
        return [(k, _decode(v)) for k, v in items if k.startswith(prefix)]

    def _load_events(self, case_id: str, after: int) -> list[EventRecord]:
        raws = self._state.events.get(case_id, [])[after:]
        return [EventRecord(case_id, i, _decode(raw)) for i, raw in enumerate(raws, after + 1)]

    def get_snapshot(self, case_id: str) -> CaseSnapshot | None:
        stored = self._state.snapshots.get(case_id)
        if stored is None:
            return None
        return attrs.evolve(stored, data=_decode(document_text(stored.data)))

    def get_case(self, case_id: str) -> CaseRow | None:
        return self._state.cases.get(case_id)

    def find_case(self, case_number: str) -> CaseRow | None:
        for row in self._rows():
            if row.case_number == case_number:
                return row
        return None

    def inbox(self, post: str, limit: int = 100) -> list[CaseRow]:
        check_limit(limit)

        def soonest(row: CaseRow) -> tuple[int, str]:
            dues = [w.due_ts for w in row.work if w.post == post and w.due_ts is not None]
            return (min(dues) if dues else _NEVER, row.case_id)

        rows = [r for r in self._rows() if r.is_open and any(w.post == post for w in r.work)]
        return sorted(rows, key=soonest)[:limit]

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
        rows = [
            r
            for r in self._rows()
            if (after is None or r.case_id > after)
            and (status is None or r.status == status)
            and (light is None or r.light == light)
            and (permit_type is None or r.permit_type == permit_type)
        ]
        return sorted(rows, key=lambda r: r.case_id)[:limit]

    def due_before(self, ts: int, limit: int | None = None) -> list[CaseRow]:
        check_limit(limit)
        rows = [
            r
            for r in self._rows()
            if r.is_open and r.deadline_ts is not None and r.deadline_ts <= ts
        ]
        return sorted(rows, key=lambda r: (r.deadline_ts, r.case_id))[:limit]

    def waking(
        self, ts: int, limit: int | None = None, after: tuple[int, str] | None = None
    ) -> list[CaseRow]:
        check_limit(limit)
        rows = [
            r
            for r in self._rows()
            if r.is_open
            and r.wake_ts is not None
            and r.wake_ts <= ts
            and (after is None or (r.wake_ts, r.case_id) > after)
        ]
        return sorted(rows, key=lambda r: (r.wake_ts, r.case_id))[:limit]

    def open_case_ids(self) -> list[str]:
        return sorted(r.case_id for r in self._rows() if r.is_open)

    def counts_by_type_and_month(self) -> dict[tuple[str, str], int]:
        counts: dict[tuple[str, str], int] = {}
        for row in self._rows():
            key = (row.permit_type, row.month)
            counts[key] = counts.get(key, 0) + 1
        return counts

    def _rows(self) -> list[CaseRow]:
        return list(self._state.cases.values())


_NEVER = 2**62


class _MemoryUnitOfWork(UnitOfWork):
    def __init__(self, lock: threading.Lock, state: _State) -> None:
        super().__init__()
        self._lock = lock
        self._state = state
        lock.acquire()
        self._records: dict[tuple[str, str], str | None] = {}
        self._events: dict[str, list[str]] = {}
        self._cases: dict[str, CaseRow] = {}
        self._snapshots: dict[str, CaseSnapshot] = {}
        self._sequences: dict[str, int] = {}

    def _append(
        self,
        case_id: str,
        expected_seq: int,
        events: list[JSON],
        case: CaseRow,
        snapshot: CaseSnapshot | None,
    ) -> None:
        current = self._cases.get(case_id) or self._state.cases.get(case_id)
        last = current.last_seq if current else 0
        if last != expected_seq:
            raise ConflictError(
                f"case {case_id!r} has {last} events, the writer expected {expected_seq}; "
                f"another writer got there first: reload the case and retry"
            )
        if case.case_number is not None and (
            current is None or current.case_number != case.case_number
        ):
            self._check_case_number_free(case_id, case.case_number)
        encoded = [document_text(e) for e in events]
        case = attrs.evolve(case, data=_decode(document_text(case.data)))
        if snapshot is not None:
            # kept as JSON text, like every document: what comes out is a fresh copy
            text = document_text(snapshot.data, f"the snapshot of case {case_id!r}")
            snapshot = attrs.evolve(snapshot, data=_decode(text))
        self._events.setdefault(case_id, []).extend(encoded)
        self._cases[case_id] = case
        if snapshot is not None:
            self._snapshots[case_id] = snapshot

    def _check_case_number_free(self, case_id: str, number: str) -> None:
        rows = {**self._state.cases, **self._cases}
        for other in rows.values():
            if other.case_number == number and other.case_id != case_id:
                raise ConflictError(
                    f"case number {number!r} already belongs to case {other.case_id!r}; "
                    f"take a new number"
                )

    def _next_sequence(self, name: str) -> int:
        value = self._sequences.get(name, self._state.sequences.get(name, 0)) + 1
        self._sequences[name] = value
        return value

    def _get_record(self, collection: str, key: str) -> JSON | None:
        staged = (collection, key)
        if staged in self._records:
            raw = self._records[staged]
        else:
            raw = self._state.records.get(collection, {}).get(key)
        return None if raw is None else _decode(raw)

    def _put_records(self, collection: str, records: dict[str, JSON]) -> None:
        encoded = {k: document_text(v) for k, v in records.items()}
        for key, raw in encoded.items():
            self._records[(collection, key)] = raw

    def _insert_records(self, collection: str, records: dict[str, JSON]) -> None:
        encoded = {k: document_text(v) for k, v in records.items()}
        stored = self._state.records.get(collection, {})
        for key in encoded:
            staged = (collection, key)
            exists = self._records[staged] is not None if staged in self._records else key in stored
            if exists:
                raise ConflictError(
                    f"record {key!r} already exists in {collection}, which takes new records "
                    f"only: take another key (or reload, if another writer got there first); "
                    f"nothing of this batch was written"
                )
        for key, raw in encoded.items():
            self._records[(collection, key)] = raw

    def _delete_records(self, collection: str, keys: list[str]) -> int:
        count = 0
        stored = self._state.records.get(collection, {})
        for key in keys:
            staged_key = (collection, key)
            if staged_key in self._records:
                exists = self._records[staged_key] is not None
            else:
                exists = key in stored
            count += exists
            self._records[staged_key] = None
        return count

    def _commit(self) -> None:
        state = self._state
        for (collection, key), raw in self._records.items():
            bucket = state.records.setdefault(collection, {})
            if raw is None:
                bucket.pop(key, None)
            else:
                bucket[key] = raw
        for case_id, encoded in self._events.items():
            state.events.setdefault(case_id, []).extend(encoded)
        state.cases.update(self._cases)
        state.snapshots.update(self._snapshots)
        state.sequences.update(self._sequences)

    def _rollback(self) -> None:
        """Staged writes are simply dropped."""

    def _release(self) -> None:
        self._lock.release()


def _decode(raw: str) -> JSON:
    value: JSON = json.loads(raw)
    return value
