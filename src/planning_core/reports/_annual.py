"""The annual work summary's figures, gathered from the store for one year.

The seed is a bureau's annual work summary in three programmes; this gathers the figures of
each from the records the library keeps: the conservation programme's consumption and
retrofits (:mod:`planning_core.conservation`), the rural programme's progress
(:mod:`planning_core.rural`, read by :func:`planning_core.rural.rural_progress`, the same
function ``planning-core rural progress`` uses, so both print the same counts), and the approval
system's statistics. Rendering is a separate step (:func:`summary_markdown`,
:func:`summary_html`).
"""

from __future__ import annotations

import attrs

from planning_core.cases import Engine
from planning_core.conservation import (
    ConservationRepository,
    RetrofitProject,
    SiteProfile,
    Target,
    YearReport,
    build_year_report,
)
from planning_core.errors import ValidationError
from planning_core.reports._consultations import ConsultationFigures, consultation_figures
from planning_core.reports._histories import (
    Progress,
    Source,
    read_histories,
    reader,
    timelines,
)
from planning_core.reports._period import Period
from planning_core.reports._statistics import ApprovalStatistics, statistics_of
from planning_core.rural import ProgressReport, rural_progress
from planning_core.window import RatingBook, RatingStatistics, Window

__all__ = ["AnnualSummary", "annual_summary"]


@attrs.frozen
class AnnualSummary:
    """One year's figures for the three programmes.

    :param conservation: the year's conservation report; None when no consumption is
        recorded for the year.
    :param rural: the rural progress at the year's end; None when no rural site is recorded.
    :param approval: the approval statistics of the year.
    """

    year: int
    period: Period
    conservation: YearReport | None
    rural: ProgressReport | None
    approval: ApprovalStatistics
    #: the year's consultations of other departments (征求意见), None when there were none
    consultations: ConsultationFigures | None = None
    #: the year's ratings of the service (好差评), None when there were none
    ratings: RatingStatistics | None = None


def annual_summary(source: Source, year: int, *, progress: Progress | None = None) -> AnnualSummary:
    """Gather the figures of ``year`` from the store of ``source``.

    :param source: an engine on the store (its organisation names the divisions), or the
        store itself, read with the reference organisation and the installed plugins.
    :param progress: told ``(done, total)`` as case histories are read.
    """
    engine = reader(source)
    period = Period.year(year, engine.calendar.zone)
    in_year = timelines(read_histories(engine, period, progress), period)
    return AnnualSummary(
        year=year,
        period=period,
        conservation=_conservation(engine, year),
        rural=_rural(engine, period),
        approval=statistics_of(in_year, period, engine),
        consultations=_consultations(engine, period),
        ratings=_ratings(engine, period),
    )


def _consultations(engine: Engine, period: Period) -> ConsultationFigures | None:
    figures = consultation_figures(engine, read_histories(engine, period), period)
    return figures if figures.departments else None


def _ratings(engine: Engine, period: Period) -> RatingStatistics | None:
    end = period.closes.subtract(seconds=1)
    book = RatingBook(Window(engine))
    stats = book.statistics(
        engine.calendar.local_date(period.opens), engine.calendar.local_date(end), at=end
    )
    return stats if stats.count else None


def _conservation(engine: Engine, year: int) -> YearReport | None:
    repository = ConservationRepository(engine.store, engine.converter)
    records = repository.consumption([year - 1, year])
    if not any(r.year == year for r in records):
        return None
    targets = repository.records(Target, f"{year:04d}/")
    baselines = {t.baseline_year for t in targets} - {year - 1, year}
    try:
        return build_year_report(
            year,
            [*records, *repository.consumption(baselines)],
            profiles=repository.records(SiteProfile, f"{year:04d}/"),
            targets=targets,
            retrofits=repository.records(RetrofitProject),
        )
    except ValidationError:
        return None


def _rural(engine: Engine, period: Period) -> ProgressReport | None:
    end_of_year = period.closes.subtract(seconds=1)
    # the one rule for township matters (rural_progress): decided cases, cumulative to the day
    report = rural_progress(
        engine.store,
        end_of_year,
        converter=engine.converter,
        permit_types=engine.permit_types.values(),
        timezone=engine.calendar.zone,
    )
    return report if report.sites else None
