"""Consumables (办公用品): requisitions, quotas, and print and copy logs.

A requisition moves requested → approved (by a leader) → registered → issued, each step a
method returning a new value, so a half-done step cannot leave it in between.
"""

from __future__ import annotations

import enum
from decimal import ROUND_HALF_UP, Decimal

import attrs
import pendulum

from planning_core.conservation._fields import (
    at_least_one,
    month_number,
    non_empty,
    non_negative,
    optional_date,
    positive,
    to_date,
    to_decimal,
)
from planning_core.errors import InvalidStateError, ValidationError

__all__ = [
    "PrintLog",
    "Quota",
    "Requisition",
    "RequisitionLine",
    "RequisitionStatus",
]


class RequisitionStatus(enum.Enum):
    """Where a requisition stands: 申领 → 领导审批 → 登记 → 发放."""

    REQUESTED = "requested"
    APPROVED = "approved"
    REGISTERED = "registered"
    ISSUED = "issued"


@attrs.frozen
class RequisitionLine:
    """One item of a requisition (or of what was issued before, for quotas)."""

    item: str = attrs.field(validator=non_empty)
    quantity: Decimal = attrs.field(converter=to_decimal, validator=positive)
    unit: str = attrs.field(validator=non_empty)


def _tuple_of_lines(value: object) -> tuple[RequisitionLine, ...]:
    if not isinstance(value, list | tuple):
        raise ValidationError(f"expected a list of requisition lines, got {value!r}")
    return tuple(value)


@attrs.frozen(kw_only=True)
class Requisition:
    """A request for office supplies.

    :param headcount: people in the requesting division, which scales its quota.
    :param workload_factor: the division's workload against the norm (1 = normal), which
        scales its quota too (按工作量发放).
    :param issued_this_month: what the division was already issued this month, which
        counts against its quota.
    """

    requisition_id: str = attrs.field(validator=non_empty)
    requester: str = attrs.field(validator=non_empty)
    division: str = attrs.field(validator=non_empty)
    requested_on: pendulum.Date = attrs.field(converter=to_date)
    lines: tuple[RequisitionLine, ...] = attrs.field(
        converter=_tuple_of_lines, validator=at_least_one
    )
    headcount: int = attrs.field(default=1, validator=positive)
    workload_factor: Decimal = attrs.field(
        default=Decimal(1), converter=to_decimal, validator=positive
    )
    issued_this_month: tuple[RequisitionLine, ...] = attrs.field(
        default=(), converter=_tuple_of_lines
    )
    status: RequisitionStatus = RequisitionStatus.REQUESTED
    approved_by: str | None = None
    registered_on: pendulum.Date | None = attrs.field(default=None, converter=optional_date)
    issued_on: pendulum.Date | None = attrs.field(default=None, converter=optional_date)

    @property
    def key(self) -> str:
        """The storage key."""
        return self.requisition_id

    def approve(self, leader: str) -> Requisition:
        """A leader approves the requisition (领导审批)."""
        self._require(RequisitionStatus.REQUESTED, "approved")
        if not leader.strip():
            raise ValidationError("approving a requisition needs the leader's name")
        return attrs.evolve(self, status=RequisitionStatus.APPROVED, approved_by=leader)

    def register(self, on: pendulum.Date) -> Requisition:
        """The supplies office registers the approved requisition (登记)."""
        self._require(RequisitionStatus.APPROVED, "registered")
        return attrs.evolve(self, status=RequisitionStatus.REGISTERED, registered_on=on)

    def issue(self, on: pendulum.Date) -> Requisition:
        """The supplies are handed over (发放)."""
        self._require(RequisitionStatus.REGISTERED, "issued")
        return attrs.evolve(self, status=RequisitionStatus.ISSUED, issued_on=on)

    def _require(self, status: RequisitionStatus, action: str) -> None:
        if self.status is not status:
            raise InvalidStateError(
                f"requisition {self.requisition_id} is {self.status.value}; it can be "
                f"{action} only when {status.value}"
            )


@attrs.frozen
class Quota:
    """How much of an item one person may draw a month, before scaling by workload."""

    item: str = attrs.field(validator=non_empty)
    unit: str = attrs.field(validator=non_empty)
    per_person_per_month: Decimal = attrs.field(converter=to_decimal, validator=non_negative)

    def limit(self, headcount: int, workload_factor: Decimal) -> Decimal:
        """The division's monthly limit: per person × headcount × workload factor."""
        return self.per_person_per_month * headcount * workload_factor


@attrs.frozen(kw_only=True)
class PrintLog:
    """A month of printing and copying by one division, with the double-sided share."""

    division: str = attrs.field(validator=non_empty)
    year: int
    month: int = attrs.field(validator=month_number)
    single_sided_sheets: int = attrs.field(validator=non_negative)
    double_sided_sheets: int = attrs.field(validator=non_negative)

    @property
    def key(self) -> str:
        """The storage key: month first."""
        return f"{self.year:04d}-{self.month:02d}/{self.division}"

    @property
    def duplex_share_percent(self) -> Decimal | None:
        """Double-sided sheets as a percentage of all sheets, to 0.1 (None with no sheets)."""
        total = self.single_sided_sheets + self.double_sided_sheets
        if total == 0:
            return None
        share = Decimal(self.double_sided_sheets) * 100 / Decimal(total)
        return share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
