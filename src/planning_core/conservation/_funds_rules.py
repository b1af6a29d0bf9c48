"""The funds rules: travel to the standard table, no sightseeing, limited companions.

The companion rule follows the national rule for official receptions (党政机关国内公务接待
管理规定, art. 10): at most 3 companions for up to 10 guests; above 10 guests, at most one
third of the guests. "At most one third" is read exactly, in whole people: companions × 3
may not exceed guests, i.e. the limit is one third of the guests *rounded down* (12 guests:
4; 13 guests: 4; 15 guests: 5). Fractions are exact (``fractions.Fraction``), never float.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from fractions import Fraction

import attrs

from planning_core.conservation._funds import ReceptionMeal, TravelClaim, TravelStandard
from planning_core.conservation._rules import expect
from planning_core.conservation._vehicles import Rank
from planning_core.conservation._verdict import Description, Verdict
from planning_core.errors import ValidationError

__all__ = [
    "DEFAULT_TRAVEL_STANDARDS",
    "NoSightseeingRule",
    "ReceptionCompanionsRule",
    "TravelStandardRule",
]

BASIS = "政府机构节能示范模式: 节约经费 (the bureau's conservation programme, funds)"

#: An example table in the shape of the central government's standard (one row per rank
#: for every region, meal allowance 100 yuan a day). The lodging caps are placeholders: a
#: bureau registers its province's published table in their place.
DEFAULT_TRAVEL_STANDARDS: tuple[TravelStandard, ...] = (
    TravelStandard(
        rank=Rank.LEADER,
        region="*",
        lodging_per_night=500,
        meals_per_day=100,
        transport_classes={"一等座", "二等座", "经济舱"},
    ),
    TravelStandard(
        rank=Rank.STAFF,
        region="*",
        lodging_per_night=350,
        meals_per_day=100,
        transport_classes={"二等座", "经济舱"},
    ),
)

_TRAVEL = Description(
    zh="差旅费严格按财务标准报销",
    en="Travel costs are paid to the financial standard",
)
_SIGHTSEEING = Description(
    zh="严禁借公务出差之机旅游",
    en="No sightseeing on business trips",
)
_COMPANIONS = Description(
    zh="公务接待陪餐人数:接待对象10人以内的不超过3人,超过10人的不超过接待对象人数的三分之一",
    en="Reception companions: at most 3 for up to 10 guests, "
    "at most one third of the guests above 10",
)


def _standards(value: Iterable[TravelStandard]) -> tuple[TravelStandard, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class TravelStandardRule:
    """Refuse a claim above the standard for the claimant's rank and region.

    :param standards: the table; a region's own row wins over the ``"*"`` row.
    """

    id: str = "funds.travel-standard"
    description: Description = _TRAVEL
    basis: str = BASIS
    standards: tuple[TravelStandard, ...] = attrs.field(
        default=DEFAULT_TRAVEL_STANDARDS, converter=_standards
    )

    def applies(self, record: object) -> bool:
        """Travel claims."""
        return isinstance(record, TravelClaim)

    def check(self, record: object) -> Verdict:
        """List every amount above the standard; needs approval when no row fits."""
        claim = expect(record, TravelClaim, self.id)
        standard = self.standard_for(claim.rank, claim.region)
        if standard is None:
            return Verdict.needs_approval(
                f"no travel standard for a {claim.rank.value} going to {claim.region}; "
                f"the finance office must decide"
            )
        problems = _travel_problems(claim, standard)
        if problems:
            return Verdict.refused("above the travel standard: " + "; ".join(problems))
        return Verdict.allowed("within the travel standard")

    def standard_for(self, rank: Rank, region: str) -> TravelStandard | None:
        """The row for ``rank`` and ``region``, else the rank's ``"*"`` row, else None."""
        rows = {(s.rank, s.region): s for s in self.standards}
        return rows.get((rank, region)) or rows.get((rank, "*"))


def _travel_problems(claim: TravelClaim, standard: TravelStandard) -> list[str]:
    problems = []
    lodging_cap = standard.lodging_per_night * claim.nights
    if claim.lodging > lodging_cap:
        problems.append(
            f"lodging {claim.lodging} yuan for {claim.nights} night(s) exceeds "
            f"{lodging_cap} yuan ({standard.lodging_per_night} a night)"
        )
    meals_cap = standard.meals_per_day * claim.days
    if claim.meals > meals_cap:
        problems.append(
            f"meals {claim.meals} yuan for {claim.days} day(s) exceed {meals_cap} yuan "
            f"({standard.meals_per_day} a day)"
        )
    if claim.transport_class not in standard.transport_classes:
        allowed = ", ".join(sorted(standard.transport_classes))
        problems.append(f"travel class {claim.transport_class} is not one of: {allowed}")
    return problems


@attrs.frozen(kw_only=True)
class NoSightseeingRule:
    """Refuse a claim for a trip that included sightseeing."""

    id: str = "funds.no-sightseeing"
    description: Description = _SIGHTSEEING
    basis: str = BASIS

    def applies(self, record: object) -> bool:
        """Travel claims."""
        return isinstance(record, TravelClaim)

    def check(self, record: object) -> Verdict:
        """Refused when the claim says the trip included sightseeing."""
        claim = expect(record, TravelClaim, self.id)
        if claim.sightseeing:
            return Verdict.refused(
                f"the trip to {claim.destination} included sightseeing, which is not paid for"
            )
        return Verdict.allowed("no sightseeing declared")


def _fraction(value: Fraction | int | str) -> Fraction:
    if isinstance(value, float):
        raise ValidationError(
            f"give the ratio as a Fraction or a string such as '1/3', not {value!r}"
        )
    return Fraction(value)


@attrs.frozen(kw_only=True)
class ReceptionCompanionsRule:
    """Limit the bureau's companions at a reception meal.

    :param small_group_max_guests: up to this many guests, the fixed limit applies.
    :param small_group_companions: the fixed limit.
    :param large_group_ratio: above the small group, companions may be at most this share
        of the guests, rounded down to whole people.
    """

    id: str = "funds.reception-companions"
    description: Description = _COMPANIONS
    basis: str = (
        "党政机关国内公务接待管理规定 第十条 (national rule for official receptions, art. 10)"
    )
    small_group_max_guests: int = 10
    small_group_companions: int = 3
    large_group_ratio: Fraction = attrs.field(default=Fraction(1, 3), converter=_fraction)

    def applies(self, record: object) -> bool:
        """Reception meals."""
        return isinstance(record, ReceptionMeal)

    def allowed_companions(self, guests: int) -> int:
        """The most companions allowed for ``guests`` guests."""
        if guests <= self.small_group_max_guests:
            return self.small_group_companions
        return math.floor(guests * self.large_group_ratio)

    def check(self, record: object) -> Verdict:
        """Refuse more companions than :meth:`allowed_companions` gives."""
        meal = expect(record, ReceptionMeal, self.id)
        limit = self.allowed_companions(meal.guests)
        if meal.companions > limit:
            return Verdict.refused(
                f"{meal.companions} companions for {meal.guests} guests: at most {limit} may attend"
            )
        return Verdict.allowed(
            f"{meal.companions} companions for {meal.guests} guests is within the limit of {limit}"
        )
