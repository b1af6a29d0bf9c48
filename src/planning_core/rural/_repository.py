"""``RuralRepository``: the rural records on any :class:`~planning_core.storage.Store`.

Each kind of record has its own collection ``rural.<kind>``, keyed as :func:`record_key`
says. A write is one unit of work across every collection it touches, so an import of
townships, villages and plans is stored whole or not at all. Before writing, every reference
is checked against the store and the batch itself (a village's township, a committee's
township, a count's site); a township whose site is new brings the site record with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, TypeVar

import attrs
import cattrs

from planning_core.errors import NotFoundError, ValidationError
from planning_core.rural._data import RECORD_TYPES, RuralData, record_key
from planning_core.rural._inspections import FollowUp, Inspection
from planning_core.rural._places import DemonstrationSite, PlaceRef, Township
from planning_core.rural._plans import Plan, PlanKind, Stage
from planning_core.serialization import dump, load, make_converter
from planning_core.storage import Store

__all__ = ["COLLECTIONS", "KnownPlaces", "RuralRepository"]

T = TypeVar("T")

#: The store collection of each :class:`RuralData` field.
COLLECTIONS: dict[str, str] = {name: f"rural.{name}" for name in RECORD_TYPES}


@attrs.frozen
class KnownPlaces:
    """The keys of the places a store (plus a batch) holds, to check references against."""

    sites: frozenset[str]
    townships: frozenset[str]
    villages: frozenset[str]

    def with_batch(self, batch: RuralData) -> KnownPlaces:
        """These places plus the ones ``batch`` creates (sites of its townships included)."""
        return KnownPlaces(
            self.sites | {s.name for s in batch.sites} | {t.site for t in batch.townships},
            self.townships | {t.ref.key for t in batch.townships},
            self.villages | {v.ref.key for v in batch.villages},
        )

    def problem(
        self, site: str, township: str | None = None, village: str | None = None
    ) -> str | None:
        """What is missing for a record of this place to be stored, or None."""
        if site not in self.sites:
            return f"site {site!r} is not registered; import its townships first"
        if township is not None and f"{site}/{township}" not in self.townships:
            return f"township {township!r} of {site} is not registered; import it first"
        if village is not None and f"{site}/{township}/{village}" not in self.villages:
            return f"village {village!r} of {site} {township} is not registered; import it first"
        return None


def reference_problem(record: object, known: KnownPlaces) -> str | None:
    """What ``record`` refers to that ``known`` lacks, or None."""
    if isinstance(record, DemonstrationSite | Township):
        return None
    if isinstance(record, Plan):
        return known.problem(record.place.site, record.place.township, record.place.village)
    site = getattr(record, "site", None)
    if site is None:
        return None
    return known.problem(site, getattr(record, "township", None))


class RuralRepository:
    """The rural programme's records on a store.

    :param store: any backend of the Store contract (memory, SQLite, PostgreSQL).
    :param converter: the converter to (un)structure records with; by default
        :func:`planning_core.serialization.make_converter`.
    """

    def __init__(self, store: Store, converter: cattrs.Converter | None = None) -> None:
        self._store = store
        self._converter = converter if converter is not None else make_converter()

    # -- reading ----------------------------------------------------------------------

    def snapshot(self, site: str | None = None) -> RuralData:
        """Every rural record, or those of ``site`` only."""
        values: dict[str, list[Any]] = {}
        for name, cls in RECORD_TYPES.items():
            values[name] = self._load_all(COLLECTIONS[name], cls)
        data = RuralData(**values)
        return data if site is None else data.for_site(site)

    def known_places(self) -> KnownPlaces:
        """The keys of every site, township and village stored."""
        return KnownPlaces(
            frozenset(self._keys("sites")),
            frozenset(self._keys("townships")),
            frozenset(self._keys("villages")),
        )

    def plan(self, place: PlaceRef, kind: PlanKind) -> Plan | None:
        """The plan of ``kind`` for ``place``, or None."""
        doc = self._store.get_record(COLLECTIONS["plans"], f"{place.key}#{kind.value}")
        return None if doc is None else load(self._converter, doc, Plan)

    def inspection(self, number: str) -> Inspection:
        """The inspection numbered ``number``.

        :raises NotFoundError: when there is none.
        """
        doc = self._store.get_record(COLLECTIONS["inspections"], number)
        if doc is None:
            raise NotFoundError(f"no inspection numbered {number!r}; check the number")
        return load(self._converter, doc, Inspection)

    # -- writing ----------------------------------------------------------------------

    def write(self, batch: RuralData) -> None:
        """Store every record of ``batch`` in one transaction, replacing same-keyed ones.

        :raises ValidationError: listing every record whose site, township or village is
            neither stored nor in the batch; nothing is written then.
        """
        known = self.known_places().with_batch(batch)
        problems = []
        for _, records in batch.records():
            for record in records:
                problem = reference_problem(record, known)
                if problem is not None:
                    problems.append(f"{type(record).__name__} {record_key(record)}: {problem}")
        if problems:
            raise ValidationError(
                f"{len(problems)} record(s) refer to places that are not registered; "
                f"nothing was stored",
                problems,
            )
        self._write(_with_new_sites(batch, known_sites=self._keys("sites")))

    def put(self, *records: object) -> None:
        """Store ``records`` of any kinds in one transaction (see :meth:`write`)."""
        self.write(_batch_of(records))

    def record_stage(self, place: PlaceRef, kind: PlanKind, stage: Stage, on: dt.date) -> Plan:
        """Move the plan of ``kind`` for ``place`` to ``stage`` on ``on``, creating it if new.

        :raises InvalidStateError: when ``stage`` is not after the plan's current stage.
        """
        plan = self.plan(place, kind) or Plan(kind, place)
        advanced = plan.advance(stage, on)
        self.put(advanced)
        return advanced

    def record_follow_up(self, number: str, follow_up: FollowUp) -> Inspection:
        """Add ``follow_up`` to the inspection numbered ``number``."""
        inspection = self.inspection(number).followed_up(follow_up)
        self.put(inspection)
        return inspection

    # -- helpers ------------------------------------------------------------------------

    def _write(self, batch: RuralData) -> None:
        with self._store.unit_of_work() as uow:
            for name, records in batch.records():
                docs = {record_key(r): dump(self._converter, r) for r in records}
                uow.put_records(COLLECTIONS[name], docs)
            uow.commit()

    def _keys(self, name: str) -> list[str]:
        return [key for key, _ in self._store.list_records(COLLECTIONS[name])]

    def _load_all(self, collection: str, cls: type[T]) -> list[T]:
        return [load(self._converter, doc, cls) for _, doc in self._store.list_records(collection)]


_FIELD_OF_TYPE = {cls: name for name, cls in RECORD_TYPES.items()}


def _batch_of(records: Iterable[object]) -> RuralData:
    groups: dict[str, list[object]] = {}
    for record in records:
        name = _FIELD_OF_TYPE.get(type(record))
        if name is None:
            raise ValidationError(
                f"{type(record).__name__} is not a rural record; "
                f"give sites, townships, villages, plans, committees, counts, …"
            )
        groups.setdefault(name, []).append(record)
    return RuralData(**groups)


def _with_new_sites(batch: RuralData, known_sites: list[str]) -> RuralData:
    have = set(known_sites) | {s.name for s in batch.sites}
    new = [DemonstrationSite(name) for name in sorted({t.site for t in batch.townships} - have)]
    return attrs.evolve(batch, sites=(*batch.sites, *new)) if new else batch
