"""Anchors against an attacker with write access to the database: what the chain and the row
checks cannot see, a published anchor taken before the attack does."""

from __future__ import annotations

from collections.abc import Callable

import pendulum
import pytest
from _support.ledger import PERMIT, ZONE, Attacker, accept

from planning_core.bureau import Bureau
from planning_core.errors import (
    ConflictError,
    NotFoundError,
    PluginError,
    StorageError,
    ValidationError,
)
from planning_core.ledger import (
    ANCHORS,
    LEAVES,
    Anchor,
    AnchorNotPublishedError,
    _record,
    audit_anchor,
    case_heads,
    case_leaf,
    merkle_root,
    prove_case,
    recorded_anchors,
    take_anchor,
    verify_against_anchor,
)
from planning_core.markers import hookimpl
from planning_core.plugins import make_hooks
from planning_core.testing import CaseFactory, ManualClock, make_bureau

EVENING = pendulum.datetime(2026, 12, 1, 18, tz=ZONE)

Reopen = Callable[[], Bureau]


@pytest.fixture
def anchor(seeded: list[str], reopen: Reopen) -> Anchor:
    """The anchor of 2026-12-01, taken in the evening before any attack (as published)."""
    taken = reopen().anchor(EVENING)
    return Anchor.from_json(taken.to_json())  # what comes back from the notice board


def test_an_anchor_covers_every_case_with_its_head(anchor: Anchor, reopen: Reopen) -> None:
    store = reopen().store
    assert (anchor.day, anchor.size, anchor.at) == (pendulum.date(2026, 12, 1), 4, EVENING)
    heads = case_heads(store)
    assert [h[0] for h in heads] == ["c-a", "c-b", "c-c", "c-d"]
    assert anchor.root == merkle_root([case_leaf(*h) for h in heads]).hex()
    assert recorded_anchors(store) == [anchor]
    assert all(h[2] == store.get_case(h[0]).data["head_hash"] for h in heads)  # type: ignore[union-attr]


def test_an_untouched_case_verifies_with_a_logarithmic_proof(
    anchor: Anchor, reopen: Reopen
) -> None:
    store = reopen().store
    check = verify_against_anchor(store, anchor, "c-b")
    assert check.ok and check.covered and not check.problems
    assert check.anchored_seq == len(store.load_events("c-b"))
    assert check.proof is not None and check.proof.verifies(anchor)
    assert len(check.proof.path) == 2  # four leaves: two levels
    assert check.summary().startswith("case c-b: events 1..3 match the anchor of 2026-12-01")
    assert prove_case(store, anchor, "c-b") == check.proof
    assert audit_anchor(store, anchor).ok


def test_a_rewritten_chain_and_row_pass_the_chain_check_and_fail_against_the_anchor(
    anchor: Anchor, reopen: Reopen, attacker: Attacker
) -> None:
    attacker.rewrite("c-a")
    bureau = reopen()
    assert bureau.engine.verify_history("c-a").ok  # consistent: the chain (and row) pass
    assert all(doc["actor"] == "forger" for doc in attacker.events("c-a"))
    check = verify_against_anchor(bureau.store, anchor, "c-a")
    assert not check.ok and check.covered
    [problem] = check.problems
    assert problem.startswith(
        "case c-a: events 1..3 differ from the history anchored on 2026-12-01"
    )
    assert "rewritten" in problem
    audit = audit_anchor(bureau.store, anchor)
    assert not audit.ok and audit.problems == (problem,)
    assert verify_against_anchor(bureau.store, anchor, "c-b").ok  # the others are intact


def test_a_chain_rewritten_shorter_names_the_missing_events(
    anchor: Anchor, reopen: Reopen, attacker: Attacker
) -> None:
    attacker.rewrite("c-d", keep=1)  # truncated before the anchor, the row edited to match
    bureau = reopen()
    assert bureau.engine.verify_history("c-d").ok
    check = verify_against_anchor(bureau.store, anchor, "c-d")
    assert not check.ok
    assert "case c-d: events 2..3 anchored on 2026-12-01 are missing from the store" in (
        check.problems
    )


def test_a_dropped_case_is_named_by_the_audit_and_by_its_own_check(
    anchor: Anchor, reopen: Reopen, attacker: Attacker
) -> None:
    attacker.drop("c-c")
    store = reopen().store
    assert store.get_case("c-c") is None and not store.load_events("c-c")
    audit = audit_anchor(store, anchor)
    assert not audit.ok and audit.checked == 4
    assert audit.problems == (
        "case c-c: anchored on 2026-12-01 with 1 event(s), it is gone from the store (dropped)",
    )
    check = verify_against_anchor(store, anchor, "c-c")
    assert not check.ok and check.problems == audit.problems
    # A new anchor covers three cases: it could not be passed off as the published one.
    assert take_anchor(store, EVENING.add(days=1), ZONE).size == 3


