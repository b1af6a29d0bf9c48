"""``RuralData``: every rural record of a store (or of one import batch) as one value.

Reports, exports and imports work on this value rather than on the store, so they are plain
functions of data and run the same on any backend, or on no store at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from planning_core.rural._inspections import Inspection
from planning_core.rural._matters import MatterCount
from planning_core.rural._money import FundingRecord
from planning_core.rural._places import DemonstrationSite, PlanningCommittee, Township, Village
from planning_core.rural._plans import Plan
from planning_core.rural._systems import Regulation, TrainingPlan, TrainingSession

__all__ = ["RECORD_TYPES", "RuralData", "record_key"]


def record_key(record: object) -> str:
    """The store key of any rural record."""
    if isinstance(record, DemonstrationSite):
        return record.name
    if isinstance(record, Township | Village | PlanningCommittee):
        return record.ref.key
    if isinstance(record, Regulation):
        return record.title
    if isinstance(record, Inspection):
        return record.number
    key = getattr(record, "key", None)
    if not isinstance(key, str):
        raise TypeError(f"{type(record).__name__} is not a rural record")
    return key


def _by_key(records: Iterable[Any]) -> tuple[Any, ...]:
    """attrs converter: records sorted by store key, so equal data compare equal."""
    return tuple(sorted(records, key=record_key))


@attrs.frozen
class RuralData:
    """Rural records of every kind, each tuple sorted by store key (so equal data compare equal)."""

    sites: tuple[DemonstrationSite, ...] = attrs.field(default=(), converter=_by_key)
    townships: tuple[Township, ...] = attrs.field(default=(), converter=_by_key)
    villages: tuple[Village, ...] = attrs.field(default=(), converter=_by_key)
    plans: tuple[Plan, ...] = attrs.field(default=(), converter=_by_key)
    committees: tuple[PlanningCommittee, ...] = attrs.field(default=(), converter=_by_key)
    matter_counts: tuple[MatterCount, ...] = attrs.field(default=(), converter=_by_key)
    funding: tuple[FundingRecord, ...] = attrs.field(default=(), converter=_by_key)
    regulations: tuple[Regulation, ...] = attrs.field(default=(), converter=_by_key)
    training_plans: tuple[TrainingPlan, ...] = attrs.field(default=(), converter=_by_key)
    training_sessions: tuple[TrainingSession, ...] = attrs.field(default=(), converter=_by_key)
    inspections: tuple[Inspection, ...] = attrs.field(default=(), converter=_by_key)

    @property
    def site_names(self) -> list[str]:
        """Every site named by any record, sorted."""
        names = {s.name for s in self.sites} | {t.site for t in self.townships}
        return sorted(names)

    def for_site(self, site: str) -> RuralData:
        """Only the records of ``site`` (city-wide regulations and training plans dropped)."""
        return RuralData(
            sites=[s for s in self.sites if s.name == site],
            townships=[t for t in self.townships if t.site == site],
            villages=[v for v in self.villages if v.site == site],
            plans=[p for p in self.plans if p.place.site == site],
            committees=[c for c in self.committees if c.site == site],
            matter_counts=[m for m in self.matter_counts if m.site == site],
            funding=[f for f in self.funding if f.site == site],
            training_sessions=[s for s in self.training_sessions if s.site == site],
            inspections=[i for i in self.inspections if i.site == site],
        )

    def records(self) -> Iterable[tuple[str, tuple[Any, ...]]]:
        """``(field name, records)`` for every kind, in declaration order."""
        for field in attrs.fields(RuralData):
            yield field.name, getattr(self, field.name)


#: The record class each :class:`RuralData` field holds.
RECORD_TYPES: dict[str, type] = {
    "sites": DemonstrationSite,
    "townships": Township,
    "villages": Village,
    "plans": Plan,
    "committees": PlanningCommittee,
    "matter_counts": MatterCount,
    "funding": FundingRecord,
    "regulations": Regulation,
    "training_plans": TrainingPlan,
    "training_sessions": TrainingSession,
    "inspections": Inspection,
}
