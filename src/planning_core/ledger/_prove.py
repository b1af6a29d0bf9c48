"""Proving a case against a published anchor, and auditing a whole anchor.

A case's check has two halves, and both must hold:

* **the proof**: the case's leaf (its id, its number of events and its head on the day) is
  in the published tree: an inclusion proof of ``O(log n)`` hashes, checked against the
  anchor's root by :func:`~planning_core.ledger.verify_inclusion`;
* **the history**: the case's events as the store holds them now, from event 1 through the
  anchored number, re-hash (:func:`~planning_core.cases._history.verify_chain`) to exactly
  the anchored head. An attacker who rewrites a chain and its row consistently passes the
  chain check and the row check, and fails here: the published root fixes the old head.

The audit does the second half for every leaf and also names every anchored case that is
gone from the store (dropped): the anchor's size and root fix the set of cases, so a
missing one cannot be explained away. A case the anchor does not hold is *not covered* when
its history begins after the anchor was taken; one whose history claims to begin before is
a failure, since it was put into the store after the anchor with an earlier date.
"""

from __future__ import annotations

import attrs

from planning_core.cases._history import verify_chain
from planning_core.errors import NotFoundError, StorageError
from planning_core.ledger._anchor import Anchor, case_leaf
from planning_core.ledger._merkle import verify_inclusion
from planning_core.ledger._record import StoredLeaves, stored_leaves
from planning_core.serialization import parse_instant
from planning_core.storage import EventRecord, Store

__all__ = [
    "AnchorAudit",
    "AnchorCheck",
    "CaseProof",
    "audit_anchor",
    "prove_case",
    "verify_against_anchor",
]


@attrs.frozen
class CaseProof:
    """That one case's head is in an anchor: its leaf, its place and the audit path.

    Anyone holding the published anchor can check it with :meth:`verifies`, in ``O(log n)``
    hashes, without the store.

    :param seq: the number of events the case had when the anchor was taken.
    :param head: the hash of its last event then.
    :param index: the leaf's position (0-based) in the anchor's tree.
    :param path: the sibling hashes from the leaf up (hex), RFC 6962's audit path.
    """

    case_id: str
    seq: int
    head: str
    index: int
    path: tuple[str, ...]

    @property
    def leaf(self) -> bytes:
        """The leaf bytes (see :func:`~planning_core.ledger.case_leaf`)."""
        return case_leaf(self.case_id, self.seq, self.head)

    def verifies(self, anchor: Anchor) -> bool:
        """Whether the proof leads from the leaf to ``anchor``'s published root."""
        try:
            path = [bytes.fromhex(h) for h in self.path]
        except ValueError:
            return False
        return verify_inclusion(
            self.leaf, self.index, anchor.size, path, bytes.fromhex(anchor.root)
        )


@attrs.frozen
class AnchorCheck:
    """A case's history checked against a published anchor.

    :param ok: True when nothing is wrong (a case the anchor does not cover is ok).
    :param covered: whether the anchor holds the case.
    :param anchored_seq: the number of events the anchor fixes, when covered.
    :param later_events: events recorded after the anchor (not covered by it).
    :param problems: each failure, naming the case and the events.
    :param proof: the inclusion proof, when the stored leaves could give one.
    """

    case_id: str
    anchor: Anchor
    ok: bool
    covered: bool
    anchored_seq: int | None = None
    later_events: int = 0
    problems: tuple[str, ...] = ()
    proof: CaseProof | None = None

    def summary(self, name: str | None = None) -> str:
        """One line saying what the check found.

        :param name: how to call the case (its public number); default: its id.
        """
        day = self.anchor.day.isoformat()
        case = name or f"case {self.case_id}"
        if not self.ok:
            return f"{case}: does NOT match the anchor of {day}"
        if not self.covered:
            return (
                f"{case}: not covered by the anchor of {day} (its history begins after the "
                f"anchor was taken)"
            )
        later = f"; {self.later_events} later event(s) not covered" if self.later_events else ""
        span = (
            "event 1 matches" if self.anchored_seq == 1 else f"events 1..{self.anchored_seq} match"
        )
        return (
            f"{case}: {span} the anchor of {day} "
            f"(proof of {len(self.proof.path) if self.proof else 0} hashes){later}"
        )


@attrs.frozen
class AnchorAudit:
    """Every case of a published anchor checked against the store.

    :param checked: how many anchored cases were checked.
    :param not_covered: cases in the store whose history begins after the anchor.
    :param problems: each failure: dropped cases, rewritten or truncated histories, damaged
        leaves, cases slipped in with an earlier date.
    """

    anchor: Anchor
    ok: bool
    checked: int
    not_covered: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()


def prove_case(store: Store, anchor: Anchor, case_id: str) -> CaseProof:
    """The inclusion proof of ``case_id`` in ``anchor``, from the leaves the store keeps.

    The stored leaves are first re-hashed against the published root (``O(n)``), so a proof
    never rests on leaves altered in the database.

    :raises StorageError: the stored leaves are missing, damaged or altered.
    :raises NotFoundError: the anchor does not hold ``case_id``.
    """
    leaves = stored_leaves(store, anchor)
    if leaves.problem is not None:
        raise StorageError(leaves.problem)
    index = leaves.index(case_id)
    if index is None:
        raise NotFoundError(
            f"case {case_id!r} is not in the anchor of {anchor.day.isoformat()}; check the case "
            f"id, or use an anchor taken after the case was received"
        )
    return _proof(leaves, index)


