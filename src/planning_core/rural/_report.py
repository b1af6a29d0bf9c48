"""Progress reports: what a bureau reports each year, per site and for the whole city.

A report is computed from :class:`RuralData` as it stood at the end of one day (the day the
instant ``at`` falls on in the bureau's zone): a plan counts in the stage it had reached that
day, and records dated after it (counts, sums, inspections) are left out, so a report can be
run again later for the same date and give the same figures.

Townships are counted by the stage of their township master plan, villages by their village
plan; a place with no such plan, or one not yet started, counts as "not recorded", never as
surveying. Money is never added across records: plans' own sums are totalled, while sums the
bureau recorded for a site (which may overlap one another) are listed as recorded.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Iterable
from decimal import ROUND_HALF_UP, Decimal

import attrs
import pendulum

from planning_core.errors import NotFoundError
from planning_core.rural._data import RuralData
from planning_core.rural._inspections import DEFAULT_TIMEZONE, Inspection, local_day
from planning_core.rural._matters import DecidedMatter, MatterKind, MatterTally, count_matters
from planning_core.rural._money import FundingRecord
from planning_core.rural._places import ChairRole
from planning_core.rural._plans import Plan, PlanKind, Stage
from planning_core.rural._systems import Regulation, TrainingPlan

__all__ = [
    "CITY",
    "OverdueRectification",
    "ProgressReport",
    "SiteProgress",
    "StageTally",
    "TrainingSummary",
    "overdue_rectifications",
    "progress_report",
]

#: The name the whole-city section goes by.
CITY = "全市"


def _all_stages(value: dict[Stage, int]) -> dict[Stage, int]:
    return {stage: value.get(stage, 0) for stage in Stage}


@attrs.frozen
class StageTally:
    """Places (or plans) counted by stage.

    :param total: every place counted, recorded or not.
    :param by_stage: the count at each stage, every stage present.
    :param not_recorded: places with no plan, or a plan not yet started.
    :param completion_percent: completed / total × 100, to one decimal; None when total is 0.
    """

    total: int
    by_stage: dict[Stage, int] = attrs.field(converter=_all_stages)
    not_recorded: int
    completion_percent: Decimal | None

    @classmethod
    def of(cls, stages: Iterable[Stage | None]) -> StageTally:
        """Count ``stages``, one per place (None: nothing recorded)."""
        counts = Counter(stages)
        total = sum(counts.values())
        not_recorded = counts.pop(None, 0)
        by_stage = {stage: n for stage, n in counts.items() if stage is not None}
        return cls(total, by_stage, not_recorded, _percent(by_stage.get(Stage.COMPLETED, 0), total))

    @property
    def completed(self) -> int:
        """Places whose plan is completed."""
        return self.by_stage[Stage.COMPLETED]

    def __add__(self, other: StageTally) -> StageTally:
        by_stage = {s: self.by_stage[s] + other.by_stage[s] for s in Stage}
        total = self.total + other.total
        return StageTally(
            total,
            by_stage,
            self.not_recorded + other.not_recorded,
            _percent(by_stage[Stage.COMPLETED], total),
        )


def _percent(part: int, whole: int) -> Decimal | None:
    if whole == 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@attrs.frozen
class OverdueRectification:
    """An inspection whose rectification deadline has passed with nothing rectified.

    :param days_overdue: natural days from the deadline to the report day.
    :param deadline_provisional: the deadline was counted over a year without an official
        holiday schedule (see :meth:`Inspection.redated`).
    """

    number: str
    site: str
    township: str | None
    location: str
    inspected_on: dt.date
    deadline: dt.date
    days_overdue: int
    findings: tuple[str, ...]
    deadline_provisional: bool = False


@attrs.frozen
class SiteProgress:
    """One site's figures (or, under the name :data:`CITY`, every site's together).

    :param townships: townships by the stage of their township master plan.
    :param villages: villages by the stage of their village plan.
    :param plans: every plan by kind, each kind's plans by stage.
    :param committees_formed: townships with a planning committee.
    :param committee_chairs: committees by chair role, where recorded.
    :param planning_offices: committees with a planning office.
    :param plan_investment: the sum of the yuan recorded on individual plans.
    :param recorded_sums: sums the bureau recorded for the site or its townships, as recorded.
    :param matters: township matters handled, every kind present.
    :param matters_from_engine: townships whose matters were counted from the engine.
    :param inspections: inspections held up to the report day.
    :param overdue: rectifications overdue at the report day, longest overdue first.
    """

    site: str
    townships: StageTally
    villages: StageTally
    plans: dict[PlanKind, StageTally]
    committees_formed: int
    committee_chairs: dict[ChairRole, int]
    planning_offices: int
    plan_investment: Decimal
    recorded_sums: tuple[FundingRecord, ...]
    matters: dict[MatterKind, int]
    matters_from_engine: tuple[str, ...]
    inspections: int
    overdue: tuple[OverdueRectification, ...]

    @property
    def matters_total(self) -> int:
        """Township matters of every kind."""
        return sum(self.matters.values())


@attrs.frozen
class TrainingSummary:
    """The personnel system in numbers: plans made, sessions held, people trained."""

    plans: tuple[TrainingPlan, ...]
    sessions: int
    attendees: int


@attrs.frozen
class ProgressReport:
    """The rural programme's progress at the end of ``day``.

    :param at: the instant the report was asked for.
    :param day: the day it describes: ``at``'s date in the bureau's zone.
    :param sites: one entry per site, by name.
    :param city: every site together; None when the report was asked for one site.
    :param regulations: the regulations system's documents (city reports only).
    :param training: the personnel system's training (city reports only).
    """

    at: pendulum.DateTime
    day: dt.date
    sites: tuple[SiteProgress, ...]
    city: SiteProgress | None
    regulations: tuple[Regulation, ...] = ()
    training: TrainingSummary | None = None


def progress_report(
    data: RuralData,
    at: dt.datetime,
    *,
    site: str | None = None,
    decided: Iterable[DecidedMatter] = (),
    engine_townships: Collection[str] | None = None,
    timezone: str = DEFAULT_TIMEZONE,
) -> ProgressReport:
    """The progress report at the end of the day ``at`` falls on.

    :param site: report on this site only (no city section, regulations or training).
    :param decided: matters decided in the approval engine (see :func:`count_matters` for
        how they take precedence over recorded counts).
    :param engine_townships: codes of the townships whose cases run in the engine.
    :raises NotFoundError: when ``site`` is not a known site (the message lists them).
    :raises ValidationError: when ``at`` has no time zone.
    """
    day = local_day(at, timezone)
    names = data.site_names
    if site is not None and site not in names:
        raise NotFoundError(f"no site named {site!r}; known sites: {'、'.join(names) or 'none'}")
    dated = _as_of(data, day)
    tallies = count_matters(
        dated.townships, dated.matter_counts, decided, engine_townships=engine_townships, until=day
    )
    sites = tuple(
        _site_progress(name, dated.for_site(name), day, tallies.get(name))
        for name in ([site] if site else names)
    )
    instant = pendulum.instance(at)
    if site is not None:
        return ProgressReport(instant, day, sites, None)
    sessions = dated.training_sessions
    training = TrainingSummary(
        dated.training_plans, len(sessions), sum(s.attendees for s in sessions)
    )
    return ProgressReport(instant, day, sites, _city(sites), dated.regulations, training)


def overdue_rectifications(
    inspections: Iterable[Inspection], day: dt.date
) -> tuple[OverdueRectification, ...]:
    """The inspections overdue at the end of ``day``, longest overdue first."""
    found = [
        OverdueRectification(
            i.number,
            i.site,
            i.township,
            i.location,
            i.inspected_on,
            i.rectification_deadline,
            (day - i.rectification_deadline).days,
            i.findings,
            i.deadline_provisional,
        )
        for i in inspections
        if i.rectification_deadline is not None and i.is_overdue(day)
    ]
    return tuple(sorted(found, key=lambda o: (o.deadline, o.number)))


def _as_of(data: RuralData, day: dt.date) -> RuralData:
    """``data`` without the records dated after ``day``."""

    def kept(on: dt.date | None) -> bool:
        return on is None or on <= day

    return attrs.evolve(
        data,
        matter_counts=[m for m in data.matter_counts if kept(m.as_of)],
        funding=[f for f in data.funding if kept(f.as_of)],
        inspections=[i for i in data.inspections if kept(i.inspected_on)],
        training_sessions=[s for s in data.training_sessions if kept(s.held_on)],
    )


def _site_progress(
    name: str, data: RuralData, day: dt.date, matters: MatterTally | None
) -> SiteProgress:
    by_place: dict[tuple[str, PlanKind], Plan] = {(p.place.key, p.kind): p for p in data.plans}

    def stage(place_key: str, kind: PlanKind) -> Stage | None:
        plan = by_place.get((place_key, kind))
        return None if plan is None else plan.stage_on(day)

    kinds = sorted({p.kind for p in data.plans}, key=list(PlanKind).index)
    matters = matters or MatterTally(name, {})
    chairs = Counter(c.chair_role for c in data.committees if c.chair_role is not None)
    return SiteProgress(
        site=name,
        townships=StageTally.of(
            stage(t.ref.key, PlanKind.TOWNSHIP_MASTER_PLAN) for t in data.townships
        ),
        villages=StageTally.of(stage(v.ref.key, PlanKind.VILLAGE_PLAN) for v in data.villages),
        plans={
            kind: StageTally.of(p.stage_on(day) for p in data.plans if p.kind is kind)
            for kind in kinds
        },
        committees_formed=len(data.committees),
        committee_chairs=dict(chairs),
        planning_offices=sum(1 for c in data.committees if c.planning_office),
        plan_investment=sum((p.invested for p in data.plans if p.invested), Decimal(0)),
        recorded_sums=data.funding,
        matters=matters.counts,
        matters_from_engine=matters.engine_townships,
        inspections=len(data.inspections),
        overdue=overdue_rectifications(data.inspections, day),
    )


def _city(sites: tuple[SiteProgress, ...]) -> SiteProgress:
    empty = StageTally.of([])
    plans: dict[PlanKind, StageTally] = {}
    for site in sites:
        for kind, tally in site.plans.items():
            plans[kind] = plans.get(kind, empty) + tally
    chairs: Counter[ChairRole] = Counter()
    matters: Counter[MatterKind] = Counter()
    for site in sites:
        chairs.update(site.committee_chairs)
        matters.update(site.matters)
    return SiteProgress(
        site=CITY,
        townships=sum((s.townships for s in sites), empty),
        villages=sum((s.villages for s in sites), empty),
        plans={k: plans[k] for k in PlanKind if k in plans},
        committees_formed=sum(s.committees_formed for s in sites),
        committee_chairs=dict(chairs),
        planning_offices=sum(s.planning_offices for s in sites),
        plan_investment=sum((s.plan_investment for s in sites), Decimal(0)),
        recorded_sums=tuple(f for s in sites for f in s.recorded_sums),
        matters={kind: matters[kind] for kind in MatterKind},
        matters_from_engine=tuple(f"{s.site}/{t}" for s in sites for t in s.matters_from_engine),
        inspections=sum(s.inspections for s in sites),
        overdue=tuple(
            sorted((o for s in sites for o in s.overdue), key=lambda o: (o.deadline, o.number))
        ),
    )
