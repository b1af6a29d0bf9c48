"""Township matters: the engine counts the townships whose cases run there; hand counts the rest."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

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


def test_a_permit_types_township_matter_field_decides_for_its_code() -> None:
    import attrs

    from planning_core.permits import TOWNSHIP_MATTERS, reference_permit_types
    from planning_core.rural import matter_kinds

    # the permits room names the same matters the rural room counts
    assert set(TOWNSHIP_MATTERS) == {kind.value for kind in MatterKind}
    reference = {p.code: p for p in reference_permit_types()}
    # a city's own type, as its plugin registers it (only the two fields are read)
    local = SimpleNamespace(code="NEW_HOME", township_matter="rural_construction_permit")
    not_one = attrs.evolve(reference["LAND_USE"], township_matter=None)
    kinds = matter_kinds([*reference.values(), local, not_one])
    assert kinds["NEW_HOME"] is MatterKind.RURAL_CONSTRUCTION_PERMIT
    assert kinds["RURAL_CONSTRUCTION"] is MatterKind.RURAL_CONSTRUCTION_PERMIT
    assert "LAND_USE" not in kinds  # the field said None: the default table gives way
    assert "CONSTRUCTION" not in kinds
    assert kinds["乡村建设规划许可证"] is MatterKind.RURAL_CONSTRUCTION_PERMIT  # defaults kept


def test_a_township_named_by_its_unique_name_is_linked_to_its_code() -> None:
    townships = [*TOWNSHIPS, Township("滦县", "响嘡镇", "130223101")]
    decided = [
        DecidedMatter("乡镇01", MatterKind.RURAL_CONSTRUCTION_PERMIT, DAY),
        DecidedMatter("130208101", MatterKind.RURAL_CONSTRUCTION_PERMIT, DAY),
        DecidedMatter("响嘡镇", MatterKind.LAND_USE_PERMIT, DAY),
        DecidedMatter("无此镇", MatterKind.LAND_USE_PERMIT, DAY),  # matches nothing: not counted
    ]
    recorded = [MatterCount("丰润", MatterKind.RURAL_CONSTRUCTION_PERMIT, 5, "乡镇01")]
    tallies = count_matters(townships, recorded, decided)
    assert tallies["丰润"].counts[MatterKind.RURAL_CONSTRUCTION_PERMIT] == 2  # hand count replaced
    assert tallies["丰润"].engine_townships == ("乡镇01",)
    assert tallies["滦县"].counts[MatterKind.LAND_USE_PERMIT] == 1


def test_a_name_two_sites_share_is_not_guessed() -> None:
    townships = [Township("丰润", "城关镇", "A1"), Township("滦县", "城关镇", "B1")]
    decided = [DecidedMatter("城关镇", MatterKind.LAND_USE_PERMIT, DAY)]
    tallies = count_matters(townships, [], decided)
    assert all(t.total == 0 for t in tallies.values())


def test_a_township_matter_that_names_no_matter_is_refused() -> None:
    import pytest

    from planning_core.errors import ValidationError
    from planning_core.rural import matter_kinds

    with pytest.raises(ValidationError, match=r"'X'.*'rural_permit'.*planning_opinion"):
        matter_kinds([SimpleNamespace(code="X", township_matter="rural_permit")])
