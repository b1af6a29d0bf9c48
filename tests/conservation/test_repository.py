"""Records in the store: round trips, one all-or-nothing batch, schema versions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planning_core.conservation import (
    COLLECTIONS,
    ConservationRepository,
    ConsumptionRecord,
    EquipmentItem,
    FixtureKind,
    FixtureMaintenance,
    MaintenanceRecord,
    PrintLog,
    Rank,
    ReceptionMeal,
    RemovedAppliance,
    Requisition,
    RequisitionLine,
    Resource,
    RetrofitProject,
    ReturnedItem,
    SiteProfile,
    Target,
    TravelClaim,
    TripKind,
    TripRequest,
    Vehicle,
)
from planning_core.errors import NotFoundError, SchemaVersionError, ValidationError
from planning_core.plugins import Hooks
from planning_core.serialization import dump, load, make_converter
from planning_core.storage import Store, open_store


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path, hooks: Hooks) -> Iterator[Store]:
    url = "memory://" if request.param == "memory" else f"sqlite:///{tmp_path / 'c.db'}"
    with open_store(url, hooks) as opened:
        yield opened


def test_consumption_round_trips_and_lists_by_year(
    store: Store, consumption: list[ConsumptionRecord]
) -> None:
    repository = ConservationRepository(store)
    assert repository.save(consumption) == len(consumption)
    assert sorted(repository.consumption(), key=lambda r: r.key) == sorted(
        consumption, key=lambda r: r.key
    )
    only_2026 = repository.consumption([2026])
    assert {r.year for r in only_2026} == {2026}
    assert len(only_2026) == len(consumption) // 2


def test_recording_the_same_month_again_replaces_it(store: Store) -> None:
    repository = ConservationRepository(store)
    first = ConsumptionRecord(
        year=2026, month=4, site="办公楼", resource=Resource.WATER, amount="430"
    )
    corrected = ConsumptionRecord(
        year=2026, month=4, site="办公楼", resource=Resource.WATER, amount="413.5"
    )
    repository.save([first])
    repository.save([corrected])
    assert repository.consumption([2026]) == [corrected]
    assert repository.get(ConsumptionRecord, first.key).amount == Decimal("413.5")


def test_a_batch_with_a_foreign_record_writes_nothing(store: Store) -> None:
    repository = ConservationRepository(store)
    record = ConsumptionRecord(
        year=2026, month=4, site="办公楼", resource=Resource.WATER, amount="430"
    )
    with pytest.raises(ValidationError, match="keeps no str"):
        repository.save([record, "not a record"])  # type: ignore[list-item]
    assert repository.consumption() == []


def test_a_batch_across_kinds_is_one_transaction(store: Store) -> None:
    repository = ConservationRepository(store)
    site = SiteProfile(year=2026, site="办公楼", headcount=86, floor_area_m2="5200.5")
    target = Target(
        year=2026, resource=Resource.ELECTRICITY, baseline_year=2025, reduction_percent="3"
    )
    assert repository.save([site, target]) == 2
    assert repository.records(SiteProfile, "2026/") == [site]
    assert repository.get(Target, "2026/electricity") == target


def test_unknown_key_is_named(store: Store) -> None:
    with pytest.raises(NotFoundError, match="'2026/gas'"):
        ConservationRepository(store).get(Target, "2026/gas")


def test_a_document_from_a_newer_release_is_refused(store: Store) -> None:
    store.put_records("conservation.targets", {"2026/water": {"schema_version": 2, "record": {}}})
    with pytest.raises(SchemaVersionError, match="upgrade planning_core"):
        ConservationRepository(store).get(Target, "2026/water")


def test_documents_are_stored_as_plain_json_with_chinese_kept(store: Store) -> None:
    ConservationRepository(store).save(
        [SiteProfile(year=2026, site="档案楼", headcount=12, floor_area_m2="1800")]
    )
    document = store.get_record("conservation.sites", "2026/档案楼")
    assert document == {
        "schema_version": 1,
        "record": {"year": 2026, "site": "档案楼", "headcount": 12, "floor_area_m2": "1800"},
    }


# -- every kind round-trips through the converter and the store ---------------------------

_text = st.text(alphabet="规划局办公楼张王李科员ABC123-", min_size=1, max_size=12)
_money = st.decimals(min_value=0, max_value=10**8, places=2, allow_nan=False)
_dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31)).map(
    lambda d: pendulum.date(d.year, d.month, d.day)
)
_instants = st.datetimes(
    min_value=dt.datetime(2000, 1, 1),
    max_value=dt.datetime(2040, 12, 31),
    timezones=st.sampled_from([dt.UTC, pendulum.timezone("Asia/Shanghai")]),
).map(pendulum.instance)
_lines = st.lists(
    st.builds(RequisitionLine, item=_text, quantity=_money.filter(bool), unit=_text),
    min_size=1,
    max_size=3,
)

_STRATEGIES: dict[type, st.SearchStrategy[Any]] = {
    ConsumptionRecord: st.builds(
        ConsumptionRecord,
        year=st.integers(2000, 2040),
        month=st.integers(1, 12),
        site=_text,
        resource=st.sampled_from(Resource),
        amount=_money,
    ),
    SiteProfile: st.builds(
        SiteProfile,
        year=st.integers(2000, 2040),
        site=_text,
        headcount=st.integers(1, 5000),
        floor_area_m2=_money.filter(bool),
    ),
    Target: st.builds(
        Target,
        year=st.integers(2001, 2040),
        resource=st.sampled_from(Resource),
        baseline_year=st.just(2000),
        reduction_percent=st.decimals(min_value=0, max_value=100, places=1),
    ),
    RetrofitProject: st.builds(
        RetrofitProject,
        project_id=_text,
        item=_text,
        site=_text,
        resource=st.sampled_from(Resource),
        completed_on=_dates,
        cost=_money,
        expected_annual_saving=_money,
    ),
    Vehicle: st.builds(
        Vehicle, plate=_text, model=_text, seats=st.integers(1, 50), odometer_km=_money
    ),
    TripRequest: st.builds(
        TripRequest,
        request_id=_text,
        requester=_text,
        rank=st.sampled_from(Rank),
        kind=st.sampled_from(TripKind),
        purpose=_text,
        departure=_instants,
        origin=_text,
        destination=_text,
        passengers=st.integers(1, 7),
        distance_km=st.none() | _money,
        to_government_office=st.booleans(),
        special=st.booleans(),
        approved_by=st.none() | _text,
    ),
    MaintenanceRecord: st.builds(
        lambda plate, done_on, km: MaintenanceRecord(
            plate=plate,
            done_on=done_on,
            odometer_km=km,
            work="保养",
            next_due_on=done_on.add(months=6),
            next_due_km=km + 5000,
        ),
        _text,
        _dates,
        _money,
    ),
    EquipmentItem: st.builds(
        EquipmentItem,
        equipment_id=_text,
        name=_text,
        kind=_text,
        place=_text,
        power_w=_money,
        efficiency_grade=st.none() | st.integers(1, 5),
        privately_installed=st.booleans(),
        owner=st.none() | _text,
    ),
    RemovedAppliance: st.builds(
        RemovedAppliance,
        equipment_id=_text,
        name=_text,
        place=_text,
        owner=_text,
        removed_on=_dates,
        notice_of_criticism=_text,
    ),
    FixtureMaintenance: st.builds(
        FixtureMaintenance,
        record_id=_text,
        place=_text,
        fixture=st.sampled_from(FixtureKind),
        done_on=_dates,
        work=_text,
        replaced=st.booleans(),
        cost=_money,
    ),
    Requisition: st.builds(
        Requisition,
        requisition_id=_text,
        requester=_text,
        division=_text,
        requested_on=_dates,
        lines=_lines,
        headcount=st.integers(1, 200),
        workload_factor=st.decimals(min_value="0.1", max_value=5, places=2),
        issued_this_month=_lines,
    ),
    PrintLog: st.builds(
        PrintLog,
        division=_text,
        year=st.integers(2000, 2040),
        month=st.integers(1, 12),
        single_sided_sheets=st.integers(0, 10**6),
        double_sided_sheets=st.integers(0, 10**6),
    ),
    TravelClaim: st.builds(
        lambda start, days, **kw: TravelClaim(start=start, end=start.add(days=days), **kw),
        start=_dates,
        days=st.integers(0, 30),
        claim_id=_text,
        claimant=_text,
        rank=st.sampled_from(Rank),
        destination=_text,
        region=_text,
        lodging=_money,
        meals=_money,
        transport_class=_text,
        fares=_money,
        sightseeing=st.booleans(),
    ),
    ReceptionMeal: st.builds(
        ReceptionMeal,
        meal_id=_text,
        host=_text,
        on=_dates,
        guests=st.integers(1, 100),
        companions=st.integers(0, 100),
        cost=_money,
        items_returned=st.lists(
            st.builds(
                ReturnedItem,
                description=_text,
                value=_money,
                returned_to=_text,
                returned_on=_dates,
            ),
            max_size=2,
        ),
    ),
}


def test_every_kept_kind_has_a_strategy() -> None:
    assert set(_STRATEGIES) == set(COLLECTIONS)


@pytest.mark.parametrize("kind", list(_STRATEGIES), ids=lambda k: k.__name__)
def test_every_kind_round_trips_through_the_converter(kind: type) -> None:
    converter = make_converter()

    @given(record=_STRATEGIES[kind])
    def round_trip(record: Any) -> None:
        assert load(converter, dump(converter, record), kind) == record

    round_trip()


@pytest.mark.parametrize("kind", list(_STRATEGIES), ids=lambda k: k.__name__)
def test_every_kind_round_trips_through_the_store(kind: type, hooks: Hooks) -> None:
    @given(record=_STRATEGIES[kind])
    def round_trip(record: Any) -> None:
        with open_store("memory://", hooks) as store:
            repository = ConservationRepository(store)
            repository.save([record])
            assert repository.get(kind, record.key) == record

    round_trip()


@pytest.mark.parametrize("kind", ["retrofit", "retrofits", "RetrofitProject", " Retrofits "])
def test_a_kind_may_be_named_instead_of_given_as_a_class(store: Store, kind: str) -> None:
    repository = ConservationRepository(store)
    project = RetrofitProject(
        project_id="R-2026-01",
        item="办公楼LED照明改造",
        site="办公楼",
        resource=Resource.ELECTRICITY,
        completed_on="2026-05-20",
        cost="86000",
        expected_annual_saving="18000",
    )
    repository.save([project])
    assert repository.records(kind) == [project]
    assert repository.get(kind, project.key) == project


@pytest.mark.parametrize("kind", ["gas", 42])
def test_an_unknown_kind_is_refused_with_the_kinds_kept(store: Store, kind: Any) -> None:
    with pytest.raises(ValidationError, match=r"keeps no .*; give a record class or one of"):
        ConservationRepository(store).records(kind)
