"""Township matters: the engine counts the townships whose cases run there; hand counts the rest."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from planning_core.rural import (
    PERMIT_TYPE_MATTER_KINDS,
    DecidedMatter,
    MatterCount,
    MatterKind,
    Township,
    count_matters,
    matter_from_case,
)

DAY = dt.date(2022, 1, 13)
TOWNSHIPS = [Township("丰润", f"乡镇{i:02d}", f"1302081{i:02d}") for i in range(1, 5)]


def test_permit_types_map_to_township_matters() -> None:
    assert matter_from_case("130208101", "乡村建设规划许可证", DAY) == DecidedMatter(
        "130208101", MatterKind.RURAL_CONSTRUCTION_PERMIT, DAY
    )
    assert PERMIT_TYPE_MATTER_KINDS["建设用地规划许可证"] is MatterKind.LAND_USE_PERMIT
    assert PERMIT_TYPE_MATTER_KINDS["选址意见书"] is MatterKind.SITE_SELECTION_OPINION
    assert matter_from_case("130208101", "建设工程规划许可证", DAY) is None
    custom = {"RCP": MatterKind.RURAL_CONSTRUCTION_PERMIT}
    assert matter_from_case("130208101", "RCP", DAY, custom) is not None


def test_engine_counts_replace_the_recorded_counts_of_its_townships() -> None:
    recorded = [
        MatterCount("丰润", MatterKind.RURAL_CONSTRUCTION_PERMIT, 5, "乡镇01"),
        MatterCount("丰润", MatterKind.RURAL_CONSTRUCTION_PERMIT, 7, "乡镇02"),
        MatterCount("丰润", MatterKind.PLANNING_OPINION, 100),  # site-wide: always added
    ]
    decided = [DecidedMatter("130208101", MatterKind.RURAL_CONSTRUCTION_PERMIT, DAY)] * 2
    tally = count_matters(TOWNSHIPS, recorded, decided)["丰润"]
    assert tally.counts[MatterKind.RURAL_CONSTRUCTION_PERMIT] == 2 + 7
    assert tally.counts[MatterKind.PLANNING_OPINION] == 100
    assert tally.engine_townships == ("乡镇01",)


def test_a_township_declared_in_the_engine_counts_zero_rather_than_its_hand_count() -> None:
    recorded = [MatterCount("丰润", MatterKind.LAND_USE_PERMIT, 6, "乡镇03")]
    tally = count_matters(TOWNSHIPS, recorded, [], engine_townships={"130208103"})["丰润"]
    assert tally.counts[MatterKind.LAND_USE_PERMIT] == 0
    assert tally.engine_townships == ("乡镇03",)


def test_engine_matters_after_the_day_and_of_unknown_townships_are_not_counted() -> None:
    decided = [
        DecidedMatter("130208101", MatterKind.LAND_USE_PERMIT, DAY + dt.timedelta(days=1)),
        DecidedMatter("999", MatterKind.LAND_USE_PERMIT, DAY),
    ]
    tallies = count_matters(TOWNSHIPS, [], decided, until=DAY)
    assert tallies["丰润"].total == 0


_COUNTS = st.lists(
    st.builds(
        MatterCount,
        site=st.just("丰润"),
        kind=st.sampled_from(MatterKind),
        count=st.integers(0, 1000),
        township=st.none() | st.sampled_from([t.name for t in TOWNSHIPS]),
    )
)
_DECIDED = st.lists(
    st.builds(
        DecidedMatter,
        township_code=st.sampled_from([t.code or "" for t in TOWNSHIPS]),
        kind=st.sampled_from(MatterKind),
        decided_on=st.just(DAY),
    )
)


@given(_COUNTS, _DECIDED)
def test_total_is_engine_cases_plus_hand_counts_of_townships_outside_it(
    recorded: list[MatterCount], decided: list[DecidedMatter]
) -> None:
    in_engine = {t.name for t in TOWNSHIPS if t.code in {m.township_code for m in decided}}
    expected = len(decided) + sum(c.count for c in recorded if c.township not in in_engine)
    tallies = count_matters(TOWNSHIPS, recorded, decided)
    assert sum(t.total for t in tallies.values()) == expected
    for tally in tallies.values():
        assert list(tally.counts) == list(MatterKind)
