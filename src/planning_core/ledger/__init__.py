"""Published anchors for the case histories: a Merkle tree over every case's head.

Each case's events form a hash chain, and its row keeps the chain's head; an attacker with
write access to the database can still rewrite a whole chain and its row consistently. An
*anchor* is the digest that catches that: an RFC 6962 Merkle root over one leaf per case
(its id, its number of events, its head), taken per day (``take_anchor``), recorded in the
store with its leaves, and published outside the database by the host
(``planning_core_publish_anchor``). Against a published anchor, ``verify_against_anchor``
proves that a case's history on that day is unchanged (an inclusion proof of ``O(log n)``
hashes plus a re-hash of its anchored events) and ``audit_anchor`` that no anchored case
was dropped. See docs/integrity.md for the threat model.
"""

from planning_core.ledger._anchor import ANCHOR_FORMAT, Anchor, case_leaf, read_anchor
from planning_core.ledger._merkle import (
    MERKLE_ALGORITHM,
    inclusion_proof,
    leaf_hash,
    merkle_root,
    node_hash,
    verify_inclusion,
)
from planning_core.ledger._prove import (
    AnchorAudit,
    AnchorCheck,
    CaseProof,
    audit_anchor,
    prove_case,
    verify_against_anchor,
)
from planning_core.ledger._publish import AnchorNotPublishedError
from planning_core.ledger._record import (
    ANCHORS,
    LEAVES,
    LEAVES_PER_RECORD,
    StoredLeaves,
    case_heads,
    recorded_anchors,
    stored_leaves,
    take_anchor,
)

__all__ = [
    "ANCHORS",
    "ANCHOR_FORMAT",
    "LEAVES",
    "LEAVES_PER_RECORD",
    "MERKLE_ALGORITHM",
    "Anchor",
    "AnchorAudit",
    "AnchorCheck",
    "AnchorNotPublishedError",
    "CaseProof",
    "StoredLeaves",
    "audit_anchor",
    "case_heads",
    "case_leaf",
    "inclusion_proof",
    "leaf_hash",
    "merkle_root",
    "node_hash",
    "prove_case",
    "read_anchor",
    "recorded_anchors",
    "stored_leaves",
    "take_anchor",
    "verify_against_anchor",
    "verify_inclusion",
]
