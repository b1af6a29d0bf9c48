"""The storage conformance suite: what every backend must do, as pytest tests.

A backend author subclasses :class:`StoreConformance` in a test module and provides the
``store_url`` fixture (a fresh, empty store for each test)::

    import pytest
    from planning_core.testing.storage import StoreConformance

    class TestMyBackend(StoreConformance):
        SHARED_ACROSS_PROCESSES = True      # other processes can open the same URL

        @pytest.fixture
        def store_url(self, tmp_path):
            return f"mycity:///{tmp_path}/bureau"

Every test opens stores with :func:`planning_core.open_store` and the installed plugins
(:func:`planning_core.bureau.installed_plugins`), so the backend is found the way a host
finds it: through the ``planning_core_register_storage_backends`` hook. Tests that
need several processes on one database run only when ``SHARED_ACROSS_PROCESSES`` is true.
"""

from __future__ import annotations

import multiprocessing
import uuid
from collections.abc import Callable, Iterator
from typing import TypeVar

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planning_core.bureau import installed_plugins
from planning_core.errors import ConflictError, InvalidStateError, ValidationError
from planning_core.storage import (
    JSON,
    CaseHead,
    CaseRow,
    CaseSnapshot,
    EncodedDocument,
    Store,
    WorkItem,
    open_store,
)

__all__ = ["StoreConformance", "make_case_row"]

R = TypeVar("R")


def make_case_row(
    case_id: str,
    last_seq: int,
    *,
    status: str = "IN_REVIEW",
    light: str = "GREEN",
    is_open: bool = True,
    permit_type: str = "T1",
    month: str = "2026-11",
    case_number: str | None = None,
    deadline_ts: int | None = None,
    wake_ts: int | None = None,
    work: tuple[WorkItem, ...] = (),
) -> CaseRow:
    """A projection row with plausible defaults, for storage tests."""
    return CaseRow(
        case_id=case_id,
        permit_type=permit_type,
        status=status,
        light=light,
        is_open=is_open,
        month=month,
        last_seq=last_seq,
        case_number=case_number,
        deadline_ts=deadline_ts,
        wake_ts=wake_ts,
        work=work,
        data={"case_id": case_id, "名称": "规划案卷", "seq": last_seq},
    )


def _row_changes() -> st.SearchStrategy[dict[str, object]]:
    """Projection columns and work items that change, or stay, from one append to the next."""
    work_item = st.builds(
        WorkItem,
        st.sampled_from(["审查岗", "WINDOW"]),
        st.sampled_from(["review", "land"]),
        st.none() | st.integers(0, 3),
    )
    return st.fixed_dictionaries(
        {
            "status": st.sampled_from(["IN_REVIEW", "AWAITING_DECISION"]),
            "light": st.sampled_from(["GREEN", "RED"]),
            "is_open": st.booleans(),
            "numbered": st.booleans(),
            "deadline_ts": st.none() | st.integers(0, 3),
            "wake_ts": st.none() | st.integers(0, 3),
            "month": st.sampled_from(["2026-10", "2026-11"]),
            "work": st.lists(work_item, max_size=3).map(tuple),
        }
    )


def _append(store: Store, case_id: str, expected: int, count: int = 1, **row: object) -> None:
    events = [{"n": expected + i, "type": "测试"} for i in range(1, count + 1)]
    with store.unit_of_work() as uow:
        uow.append(case_id, expected, events, make_case_row(case_id, expected + count, **row))  # type: ignore[arg-type]
        uow.commit()


