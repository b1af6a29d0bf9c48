"""Official vehicles (公务用车): the fleet, trip requests and maintenance records."""

from __future__ import annotations

import enum
from decimal import Decimal

import attrs
import pendulum

from planning_core.conservation._fields import (
    non_empty,
    non_negative,
    optional_date,
    positive,
    to_date,
    to_decimal,
    to_instant,
)
from planning_core.errors import ValidationError

__all__ = [
    "MaintenanceRecord",
    "Rank",
    "ServiceInterval",
    "TripKind",
    "TripRequest",
    "Vehicle",
]


class Rank(enum.Enum):
    """Whether the traveller is a leader (领导) or staff (工作人员): the rules differ."""

    LEADER = "leader"
    STAFF = "staff"


class TripKind(enum.Enum):
    """A commute (上下班) or a business trip (公务出行)."""

    COMMUTE = "commute"
    BUSINESS = "business"


@attrs.frozen
class Vehicle:
    """One car of the bureau's fleet.

    :param plate: the licence plate, the vehicle's key (e.g. ``冀B·12345``).
    :param seats: passenger seats, which cap a shared pick-up.
    """

    plate: str = attrs.field(validator=non_empty)
    model: str = attrs.field(validator=non_empty)
    seats: int = attrs.field(validator=positive)
    odometer_km: Decimal = attrs.field(converter=to_decimal, validator=non_negative)

    @property
    def key(self) -> str:
        """The storage key."""
        return self.plate


@attrs.frozen(kw_only=True)
class TripRequest:
    """A request to use an official car, checked by the vehicle rules before the trip.

    :param departure: when the car leaves; timezone-aware (the rules read the local date).
    :param passengers: people travelling, the requester included.
    :param distance_km: one-way distance, needed by the bicycle rule for trips to offices.
    :param to_government_office: the destination is the city government or another
        government office (the seed's bicycle rule is about these destinations).
    :param special: the requester marks the trip as a special case (特殊情况).
    :param approved_by: the leader who approved the special case, if anyone has.
    """

    request_id: str = attrs.field(validator=non_empty)
    requester: str = attrs.field(validator=non_empty)
    rank: Rank
    kind: TripKind
    purpose: str = attrs.field(validator=non_empty)
    departure: pendulum.DateTime = attrs.field(converter=to_instant)
    origin: str = attrs.field(validator=non_empty)
    destination: str = attrs.field(validator=non_empty)
    passengers: int = attrs.field(default=1, validator=positive)
    distance_km: Decimal | None = attrs.field(
        default=None,
        converter=attrs.converters.optional(to_decimal),
        validator=non_negative,
    )
    to_government_office: bool = False
    special: bool = False
    approved_by: str | None = None

    @property
    def key(self) -> str:
        """The storage key."""
        return self.request_id


@attrs.frozen
class ServiceInterval:
    """How often a car is serviced: whichever of the two comes first (延长使用寿命)."""

    months: int = attrs.field(default=6, validator=positive)
    km: Decimal = attrs.field(default=Decimal(5000), converter=to_decimal, validator=positive)

    def next_service(
        self, plate: str, done_on: pendulum.Date, odometer_km: Decimal, work: str
    ) -> MaintenanceRecord:
        """The record of a service done today, with the next one due by date and mileage."""
        return MaintenanceRecord(
            plate=plate,
            done_on=done_on,
            odometer_km=odometer_km,
            work=work,
            next_due_on=done_on.add(months=self.months),
            next_due_km=odometer_km + self.km,
        )


@attrs.frozen(kw_only=True)
class MaintenanceRecord:
    """A service done on a car, and when the next one falls due."""

    plate: str = attrs.field(validator=non_empty)
    done_on: pendulum.Date = attrs.field(converter=to_date)
    odometer_km: Decimal = attrs.field(converter=to_decimal, validator=non_negative)
    work: str = attrs.field(validator=non_empty)
    next_due_on: pendulum.Date | None = attrs.field(default=None, converter=optional_date)
    next_due_km: Decimal | None = attrs.field(
        default=None, converter=attrs.converters.optional(to_decimal)
    )

    def __attrs_post_init__(self) -> None:
        if self.next_due_on is None and self.next_due_km is None:
            raise ValidationError(
                f"maintenance of {self.plate} on {self.done_on} needs the next service "
                f"due date, due mileage, or both"
            )
        if self.next_due_on is not None and self.next_due_on <= self.done_on:
            raise ValidationError(
                f"next service of {self.plate} on {self.next_due_on} must be after "
                f"the service on {self.done_on}"
            )
        if self.next_due_km is not None and self.next_due_km <= self.odometer_km:
            raise ValidationError(
                f"next service of {self.plate} at {self.next_due_km} km must be beyond "
                f"the odometer reading {self.odometer_km} km"
            )

    @property
    def key(self) -> str:
        """The storage key: plate and date, so a car's history lists in order."""
        return f"{self.plate}/{self.done_on.isoformat()}"

    def is_due(self, on: pendulum.Date, odometer_km: Decimal) -> bool:
        """Whether the next service is due on ``on`` at ``odometer_km``, whichever first."""
        by_date = self.next_due_on is not None and on >= self.next_due_on
        by_km = self.next_due_km is not None and odometer_km >= self.next_due_km
        return by_date or by_km
