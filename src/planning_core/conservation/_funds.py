"""Funds (经费): travel claims and reception meals, the records the funds rules check."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import attrs
import pendulum

from planning_core.conservation._fields import (
    non_empty,
    non_negative,
    positive,
    to_date,
    to_decimal,
)
from planning_core.conservation._vehicles import Rank
from planning_core.errors import ValidationError

__all__ = ["ReceptionMeal", "ReturnedItem", "TravelClaim", "TravelStandard"]


def _classes(value: Iterable[str]) -> frozenset[str]:
    if isinstance(value, str):
        raise ValidationError(f"give the travel classes as a list, not the text {value!r}")
    return frozenset(value)


@attrs.frozen(kw_only=True)
class TravelStandard:
    """The financial standard (差旅费标准) for one rank travelling to one region.

    :param region: the destination region the row covers; ``"*"`` covers every region
        without a row of its own.
    :param lodging_per_night: the lodging cap per night, yuan.
    :param meals_per_day: the meal allowance per day, yuan.
    :param transport_classes: the travel classes the rank may claim (``"二等座"``,
        ``"经济舱"`` …).
    """

    rank: Rank
    region: str = attrs.field(validator=non_empty)
    lodging_per_night: Decimal = attrs.field(converter=to_decimal, validator=non_negative)
    meals_per_day: Decimal = attrs.field(converter=to_decimal, validator=non_negative)
    transport_classes: frozenset[str] = attrs.field(converter=_classes)


@attrs.frozen(kw_only=True)
class TravelClaim:
    """A claim for a business trip's costs, in yuan.

    :param start: the day of departure; :param end: the day of return (same day allowed).
        The trip has ``end - start + 1`` days and ``end - start`` nights.
    :param sightseeing: the trip included sightseeing (借公务出差之机旅游), which the
        programme forbids.
    """

    claim_id: str = attrs.field(validator=non_empty)
    claimant: str = attrs.field(validator=non_empty)
    rank: Rank
    destination: str = attrs.field(validator=non_empty)
    region: str = attrs.field(validator=non_empty)
    start: pendulum.Date = attrs.field(converter=to_date)
    end: pendulum.Date = attrs.field(converter=to_date)
    lodging: Decimal = attrs.field(converter=to_decimal, validator=non_negative)
    meals: Decimal = attrs.field(converter=to_decimal, validator=non_negative)
    transport_class: str = attrs.field(validator=non_empty)
    fares: Decimal = attrs.field(converter=to_decimal, validator=non_negative)
    sightseeing: bool = False

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise ValidationError(
                f"travel claim {self.claim_id}: return {self.end} is before departure "
                f"{self.start}; swap them"
            )

    @property
    def key(self) -> str:
        """The storage key."""
        return self.claim_id

    @property
    def days(self) -> int:
        """Days away, counting both the day out and the day back."""
        return (self.end - self.start).days + 1

    @property
    def nights(self) -> int:
        """Nights away."""
        return (self.end - self.start).days


@attrs.frozen(kw_only=True)
class ReturnedItem:
    """A gift or item returned after a reception (退回物品), kept on the meal's record."""

    description: str = attrs.field(validator=non_empty)
    value: Decimal = attrs.field(converter=to_decimal, validator=non_negative)
    returned_to: str = attrs.field(validator=non_empty)
    returned_on: pendulum.Date = attrs.field(converter=to_date)


def _items(value: object) -> tuple[ReturnedItem, ...]:
    if not isinstance(value, list | tuple):
        raise ValidationError(f"expected a list of returned items, got {value!r}")
    return tuple(value)


@attrs.frozen(kw_only=True)
class ReceptionMeal:
    """An official reception meal (公务接待用餐).

    :param guests: the people received (接待对象).
    :param companions: the bureau's people at the table (陪餐人员).
    """

    meal_id: str = attrs.field(validator=non_empty)
    host: str = attrs.field(validator=non_empty)
    on: pendulum.Date = attrs.field(converter=to_date)
    guests: int = attrs.field(validator=positive)
    companions: int = attrs.field(validator=non_negative)
    cost: Decimal = attrs.field(converter=to_decimal, validator=non_negative)
    items_returned: tuple[ReturnedItem, ...] = attrs.field(default=(), converter=_items)

    @property
    def key(self) -> str:
        """The storage key."""
        return self.meal_id
