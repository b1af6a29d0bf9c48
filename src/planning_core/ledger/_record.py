"""Taking an anchor, and keeping it and its leaves in the store.

The anchor's record goes to the ``ledger.anchors`` collection and its leaves, a few thousand
cases per record, to ``ledger.leaves``, both under the anchor's key (its instant in UTC), in
the unit of work that records it: a million cases make about 250 records of a few hundred
kilobytes, not one giant document.

The stored leaves are a convenience, not a source of trust: whoever proves a case against a
published anchor first re-hashes every stored leaf and compares the root with the published
one, so a leaf altered in the database is caught; deleting them makes a proof impossible
but never a false one forgeable.

Heads are read from the cases' projection rows (one query), not by reading every history:
re-hashing a million histories at every anchor costs minutes, and the anchor's job is to
fix what the database says at that instant. A row whose head disagrees with its history is
then caught the first time anyone checks the case against the anchor (the history no longer
re-hashes to the anchored head), and ``audit_anchor`` right after taking one re-hashes every
history against it: that is the full cross-check, for a host that wants it on the day.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import Any

import attrs
import pendulum

from planning_core.cases._history import GENESIS
from planning_core.errors import ConflictError, ValidationError
from planning_core.ledger._anchor import Anchor, case_leaf
from planning_core.ledger._merkle import audit_path, merkle_root, tree_levels
from planning_core.serialization import parse_instant
from planning_core.storage import JSON, Store

__all__ = [
    "ANCHORS",
    "LEAVES",
    "LEAVES_PER_RECORD",
    "StoredLeaves",
    "case_heads",
    "recorded_anchors",
    "stored_leaves",
    "take_anchor",
]

#: The records collection holding each anchor taken, under its key.
ANCHORS = "ledger.anchors"
#: The records collection holding each anchor's leaves, under ``KEY/00000``, ``KEY/00001`` ….
LEAVES = "ledger.leaves"
#: Cases per leaves record.
LEAVES_PER_RECORD = 4096

_HEX64 = re.compile(r"[0-9a-f]{64}")

#: One case as anchored: its id, its number of events, the hash of its last event.
Head = tuple[str, int, str]


def case_heads(store: Store) -> list[Head]:
    """Every case's ``(case_id, last_seq, head hash)``, sorted by case id, from the rows.

    A row written without a head (by a version before the projection kept one) gets it from
    the last stored event.
    """
    heads: list[Head] = []
    for row in store.iter_cases():
        head = row.data.get("head_hash")
        seq = row.last_seq
        if not (isinstance(head, str) and _HEX64.fullmatch(head)):
            events = store.load_events(row.case_id)
            seq = events[-1].seq if events else 0
            head = str(events[-1].data.get("hash", "")) if events else GENESIS
        heads.append((row.case_id, seq, head))
    heads.sort()
    return heads


def take_anchor(store: Store, at: Any, zone: str) -> Anchor:
    """Build, record and return the anchor over every case's head at ``at``.

    The anchor and its leaves are written in one unit of work. Taking it again at the same
    instant over the same heads returns the recorded one; over other heads it is refused,
    because the anchor under that key may already be published.

    :param at: the instant the anchor is taken (timezone-aware, or ISO 8601 with offset).
    :param zone: the bureau's time zone (``Asia/Shanghai``): ``day`` is ``at``'s date there.
    :raises ValidationError: a naive or malformed ``at``, an unknown ``zone``.
    :raises ConflictError: another anchor with a different root is recorded at ``at``.
    """
    try:
        tz = pendulum.timezone(zone)
    except Exception:
        raise ValidationError(
            f"time zone {zone!r} is unknown; give an IANA name such as 'Asia/Shanghai'"
        ) from None
    moment = parse_instant(at).in_timezone(tz)
    heads = case_heads(store)
    root = merkle_root([case_leaf(*head) for head in heads])
    anchor = Anchor(at=moment, day=moment.date(), size=len(heads), root=root.hex())
    key = anchor.key
    with store.unit_of_work() as uow:
        existing = uow.get_record(ANCHORS, key)
        if existing is not None:
            if existing.get("root") == anchor.root and existing.get("size") == anchor.size:
                return anchor
            raise ConflictError(
                f"an anchor taken at {moment.isoformat()} with root {existing.get('root')!r} is "
                f"already recorded (and may be published); take the new one at another instant"
            )
        chunks = _chunks(key, heads)
        uow.put_records(ANCHORS, {key: {**anchor.to_data(), "records": len(chunks)}})
        uow.put_records(LEAVES, chunks)
        uow.commit()
    return anchor


def recorded_anchors(store: Store) -> list[Anchor]:
    """Every anchor the store recorded, oldest first (what was published, as the store
    remembers it: check a case against the published file, not against these)."""
    return [
        Anchor.from_data({k: v for k, v in doc.items() if k != "records"}, f"record {key}")
        for key, doc in store.list_records(ANCHORS)
    ]


def _chunks(key: str, heads: Sequence[Head]) -> dict[str, JSON]:
    return {
        f"{key}/{number:05d}": {
            "first": start,
            "cases": [list(head) for head in heads[start : start + LEAVES_PER_RECORD]],
        }
        for number, start in enumerate(range(0, len(heads), LEAVES_PER_RECORD))
    }


@attrs.frozen
class StoredLeaves:
    """An anchor's leaves as the store holds them, checked against the published root.

    :param heads: ``(case_id, seq, head)`` per case, sorted by case id.
    :param problem: None when the leaves re-hash to the published root; else why they
        cannot be trusted (missing, damaged, altered) and nothing can be proved with them.
    :param levels: the tree built over them, kept so each proof costs ``O(log n)``.
    """

    anchor: Anchor
    heads: tuple[Head, ...] = ()
    problem: str | None = None
    levels: tuple[list[bytes], ...] = attrs.field(default=(), repr=False, eq=False)

    def index(self, case_id: str) -> int | None:
        """The position of ``case_id``'s leaf, or None when the anchor does not cover it."""
        i = bisect.bisect_left(self.heads, (case_id,))
        return i if i < len(self.heads) and self.heads[i][0] == case_id else None

    def proof(self, index: int) -> list[bytes]:
        """The audit path of leaf ``index``, read off the built tree."""
        return audit_path(self.levels, index)


