"""The tamper-evident history: each event carries the hash of the one before it.

An event's hash is ``sha256(prev_hash || canonical JSON of the event without its hash)``,
the canonical JSON being sorted keys, no spaces, UTF-8. The first event's ``prev_hash`` is
64 zeros. Altering an event changes its hash; removing, inserting or reordering one breaks
the link from its successor. :func:`verify_chain` names the first event where that happens.

Removing the *last* events breaks no link, so the chain alone cannot show it. The case's row
records the head the history must end at (its last event number and that event's hash);
given that head, :func:`verify_chain` names the events missing after the end of the stored
history and a head that does not match. An attacker who edits the row as well is caught only
by an anchor published outside the database (:mod:`planning_core.ledger`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

import attrs

from planning_core.errors import ValidationError
from planning_core.storage import EncodedDocument

__all__ = ["GENESIS", "Head", "HistoryReport", "canonical_json", "seal", "verify_chain"]

#: The ``prev_hash`` of every case's first event.
GENESIS = "0" * 64


#: The canonical form: sorted keys, no spaces, Chinese kept (UTF-8 when hashed).
_CANONICAL_FORM: dict[str, Any] = {
    "sort_keys": True,
    "separators": (",", ":"),
    "ensure_ascii": False,
}
#: Made once for sealing (json.dumps with options builds an encoder per call); strict, as
#: every store is. Verifying reads back whatever was stored, so it allows NaN.
_CANONICAL = json.JSONEncoder(**_CANONICAL_FORM, allow_nan=False)


def canonical_json(doc: Any) -> bytes:
    """The one byte form an event is hashed in."""
    return json.dumps(doc, **_CANONICAL_FORM).encode()


def _hash(prev_hash: str, canonical: bytes) -> str:
    return hashlib.sha256(prev_hash.encode("utf-8") + canonical).hexdigest()


def _digest(prev_hash: str, doc: dict[str, Any]) -> str:
    body = {k: v for k, v in doc.items() if k != "hash"}
    return _hash(prev_hash, canonical_json(body))


def seal(doc: dict[str, Any], prev_hash: str) -> EncodedDocument:
    """Return ``doc`` with ``prev_hash`` and ``hash`` filled in, carrying its stored text.

    The text is the canonical JSON that was hashed with the hash appended, so the event is
    encoded once: the store writes this text instead of encoding the object again.

    :raises ValidationError: the event holds NaN or an infinity, which JSON cannot hold.
    """
    body = {**doc, "prev_hash": prev_hash}
    try:
        text = _CANONICAL.encode(body)
    except ValueError as exc:
        raise ValidationError(
            f"event {doc.get('seq')} of case {doc.get('case_id')!r} holds a number JSON "
            f"cannot write ({exc}); record NaN or infinity as null or a string"
        ) from exc
    digest = _hash(prev_hash, text.encode("utf-8"))
    body["hash"] = digest
    return EncodedDocument(body, f'{text[:-1]},"hash":"{digest}"}}')


@attrs.frozen
class Head:
    """Where a case's history must end, as its row (or an anchor) records it.

    :param seq: the number of the last event.
    :param hash: that event's hash.
    """

    seq: int
    hash: str


@attrs.frozen
class HistoryReport:
    """The result of verifying one case's history.

    :param ok: True when every event is intact and in place.
    :param problems: what is wrong, each naming the event by its number.
    :param head: the hash of the last event (what a host may publish or countersign).
    """

    case_id: str
    ok: bool
    events: int
    head: str
    problems: tuple[str, ...] = ()


def verify_chain(
    case_id: str,
    docs: Sequence[tuple[int, dict[str, Any]]],
    head: Head | None = None,
    *,
    source: str = "the case row",
) -> HistoryReport:
    """Check the stored ``(seq, document)`` pairs of one case, in stored order.

    :param head: where the history must end (the row's ``last_seq`` and ``head_hash``);
        without it, a history whose last events were removed still verifies.
    :param source: what ``head`` comes from, as the problems name it.
    """
    problems: list[str] = []
    prev = GENESIS
    expected_seq = 1
    for seq, doc in docs:
        if seq != expected_seq:
            what = "removed" if seq > expected_seq else "duplicated or reordered"
            problems.append(f"event {expected_seq}: missing where event {seq} stands ({what})")
            expected_seq = seq
        if doc.get("seq") not in (None, seq):
            problems.append(f"event {seq}: says it is event {doc.get('seq')} (moved)")
        if doc.get("prev_hash") != prev:
            problems.append(
                f"event {seq}: does not follow event {seq - 1} (an event before it was "
                f"inserted, removed or reordered)"
            )
        if _digest(str(doc.get("prev_hash", "")), doc) != doc.get("hash"):
            problems.append(f"event {seq}: its content was altered after it was recorded")
        prev = str(doc.get("hash", ""))
        expected_seq += 1
    if head is not None:
        problems.extend(_head_problems(docs, head, source))
    return HistoryReport(case_id, not problems, len(docs), prev, tuple(problems))


def _head_problems(
    docs: Sequence[tuple[int, dict[str, Any]]], head: Head, source: str
) -> list[str]:
    """What differs between the end of the stored history and the recorded head."""
    last = docs[-1][0] if docs else 0
    if last < head.seq:
        first = last + 1
        span = f"event {first}" if first == head.seq else f"events {first}..{head.seq}"
        return [
            f"{span} missing: {source} records {head.seq} event(s), the history ends at "
            f"{last} (events removed from the end)"
        ]
    if last > head.seq:
        return [
            f"{source} records {head.seq} event(s), the history has {last}: the row is "
            f"behind its history (edited, or written by a damaged store)"
        ]
    found = str(docs[-1][1].get("hash", "")) if docs else GENESIS
    if found != head.hash:
        return [
            f"head does not match: {source} records event {head.seq} as {head.hash[:16]}…, "
            f"the history's event {last} is {found[:16]}…"
        ]
    return []
