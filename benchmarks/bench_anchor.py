"""Anchoring 1,000,000 case heads and proving one case against the anchor.

Run: ``.venv/bin/python benchmarks/bench_anchor.py [--cases 1000000] [--no-store]``

Prints, all measured in the same run:

1. the raw limit: SHA-256 over the 1,000,000 leaves once, one call per leaf (a Merkle tree
   hashes every leaf once and then n - 1 inner nodes, so it cannot be faster than this and
   should take about twice as long);
2. building the RFC 6962 tree over the leaves (the anchor's root), and its ratio to the
   raw limit; making the leaves (canonical JSON of case id, event count, head) on its own;
3. one case's inclusion proof: its size (hashes and bytes), the time to build it from the
   leaves (``O(n)``: the whole tree is rebuilt) and to verify it (``O(log n)``: only the
   proof's hashes), for n = 1,000, 10,000, 100,000 and 1,000,000: the proof grows by about
   3.3 hashes per tenfold, and so does its verification time, while building grows tenfold;
4. unless ``--no-store``: the same through a SQLite store holding 1,000,000 case rows
   (inserted directly, as ``bench_engine.py`` does): ``take_anchor`` (read every row's head,
   build the tree, record the anchor and its leaves in records of 4,096 cases) and
   ``prove_case`` (read the leaves back, re-hash them against the published root, build the
   proof), and the proof's verification against the published anchor.

Verification times are the median of many repeats; the rest the best of a few (as
``timeit`` reports). Nothing here is asserted.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pendulum

from planning_core.ledger import (
    Anchor,
    case_heads,
    case_leaf,
    inclusion_proof,
    merkle_root,
    prove_case,
    take_anchor,
    verify_inclusion,
)
from planning_core.storage import SQLiteStore

T = TypeVar("T")


def best(repeats: int, work: Callable[[], T]) -> tuple[float, T]:
    """The best wall time of ``repeats`` runs, and the last result."""
    times = []
    result: T
    for _ in range(repeats):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


def median_us(repeats: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6


def synthetic_heads(n: int) -> list[tuple[str, int, str]]:
    """``(case_id, seq, head)`` for n cases, sorted by case id, heads as SHA-256 hex."""
    return [
        (f"c{i:07d}", 3 + i % 20, hashlib.sha256(i.to_bytes(8, "big")).hexdigest())
        for i in range(n)
    ]


def tree_figures(n: int, repeats: int) -> None:
    heads = synthetic_heads(n)
    make_time, leaves = best(repeats, lambda: [case_leaf(*h) for h in heads])
    sha = hashlib.sha256
    raw_time, _ = best(repeats, lambda: [sha(leaf).digest() for leaf in leaves])
    root_time, root = best(repeats, lambda: merkle_root(leaves))
    print(f"{n:,} case heads, leaves of {len(leaves[n // 2])} bytes (canonical JSON):")
    print(f"  making the leaves:                  {make_time:8.3f} s")
    print(f"  raw limit, SHA-256 of every leaf:    {raw_time:8.3f} s")
    print(
        f"  building the tree (root):            {root_time:8.3f} s = {root_time / raw_time:.2f} x "
        f"the raw limit ({2 * n - 1:,} hashes against {n:,})"
    )
    index = n // 3
    proof_time, proof = best(repeats, lambda: inclusion_proof(leaves, index))
    verify = median_us(2000, lambda: verify_inclusion(leaves[index], index, n, proof, root))
    print(
        f"  one case's proof: {len(proof)} hashes = {32 * len(proof)} bytes; built from the "
        f"leaves in {proof_time:.3f} s, verified in {verify:.1f} µs"
    )


def logarithmic(sizes: list[int]) -> None:
    print("proof verification against n (the proof of leaf n/3; median of 5,000 checks):")
    print(f"  {'n':>10}  {'hashes':>6}  {'bytes':>5}  {'verify µs':>9}  {'build proof s':>13}")
    base = synthetic_heads(max(sizes))
    for n in sizes:
        one_size([case_leaf(*h) for h in base[:n]])


def one_size(leaves: list[bytes]) -> None:
    n, index = len(leaves), len(leaves) // 3
    root = merkle_root(leaves)
    build, proof = best(1, lambda: inclusion_proof(leaves, index))
    assert verify_inclusion(leaves[index], index, n, proof, root)
    verify = median_us(5000, lambda: verify_inclusion(leaves[index], index, n, proof, root))
    print(f"  {n:>10,}  {len(proof):>6}  {32 * len(proof):>5}  {verify:>9.1f}  {build:>13.3f}")


def through_the_store(n: int) -> None:
    with tempfile.TemporaryDirectory(dir=".") as tmp:
        path = Path(tmp) / "anchor.db"
        SQLiteStore(f"sqlite:///{path}").close()
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO cases (case_id, permit_type, status, light, is_open, month, last_seq, "
            "deadline_ts, wake_ts, doc, work) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    c,
                    "TEST",
                    "delivered",
                    "green",
                    0,
                    "2026-01",
                    seq,
                    None,
                    None,
                    json.dumps({"case_id": c, "head_hash": head}),
                    "[]",
                )
                for c, seq, head in synthetic_heads(n)
            ),
        )
        conn.execute("COMMIT")
        conn.close()
        store = SQLiteStore(f"sqlite:///{path}")
        reading, _ = best(1, lambda: case_heads(store))
        at = pendulum.datetime(2026, 12, 4, 18, tz="Asia/Shanghai")
        start = time.perf_counter()
        anchor = take_anchor(store, at, "Asia/Shanghai")
        take = time.perf_counter() - start
        published = Anchor.from_json(anchor.to_json())
        case_id = f"c{n // 3:07d}"
        start = time.perf_counter()
        proof = prove_case(store, published, case_id)
        prove = time.perf_counter() - start
        verify = median_us(2000, lambda: proof.verifies(published))
        assert proof.verifies(published)
        store.close()
    print(f"through a SQLite store of {n:,} case rows:")
    print(
        f"  take_anchor (read every head, build the tree, record the anchor and "
        f"{-(-n // 4096)} leaf records): {take:.2f} s, of which reading the heads "
        f"(Store.cases(), every row decoded) {reading:.2f} s"
    )
    print(
        f"  prove_case (read the leaves back, re-hash them against the published root, "
        f"build the proof): {prove:.2f} s"
    )
    print(
        f"  the proof: {len(proof.path)} hashes = {32 * len(proof.path)} bytes; verified "
        f"against the published anchor in {verify:.1f} µs"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-store", action="store_true", help="skip the SQLite part")
    args = parser.parse_args()
    tree_figures(args.cases, args.repeats)
    sizes = [s for s in (1_000, 10_000, 100_000, 1_000_000) if s <= args.cases]
    logarithmic(sizes)
    if not args.no_store:
        through_the_store(args.cases)


if __name__ == "__main__":
    main()
