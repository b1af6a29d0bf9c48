"""Export then import gives the same data, for every sheet, with and without a BOM."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from planning_core.rural import (
    SHEETS,
    ChairRole,
    DemonstrationSite,
    FundingRecord,
    MatterCount,
    MatterKind,
    PlaceRef,
    Plan,
    PlanKind,
    PlanningCommittee,
    RecordedSum,
    RuralData,
    RuralRepository,
    Stage,
    StageChange,
    SumPrecision,
    Township,
    Village,
    export_csv,
    import_csv,
)
from planning_core.rural._checks import name_problem
from planning_core.storage import open_store

# Chinese, ASCII, and the characters CSV must quote (comma, quote) or Markdown must escape.
_ALPHABET = "丰润迁安滦县开平乡镇村庄响嘡郑越河张李王abcXYZ019 ,\"'|-()（）·"
NAMES = st.text(_ALPHABET, min_size=1, max_size=6).filter(lambda s: name_problem(s) is None)
MEMBER = NAMES.filter(lambda s: "," not in s)
DAYS = st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31))
YUAN = st.one_of(
    st.integers(0, 10**10).map(Decimal),
    st.decimals(0, 10**8, places=2, allow_nan=False, allow_infinity=False),
)


@st.composite
def histories(draw: st.DrawFn) -> tuple[StageChange, ...]:
    stages = sorted(draw(st.sets(st.sampled_from(Stage))), key=lambda s: s.order)
    day = draw(DAYS)
    changes = []
    for stage in stages:
        day += dt.timedelta(days=draw(st.integers(0, 400)))
        changes.append(StageChange(stage, day))
    return tuple(changes)


def _plans(draw: st.DrawFn, place: PlaceRef) -> list[Plan]:
    kinds = [k for k in PlanKind if k.subject_problem(place) is None]
    return [
        Plan(
            kind,
            place,
            draw(histories()),
            draw(st.none() | NAMES),
            draw(st.none() | DAYS),
            draw(st.none() | YUAN),
        )
        for kind in draw(st.sets(st.sampled_from(kinds)))
    ]


@st.composite
def rural_data(draw: st.DrawFn) -> RuralData:
    townships: list[Township] = []
    for site in draw(st.lists(NAMES, min_size=1, max_size=3, unique=True)):
        names = draw(st.lists(NAMES, min_size=1, max_size=3, unique=True))
        townships += [
            Township(site, n, draw(st.none() | st.just(f"C{len(townships)}{i}")))
            for i, n in enumerate(names)
        ]
    villages = [
        Village(t.site, t.name, n)
        for t in townships
        for n in draw(st.lists(NAMES, max_size=3, unique=True))
    ]
    places = [t.ref for t in townships] + [v.ref for v in villages]
    sites = sorted({t.site for t in townships})
    return RuralData(
        sites=[DemonstrationSite(s) for s in sites],
        townships=townships,
        villages=villages,
        plans=[p for place in places for p in _plans(draw, place)],
        committees=[draw(_committee(t)) for t in townships if draw(st.booleans())],
        matter_counts=[c for s in sites for c in draw(_counts(s, townships))],
        funding=[f for s in sites for f in draw(_funding(s, townships))],
    )


@st.composite
def _committee(draw: st.DrawFn, township: Township) -> PlanningCommittee:
    office = draw(st.booleans())
    return PlanningCommittee(
        township.site,
        township.name,
        draw(st.none() | st.sampled_from(ChairRole)),
        draw(st.none() | NAMES),
        tuple(draw(st.lists(MEMBER, max_size=4, unique=True))),
        draw(st.none() | DAYS),
        office,
        draw(st.none() | NAMES) if office else None,
    )


def _township_of(site: str, townships: list[Township]) -> st.SearchStrategy[str | None]:
    return st.none() | st.sampled_from([t.name for t in townships if t.site == site])


@st.composite
def _counts(draw: st.DrawFn, site: str, townships: list[Township]) -> list[MatterCount]:
    found: dict[str, MatterCount] = {}
    for _ in range(draw(st.integers(0, 4))):
        count = MatterCount(
            site,
            draw(st.sampled_from(MatterKind)),
            draw(st.integers(0, 10**6)),
            draw(_township_of(site, townships)),
            draw(st.none() | DAYS),
        )
        found[count.key] = count
    return list(found.values())


@st.composite
def _funding(draw: st.DrawFn, site: str, townships: list[Township]) -> list[FundingRecord]:
    found: dict[str, FundingRecord] = {}
    for _ in range(draw(st.integers(0, 3))):
        record = FundingRecord(
            site,
            draw(NAMES),
            RecordedSum(draw(YUAN), draw(st.sampled_from(SumPrecision))),
            draw(_township_of(site, townships)),
            draw(st.none() | DAYS),
        )
        found[record.key] = record
    return list(found.values())


@settings(max_examples=60, deadline=None)
@given(rural_data(), st.booleans())
def test_export_then_import_gives_the_same_data(data: RuralData, bom: bool) -> None:
    with open_store("memory://") as store:
        repository = RuralRepository(store)
        for sheet in SHEETS:
            text = export_csv(data, sheet)
            import_csv(repository, ("\ufeff" + text).encode() if bom else text.encode())
        assert repository.snapshot() == data
        again = repository.snapshot()
        assert all(export_csv(again, s) == export_csv(data, s) for s in SHEETS)


@settings(max_examples=30, deadline=None)
@given(rural_data())
def test_importing_the_same_file_twice_changes_nothing(data: RuralData) -> None:
    with open_store("memory://") as store:
        repository = RuralRepository(store)
        for _ in range(2):
            for sheet in SHEETS:
                import_csv(repository, export_csv(data, sheet))
        assert repository.snapshot() == data
