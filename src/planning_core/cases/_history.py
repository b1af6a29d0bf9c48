"""The tamper-evident history: each event carries the hash of the one before it.

An event's hash is ``sha256(prev_hash || canonical JSON of the event without its hash)``,
the canonical JSON being sorted keys, no spaces, UTF-8. The first event's ``prev_hash`` is
64 zeros. Altering an event changes its hash; removing, inserting or reordering one breaks
the link from its successor. :func:`verify_chain` names the first event where that happens.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

import attrs

from planning_core.errors import ValidationError
from planning_core.storage import EncodedDocument

__all__ = ["GENESIS", "HistoryReport", "canonical_json", "seal", "verify_chain"]

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


def verify_chain(case_id: str, docs: Sequence[tuple[int, dict[str, Any]]]) -> HistoryReport:
    """Check the stored ``(seq, document)`` pairs of one case, in stored order."""
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
    return HistoryReport(case_id, not problems, len(docs), prev, tuple(problems))
