"""Consumption records (资源消耗统计): what was used, per month and per site.

A *site* is a building or a division, whichever the bureau meters by. Headcount and floor
area are kept per site and year for per-capita and per-m² figures, and a target says how
much a resource should fall against a baseline year.
"""

from __future__ import annotations

import enum
from decimal import Decimal

import attrs

from planning_core.conservation._fields import (
    month_number,
    non_empty,
    non_negative,
    percent,
    positive,
    to_decimal,
)
from planning_core.errors import ValidationError

__all__ = ["ConsumptionRecord", "Resource", "SiteProfile", "Target"]


class Resource(enum.Enum):
    """What is consumed, each with the one unit it is recorded in."""

    ELECTRICITY = "electricity"
    WATER = "water"
    FUEL = "fuel"
    PAPER = "paper"
    TONER = "toner"

    @property
    def unit(self) -> str:
        """The unit amounts are recorded in (kWh, m³, L, reams of 500 sheets, cartridges)."""
        return _UNITS[self]

    @property
    def unit_zh(self) -> str:
        """The unit in Chinese text and pictures: 千瓦时, 吨 (a cubic metre of water), 升, 令
        (500 sheets), 个 — as a bureau's work summary writes them."""
        return _UNITS_ZH[self]

    @property
    def zh(self) -> str:
        """The resource's Chinese name."""
        return _ZH[self]

    @classmethod
    def parse(cls, text: str) -> Resource:
        """A resource from its code (``electricity``) or Chinese name (``电``)."""
        word = text.strip()
        for resource in cls:
            if word.lower() == resource.value or word in (resource.zh, _SHORT_ZH[resource]):
                return resource
        known = ", ".join(f"{r.value} ({r.zh})" for r in cls)
        raise ValidationError(f"unknown resource {text!r}; use one of {known}")

    def check_unit(self, unit: str) -> None:
        """Refuse a unit other than the resource's own (a MWh file would be 1000× off)."""
        if unit.strip().replace("3", "³") != self.unit:
            raise ValidationError(
                f"{self.value} is recorded in {self.unit}, not {unit!r}; convert the amounts"
            )


_UNITS = {
    Resource.ELECTRICITY: "kWh",
    Resource.WATER: "m³",
    Resource.FUEL: "L",
    Resource.PAPER: "ream",
    Resource.TONER: "cartridge",
}
_UNITS_ZH = {
    Resource.ELECTRICITY: "千瓦时",
    Resource.WATER: "吨",
    Resource.FUEL: "升",
    Resource.PAPER: "令",
    Resource.TONER: "个",
}
_ZH = {
    Resource.ELECTRICITY: "用电",
    Resource.WATER: "用水",
    Resource.FUEL: "车辆燃油",
    Resource.PAPER: "纸张",
    Resource.TONER: "硒鼓墨盒",
}
_SHORT_ZH = {
    Resource.ELECTRICITY: "电",
    Resource.WATER: "水",
    Resource.FUEL: "油",
    Resource.PAPER: "纸",
    Resource.TONER: "硒鼓",
}


@attrs.frozen(kw_only=True)
class ConsumptionRecord:
    """One resource used at one site in one month."""

    year: int
    month: int = attrs.field(validator=month_number)
    site: str = attrs.field(validator=non_empty)
    resource: Resource
    amount: Decimal = attrs.field(converter=to_decimal, validator=non_negative)

    @property
    def key(self) -> str:
        """The storage key; recording the same month, site and resource again replaces it."""
        return f"{self.year:04d}-{self.month:02d}/{self.site}/{self.resource.value}"


@attrs.frozen(kw_only=True)
class SiteProfile:
    """A site's headcount and floor area in a year."""

    year: int
    site: str = attrs.field(validator=non_empty)
    headcount: int = attrs.field(validator=positive)
    floor_area_m2: Decimal = attrs.field(converter=to_decimal, validator=positive)

    @property
    def key(self) -> str:
        """The storage key."""
        return f"{self.year:04d}/{self.site}"


@attrs.frozen(kw_only=True)
class Target:
    """Use of ``resource`` in ``year`` should be ``reduction_percent`` below the baseline."""

    year: int
    resource: Resource
    baseline_year: int
    reduction_percent: Decimal = attrs.field(converter=to_decimal, validator=percent)

    def __attrs_post_init__(self) -> None:
        if self.baseline_year >= self.year:
            raise ValidationError(
                f"the baseline year {self.baseline_year} of the {self.year} {self.resource.value} "
                f"target must come before {self.year}"
            )

    @property
    def key(self) -> str:
        """The storage key."""
        return f"{self.year:04d}/{self.resource.value}"