def test_events_appended_after_the_anchor_still_verify_against_it(
    anchor: Anchor, reopen: Reopen
) -> None:
    bureau = reopen()
    accept(bureau, "c-c", EVENING.add(hours=15))  # the next morning
    check = verify_against_anchor(bureau.store, anchor, "c-c")
    assert check.ok and check.anchored_seq == 1 and check.later_events >= 1
    assert "later event(s) not covered" in check.summary()
    assert audit_anchor(bureau.store, anchor).ok


def test_a_case_received_after_the_anchor_is_not_covered_and_not_a_failure(
    anchor: Anchor, reopen: Reopen
) -> None:
    bureau = reopen()
    CaseFactory(bureau, ManualClock(EVENING.add(days=1))).submit(PERMIT, case_id="c-e")
    check = verify_against_anchor(bureau.store, anchor, "c-e")
    assert check.ok and not check.covered and check.proof is None
    assert "not covered by the anchor of 2026-12-01" in check.summary()
    audit = audit_anchor(bureau.store, anchor)
    assert audit.ok and audit.not_covered == ("c-e",)


def test_a_case_slipped_in_with_an_earlier_date_is_a_failure(
    anchor: Anchor, reopen: Reopen
) -> None:
    bureau = reopen()
    CaseFactory(bureau, ManualClock(EVENING.subtract(hours=2))).submit(PERMIT, case_id="c-0")
    check = verify_against_anchor(bureau.store, anchor, "c-0")
    assert not check.ok and not check.covered
    assert check.problems[0].startswith(
        "case c-0 is not in the anchor of 2026-12-01, yet its history begins "
        "2026-12-01T16:00:00+08:00, before the anchor was taken"
    )
    assert not audit_anchor(bureau.store, anchor).ok


def test_an_altered_or_deleted_leaf_record_is_caught_before_any_proof(
    anchor: Anchor, reopen: Reopen, attacker: Attacker
) -> None:
    # The attacker rewrites c-a and also puts its new head into the stored leaves.
    head = attacker.rewrite("c-a")
    attacker.sql(
        "UPDATE records SET doc = json_set(doc, '$.cases[0][2]', ?) WHERE collection = ?",
        head,
        LEAVES,
    )
    store = reopen().store
    check = verify_against_anchor(store, anchor, "c-a")
    assert not check.ok
    assert "do not hash to its published root" in check.problems[0]
    assert "altered in the database" in check.problems[0]
    with pytest.raises(StorageError, match="altered"):
        prove_case(store, anchor, "c-a")
    attacker.sql("DELETE FROM records WHERE collection = ?", LEAVES)
    audit = audit_anchor(reopen().store, anchor)
    assert not audit.ok and "holds no leaves" in audit.problems[0]


def test_a_case_the_anchor_never_held_cannot_be_proved(anchor: Anchor, reopen: Reopen) -> None:
    store = reopen().store
    with pytest.raises(NotFoundError, match="case 'nope' is not in the anchor of 2026-12-01"):
        prove_case(store, anchor, "nope")
    with pytest.raises(NotFoundError, match="no case 'nope' in the store nor in the anchor"):
        verify_against_anchor(store, anchor, "nope")


def test_an_anchor_under_a_tampered_published_file_fails(anchor: Anchor, reopen: Reopen) -> None:
    forged = Anchor.from_data({**anchor.to_data(), "size": 5})
    check = verify_against_anchor(reopen().store, forged, "c-a")
    assert not check.ok
    assert "the store holds 4 leaves for the anchor of 2026-12-01" in check.problems[0]
    assert "which covers 5 cases" in check.problems[0]


def test_taking_an_anchor_again_at_the_same_instant(
    anchor: Anchor, reopen: Reopen, clock: ManualClock
) -> None:
    bureau = reopen()
    assert take_anchor(bureau.store, EVENING, ZONE) == anchor
    accept(bureau, "c-c", EVENING.add(hours=1))
    with pytest.raises(ConflictError, match="already recorded"):
        take_anchor(bureau.store, EVENING, ZONE)
    assert len(bureau.store.list_records(ANCHORS)) == 1