def _proof(leaves: StoredLeaves, index: int) -> CaseProof:
    case_id, seq, head = leaves.heads[index]
    path = leaves.proof(index)
    return CaseProof(case_id, seq, head, index, tuple(h.hex() for h in path))


def verify_against_anchor(store: Store, anchor: Anchor, case_id: str) -> AnchorCheck:
    """Check that ``case_id``'s history, as it stood on the anchor's day, is unchanged.

    The proof half is ``O(log n)`` once the stored leaves are checked (``O(n)``, see
    :func:`prove_case`); the history half re-hashes the case's anchored events.

    :raises NotFoundError: neither the store nor the anchor knows ``case_id``.
    """
    leaves = stored_leaves(store, anchor)
    if leaves.problem is not None:
        return AnchorCheck(case_id, anchor, ok=False, covered=False, problems=(leaves.problem,))
    index = leaves.index(case_id)
    events = store.load_events(case_id)
    if index is None:
        if not events and store.get_case(case_id) is None:
            raise NotFoundError(
                f"no case {case_id!r} in the store nor in the anchor of {anchor.day.isoformat()}; "
                f"check the case id"
            )
        slipped = _slipped_in(anchor, case_id, events)
        return AnchorCheck(
            case_id, anchor, ok=slipped is None, covered=False, problems=_tuple(slipped)
        )
    proof = _proof(leaves, index)
    problems: list[str] = []
    if not proof.verifies(anchor):  # pragma: no cover - the leaves re-hashed to the root
        problems.append(f"case {case_id}: its proof does not lead to the anchor's root")
    has_row = store.get_case(case_id) is not None
    problems += _history_problems(anchor, case_id, proof.seq, proof.head, events, has_row)
    later = sum(1 for e in events if e.seq > proof.seq)
    return AnchorCheck(
        case_id,
        anchor,
        ok=not problems,
        covered=True,
        anchored_seq=proof.seq,
        later_events=later,
        problems=tuple(problems),
        proof=proof,
    )


def audit_anchor(store: Store, anchor: Anchor) -> AnchorAudit:
    """Check every case of ``anchor`` against the store: none dropped, none rewritten.

    Re-hashes every anchored history (``O(events)``); cases received after the anchor are
    listed as not covered.
    """
    leaves = stored_leaves(store, anchor)
    if leaves.problem is not None:
        return AnchorAudit(anchor, ok=False, checked=0, problems=(leaves.problem,))
    problems: list[str] = []
    rows = {row.case_id for row in store.cases()}
    for case_id, seq, head in leaves.heads:
        events = store.load_events(case_id)
        problems += _history_problems(anchor, case_id, seq, head, events, case_id in rows)
    anchored = {head[0] for head in leaves.heads}
    not_covered: list[str] = []
    for case_id in sorted(rows - anchored):
        slipped = _slipped_in(anchor, case_id, store.load_events(case_id))
        if slipped is None:
            not_covered.append(case_id)
        else:
            problems.append(slipped)
    return AnchorAudit(
        anchor,
        ok=not problems,
        checked=len(leaves.heads),
        not_covered=tuple(not_covered),
        problems=tuple(problems),
    )


def _history_problems(
    anchor: Anchor, case_id: str, seq: int, head: str, events: list[EventRecord], has_row: bool
) -> list[str]:
    """What differs between the stored history's first ``seq`` events and the anchored head."""
    day = anchor.day.isoformat()
    if not events:
        left = " (its row is left, its events are not)" if has_row else " (dropped)"
        return [
            f"case {case_id}: anchored on {day} with {seq} event(s), it is gone from the "
            f"store{left}"
        ]
    problems: list[str] = []
    if not has_row:
        problems.append(f"case {case_id}: its projection row is gone from the store")
    prefix = [(e.seq, e.data) for e in events if e.seq <= seq]
    present = {number for number, _ in prefix}
    missing = [n for n in range(1, seq + 1) if n not in present]
    if missing:
        problems.append(
            f"case {case_id}: {_ranges(missing)} anchored on {day} are missing from the store"
        )
    report = verify_chain(case_id, prefix)
    problems += [f"case {case_id}: {problem}" for problem in report.problems]
    if not missing and report.ok and report.head != head:
        problems.append(
            f"case {case_id}: events 1..{seq} differ from the history anchored on {day} (they "
            f"re-hash to {report.head[:16]}…, the anchor holds {head[:16]}…): the history "
            f"was rewritten after the anchor"
        )
    return problems


def _slipped_in(anchor: Anchor, case_id: str, events: list[EventRecord]) -> str | None:
    """None when a case the anchor lacks began after it; else why it is a failure."""
    first = events[0].data.get("at") if events else None
    try:
        began = parse_instant(str(first)) if first is not None else None
    except ValueError:
        began = None
    if began is not None and began > anchor.at:
        return None
    day = anchor.day.isoformat()
    if began is None:
        return (
            f"case {case_id} is not in the anchor of {day} and its history gives no date "
            f"to show it is newer: it was put into the store after the anchor was taken"
        )
    return (
        f"case {case_id} is not in the anchor of {day}, yet its history begins "
        f"{began.isoformat()}, before the anchor was taken: it was put into the store "
        f"afterwards with an earlier date"
    )


def _ranges(numbers: list[int]) -> str:
    """``events 5..7`` / ``event 3`` / ``events 2, 5..7``, for consecutive runs."""
    runs: list[tuple[int, int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    text = ", ".join(f"{a}" if a == b else f"{a}..{b}" for a, b in runs)
    return f"event {text}" if len(numbers) == 1 else f"events {text}"


def _tuple(problem: str | None) -> tuple[str, ...]:
    return () if problem is None else (problem,)
