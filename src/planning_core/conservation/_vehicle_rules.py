"""The seed's four official-vehicle rules, one object each.

* 每年4月和9月领导上下班不派车 — :class:`LeaderCommuteMonthsRule`;
* 其余时间统一接送 — :class:`PooledCommuteRule`;
* 工作人员到市政府等机关办事骑自行车 — :class:`BicycleToNearbyOfficesRule`;
* 周末除特殊情况不安排公务用车 — :class:`NoWeekendTripsRule`.

"Weekend" is read as *any day that is not a working day* on the official calendar: a
statutory holiday on a weekday counts like a Saturday, and a make-up working Saturday (调休)
counts like a Monday. The rule asks the timing room's calendar, never the weekday alone.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Protocol

import attrs

from planning_core.conservation._fields import non_negative, positive, to_decimal
from planning_core.conservation._pooling import SharedPickup, pool_commutes
from planning_core.conservation._rules import expect
from planning_core.conservation._vehicles import Rank, TripKind, TripRequest
from planning_core.conservation._verdict import Description, Verdict
from planning_core.errors import ValidationError

__all__ = [
    "BicycleToNearbyOfficesRule",
    "LeaderCommuteMonthsRule",
    "NoWeekendTripsRule",
    "PooledCommuteRule",
    "WorkingDayCalendar",
]

BASIS = "政府机构节能示范模式: 公务用车 (the bureau's conservation programme, official vehicles)"
DEFAULT_ZONE = "Asia/Shanghai"

_LEADER_COMMUTE = Description(
    zh="每年4月和9月,领导上下班不派公务用车",
    en="In April and September leaders are not driven to and from work",
)

_POOLED = Description(
    zh="上下班用车实行统一接送",
    en="Commutes by official car are pooled into shared pick-ups",
)

_BICYCLE = Description(
    zh="工作人员到市政府等机关办事,距离较近的骑自行车,不派车",
    en="Staff ride bicycles, not official cars, to the city government and nearby offices",
)

_WEEKEND = Description(
    zh="周末(及法定节假日)除特殊情况外,不安排公务用车",
    en="No official car on weekends or public holidays except approved special cases",
)


class WorkingDayCalendar(Protocol):
    """The one question the weekend rule asks a calendar."""

    def is_working_day(self, day: dt.date) -> bool:
        """Whether ``day`` is a working day (make-up days included, holidays excluded)."""


def _china_calendar() -> WorkingDayCalendar:
    from planning_core.timing import calendar_for

    return calendar_for("CN")


def _months(value: Any) -> frozenset[int]:
    months = frozenset(int(m) for m in value)
    if not months <= set(range(1, 13)):
        raise ValidationError(f"months must be from 1 to 12, got {sorted(months)}")
    return months


def _local_date(trip: TripRequest, zone: str) -> dt.date:
    return trip.departure.in_timezone(zone).date()


def _trip(record: object, rule_id: str) -> TripRequest:
    return expect(record, TripRequest, rule_id)


@attrs.frozen(kw_only=True)
class LeaderCommuteMonthsRule:
    """No official car for leaders' commutes in the listed months (April and September).

    :param months: the months without commute service, 1-12.
    :param zone: the time zone in which the departure's month is read.
    """

    id: str = "vehicles.no-leader-commute-months"
    description: Description = _LEADER_COMMUTE
    basis: str = BASIS
    months: frozenset[int] = attrs.field(default=frozenset({4, 9}), converter=_months)
    zone: str = DEFAULT_ZONE

    def applies(self, record: object) -> bool:
        """Trip requests."""
        return isinstance(record, TripRequest)

    def check(self, record: object) -> Verdict:
        """Refuse a leader's commute in one of :attr:`months`."""
        trip = _trip(record, self.id)
        if trip.kind is not TripKind.COMMUTE or trip.rank is not Rank.LEADER:
            return Verdict.allowed("the rule concerns leaders' commutes only")
        day = _local_date(trip, self.zone)
        if day.month in self.months:
            listed = ", ".join(_MONTH_NAMES[m] for m in sorted(self.months))
            return Verdict.refused(
                f"{day.isoformat()} is in {_MONTH_NAMES[day.month]}; in {listed} leaders "
                f"go to and from work without an official car"
            )
        return Verdict.allowed(f"{_MONTH_NAMES[day.month]} is not a month without commute cars")


_MONTH_NAMES = {
    i: name
    for i, name in enumerate(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        start=1,
    )
}


