"""The seed's official-vehicle rules: commutes, pooling, bicycles, weekends."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planning_core.conservation import (
    BicycleToNearbyOfficesRule,
    ConservationRule,
    LeaderCommuteMonthsRule,
    NoWeekendTripsRule,
    Outcome,
    PooledCommuteRule,
    Rank,
    TripKind,
    TripRequest,
    assess,
    pool_commutes,
)
from planning_core.errors import ValidationError

MakeTrip = Callable[..., TripRequest]


def _leader_commute(make_trip: MakeTrip, departure: str, **changes: object) -> TripRequest:
    fields: dict[str, object] = {
        "requester": "张局长",
        "rank": Rank.LEADER,
        "kind": TripKind.COMMUTE,
        "purpose": "上班",
        "departure": departure,
        "origin": "家属院",
        "destination": "规划局",
    }
    return make_trip(**{**fields, **changes})


# -- leaders' commutes in April and September, pooled otherwise ---------------------------


def test_leader_commute_on_15_april_is_refused(
    make_trip: MakeTrip, rules: list[ConservationRule]
) -> None:
    assessment = assess(_leader_commute(make_trip, "2026-04-15T07:40:00+08:00"), rules)
    assert assessment.outcome is Outcome.REFUSED
    verdict = assessment.result("vehicles.no-leader-commute-months").verdict
    assert verdict.outcome is Outcome.REFUSED
    assert "April" in verdict.reason


def test_leader_commute_on_15_may_is_pooled(
    make_trip: MakeTrip, rules: list[ConservationRule]
) -> None:
    assessment = assess(_leader_commute(make_trip, "2026-05-15T07:40:00+08:00"), rules)
    assert assessment.outcome is Outcome.ALLOWED
    assert assessment.conditions == ("pooled",)
    assert "pooled" in assessment.result("vehicles.pooled-commute").verdict.reason


def test_may_commutes_on_one_route_share_a_pickup(make_trip: MakeTrip) -> None:
    director = _leader_commute(make_trip, "2026-05-15T07:40:00+08:00", request_id="C-1")
    deputy = _leader_commute(
        make_trip, "2026-05-15T07:50:00+08:00", request_id="C-2", requester="李副局长"
    )
    late = _leader_commute(make_trip, "2026-05-15T08:30:00+08:00", request_id="C-3")
    other_route = _leader_commute(
        make_trip, "2026-05-15T07:45:00+08:00", request_id="C-4", origin="新区"
    )
    pickups = PooledCommuteRule().pool([late, deputy, other_route, director])
    assert [p.request_ids for p in pickups] == [("C-1", "C-2"), ("C-4",), ("C-3",)]
    assert pickups[0].departure == pendulum.parse("2026-05-15T07:40:00+08:00")
    assert pickups[0].passengers == 2


def test_september_is_refused_too_and_the_months_are_configurable(make_trip: MakeTrip) -> None:
    rule = LeaderCommuteMonthsRule()
    september = _leader_commute(make_trip, "2026-09-08T07:40:00+08:00")
    assert rule.check(september).outcome is Outcome.REFUSED
    summer_city = attrs.evolve(rule, months={7, 8})
    assert summer_city.check(september).outcome is Outcome.ALLOWED
    assert (
        summer_city.check(_leader_commute(make_trip, "2026-07-08T07:40:00+08:00")).outcome
        is Outcome.REFUSED
    )


def test_month_is_read_in_the_bureau_time_zone(make_trip: MakeTrip) -> None:
    # 2026-04-30T16:30Z is 00:30 on 1 May in Beijing: not April any more.
    trip = _leader_commute(make_trip, "2026-04-30T16:30:00+00:00")
    assert LeaderCommuteMonthsRule().check(trip).outcome is Outcome.ALLOWED
    assert attrs.evolve(LeaderCommuteMonthsRule(), zone="UTC").check(trip).outcome is (
        Outcome.REFUSED
    )


def test_staff_commute_in_april_is_not_a_leader_commute(make_trip: MakeTrip) -> None:
    trip = make_trip(kind=TripKind.COMMUTE, departure="2026-04-15T07:40:00+08:00")
    assert LeaderCommuteMonthsRule().check(trip).outcome is Outcome.ALLOWED


def test_months_outside_1_to_12_are_refused() -> None:
    with pytest.raises(ValidationError, match="13"):
        LeaderCommuteMonthsRule(months={4, 13})


_instants = st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2040, 12, 31)
).map(lambda d: pendulum.instance(d, tz="Asia/Shanghai"))


@given(departure=_instants, months=st.frozensets(st.integers(1, 12)))
def test_leader_commute_is_refused_exactly_in_the_listed_months(
    departure: pendulum.DateTime, months: frozenset[int]
) -> None:
    trip = TripRequest(
        request_id="C",
        requester="张局长",
        rank=Rank.LEADER,
        kind=TripKind.COMMUTE,
        purpose="上班",
        departure=departure,
        origin="家属院",
        destination="规划局",
    )
    refused = LeaderCommuteMonthsRule(months=months).check(trip).outcome is Outcome.REFUSED
    assert refused == (departure.month in months)


# -- pooling invariants ---------------------------------------------------------------------

_requests = st.lists(
    st.builds(
        lambda i, origin, minutes, passengers: TripRequest(
            request_id=f"R{i:03d}",
            requester="某人",
            rank=Rank.STAFF,
            kind=TripKind.COMMUTE,
            purpose="上班",
            departure=pendulum.datetime(2026, 5, 15, 7, tz="Asia/Shanghai").add(minutes=minutes),
            origin=origin,
            destination="规划局",
            passengers=passengers,
        ),
        st.integers(0, 999),
        st.sampled_from(["家属院", "新区", "老城"]),
        st.integers(0, 120),
        st.integers(1, 4),
    ),
    unique_by=lambda r: r.request_id,
    max_size=30,
)


@given(requests=_requests, window=st.integers(0, 60), seats=st.integers(4, 7))
def test_every_commute_rides_in_exactly_one_pickup_within_window_and_seats(
    requests: list[TripRequest], window: int, seats: int
) -> None:
    pickups = pool_commutes(requests, window_minutes=window, seats=seats)
    served = [rid for p in pickups for rid in p.request_ids]
    assert sorted(served) == sorted(r.request_id for r in requests)
    by_id = {r.request_id: r for r in requests}
    for pickup in pickups:
        members = [by_id[rid] for rid in pickup.request_ids]
        assert {(m.origin, m.destination) for m in members} == {(pickup.origin, pickup.destination)}
        assert pickup.departure == min(m.departure for m in members)
        assert all(m.departure - pickup.departure <= dt.timedelta(minutes=window) for m in members)
        assert pickup.passengers == sum(m.passengers for m in members) <= seats


@given(requests=_requests)
def test_pooling_does_not_depend_on_the_order_of_requests(requests: list[TripRequest]) -> None:
    assert pool_commutes(requests) == pool_commutes(list(reversed(requests)))


def test_a_request_larger_than_a_car_is_named(make_trip: MakeTrip) -> None:
    big = make_trip(request_id="BIG", kind=TripKind.COMMUTE, passengers=6)
    with pytest.raises(ValidationError, match="BIG"):
        pool_commutes([big], seats=4)


def test_business_trips_are_not_pooled(make_trip: MakeTrip) -> None:
    assert pool_commutes([make_trip()]) == []
    assert PooledCommuteRule().check(make_trip()).conditions == ()


# -- bicycles to nearby offices ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("distance", "expected"),
    [("0.8", Outcome.REFUSED), ("3", Outcome.REFUSED), ("3.1", Outcome.ALLOWED)],
)
def test_staff_go_by_bicycle_to_the_city_government_within_3_km(
    make_trip: MakeTrip, distance: str, expected: Outcome
) -> None:
    trip = make_trip(to_government_office=True, distance_km=distance)
    verdict = BicycleToNearbyOfficesRule().check(trip)
    assert verdict.outcome is expected
    if expected is Outcome.REFUSED:
        assert "bicycle" in verdict.reason


def test_bicycle_distance_is_a_parameter(make_trip: MakeTrip) -> None:
    trip = make_trip(to_government_office=True, distance_km="4.5")
    assert BicycleToNearbyOfficesRule().check(trip).outcome is Outcome.ALLOWED
    wider = BicycleToNearbyOfficesRule(max_distance_km=Decimal(5))
    assert wider.check(trip).outcome is Outcome.REFUSED


def test_bicycle_rule_leaves_leaders_and_other_destinations_alone(make_trip: MakeTrip) -> None:
    rule = BicycleToNearbyOfficesRule()
    leader = make_trip(rank=Rank.LEADER, to_government_office=True, distance_km="1")
    site_visit = make_trip(destination="建设工地", distance_km="1")
    assert rule.check(leader).outcome is Outcome.ALLOWED
    assert rule.check(site_visit).outcome is Outcome.ALLOWED


def test_unknown_distance_to_an_office_needs_approval(make_trip: MakeTrip) -> None:
    trip = make_trip(to_government_office=True)
    assert BicycleToNearbyOfficesRule().check(trip).outcome is Outcome.NEEDS_APPROVAL


# -- no trips on non-working days -------------------------------------------------------------


def test_saturday_trip_is_refused(make_trip: MakeTrip, rules: list[ConservationRule]) -> None:
    saturday = make_trip(departure="2026-05-16T09:00:00+08:00")
    assessment = assess(saturday, rules)
    assert assessment.outcome is Outcome.REFUSED
    assert "not a working day" in assessment.result("vehicles.no-weekend-trips").verdict.reason


def test_saturday_trip_marked_special_needs_approval(
    make_trip: MakeTrip, rules: list[ConservationRule]
) -> None:
    saturday = make_trip(departure="2026-05-16T09:00:00+08:00", special=True)
    assert assess(saturday, rules).outcome is Outcome.NEEDS_APPROVAL


def test_saturday_trip_special_and_approved_is_allowed(
    make_trip: MakeTrip, rules: list[ConservationRule]
) -> None:
    saturday = make_trip(departure="2026-05-16T09:00:00+08:00", special=True, approved_by="赵局长")
    assessment = assess(saturday, rules)
    assert assessment.outcome is Outcome.ALLOWED
    assert "赵局长" in assessment.result("vehicles.no-weekend-trips").verdict.reason


def test_approval_without_the_special_mark_does_not_count(make_trip: MakeTrip) -> None:
    saturday = make_trip(departure="2026-05-16T09:00:00+08:00", approved_by="赵局长")
    assert NoWeekendTripsRule().check(saturday).outcome is Outcome.REFUSED


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2026-05-09", Outcome.ALLOWED),  # Saturday, make-up working day after Labour Day
        ("2026-02-14", Outcome.ALLOWED),  # Saturday, make-up working day before Spring Festival
        ("2026-10-01", Outcome.REFUSED),  # Thursday, National Day
        ("2026-05-04", Outcome.REFUSED),  # Monday, Labour Day holiday
        ("2026-05-13", Outcome.ALLOWED),  # an ordinary Wednesday
        ("2026-05-17", Outcome.REFUSED),  # an ordinary Sunday
    ],
)
def test_weekend_means_non_working_day_on_the_official_calendar(
    make_trip: MakeTrip, day: str, expected: Outcome
) -> None:
    trip = make_trip(departure=f"{day}T09:00:00+08:00")
    assert NoWeekendTripsRule().check(trip).outcome is expected


class _EveryDayWorks:
    def is_working_day(self, day: dt.date) -> bool:
        return True


def test_weekend_rule_asks_the_calendar_it_is_given(make_trip: MakeTrip) -> None:
    sunday = make_trip(departure="2026-05-17T09:00:00+08:00")
    assert NoWeekendTripsRule(calendar=_EveryDayWorks()).check(sunday).outcome is Outcome.ALLOWED


def test_a_naive_departure_is_refused(make_trip: MakeTrip) -> None:
    with pytest.raises(ValidationError, match="time zone"):
        make_trip(departure=dt.datetime(2026, 5, 13, 9))


def test_a_rule_given_the_wrong_record_says_so(make_meal: Callable[..., object]) -> None:
    with pytest.raises(ValidationError, match="checks a TripRequest"):
        NoWeekendTripsRule().check(make_meal(3, 1))
