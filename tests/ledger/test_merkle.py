"""The Merkle tree is RFC 6962's: the Certificate Transparency reference answers, the RFC's
recursive definition written out independently, and proofs that fail when anything moves."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planning_core.errors import ValidationError
from planning_core.ledger import (
    inclusion_proof,
    leaf_hash,
    merkle_root,
    node_hash,
    verify_inclusion,
)

# The reference leaves and tree heads of Certificate Transparency (the transparency-dev
# merkle test data, RFC 6962 section 2.1): the root of the first n leaves, n = 0..8.
CT_LEAVES = [
    bytes.fromhex(h)
    for h in [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ]
]
CT_ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
CT_PROOFS = {
    0: [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
    5: [
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
}


# -- RFC 6962 section 2.1 written out as the RFC states it (recursive, top-down) -------------


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def ref_root(leaves: list[bytes]) -> bytes:
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = _split(len(leaves))
    return hashlib.sha256(b"\x01" + ref_root(leaves[:k]) + ref_root(leaves[k:])).digest()


def ref_path(m: int, leaves: list[bytes]) -> list[bytes]:
    if len(leaves) == 1:
        return []
    k = _split(len(leaves))
    if m < k:
        return [*ref_path(m, leaves[:k]), ref_root(leaves[k:])]
    return [*ref_path(m - k, leaves[k:]), ref_root(leaves[:k])]


def sides(m: int, n: int) -> list[str]:
    """Where each sibling of leaf m stands in a tree of n leaves: the shape of its path."""
    if n == 1:
        return []
    k = _split(n)
    return [*sides(m, k), "right"] if m < k else [*sides(m - k, n - k), "left"]


# -- known answers -----------------------------------------------------------------------------


@pytest.mark.parametrize("n", range(len(CT_ROOTS)))
def test_roots_are_the_certificate_transparency_reference_roots(n: int) -> None:
    assert merkle_root(CT_LEAVES[:n]).hex() == CT_ROOTS[n]


@pytest.mark.parametrize("index", sorted(CT_PROOFS))
def test_proofs_are_the_reference_audit_paths(index: int) -> None:
    proof = inclusion_proof(CT_LEAVES, index)
    assert [h.hex() for h in proof] == CT_PROOFS[index]
    root = bytes.fromhex(CT_ROOTS[8])
    assert verify_inclusion(CT_LEAVES[index], index, 8, proof, root)


def test_the_root_of_one_leaf_is_its_leaf_hash_and_needs_no_proof() -> None:
    leaf = "案卷".encode()
    assert merkle_root([leaf]) == leaf_hash(leaf) == hashlib.sha256(b"\x00" + leaf).digest()
    assert inclusion_proof([leaf], 0) == []
    assert verify_inclusion(leaf, 0, 1, [], merkle_root([leaf]))
    assert not verify_inclusion(leaf, 0, 1, [leaf_hash(leaf)], merkle_root([leaf]))


def test_a_node_is_prefixed_so_a_leaf_cannot_pass_for_it() -> None:
    a, b = leaf_hash(b"a"), leaf_hash(b"b")
    assert node_hash(a, b) == hashlib.sha256(b"\x01" + a + b).digest()
    # The second-preimage forgery: the two child hashes offered as one leaf.
    assert merkle_root([a + b]) != merkle_root([b"a", b"b"])


def test_nothing_is_in_an_empty_tree_and_bad_indexes_are_refused() -> None:
    empty = merkle_root([])
    assert not verify_inclusion(b"", 0, 0, [], empty)
    assert not verify_inclusion(b"x", -1, 3, [], empty)
    with pytest.raises(ValidationError, match="leaf index 3 is not in a tree of 3 leaves"):
        inclusion_proof([b"a", b"b", b"c"], 3)


# -- every proof, every shape ------------------------------------------------------------------

#: Distinct leaves, as case ids make them (two equal leaves would share a proof).
leaf_lists = st.lists(st.binary(max_size=12), min_size=1, max_size=300, unique=True)


@settings(max_examples=40, deadline=None)
@given(leaf_lists)
def test_every_leaf_proof_verifies_and_agrees_with_the_rfc(leaves: list[bytes]) -> None:
    root = merkle_root(leaves)
    assert root == ref_root(leaves)
    for index, leaf in enumerate(leaves):
        proof = inclusion_proof(leaves, index)
        assert proof == ref_path(index, leaves)
        assert len(proof) <= max(1, len(leaves) - 1).bit_length()  # O(log n)
        assert verify_inclusion(leaf, index, len(leaves), proof, root)


@settings(max_examples=200, deadline=None)
@given(leaf_lists, st.data())
def test_altering_the_leaf_a_proof_hash_or_the_index_fails(
    leaves: list[bytes], data: st.DataObject
) -> None:
    n = len(leaves)
    index = data.draw(st.integers(0, n - 1), label="index")
    root, proof, leaf = merkle_root(leaves), inclusion_proof(leaves, index), leaves[index]
    other = data.draw(st.binary(max_size=12).filter(lambda b: b != leaf), label="leaf")
    assert not verify_inclusion(other, index, n, proof, root)
    if proof:
        at = data.draw(st.integers(0, len(proof) - 1), label="hash")
        bit = data.draw(st.integers(0, 255), label="bit")
        altered = bytearray(proof[at])
        altered[bit // 8] ^= 1 << (bit % 8)
        assert not verify_inclusion(
            leaf, index, n, [*proof[:at], bytes(altered), *proof[at + 1 :]], root
        )
        assert not verify_inclusion(leaf, index, n, proof[:-1], root)
    assert not verify_inclusion(leaf, index, n, [*proof, root], root)
    moved = data.draw(st.integers(-1, n + 1).filter(lambda i: i != index), label="moved")
    assert not verify_inclusion(leaf, moved, n, proof, root)


@settings(max_examples=200, deadline=None)
@given(leaf_lists, st.data())
def test_a_proof_holds_for_another_size_only_where_the_path_has_the_same_shape(
    leaves: list[bytes], data: st.DataObject
) -> None:
    """RFC 6962 proofs do not bind the size by themselves (index 0 has the same path shape in
    trees of 5 and 6 leaves): the size must come with the root, from the published anchor.
    Any other size fails."""
    n = len(leaves)
    index = data.draw(st.integers(0, n - 1), label="index")
    root, proof = merkle_root(leaves), inclusion_proof(leaves, index)
    size = data.draw(st.integers(0, 2 * n + 2).filter(lambda s: s != n), label="size")
    same_shape = index < size and sides(index, size) == sides(index, n)
    assert verify_inclusion(leaves[index], index, size, proof, root) == same_shape


def test_the_size_ambiguity_is_real_and_the_anchor_size_settles_it() -> None:
    leaves = CT_LEAVES[:5]
    proof = inclusion_proof(leaves, 0)
    assert verify_inclusion(leaves[0], 0, 6, proof, merkle_root(leaves))
    assert not verify_inclusion(leaves[0], 0, 3, proof, merkle_root(leaves))