@attrs.frozen(kw_only=True)
class PooledCommuteRule:
    """Commutes by official car are pooled: one car per route and time, shared.

    :param window_minutes: requests leaving within this many minutes of a pick-up's first
        departure, on the same route, share it.
    :param seats: passengers per car.
    """

    id: str = "vehicles.pooled-commute"
    description: Description = _POOLED
    basis: str = BASIS
    window_minutes: int = attrs.field(default=15, validator=non_negative)
    seats: int = attrs.field(default=4, validator=positive)

    def applies(self, record: object) -> bool:
        """Trip requests."""
        return isinstance(record, TripRequest)

    def check(self, record: object) -> Verdict:
        """Allow a commute only as part of a shared pick-up (the ``pooled`` condition)."""
        trip = _trip(record, self.id)
        if trip.kind is not TripKind.COMMUTE:
            return Verdict.allowed("a business trip is not pooled")
        return Verdict.allowed(
            f"pooled: rides in the shared pick-up from {trip.origin} to {trip.destination} "
            f"with others leaving within {self.window_minutes} minutes, up to {self.seats} "
            f"passengers a car",
            "pooled",
        )

    def pool(self, requests: list[TripRequest]) -> list[SharedPickup]:
        """Group commute requests into shared pick-ups with this rule's window and seats."""
        return pool_commutes(requests, window_minutes=self.window_minutes, seats=self.seats)


@attrs.frozen(kw_only=True)
class BicycleToNearbyOfficesRule:
    """Staff go by bicycle, not by car, to government offices within a distance.

    A special case approved by a leader (heavy files, bad weather) may still take a car.

    :param max_distance_km: offices at most this far (one way) are reached by bicycle.
    """

    id: str = "vehicles.bicycle-to-nearby-offices"
    description: Description = _BICYCLE
    basis: str = BASIS
    max_distance_km: Decimal = attrs.field(
        default=Decimal(3), converter=to_decimal, validator=non_negative
    )

    def applies(self, record: object) -> bool:
        """Trip requests."""
        return isinstance(record, TripRequest)

    def check(self, record: object) -> Verdict:
        """Refuse a staff business trip by car to a government office within reach."""
        trip = _trip(record, self.id)
        if trip.rank is not Rank.STAFF or trip.kind is not TripKind.BUSINESS:
            return Verdict.allowed("the rule concerns staff business trips only")
        if not trip.to_government_office:
            return Verdict.allowed(f"{trip.destination} is not a government office")
        if trip.distance_km is None:
            return Verdict.needs_approval(
                f"the distance to {trip.destination} is not given; give it, or ask a leader"
            )
        if trip.distance_km > self.max_distance_km:
            return Verdict.allowed(
                f"{trip.destination} is {trip.distance_km} km away, beyond the "
                f"{self.max_distance_km} km bicycle distance"
            )
        return _special_case(
            trip,
            f"{trip.destination} is {trip.distance_km} km away, within {self.max_distance_km} "
            f"km: ride a bicycle, not an official car",
        )


@attrs.frozen(kw_only=True)
class NoWeekendTripsRule:
    """No official car on a non-working day unless the trip is special and approved.

    :param calendar: answers whether a date is a working day; by default the official
        China calendar of :func:`planning_core.timing.calendar_for`, so make-up Saturdays
        are working days and statutory holidays are not.
    :param zone: the time zone in which the departure's date is read.
    """

    id: str = "vehicles.no-weekend-trips"
    description: Description = _WEEKEND
    basis: str = BASIS
    calendar: WorkingDayCalendar = attrs.field(factory=_china_calendar, eq=False)
    zone: str = DEFAULT_ZONE

    def applies(self, record: object) -> bool:
        """Trip requests."""
        return isinstance(record, TripRequest)

    def check(self, record: object) -> Verdict:
        """Refuse a non-working-day trip; a special one needs a leader's approval."""
        trip = _trip(record, self.id)
        day = _local_date(trip, self.zone)
        if self.calendar.is_working_day(day):
            return Verdict.allowed(f"{day.isoformat()} is a working day")
        return _special_case(
            trip,
            f"{day.isoformat()} ({day.strftime('%A')}) is not a working day: no official car "
            f"unless the trip is a special case approved by a leader",
        )


def _special_case(trip: TripRequest, refusal: str) -> Verdict:
    """Refused, unless marked special: then allowed once approved, else needs approval."""
    if not trip.special:
        return Verdict.refused(refusal)
    if trip.approved_by:
        return Verdict.allowed(f"special case approved by {trip.approved_by}")
    return Verdict.needs_approval(
        f"marked as a special case; a leader must approve it first ({refusal})"
    )