class StoreConformance:
    """Subclass in a test module and provide the ``store_url`` fixture."""

    #: Set True when several processes can open the same ``store_url`` at once.
    SHARED_ACROSS_PROCESSES = False

    @pytest.fixture
    def store_url(self) -> str:
        raise NotImplementedError("provide a store_url fixture for your backend")

    @pytest.fixture
    def store(self, store_url: str) -> Iterator[Store]:
        with open_store(store_url, installed_plugins()) as opened:
            yield opened

    # -- records --------------------------------------------------------------------------

    def test_records_put_get_list_delete(self, store: Store) -> None:
        store.put_records("rural.village", {"丰润/甲村": {"stage": "编制"}, "丰润/乙村": {"n": 2}})
        store.put_records("rural.village", {"迁安/丙村": {"n": 3}})
        assert store.get_record("rural.village", "丰润/甲村") == {"stage": "编制"}
        assert store.get_record("rural.village", "nobody") is None
        keys = [k for k, _ in store.list_records("rural.village", "丰润/")]
        assert keys == sorted(["丰润/乙村", "丰润/甲村"])
        assert store.delete_records("rural.village", ["丰润/甲村", "nobody"]) == 1
        assert store.get_record("rural.village", "丰润/甲村") is None
        assert len(store.list_records("rural.village")) == 2

    def test_a_bad_batch_changes_nothing(self, store: Store) -> None:
        store.put_records("c", {"a": {"v": 1}})
        with pytest.raises((TypeError, ValueError)):
            store.put_records("c", {"a": {"v": 2}, "b": {"v": object()}})
        assert store.get_record("c", "a") == {"v": 1}
        assert store.get_record("c", "b") is None

    def test_bad_collection_names_and_documents_are_refused(self, store: Store) -> None:
        with pytest.raises(ValidationError, match="collection name"):
            store.put_records("规划", {"k": {}})
        with pytest.raises(ValidationError, match="must be a JSON object"):
            store.put_records("c", {"k": [1]})  # type: ignore[dict-item]
        assert store.list_records("c") == []

    # -- insert-only records --------------------------------------------------------------

    def test_insert_records_writes_keys_that_are_free(self, store: Store) -> None:
        store.insert_records("certs", {"建字第1号": {"case": "c1"}, "建字第2号": {"case": "c2"}})
        with store.unit_of_work() as uow:
            uow.insert_records("certs", {"建字第3号": {"case": "c3"}})
            uow.commit()
        assert [k for k, _ in store.list_records("certs")] == [
            "建字第1号",
            "建字第2号",
            "建字第3号",
        ]
        assert store.get_record("certs", "建字第3号") == {"case": "c3"}

    def test_insert_records_refuses_a_stored_key_and_keeps_the_record(self, store: Store) -> None:
        store.insert_records("certs", {"建字第1号": {"case": "c1"}})
        with pytest.raises(ConflictError, match=r"'建字第1号'.*certs|certs.*'建字第1号'"):
            store.insert_records("certs", {"建字第0号": {"case": "x"}, "建字第1号": {"case": "x"}})
        assert store.get_record("certs", "建字第1号") == {"case": "c1"}
        assert store.get_record("certs", "建字第0号") is None  # nothing of the batch
        store.insert_records("other", {"建字第1号": {"case": "c9"}})  # keys are per collection

    def test_a_second_insert_in_one_unit_is_refused_and_the_unit_goes_on(
        self, store: Store
    ) -> None:
        with store.unit_of_work() as uow:
            uow.insert_records("certs", {"k": {"n": 1}})
            with pytest.raises(ConflictError, match="'k'"):
                uow.insert_records("certs", {"k": {"n": 2}})
            assert uow.get_record("certs", "k") == {"n": 1}
            uow.insert_records("certs", {"k2": {"n": 3}})
            uow.delete_records("certs", ["k2"])
            uow.insert_records("certs", {"k2": {"n": 4}})  # free again once deleted
            uow.commit()
        assert dict(store.list_records("certs")) == {"k": {"n": 1}, "k2": {"n": 4}}

    def test_insert_records_checks_its_arguments_like_put(self, store: Store) -> None:
        with pytest.raises(ValidationError, match="collection name"):
            store.insert_records("规划", {"k": {}})
        with pytest.raises(ValidationError, match="must be a JSON object"):
            store.insert_records("c", {"k": [1]})  # type: ignore[dict-item]
        with pytest.raises(ValidationError, match="NaN"):
            store.insert_records("c", {"k": {"v": float("nan")}})
        assert store.list_records("c") == []

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.differing_executors,
        ],
    )
    @given(
        batches=st.lists(
            st.dictionaries(st.sampled_from("abcde"), st.integers(0, 9), min_size=1, max_size=3),
            max_size=8,
        )
    )
    def test_insert_only_batches_are_all_or_nothing(
        self, store: Store, batches: list[dict[str, int]]
    ) -> None:
        """Against a dict as the model: a batch with a key already there changes nothing."""
        collection = f"register.{uuid.uuid4().hex}"  # a fresh register for each example
        model: dict[str, JSON] = {}
        for batch in batches:
            records: dict[str, JSON] = {key: {"n": n} for key, n in batch.items()}
            if any(key in model for key in records):
                with pytest.raises(ConflictError, match=collection):
                    store.insert_records(collection, records)
            else:
                store.insert_records(collection, records)
                model.update(records)
        assert dict(store.list_records(collection)) == model

    # -- units of work --------------------------------------------------------------------

    def test_nothing_is_kept_without_commit(self, store: Store) -> None:
        with store.unit_of_work() as uow:
            uow.put_records("c", {"k": {"v": 1}})
            uow.append("case-1", 0, [{"n": 1}], make_case_row("case-1", 1))
        assert store.get_record("c", "k") is None
        assert store.get_case("case-1") is None
        assert store.load_events("case-1") == []

    def test_an_exception_rolls_back_the_whole_unit(self, store: Store) -> None:
        with pytest.raises(RuntimeError), store.unit_of_work() as uow:
            uow.put_records("c", {"k": {"v": 1}})
            uow.next_sequence("cert:建字:2026")
            raise RuntimeError("handler crashed")
        assert store.get_record("c", "k") is None
        with store.unit_of_work() as uow:
            assert uow.next_sequence("cert:建字:2026") == 1

    def test_a_finished_unit_refuses_more_work(self, store: Store) -> None:
        with store.unit_of_work() as uow:
            uow.commit()
            with pytest.raises(InvalidStateError):
                uow.put_records("c", {"k": {}})

    def test_reads_inside_a_unit_see_its_own_writes(self, store: Store) -> None:
        store.put_records("slots", {"s1": {"booked": 1}})
        with store.unit_of_work() as uow:
            assert uow.get_record("slots", "s1") == {"booked": 1}
            uow.put_records("slots", {"s1": {"booked": 2}})
            assert uow.get_record("slots", "s1") == {"booked": 2}
            uow.delete_records("slots", ["s1"])
            assert uow.get_record("slots", "s1") is None
        assert store.get_record("slots", "s1") == {"booked": 1}

    def test_concurrent_read_check_write_never_overbooks(
        self, store: Store, store_url: str
    ) -> None:
        if not self.SHARED_ACROSS_PROCESSES:
            pytest.skip("this backend is not shared across processes")
        # The slot record starts missing (nothing to lock yet) and every worker keeps trying
        # until the slot is full, so the workers overlap on the read-check-write.
        results = _run_workers(_booking_worker, [(store_url, 40) for _ in range(4)])
        assert sum(results) == 5
        assert store.get_record("slots", "s1") == {"capacity": 5, "booked": 5}

    def test_documents_are_strict_json_and_limits_are_checked(self, store: Store) -> None:
        with pytest.raises(ValidationError, match="NaN"):
            store.put_records("c", {"k": {"v": float("nan")}})
        assert store.get_record("c", "k") is None
        with pytest.raises(ValidationError, match="limit"):
            store.cases(limit=-1)

    def test_closed_cases_keep_no_work_and_work_is_ordered(self, store: Store) -> None:
        work = (WorkItem("B", "s2", 5), WorkItem("A", "s1", 9))
        _append(store, "open", 0, work=work)
        _append(store, "closed", 0, is_open=False, work=work)
        row = store.get_case("open")
        assert row is not None and row.work == tuple(
            sorted(work, key=lambda w: (w.post, w.step_id))
        )
        closed = store.get_case("closed")
        assert closed is not None and closed.work == ()

    def test_sequences_count_from_one_without_gaps(self, store: Store) -> None:
        with store.unit_of_work() as uow:
            assert [uow.next_sequence("a"), uow.next_sequence("a")] == [1, 2]
            assert uow.next_sequence("b") == 1
            uow.commit()
        with store.unit_of_work() as uow:
            assert uow.next_sequence("a") == 3  # rolled back: not consumed
        with store.unit_of_work() as uow:
            assert uow.next_sequence("a") == 3
            uow.commit()

    # -- case histories -------------------------------------------------------------------

    def test_append_and_load(self, store: Store) -> None:
        _append(store, "case-1", 0, 2, case_number="2026-0001")
        _append(store, "case-1", 2, 1, case_number="2026-0001")
        events = store.load_events("case-1")
        assert [e.seq for e in events] == [1, 2, 3]
        assert [e.data["n"] for e in events] == [1, 2, 3]
        assert events[0].data["type"] == "测试"
        row = store.get_case("case-1")
        assert row == make_case_row("case-1", 3, case_number="2026-0001")
        assert store.find_case("2026-0001") == row
        assert store.find_case("2026-9999") is None
        assert store.load_events("nobody") == []

    def test_stale_writer_gets_conflict_and_changes_nothing(self, store: Store) -> None:
        _append(store, "case-1", 0, 2)
        with pytest.raises(ConflictError, match="case-1"):
            _append(store, "case-1", 1, 1, status="CHANGED")
        with pytest.raises(ConflictError):
            _append(store, "case-2", 5, 1)
        assert [e.seq for e in store.load_events("case-1")] == [1, 2]
        row = store.get_case("case-1")
        assert row is not None and row.status == "IN_REVIEW"
        assert store.get_case("case-2") is None

    def test_case_numbers_are_unique(self, store: Store) -> None:
        _append(store, "case-1", 0, case_number="2026-0001")
        with pytest.raises(ConflictError, match="2026-0001"):
            _append(store, "case-2", 0, case_number="2026-0001")
        assert store.get_case("case-2") is None
        _append(store, "case-1", 1, case_number="2026-0001")  # the same case may keep it

    def test_a_certificate_number_issued_or_voided_is_never_issued_again(
        self, store: Store
    ) -> None:
        """Through the engine: the register refuses a number it holds, naming its case, and
        voiding never frees one; the store's own unique key refuses it too."""
        from planning_core.cases import CERTIFICATE_REGISTER, IssueCertificate
        from planning_core.testing._bureau import make_bureau, permit_registry
        from planning_core.testing._cases import CaseFactory
        from planning_core.testing._clock import ManualClock
        from planning_core.testing._samples import sample_permit_type

        bureau = make_bureau(
            store, hooks=installed_plugins(), permit_types=permit_registry([sample_permit_type()])
        )
        cases = CaseFactory(bureau, ManualClock("2026-03-02T09:00:00+08:00"))
        first = cases.issued("TEST")
        taken = bureau.engine.load(first).certificate_number
        assert taken is not None
        entry = store.get_record(CERTIFICATE_REGISTER, taken)
        second = cases.decided("TEST")
        events = len(store.load_events(second))
        with pytest.raises(ConflictError, match=f"already issued to case .*{first}"):
            cases.execute(IssueCertificate(second, certificate_number=taken))
        assert store.get_record(CERTIFICATE_REGISTER, taken) == entry
        assert len(store.load_events(second)) == events
        cases.clock.advance(days=1)
        bureau.window.void_certificate(
            taken, "证件遗失，登报声明作废", bureau.actor("CERTIFICATE_CLERK"), cases.clock.now
        )
        with pytest.raises(ConflictError, match="already voided"):
            cases.execute(IssueCertificate(second, certificate_number=taken))
        assert store.get_record(CERTIFICATE_REGISTER, taken)["status"] == "void"  # type: ignore[index]
        with store.unit_of_work() as uow, pytest.raises(ConflictError):
            uow.insert_records(CERTIFICATE_REGISTER, {taken: {"case_id": second}})
        cases.execute(IssueCertificate(second))  # the next free number
        assert bureau.engine.load(second).certificate_number not in (None, taken)

    def test_projection_must_match_the_append(self, store: Store) -> None:
        with store.unit_of_work() as uow, pytest.raises(ValidationError):
            uow.append("case-1", 0, [{"n": 1}], make_case_row("case-1", 5))
        with store.unit_of_work() as uow, pytest.raises(ValidationError):
            uow.append("case-1", 0, [], make_case_row("case-1", 0))

    @settings(
        max_examples=25,
        deadline=None,
        # one method, run by each backend's subclass; each example uses a fresh case
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.differing_executors,
        ],
    )
    @given(rows=st.lists(_row_changes(), min_size=1, max_size=6), data=st.data())
    def test_each_append_leaves_exactly_its_projection(
        self, store: Store, rows: list[dict[str, object]], data: st.DataObject
    ) -> None:
        """Backends may write only what changed; what is read back is always the whole row."""
        case_id = f"case-{uuid.uuid4().hex}"  # a fresh case (and number) for each example
        for seq, changes in enumerate(rows, start=1):
            numbered = changes.pop("numbered")
            changes["case_number"] = f"{case_id}号" if numbered else None
            encoded = data.draw(st.booleans())
            event: JSON = {"n": seq, "名": "事件"}
            if encoded:  # the engine hands events over with their text; the object is stored
                event = EncodedDocument(event, f'{{ "名" : "事件", "n": {seq} }}')
            row = make_case_row(case_id, seq, **changes)  # type: ignore[arg-type]
            with store.unit_of_work() as uow:
                uow.append(case_id, seq - 1, [event], row)
                uow.commit()
            first: dict[tuple[str, str], WorkItem] = {}
            for item in row.work if row.is_open else ():
                first.setdefault((item.post, item.step_id), item)
            expected = attrs.evolve(row, work=tuple(first[k] for k in sorted(first)))
            assert store.get_case(case_id) == expected
            for post in {item.post for item in expected.work}:
                assert case_id in [r.case_id for r in store.inbox(post, limit=1000)]
        assert [e.data for e in store.load_events(case_id)] == [
            {"n": seq, "名": "事件"} for seq in range(1, len(rows) + 1)
        ]

    # -- queries --------------------------------------------------------------------------

    def test_inbox_by_post_soonest_first(self, store: Store) -> None:
        _append(store, "a", 0, work=(WorkItem("REVIEWER", "review", 300),))
        _append(store, "b", 0, work=(WorkItem("REVIEWER", "review", 100),))
        _append(store, "c", 0, work=(WorkItem("REVIEWER", "r2", None), WorkItem("WINDOW", "s", 5)))
        _append(store, "d", 0, work=(WorkItem("WINDOW", "s", 1),))
        _append(store, "e", 0, is_open=False, work=(WorkItem("REVIEWER", "review", 1),))
        assert [r.case_id for r in store.inbox("REVIEWER")] == ["b", "a", "c"]
        assert [r.case_id for r in store.inbox("WINDOW")] == ["d", "c"]
        assert [r.case_id for r in store.inbox("REVIEWER", limit=1)] == ["b"]
        assert store.inbox("NOBODY") == []
        row = store.get_case("c")
        assert row is not None
        assert set(row.work) == {WorkItem("REVIEWER", "r2", None), WorkItem("WINDOW", "s", 5)}
        _append(store, "b", 1, work=())
        assert [r.case_id for r in store.inbox("REVIEWER")] == ["a", "c"]

    def test_filters_deadlines_and_wake_times(self, store: Store) -> None:
        _append(store, "a", 0, deadline_ts=100, wake_ts=50, light="RED", permit_type="T1")
        _append(store, "b", 0, deadline_ts=200, wake_ts=150, permit_type="T2", month="2026-10")
        _append(store, "c", 0, deadline_ts=None, wake_ts=None, status="PAUSED")
        _append(store, "d", 0, deadline_ts=50, wake_ts=10, is_open=False, status="ISSUED")
        assert [r.case_id for r in store.due_before(200)] == ["a", "b"]
        assert [r.case_id for r in store.due_before(199)] == ["a"]
        assert [r.case_id for r in store.overdue(100)] == []
        assert [r.case_id for r in store.overdue(101)] == ["a"]
        assert [r.case_id for r in store.due_before(1000, limit=1)] == ["a"]
        assert [r.case_id for r in store.waking(150)] == ["a", "b"]
        assert [r.case_id for r in store.cases(light="RED")] == ["a"]
        assert [r.case_id for r in store.cases(status="PAUSED")] == ["c"]
        assert [r.case_id for r in store.cases(permit_type="T2")] == ["b"]
        assert [r.case_id for r in store.cases()] == ["a", "b", "c", "d"]
        assert store.open_case_ids() == ["a", "b", "c"]
        assert store.counts_by_type_and_month() == {
            ("T1", "2026-11"): 3,
            ("T2", "2026-10"): 1,
        }

    def test_pages_of_cases_and_of_the_sweeps_work_list(self, store: Store) -> None:
        for case_id, wake in (("e", 10), ("b", 10), ("d", 5), ("a", 20), ("c", None)):
            _append(store, case_id, 0, wake_ts=wake)
        _append(store, "f", 0, wake_ts=1, is_open=False)
        assert [r.case_id for r in store.cases(limit=2, after="b")] == ["c", "d"]
        assert [r.case_id for r in store.cases(after="e")] == ["f"]
        assert [r.case_id for r in store.iter_cases(batch=2)] == ["a", "b", "c", "d", "e", "f"]
        assert [r.case_id for r in store.waking(20)] == ["d", "b", "e", "a"]
        assert [r.case_id for r in store.waking(20, limit=2, after=(5, "d"))] == ["b", "e"]
        assert [r.case_id for r in store.waking(20, after=(10, "b"))] == ["e", "a"]
        assert [r.case_id for r in store.waking(15, after=(10, "e"))] == []
        with pytest.raises(ValidationError, match="batch"):
            next(store.iter_cases(batch=0))

    def test_histories_load_after_an_event_and_many_at_once(self, store: Store) -> None:
        _append(store, "甲", 0, 3)
        _append(store, "乙", 0, 1)
        assert [e.seq for e in store.load_events("甲", after=1)] == [2, 3]
        assert store.load_events("甲", after=3) == []
        assert [e.data["n"] for e in store.load_events("甲", after=2)] == [3]
        with pytest.raises(ValidationError, match="after"):
            store.load_events("甲", after=-1)
        many = store.load_histories(["乙", "甲", "无"])
        assert {k: [(e.seq, e.data["n"]) for e in v] for k, v in many.items()} == {
            "乙": [(1, 1)],
            "甲": [(1, 1), (2, 2), (3, 3)],
            "无": [],
        }
        assert store.load_histories([]) == {}

    # -- snapshots --------------------------------------------------------------------------

    def test_a_snapshot_is_written_with_its_append_and_read_back(self, store: Store) -> None:
        assert store.get_snapshot("c1") is None
        first = CaseSnapshot(2, "v1", {"状态": "审查中", "n": [1, 2], "deep": {"x": None}})
        with store.unit_of_work() as uow:
            uow.append("c1", 0, [{"n": 1}, {"n": 2}], make_case_row("c1", 2), first)
            uow.commit()
        assert store.get_snapshot("c1") == first
        # an append without one leaves the stored snapshot (still valid: the events stay)
        _append(store, "c1", 2)
        assert store.get_snapshot("c1") == first
        second = CaseSnapshot(3, "v2", {"状态": "待决定"})
        with store.unit_of_work() as uow:
            uow.append("c1", 3, [{"n": 4}], make_case_row("c1", 4), second)
            uow.commit()
        assert store.get_snapshot("c1") == second
        assert store.get_snapshot("unknown") is None
        read = store.get_snapshot("c1")
        assert read is not None
        read.data["状态"] = "changed by the caller"
        assert store.get_snapshot("c1") == second

    def test_the_case_head_is_the_last_event_and_the_snapshot(self, store: Store) -> None:
        assert store.get_case_head("c1") is None
        first = CaseSnapshot(2, "v1", {"状态": "审查中", "n": [1, 2]})
        with store.unit_of_work() as uow:
            uow.append("c1", 0, [{"n": 1}, {"n": 2}], make_case_row("c1", 2), first)
            uow.commit()
        assert store.get_case_head("c1") == CaseHead(2, first)
        _append(store, "c1", 2)  # an append without a snapshot: the stored one is behind
        assert store.get_case_head("c1") == CaseHead(3, first)
        _append(store, "c2", 0)
        assert store.get_case_head("c2") == CaseHead(1, None)
        for case_id in ("c1", "c2"):  # one read agrees with the two it replaces
            row = store.get_case(case_id)
            assert row is not None
            assert store.get_case_head(case_id) == CaseHead(
                row.last_seq, store.get_snapshot(case_id)
            )
        head = store.get_case_head("c1")
        assert head is not None and head.snapshot is not None
        head.snapshot.data["状态"] = "changed by the caller"
        assert store.get_case_head("c1") == CaseHead(3, first)

    def test_a_snapshot_is_kept_only_with_its_events(self, store: Store) -> None:
        _append(store, "c1", 0)
        snapshot = CaseSnapshot(2, "v1", {"n": 2})
        with store.unit_of_work() as uow:
            uow.append("c1", 1, [{"n": 2}], make_case_row("c1", 2), snapshot)
        assert store.get_snapshot("c1") is None  # not committed: neither is kept
        with store.unit_of_work() as uow:  # a conflicting append writes no snapshot either
            with pytest.raises(ConflictError):
                uow.append("c1", 0, [{"n": 1}], make_case_row("c1", 1), CaseSnapshot(1, "v", {}))
            uow.commit()
        assert store.get_snapshot("c1") is None
        assert [e.seq for e in store.load_events("c1")] == [1]

    def test_a_snapshot_must_cover_an_event_of_the_case(self, store: Store) -> None:
        bad: list[object] = [
            CaseSnapshot(3, "v1", {}),
            CaseSnapshot(0, "v1", {}),
            CaseSnapshot(1, "", {}),
            CaseSnapshot(1, "v1", [1]),  # type: ignore[arg-type]
            CaseSnapshot(1, "v1", {"x": float("nan")}),
            {"seq": 1},
        ]
        for snapshot in bad:
            with store.unit_of_work() as uow, pytest.raises(ValidationError, match="snapshot"):
                uow.append("c1", 0, [{"n": 1}, {"n": 2}], make_case_row("c1", 2), snapshot)  # type: ignore[arg-type]
            assert store.get_case("c1") is None and store.get_snapshot("c1") is None

    # -- several processes ----------------------------------------------------------------

    def test_concurrent_appenders_lose_nothing(self, store: Store, store_url: str) -> None:
        if not self.SHARED_ACROSS_PROCESSES:
            pytest.skip("this backend is not shared across processes")
        _append(store, "shared", 0)
        results = _run_workers(_append_worker, [(store_url, w, 25) for w in range(4)])
        assert sum(results) == 100
        events = store.load_events("shared")
        assert [e.seq for e in events] == list(range(1, 102))
        writers = [e.data.get("worker") for e in events[1:]]
        assert sorted(writers.count(w) for w in range(4)) == [25, 25, 25, 25]

    def test_concurrent_sequences_are_distinct_and_gap_free(
        self, store: Store, store_url: str
    ) -> None:
        if not self.SHARED_ACROSS_PROCESSES:
            pytest.skip("this backend is not shared across processes")
        results = _run_workers(_sequence_worker, [(store_url, 50) for _ in range(4)])
        numbers = sorted(n for batch in results for n in batch)
        assert numbers == list(range(1, 201))


