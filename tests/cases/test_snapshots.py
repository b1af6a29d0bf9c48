"""A cold case is read as its snapshot and the events after it; a snapshot of other code is
rebuilt, never trusted, and one that differs from the fold is named by the checks."""

from __future__ import annotations

import functools
import json
import sqlite3
from pathlib import Path
from typing import Any

import attrs
import pytest
from _support.engine import (
    CHECKLIST,
    DEPUTY,
    DIVISION_HEAD,
    LAND,
    LEGAL,
    REVIEWER,
    WINDOW,
    Decide,
    Outcome,
    at,
    make_engine,
    run_to_decision,
    submit,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from planning_core.cases import (
    Accept,
    CaseState,
    Complete,
    Engine,
    RecordMeetingDecision,
    RequestSupplement,
)
from planning_core.cases._snapshot import SNAPSHOT_VERSION, counted_on, restore
from planning_core.cases._state import fold
from planning_core.storage import CaseSnapshot, EventRecord, MemoryStore, Store
from planning_core.timing import calendar_for


class _Reads:
    """Counts what the engine reads of each history, to see what a cold load costs."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.after: list[int] = []
        original = store.load_events

        def load_events(case_id: str, after: int = 0) -> list[EventRecord]:
            self.after.append(after)
            return original(case_id, after)

        store.load_events = load_events  # type: ignore[method-assign]


def _cold(engine: Engine) -> Engine:
    """A second engine on the same store that keeps no case in memory (another server)."""
    other = make_engine()
    other.store = engine.store
    other.cache_size = 0
    return other


def _snapshot_doc(path: Path, case_id: str) -> tuple[str, dict[str, Any]]:
    conn = sqlite3.connect(path)
    version, doc = conn.execute(
        "SELECT version, doc FROM snapshots WHERE case_id = ?", (case_id,)
    ).fetchone()
    conn.close()
    return version, json.loads(doc)


def _set_snapshot(path: Path, case_id: str, version: str, doc: dict[str, Any]) -> None:
    conn = sqlite3.connect(path)
    conn.execute(
        "UPDATE snapshots SET version = ?, doc = ? WHERE case_id = ?",
        (version, json.dumps(doc, ensure_ascii=False), case_id),
    )
    conn.commit()
    conn.close()


def test_every_append_writes_the_state_after_it() -> None:
    engine = make_engine()
    run_to_decision(engine)
    snapshot = engine.store.get_snapshot("c1")
    assert snapshot is not None and snapshot.version == SNAPSHOT_VERSION
    state = fold("c1", engine.history("c1"))
    assert snapshot.seq == state.seq == engine.case("c1").last_seq
    assert restore(engine.converter, "c1", snapshot) == state
    assert engine.check_projection("c1") and engine.verify_history("c1").ok


def test_a_cold_load_reads_the_snapshot_and_no_earlier_event() -> None:
    engine = make_engine()
    run_to_decision(engine)
    folded = fold("c1", engine.history("c1"))
    cold = _cold(engine)
    reads = _Reads(cold.store)
    assert cold.load("c1") == folded
    seq = engine.case("c1").last_seq
    assert cold.case("c1").last_seq == seq
    assert reads.after == []  # the snapshot covers the row's last event: no event is read
    # a command on the cold case decides on that state, and the next cold load agrees
    cold.execute(Decide("c1", Outcome.APPROVED), DEPUTY, at("2026-03-09 09:00"))
    assert cold.load("c1") == fold("c1", cold.history("c1"))
    assert cold.check_projection("c1")


def test_events_after_an_older_snapshot_are_applied_on_top_of_it() -> None:
    engine = make_engine()
    submit(engine)
    engine.execute(Accept("c1"), WINDOW, at("2026-03-02 10:00"))
    older = engine.store.get_snapshot("c1")
    assert older is not None
    store = engine.store
    assert isinstance(store, MemoryStore)
    # a writer that wrote no snapshot (an append with none leaves the stored one)
    state = engine.load("c1")
    engine.execute(Complete("c1", "window", "FORWARD"), WINDOW, at("2026-03-02 11:00"))
    store._state.snapshots["c1"] = older  # as if the last append had written none
    folded = fold("c1", engine.history("c1"))
    cold = _cold(engine)
    reads = _Reads(cold.store)
    assert cold.load("c1") == folded
    assert reads.after == [older.seq]
    assert cold.load("c1").seq > state.seq


def test_a_snapshot_from_older_code_is_rebuilt_never_trusted(tmp_path: Path) -> None:
    path = tmp_path / "bureau.db"
    engine = make_engine(f"sqlite:///{path}")
    run_to_decision(engine)
    version, doc = _snapshot_doc(path, "c1")
    assert version == SNAPSHOT_VERSION
    # older code folded differently: its state says withdrawn, with no work left
    older = {**doc, "state": {**doc["state"], "status": "withdrawn", "tokens": []}}
    _set_snapshot(path, "c1", "events-1.state-0", older)
    cold = make_engine(f"sqlite:///{path}")
    cold.cache_size = 0
    reads = _Reads(cold.store)
    state = cold.load("c1")
    assert state == fold("c1", engine.history("c1"))
    assert state.status.value == "awaiting_decision"
    assert reads.after == [0]  # the whole history, not the snapshot
    assert cold.check_projection("c1") and cold.verify_history("c1").ok  # not trusted: fine
    cold.execute(Decide("c1", Outcome.APPROVED), DEPUTY, at("2026-03-09 09:00"))
    assert _snapshot_doc(path, "c1")[0] == SNAPSHOT_VERSION  # rewritten by the next append


def test_a_snapshot_that_does_not_decode_is_not_trusted(tmp_path: Path) -> None:
    path = tmp_path / "bureau.db"
    engine = make_engine(f"sqlite:///{path}")
    submit(engine)
    _, doc = _snapshot_doc(path, "c1")
    newer = {**doc, "state": {**doc["state"], "a_field_of_newer_code": 1}}
    _set_snapshot(path, "c1", SNAPSHOT_VERSION, newer)
    cold = make_engine(f"sqlite:///{path}")
    cold.cache_size = 0
    assert cold.load("c1") == fold("c1", engine.history("c1"))
    problem = cold.check_snapshot("c1")
    assert problem is not None and "cannot be read" in problem
    assert not cold.check_projection("c1")


def test_an_altered_snapshot_is_named_by_check_projection_and_verify(tmp_path: Path) -> None:
    path = tmp_path / "bureau.db"
    engine = make_engine(f"sqlite:///{path}")
    run_to_decision(engine)
    _, doc = _snapshot_doc(path, "c1")
    altered = {**doc, "state": {**doc["state"], "applicant": "另一家公司"}}
    _set_snapshot(path, "c1", SNAPSHOT_VERSION, altered)
    checker = make_engine(f"sqlite:///{path}")
    assert not checker.check_projection("c1")
    report = checker.verify_history("c1")
    assert not report.ok
    assert any("snapshot" in p and "applicant" in p for p in report.problems), report.problems
    assert "event" in (checker.check_snapshot("c1") or "")


def test_a_store_without_snapshots_is_folded_and_snapshotted_by_the_next_append(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bureau.db"
    engine = make_engine(f"sqlite:///{path}")
    run_to_decision(engine)
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM snapshots")  # as a store migrated from schema version 3
    conn.commit()
    conn.close()
    cold = make_engine(f"sqlite:///{path}")
    assert cold.store.get_snapshot("c1") is None
    assert cold.check_projection("c1")
    assert cold.load("c1") == fold("c1", engine.history("c1"))
    cold.execute(Decide("c1", Outcome.APPROVED), DEPUTY, at("2026-03-09 09:00"))
    snapshot = cold.store.get_snapshot("c1")
    assert snapshot is not None and snapshot.seq == cold.case("c1").last_seq


def test_an_old_sqlite_store_gains_the_snapshot_table(tmp_path: Path) -> None:
    path = tmp_path / "v3.db"
    make_engine(f"sqlite:///{path}").store.close()
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE snapshots")
    conn.execute("DROP INDEX cases_open_wake")
    conn.execute("CREATE INDEX cases_open_wake ON cases (wake_ts) WHERE is_open = 1")
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()
    engine = make_engine(f"sqlite:///{path}")
    assert engine.store.schema_version() == 4
    submit(engine)
    assert engine.store.get_snapshot("c1") is not None


def test_take_and_restore_refuse_the_state_of_another_case() -> None:
    engine = make_engine()
    submit(engine)
    snapshot = engine.snapshots.take(engine.load("c1"), engine.calendar.fingerprint)
    assert restore(engine.converter, "c1", snapshot) == engine.load("c1")
    assert restore(engine.converter, "c2", snapshot) is None
    assert restore(engine.converter, "c1", CaseSnapshot(9, snapshot.version, snapshot.data)) is None
    assert restore(engine.converter, "c1", None) is None


_STEPS = st.lists(st.sampled_from(["supplement", "accept", "forward", "sweep"]), max_size=6)


@settings(max_examples=25, deadline=None)
@given(steps=_STEPS, cached=st.booleans())
def test_a_cold_engine_always_sees_the_state_a_fold_gives(steps: list[str], cached: bool) -> None:
    engine = make_engine()
    if not cached:
        engine.cache_size = 0
    submit(engine)
    t = at("2026-03-02 09:30")
    for step in steps:
        t = t.add(days=2)
        command: Any = {
            "supplement": RequestSupplement("c1", ("site_plan",)),
            "accept": Accept("c1"),
            "forward": Complete("c1", "window", "FORWARD"),
        }.get(step)
        try:
            if command is None:
                engine.sweep(t)
            else:
                engine.execute(command, WINDOW, t)
        except Exception as exc:  # a command the case's state refuses changes nothing
            assert type(exc).__module__ == "planning_core.errors", exc
        folded = fold("c1", engine.history("c1"))
        assert _cold(engine).load("c1") == folded
        assert isinstance(engine.load("c1"), CaseState) and engine.load("c1") == folded
        assert engine.check_projection("c1")


def test_cache_size_zero_keeps_no_state() -> None:
    engine = make_engine()
    engine.cache_size = 0
    run_to_decision(engine)
    assert len(engine._cache) == 0
    with pytest.raises(Exception, match="cache_size"):
        Engine(engine.store, engine.organisation, cache_size=-1)


def _count_recounts(engine: Engine) -> list[str]:
    """Writes down each time ``engine`` counts a loaded case's deadlines again."""
    calls: list[str] = []
    original = engine._revisions

    def revisions(state: CaseState, row: Any, cause: str) -> list[Any]:
        calls.append(state.case_id)
        return original(state, row, cause)

    engine._revisions = revisions  # type: ignore[method-assign]
    return calls


def test_a_cold_load_counts_deadlines_again_only_when_the_snapshot_names_another_calendar(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bureau.db"
    engine = make_engine(f"sqlite:///{path}")
    run_to_decision(engine)  # open: its decision clocks run
    snapshot = engine.store.get_snapshot("c1")
    assert snapshot is not None and counted_on(snapshot) == engine.calendar.fingerprint
    cold = make_engine(f"sqlite:///{path}")
    cold.cache_size = 0
    recounts = _count_recounts(cold)
    assert cold.load("c1") == fold("c1", engine.history("c1"))
    assert recounts == []  # same calendar: the row's deadlines are this calendar's
    _, doc = _snapshot_doc(path, "c1")
    _set_snapshot(path, "c1", SNAPSHOT_VERSION, {**doc, "calendar": "sha256:another"})
    assert cold.load("c1") == fold("c1", engine.history("c1"))
    assert recounts == ["c1"]  # counted again, and nothing moved: no revision waits
    assert "c1" not in cold._stale
    assert cold.check_projection("c1")  # the mark is not part of the state


def test_a_cold_engine_on_another_calendar_counts_again_and_revises(tmp_path: Path) -> None:
    path = tmp_path / "bureau.db"
    engine = make_engine(f"sqlite:///{path}")
    run_to_decision(engine)
    closed = at("2026-03-09 09:00").date()
    city = calendar_for("CN", closures={closed: "市政府统一停止办公"})
    assert city.fingerprint != engine.calendar.fingerprint
    cold = make_engine(f"sqlite:///{path}", calendar=city)
    cold.cache_size = 0
    recounts = _count_recounts(cold)
    cold.load("c1")
    assert recounts == ["c1"]
    assert [e.cause for e in cold._stale["c1"]] and {e.cause for e in cold._stale["c1"]} == {
        "another_calendar"
    }


def test_a_calendar_fingerprint_follows_every_day_and_setting() -> None:
    cn = calendar_for("CN")
    assert cn.fingerprint == calendar_for("CN").fingerprint
    closed = calendar_for("CN", closures={at("2026-03-09 09:00").date(): "停止办公"})
    assert closed.fingerprint != cn.fingerprint
    assert calendar_for("CN", zone="Asia/Urumqi").fingerprint != cn.fingerprint


def _review_loop(engine: Engine, rounds: int) -> CaseState:
    """Case c1 sent back from the division meeting to review ``rounds`` times, swept each
    round so the steps' lights are recorded too."""
    submit(engine)
    t = at("2026-03-02 10:00")
    engine.execute(Accept("c1"), WINDOW, t)
    engine.execute(Complete("c1", "window", "FORWARD"), WINDOW, t.add(minutes=1))
    meeting = RecordMeetingDecision(
        "c1", "meeting", t.date(), ("甲", "乙", "丙"), "退回重审", "RETURN"
    )
    for _ in range(rounds):
        t = t.add(days=40)
        engine.sweep(t)  # the steps are long overdue: their lights are recorded red
        assert any(name.startswith("step:") for name, _ in engine.load("c1").lights)
        for command, actor in (
            (Complete("c1", "review", "APPROVE", "", CHECKLIST), REVIEWER),
            (Complete("c1", "land", "APPROVE"), LAND),
            (Complete("c1", "legal", "APPROVE"), LEGAL),
            (meeting, DIVISION_HEAD),
        ):
            t = t.add(minutes=1)
            engine.execute(command, actor, t)
    return engine.load("c1")


def test_the_state_and_its_snapshot_do_not_grow_with_a_review_loop() -> None:
    few, many = make_engine(), make_engine()
    short, long = _review_loop(few, 2), _review_loop(many, 12)
    assert long.seq > short.seq + 40
    assert long.completed_steps == short.completed_steps
    assert len(set(long.completed_steps)) == len(long.completed_steps)
    assert len(long.lights) == len(short.lights)
    running = {name for name, _ in long.clocks.named()}
    assert all(not n.startswith(("step:", "consult:")) or n in running for n, _ in long.lights)
    sizes = [
        len(json.dumps(e.store.get_snapshot("c1").data, ensure_ascii=False))  # type: ignore[union-attr]
        for e in (few, many)
    ]
    assert abs(sizes[1] - sizes[0]) < 16, sizes  # the same fields; a longer seq at most
    assert many.check_projection("c1") and few.check_projection("c1")


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=4),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=6,
)