def stored_leaves(store: Store, anchor: Anchor) -> StoredLeaves:
    """Read ``anchor``'s leaves from the store and check them against its published root.

    ``O(n)``: every leaf is hashed once. Never raises for what it finds; the result's
    ``problem`` says what is wrong.
    """
    name = f"the anchor of {anchor.day.isoformat()} (taken at {anchor.at.isoformat()})"
    records = store.list_records(LEAVES, f"{anchor.key}/")
    if not records and anchor.size:
        return StoredLeaves(
            anchor,
            problem=f"the store holds no leaves for {name}: they were deleted, or the anchor "
            f"was taken on another store; no case can be proved against it here",
        )
    heads: list[Head] = []
    for number, (key, doc) in enumerate(records):
        damage = _damage(key, number, len(heads), doc)
        if damage:
            return StoredLeaves(
                anchor, problem=f"the stored leaves of {name} are damaged: {damage}"
            )
        heads.extend(map(tuple, doc["cases"]))
    if len(heads) != anchor.size:
        return StoredLeaves(
            anchor,
            problem=f"the store holds {len(heads)} leaves for {name}, which covers "
            f"{anchor.size} cases: leaves were removed or added in the database",
        )
    try:
        # A value of the wrong type either cannot be written (caught here) or writes a leaf
        # of other bytes (caught by the root): no check per value is needed.
        leaves = [case_leaf(case_id, seq, head) for case_id, seq, head in heads]
    except (TypeError, ValueError) as exc:
        return StoredLeaves(
            anchor,
            problem=f"the stored leaves of {name} are damaged: a leaf is not a "
            f"[case_id, seq, head] ({exc})",
        )
    levels = tree_levels(leaves) if leaves else [[merkle_root([])]]
    if levels[-1][0].hex() != anchor.root:
        return StoredLeaves(
            anchor,
            problem=f"the leaves stored for {name} do not hash to its published root "
            f"{anchor.root[:16]}…: they were altered in the database",
        )
    return StoredLeaves(anchor, tuple(heads), levels=tuple(levels))


def _damage(key: str, number: int, first: int, doc: JSON) -> str | None:
    """What is wrong with one leaves record, or None."""
    if not key.endswith(f"/{number:05d}"):
        return f"record {key} stands where record {number:05d} belongs (one is missing)"
    cases = doc.get("cases")
    if doc.get("first") != first or not isinstance(cases, list):
        return f"record {key} does not hold the cases from leaf {first} on"
    if not all(isinstance(case, list) and len(case) == 3 for case in cases):
        return f"record {key} holds something other than [case_id, seq, head] triples"
    return None
