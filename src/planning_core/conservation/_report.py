"""Monthly and yearly conservation reports, as data.

A report is a frozen value built from records; rendering it (JSON, Markdown, SVG) is a
separate step in :mod:`planning_core.conservation._render` and ``_chart``, so a host can
put the same figures into its own templates.

Each resource is measured against its baseline year: the target's baseline year when the
year has a target for the resource, else the report's ``baseline_year`` (by default the
previous year).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import attrs

from planning_core.conservation._consumption import ConsumptionRecord, Resource, SiteProfile, Target
from planning_core.conservation._retrofit import MeasuredSaving, RetrofitProject, measured_saving
from planning_core.conservation._statistics import (
    monthly_totals,
    per_unit,
    percent_change,
    target_attainment,
    total,
    year_on_year,
)
from planning_core.errors import NotFoundError, ValidationError

__all__ = [
    "MonthFigure",
    "MonthReport",
    "MonthResourceFigures",
    "ResourceFigures",
    "RetrofitFigures",
    "YearReport",
    "build_month_report",
    "build_year_report",
]


@attrs.frozen
class MonthFigure:
    """One month of a resource: this year, the previous year and the baseline year."""

    month: int
    current: Decimal | None
    previous: Decimal | None
    baseline: Decimal | None


@attrs.frozen(kw_only=True)
class ResourceFigures:
    """A year of one resource, over the months recorded in that year.

    :param months: the months recorded and compared.
    :param change_percent: year on year, to 0.01.
    :param against_baseline_percent: change against the same months of the baseline year.
    :param target_reduction_percent: the target's reduction, when there is a target.
    :param attained: whether use is within the target; None without a target.
    """

    resource: Resource
    unit: str
    months: tuple[int, ...]
    total: Decimal
    previous_total: Decimal
    change: Decimal
    change_percent: Decimal | None
    per_capita: Decimal | None
    per_m2: Decimal | None
    baseline_year: int
    baseline_total: Decimal
    against_baseline_percent: Decimal | None
    target_reduction_percent: Decimal | None = None
    target_allowed: Decimal | None = None
    achieved_reduction_percent: Decimal | None = None
    attained: bool | None = None
    monthly: tuple[MonthFigure, ...] = ()


@attrs.frozen
class RetrofitFigures:
    """A retrofit with its measured saving, once twelve months each side are recorded."""

    project: RetrofitProject
    measured: MeasuredSaving | None


@attrs.frozen(kw_only=True)
class YearReport:
    """The yearly conservation report (年度节能统计)."""

    year: int
    headcount: int | None
    floor_area_m2: Decimal | None
    resources: tuple[ResourceFigures, ...]
    retrofits: tuple[RetrofitFigures, ...] = ()

    def figures(self, resource: Resource) -> ResourceFigures:
        """The figures of one resource."""
        for figures in self.resources:
            if figures.resource is resource:
                return figures
        known = ", ".join(f.resource.value for f in self.resources) or "none"
        raise NotFoundError(
            f"the {self.year} report has no {resource.value} figures; recorded: {known}"
        )


def build_year_report(
    year: int,
    records: Iterable[ConsumptionRecord],
    *,
    profiles: Iterable[SiteProfile] = (),
    targets: Iterable[Target] = (),
    retrofits: Iterable[RetrofitProject] = (),
    baseline_year: int | None = None,
) -> YearReport:
    """Build the report of ``year`` from records of that year and the years compared.

    :param profiles: headcount and floor area; those of ``year`` are summed over sites.
    :param targets: targets of ``year`` set each resource's baseline year and reduction.
    :param retrofits: projects completed up to the end of ``year``; each is measured from
        the records up to the end of ``year`` (a later year's records never leak back).
    :param baseline_year: the baseline for resources without a target (default
        ``year - 1``).
    :raises ValidationError: when ``year`` has no consumption record at all.
    """
    records = list(records)
    used = [r for r in Resource if any(x.year == year and x.resource is r for x in records)]
    if not used:
        raise ValidationError(f"no consumption is recorded for {year}; record it first")
    year_profiles = [p for p in profiles if p.year == year]
    headcount = sum(p.headcount for p in year_profiles) if year_profiles else None
    area = sum((p.floor_area_m2 for p in year_profiles), Decimal(0)) if year_profiles else None
    by_resource = {t.resource: t for t in targets if t.year == year}
    default_baseline = year - 1 if baseline_year is None else baseline_year
    figures = tuple(
        _resource_figures(
            records, year, resource, by_resource.get(resource), default_baseline, headcount, area
        )
        for resource in used
    )
    known_by_then = [r for r in records if r.year <= year]
    projects = tuple(
        RetrofitFigures(project, _measured_or_none(project, known_by_then))
        for project in sorted(retrofits, key=lambda p: (p.completed_on, p.project_id))
        if project.completed_on.year <= year
    )
    return YearReport(
        year=year, headcount=headcount, floor_area_m2=area, resources=figures, retrofits=projects
    )


def _resource_figures(
    records: list[ConsumptionRecord],
    year: int,
    resource: Resource,
    target: Target | None,
    default_baseline: int,
    headcount: int | None,
    area: Decimal | None,
) -> ResourceFigures:
    yoy = year_on_year(records, year, resource)
    baseline_year = target.baseline_year if target is not None else default_baseline
    baseline_total = total(records, baseline_year, resource, months=yoy.months)
    figures = ResourceFigures(
        resource=resource,
        unit=resource.unit,
        months=yoy.months,
        total=yoy.current,
        previous_total=yoy.previous,
        change=yoy.change,
        change_percent=yoy.change_percent,
        per_capita=per_unit(yoy.current, headcount),
        per_m2=per_unit(yoy.current, area),
        baseline_year=baseline_year,
        baseline_total=baseline_total,
        against_baseline_percent=percent_change(yoy.current, baseline_total),
        monthly=_monthly(records, year, resource, baseline_year),
    )
    if target is None:
        return figures
    attainment = target_attainment(records, target, months=yoy.months)
    return attrs.evolve(
        figures,
        target_reduction_percent=target.reduction_percent,
        target_allowed=attainment.allowed,
        achieved_reduction_percent=attainment.achieved_reduction_percent,
        attained=attainment.attained,
    )


def _monthly(
    records: list[ConsumptionRecord], year: int, resource: Resource, baseline_year: int
) -> tuple[MonthFigure, ...]:
    current = monthly_totals(records, year, resource)
    previous = monthly_totals(records, year - 1, resource)
    baseline = monthly_totals(records, baseline_year, resource)
    return tuple(
        MonthFigure(m, current.get(m), previous.get(m), baseline.get(m)) for m in range(1, 13)
    )


def _measured_or_none(
    project: RetrofitProject, records: list[ConsumptionRecord]
) -> MeasuredSaving | None:
    try:
        return measured_saving(project, records)
    except NotFoundError:
        return None


@attrs.frozen(kw_only=True)
class MonthResourceFigures:
    """One resource in one month, against the same month and year-to-date a year earlier."""

    resource: Resource
    unit: str
    amount: Decimal
    previous: Decimal
    change_percent: Decimal | None
    year_to_date: Decimal
    previous_year_to_date: Decimal
    year_to_date_change_percent: Decimal | None


@attrs.frozen
class MonthReport:
    """The monthly conservation report (月度节能统计)."""

    year: int
    month: int
    resources: tuple[MonthResourceFigures, ...]


def build_month_report(year: int, month: int, records: Iterable[ConsumptionRecord]) -> MonthReport:
    """Build the report of one month.

    :raises ValidationError: when the month is out of range or has no record.
    """
    if not 1 <= month <= 12:
        raise ValidationError(f"month must be from 1 to 12, got {month}")
    records = list(records)
    used = [
        r
        for r in Resource
        if any(x.year == year and x.month == month and x.resource is r for x in records)
    ]
    if not used:
        raise ValidationError(f"no consumption is recorded for {year}-{month:02d}; record it first")
    return MonthReport(year, month, tuple(_month_figures(records, year, month, r) for r in used))


def _month_figures(
    records: list[ConsumptionRecord], year: int, month: int, resource: Resource
) -> MonthResourceFigures:
    amount = total(records, year, resource, months=[month])
    previous = total(records, year - 1, resource, months=[month])
    to_date = range(1, month + 1)
    ytd = total(records, year, resource, months=to_date)
    previous_ytd = total(records, year - 1, resource, months=to_date)
    return MonthResourceFigures(
        resource=resource,
        unit=resource.unit,
        amount=amount,
        previous=previous,
        change_percent=percent_change(amount, previous),
        year_to_date=ytd,
        previous_year_to_date=previous_ytd,
        year_to_date_change_percent=percent_change(ytd, previous_ytd),
    )
