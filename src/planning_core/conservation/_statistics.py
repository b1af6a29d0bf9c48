"""Statistics over consumption records: totals, year on year, per capita, per m², targets.

Rounding is done once, at the figure shown, with ROUND_HALF_UP (四舍五入, as a bureau's
statistics tables do): percentages to 0.01, per-capita and per-m² figures to 0.001. Totals
are exact sums of the recorded Decimals.

Year on year (同比) compares like with like: the months recorded in the current year against
the same months of the previous year, so a report in July compares January–June with
January–June, never half a year with a whole one.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

import attrs

from planning_core.conservation._consumption import ConsumptionRecord, Resource, Target

__all__ = [
    "TargetAttainment",
    "YearOnYear",
    "monthly_totals",
    "per_unit",
    "percent_change",
    "recorded_months",
    "target_attainment",
    "total",
    "year_on_year",
]

_PERCENT = Decimal("0.01")
_PER_UNIT = Decimal("0.001")


def _selected(
    records: Iterable[ConsumptionRecord], year: int, resource: Resource, site: str | None
) -> list[ConsumptionRecord]:
    return [
        r
        for r in records
        if r.year == year and r.resource is resource and (site is None or r.site == site)
    ]


def monthly_totals(
    records: Iterable[ConsumptionRecord], year: int, resource: Resource, *, site: str | None = None
) -> dict[int, Decimal]:
    """Month number → total over the sites (or one site); months without records are absent."""
    totals: dict[int, Decimal] = {}
    for record in _selected(records, year, resource, site):
        totals[record.month] = totals.get(record.month, Decimal(0)) + record.amount
    return dict(sorted(totals.items()))


def recorded_months(
    records: Iterable[ConsumptionRecord], year: int, resource: Resource, *, site: str | None = None
) -> tuple[int, ...]:
    """The months of ``year`` with at least one record of ``resource``."""
    return tuple(monthly_totals(records, year, resource, site=site))


def total(
    records: Iterable[ConsumptionRecord],
    year: int,
    resource: Resource,
    *,
    months: Iterable[int] | None = None,
    site: str | None = None,
) -> Decimal:
    """The exact total of ``resource`` in ``year`` (only ``months``, when given)."""
    wanted = None if months is None else set(months)
    return sum(
        (
            r.amount
            for r in _selected(records, year, resource, site)
            if wanted is None or r.month in wanted
        ),
        Decimal(0),
    )


def percent_change(current: Decimal, previous: Decimal) -> Decimal | None:
    """``(current - previous) / previous × 100``, to 0.01; None when ``previous`` is zero."""
    if previous == 0:
        return None
    return ((current - previous) * 100 / previous).quantize(_PERCENT, rounding=ROUND_HALF_UP)


def per_unit(amount: Decimal, divisor: Decimal | int | None) -> Decimal | None:
    """``amount / divisor`` to 0.001 (per capita, per m²); None without a divisor."""
    if divisor is None or divisor == 0:
        return None
    return (amount / Decimal(divisor)).quantize(_PER_UNIT, rounding=ROUND_HALF_UP)


@attrs.frozen
class YearOnYear:
    """A year's use against the same months of the year before.

    :param months: the months compared.
    :param change: ``current - previous``, exact.
    :param change_percent: the change as a percentage of ``previous``, to 0.01; None when
        nothing was used the year before.
    """

    year: int
    resource: Resource
    months: tuple[int, ...]
    current: Decimal
    previous: Decimal
    change: Decimal
    change_percent: Decimal | None


def year_on_year(
    records: Iterable[ConsumptionRecord],
    year: int,
    resource: Resource,
    *,
    months: Iterable[int] | None = None,
    site: str | None = None,
) -> YearOnYear:
    """Compare ``year`` with ``year - 1`` over ``months`` (default: those recorded in ``year``)."""
    records = list(records)
    compared = (
        tuple(sorted(set(months)))
        if months is not None
        else recorded_months(records, year, resource, site=site)
    )
    current = total(records, year, resource, months=compared, site=site)
    previous = total(records, year - 1, resource, months=compared, site=site)
    return YearOnYear(
        year=year,
        resource=resource,
        months=compared,
        current=current,
        previous=previous,
        change=current - previous,
        change_percent=percent_change(current, previous),
    )


@attrs.frozen
class TargetAttainment:
    """How a year's use compares with its target.

    :param allowed: the most the year may use and still meet the target:
        ``baseline × (1 - reduction / 100)``, exact.
    :param achieved_reduction_percent: how far use fell below the baseline, to 0.01
        (negative when it rose); None when the baseline is zero.
    """

    target: Target
    months: tuple[int, ...]
    baseline: Decimal
    allowed: Decimal
    actual: Decimal
    achieved_reduction_percent: Decimal | None
    attained: bool


def target_attainment(
    records: Iterable[ConsumptionRecord], target: Target, *, months: Iterable[int] | None = None
) -> TargetAttainment:
    """Measure ``target`` over ``months`` (default: those recorded in the target's year)."""
    records = list(records)
    compared = (
        tuple(sorted(set(months)))
        if months is not None
        else recorded_months(records, target.year, target.resource)
    )
    baseline = total(records, target.baseline_year, target.resource, months=compared)
    actual = total(records, target.year, target.resource, months=compared)
    allowed = baseline * (100 - target.reduction_percent) / 100
    change = percent_change(actual, baseline)
    return TargetAttainment(
        target=target,
        months=compared,
        baseline=baseline,
        allowed=allowed,
        actual=actual,
        achieved_reduction_percent=None if change is None else -change,
        attained=actual <= allowed,
    )