def test_the_day_is_the_bureaus_local_date_and_time_is_injected(reopen: Reopen) -> None:
    store = reopen().store
    late = pendulum.datetime(2026, 12, 4, 17, 30, tz="UTC")  # 01:30 on the 5th in Shanghai
    taken = take_anchor(store, late, ZONE)
    assert taken.day == pendulum.date(2026, 12, 5) and taken.at == late and taken.size == 0
    with pytest.raises(ValidationError, match="no time zone"):
        take_anchor(store, pendulum.naive(2026, 12, 4), ZONE)
    with pytest.raises(ValidationError, match="time zone 'Mars/Olympus' is unknown"):
        take_anchor(store, late, "Mars/Olympus")


def test_leaves_are_stored_in_records_of_a_few_thousand(
    clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_record, "LEAVES_PER_RECORD", 2)
    with make_bureau("memory://") as bureau:
        factory = CaseFactory(bureau, clock)
        for i in range(5):
            factory.submit(PERMIT, case_id=f"m-{i}")
        taken = take_anchor(bureau.store, EVENING, ZONE)
        records = bureau.store.list_records(LEAVES, f"{taken.key}/")
        assert [len(doc["cases"]) for _, doc in records] == [2, 2, 1]
        assert [doc["first"] for _, doc in records] == [0, 2, 4]
        assert verify_against_anchor(bureau.store, taken, "m-3").ok


@pytest.mark.parametrize(
    ("damage", "named"),
    [
        ("drop-first", "record 2026-12-01T10:00:00.000000Z/00001 stands where record 00000"),
        ("bad-seq", "a leaf is not a [case_id, seq, head]"),
        ("not-triples", "holds something other than [case_id, seq, head] triples"),
        ("int-id", "do not hash to its published root"),
        ("moved", "does not hold the cases from leaf 2 on"),
    ],
)
def test_damaged_leaf_records_are_named(
    damage: str, named: str, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_record, "LEAVES_PER_RECORD", 2)
    with make_bureau("memory://") as bureau:
        factory = CaseFactory(bureau, clock)
        for i in range(5):
            factory.submit(PERMIT, case_id=f"m-{i}")
        taken = take_anchor(bureau.store, EVENING, ZONE)
        store = bureau.store
        first, second = (f"{taken.key}/00000", f"{taken.key}/00001")
        doc = store.get_record(LEAVES, first)
        assert doc is not None
        if damage == "drop-first":
            store.delete_records(LEAVES, [first])
        elif damage == "bad-seq":
            store.put_records(
                LEAVES, {first: {**doc, "cases": [["m-0", "3", "x"], *doc["cases"][1:]]}}
            )
        elif damage == "not-triples":
            store.put_records(LEAVES, {first: {**doc, "cases": [["m-0"]]}})
        elif damage == "int-id":
            store.put_records(
                LEAVES, {first: {**doc, "cases": [[0, *doc["cases"][0][1:]], *doc["cases"][1:]]}}
            )
        else:
            store.put_records(LEAVES, {second: {**doc, "first": 0}})
        check = verify_against_anchor(store, taken, "m-4")
        assert not check.ok and named in check.problems[0]


# -- the publish hook ------------------------------------------------------------------------


class NoticeBoard:
    """A host's plugin: pins every anchor to the notice board."""

    def __init__(self) -> None:
        self.pinned: list[str] = []

    @hookimpl
    def planning_core_publish_anchor(self, anchor: Anchor) -> None:
        self.pinned.append(anchor.to_json())


class BrokenBoard:
    @hookimpl
    def planning_core_publish_anchor(self, anchor: Anchor) -> None:
        raise OSError("the notice board is offline")


def test_the_bureau_hands_the_recorded_anchor_to_every_publisher(
    seeded: list[str], url: str
) -> None:
    hooks = make_hooks(entry_points=False)
    boards = [NoticeBoard(), NoticeBoard()]
    for i, board in enumerate(boards):
        hooks.register(board, name=f"board-{i}")
    with make_bureau(url, hooks=hooks) as bureau:
        taken = bureau.anchor(EVENING)
        assert recorded_anchors(bureau.store) == [taken]
    assert [board.pinned for board in boards] == [[taken.to_json()]] * 2
    assert Anchor.from_json(boards[0].pinned[0]) == taken


def test_a_failed_publication_keeps_the_anchor_and_says_so(seeded: list[str], url: str) -> None:
    hooks = make_hooks(entry_points=False)
    hooks.register(BrokenBoard(), name="board")
    with make_bureau(url, hooks=hooks) as bureau:
        with pytest.raises(AnchorNotPublishedError) as caught:
            bureau.anchor(EVENING)
        assert isinstance(caught.value, PluginError)
        message = str(caught.value)
        assert "plugin 'board' failed in hook 'planning_core_publish_anchor'" in message
        assert "the notice board is offline" in message
        assert "recorded in the store all the same" in message
        assert recorded_anchors(bureau.store) == [caught.value.anchor]