@functools.cache
def _decided() -> Engine:
    """An engine with case c1 waiting for its decision (built once: the test only reads)."""
    engine = make_engine()
    run_to_decision(engine)
    return engine


@settings(max_examples=300, deadline=None)
@given(field=st.sampled_from([f.name for f in attrs.fields(CaseState)]), value=_JSON)
def test_the_engines_fast_snapshot_reader_refuses_what_the_converter_refuses(
    field: str, value: Any
) -> None:
    engine = _decided()
    snapshot = engine.store.get_snapshot("c1")
    assert snapshot is not None
    state = {**snapshot.data["state"], field: value}
    tampered = CaseSnapshot(snapshot.seq, snapshot.version, {**snapshot.data, "state": state})
    fast = engine.snapshots.restore("c1", tampered)
    # what the engine's reader trusts, the converter reads the same way (the reader may be
    # stricter: it refuses text where a list belongs, which the converter iterates)
    assert fast is None or fast == restore(engine.converter, "c1", tampered)
    if isinstance(value, str | int | type(None)) and field in _TEXT_FIELDS:
        assert (fast is None) == (restore(engine.converter, "c1", tampered) is None)


#: CaseState's fields of text or optional text, which both readers read alike.
_TEXT_FIELDS = {f.name for f in attrs.fields(CaseState) if str(f.type) in ("str", "str | None")}


def test_a_snapshot_ahead_of_the_row_is_not_trusted(tmp_path: Path) -> None:
    path = tmp_path / "bureau.db"
    engine = make_engine(f"sqlite:///{path}")
    run_to_decision(engine)
    last = engine.case("c1").last_seq
    conn = sqlite3.connect(path)  # the last event and the row's count of it gone, not the snapshot
    conn.execute("DELETE FROM events WHERE case_id = 'c1' AND seq = ?", (last,))
    conn.execute("UPDATE cases SET last_seq = ? WHERE case_id = 'c1'", (last - 1,))
    conn.commit()
    conn.close()
    cold = make_engine(f"sqlite:///{path}")
    cold.cache_size = 0
    reads = _Reads(cold.store)
    state = cold.load("c1")
    assert state.seq == last - 1 and state == fold("c1", cold.history("c1"))
    assert reads.after[0] == 0  # the whole history, not the snapshot