def _run_workers(target: Callable[..., R], arg_list: list[tuple[object, ...]]) -> list[R]:
    """Run ``target`` once per argument tuple, each in its own fresh (spawned) process."""
    context = multiprocessing.get_context("spawn")
    with context.Pool(len(arg_list)) as pool:
        return pool.starmap(target, arg_list)


def _append_worker(url: str, worker: int, count: int) -> int:
    done = 0
    with open_store(url, installed_plugins()) as store:
        while done < count:
            row = store.get_case("shared")
            last = row.last_seq if row else 0
            try:
                with store.unit_of_work() as uow:
                    uow.append(
                        "shared",
                        last,
                        [{"worker": worker, "n": done}],
                        make_case_row("shared", last + 1),
                    )
                    uow.commit()
            except ConflictError:
                continue
            done += 1
    return done


def _booking_worker(url: str, attempts: int) -> int:
    booked = 0
    with open_store(url, installed_plugins()) as store:
        for _ in range(attempts):
            with store.unit_of_work() as uow:
                slot = uow.get_record("slots", "s1") or {"capacity": 5, "booked": 0}
                if slot["booked"] >= slot["capacity"]:
                    continue
                uow.put_records("slots", {"s1": {**slot, "booked": slot["booked"] + 1}})
                uow.commit()
                booked += 1
    return booked


def _sequence_worker(url: str, count: int) -> list[int]:
    taken = []
    with open_store(url, installed_plugins()) as store:
        for _ in range(count):
            with store.unit_of_work() as uow:
                taken.append(uow.next_sequence("cert:建字:2026"))
                uow.commit()
    return taken
