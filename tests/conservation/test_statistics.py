"""Statistics and reports over the sample year, checked against hand calculations.

The fixture (data/consumption_2025_2026.csv) holds 2025, the baseline year, and 2026. The
figures below were added up by hand from its rows; the test first checks that the rows are
the ones summed, then that the library gives the same results.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planning_core.conservation import (
    ConsumptionRecord,
    Resource,
    SiteProfile,
    Target,
    build_month_report,
    build_year_report,
    monthly_totals,
    per_unit,
    percent_change,
    target_attainment,
    total,
    year_on_year,
)
from planning_core.errors import NotFoundError, ValidationError

# 办公楼 (main building) electricity, kWh, January to December, as in the fixture.
MAIN_2025 = [21500, 19800, 17600, 15200, 16800, 22400, 26900, 27300, 20100, 16400, 17900, 21000]
MAIN_2026 = [20300, 18500, 16900, 14600, 15900, 21200, 25400, 25800, 19200, 15700, 17100, 20100]
# 档案楼 (archive building) electricity, kWh.
ARCHIVE_2025 = [6200, 5900, 5400, 4800, 5000, 6100, 7000, 7200, 5600, 4900, 5300, 6000]
ARCHIVE_2026 = [6000, 5700, 5300, 4700, 4900, 5800, 6700, 6900, 5400, 4800, 5100, 5800]


def test_fixture_rows_are_the_ones_added_up_by_hand(consumption: list[ConsumptionRecord]) -> None:
    def months(year: int, site: str) -> list[Decimal]:
        series = monthly_totals(consumption, year, Resource.ELECTRICITY, site=site)
        return [series[m] for m in range(1, 13)]

    assert months(2025, "办公楼") == [Decimal(v) for v in MAIN_2025]
    assert months(2026, "办公楼") == [Decimal(v) for v in MAIN_2026]
    assert months(2025, "档案楼") == [Decimal(v) for v in ARCHIVE_2025]
    assert months(2026, "档案楼") == [Decimal(v) for v in ARCHIVE_2026]


def test_electricity_year_on_year_by_hand(
    consumption: list[ConsumptionRecord], sites: list[SiteProfile], targets: list[Target]
) -> None:
    # 办公楼 2025: 21500+19800+17600+15200+16800+22400+26900+27300+20100+16400+17900+21000
    #            = 242 900;  2026: 20300+18500+16900+14600+15900+21200+25400+25800+19200
    #            +15700+17100+20100 = 230 700
    # 档案楼 2025: 6200+5900+5400+4800+5000+6100+7000+7200+5600+4900+5300+6000 = 69 400
    #        2026: 6000+5700+5300+4700+4900+5800+6700+6900+5400+4800+5100+5800 = 67 100
    # bureau 2025: 242 900 + 69 400 = 312 300;  2026: 230 700 + 67 100 = 297 800
    # change: 297 800 - 312 300 = -14 500;  -14 500 / 312 300 = -4.6430 % → -4.64 %
    # headcount 2026: 86 + 12 + 8 = 106;  297 800 / 106 = 2 809.4339… → 2 809.434 kWh
    # floor area 2026: 5 200.5 + 1 800 + 600 = 7 600.5 m²;  297 800 / 7 600.5 = 39.1816… → 39.182
    # target: 3 % below 2025: 312 300 × 0.97 = 302 931 ≥ 297 800 → attained
    report = build_year_report(2026, consumption, profiles=sites, targets=targets)
    electricity = report.figures(Resource.ELECTRICITY)
    assert electricity.total == Decimal(297800)
    assert electricity.previous_total == Decimal(312300)
    assert electricity.change == Decimal(-14500)
    assert electricity.change_percent == Decimal("-4.64")
    assert report.headcount == 106
    assert report.floor_area_m2 == Decimal("7600.5")
    assert electricity.per_capita == Decimal("2809.434")
    assert electricity.per_m2 == Decimal("39.182")
    assert electricity.baseline_year == 2025
    assert electricity.target_allowed == Decimal(302931)
    assert electricity.attained is True
    assert electricity.achieved_reduction_percent == Decimal("4.64")


def test_other_resources_year_on_year_by_hand(
    consumption: list[ConsumptionRecord], targets: list[Target]
) -> None:
    # water m³: 办公楼 2025 = 410+380+430+450+470+520+560+550+480+440+400+390 = 5 480,
    #   2026 = 395.5+370+415+430+450.5+500+530+525+460+425+390+380 = 5 271.0;
    #   档案楼 2025 = 95+88+92+96+101+110+118+115+104+97+91+89 = 1 196,
    #   2026 = 93+86+90+94+98+106+113+111+100+95+89+87 = 1 162.
    #   bureau 6 676 → 6 433.0: -243.0 / 6 676 = -3.6399 % → -3.64 %.
    #   target 5 %: 6 676 × 0.95 = 6 342.2 < 6 433.0 → not attained.
    # fuel L (车队): 1850+1720+1900+1650+1880+1910+1840+1800+1600+1870+1890+1930 = 21 840,
    #   1700+1580+1760+1480+1720+1750+1690+1660+1450+1710+1730+1770 = 20 000;
    #   -1 840 / 21 840 = -8.4249 % → -8.42 %.
    # paper reams: 120+95+130+125+128+132+118+110+126+115+135+160 = 1 494,
    #   105+82+112+108+110+115+102+96+109+100+118+140 = 1 297;  -197 / 1 494 = -13.186 % → -13.19 %.
    report = build_year_report(2026, consumption, targets=targets)
    water = report.figures(Resource.WATER)
    assert (water.previous_total, water.total) == (Decimal(6676), Decimal("6433.0"))
    assert water.change_percent == Decimal("-3.64")
    assert water.target_allowed == Decimal("6342.2")
    assert water.attained is False
    fuel = report.figures(Resource.FUEL)
    assert (fuel.previous_total, fuel.total, fuel.change_percent) == (
        Decimal(21840),
        Decimal(20000),
        Decimal("-8.42"),
    )
    paper = report.figures(Resource.PAPER)
    assert (paper.previous_total, paper.total, paper.change_percent) == (
        Decimal(1494),
        Decimal(1297),
        Decimal("-13.19"),
    )
    assert report.headcount is None
    assert paper.per_capita is None


def test_monthly_report_by_hand(consumption: list[ConsumptionRecord]) -> None:
    # April electricity: 2026 = 14 600 + 4 700 = 19 300; 2025 = 15 200 + 4 800 = 20 000
    #   → -700 / 20 000 = -3.50 %.
    # January–April 2026: (20300+18500+16900+14600) + (6000+5700+5300+4700) = 70 300 + 21 700
    #   = 92 000; 2025: (21500+19800+17600+15200) + (6200+5900+5400+4800) = 74 100 + 22 300
    #   = 96 400 → -4 400 / 96 400 = -4.5643 % → -4.56 %.
    report = build_month_report(2026, 4, consumption)
    electricity = next(f for f in report.resources if f.resource is Resource.ELECTRICITY)
    assert (electricity.amount, electricity.previous) == (Decimal(19300), Decimal(20000))
    assert electricity.change_percent == Decimal("-3.50")
    assert (electricity.year_to_date, electricity.previous_year_to_date) == (
        Decimal(92000),
        Decimal(96400),
    )
    assert electricity.year_to_date_change_percent == Decimal("-4.56")


def test_a_part_year_is_compared_with_the_same_months(
    consumption: list[ConsumptionRecord],
) -> None:
    first_quarter = [r for r in consumption if r.year == 2025 or r.month <= 3]
    yoy = year_on_year(first_quarter, 2026, Resource.ELECTRICITY)
    assert yoy.months == (1, 2, 3)
    # (20300+18500+16900) + (6000+5700+5300) = 72 700 against
    # (21500+19800+17600) + (6200+5900+5400) = 76 400
    assert (yoy.current, yoy.previous) == (Decimal(72700), Decimal(76400))


def test_a_year_without_records_is_refused(consumption: list[ConsumptionRecord]) -> None:
    with pytest.raises(ValidationError, match="2030"):
        build_year_report(2030, consumption)
    with pytest.raises(ValidationError, match="2030-01"):
        build_month_report(2030, 1, consumption)


def test_asking_for_a_resource_not_recorded_names_the_recorded_ones(
    consumption: list[ConsumptionRecord],
) -> None:
    report = build_year_report(2026, consumption)
    with pytest.raises(NotFoundError, match="electricity, water, fuel, paper"):
        report.figures(Resource.TONER)


def test_percent_change_and_per_unit_round_half_up() -> None:
    assert percent_change(Decimal("100.125"), Decimal(100)) == Decimal("0.13")
    assert percent_change(Decimal(5), Decimal(0)) is None
    assert per_unit(Decimal("1.0005"), 1) == Decimal("1.001")
    assert per_unit(Decimal(1), None) is None


_amounts = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False)
_records = st.lists(
    st.builds(
        ConsumptionRecord,
        year=st.sampled_from([2025, 2026]),
        month=st.integers(1, 12),
        site=st.sampled_from(["办公楼", "档案楼"]),
        resource=st.sampled_from([Resource.ELECTRICITY, Resource.WATER]),
        amount=_amounts,
    ),
    max_size=60,
)


@given(records=_records)
def test_the_year_is_the_sum_of_its_months(records: list[ConsumptionRecord]) -> None:
    for resource in (Resource.ELECTRICITY, Resource.WATER):
        months = monthly_totals(records, 2026, resource)
        assert total(records, 2026, resource) == sum(months.values(), Decimal(0))
        by_site = sum(
            (total(records, 2026, resource, site=s) for s in ("办公楼", "档案楼")), Decimal(0)
        )
        assert by_site == total(records, 2026, resource)


@given(records=_records, reduction=st.decimals(min_value=0, max_value=100, places=1))
def test_a_target_is_attained_exactly_when_use_is_within_the_allowance(
    records: list[ConsumptionRecord], reduction: Decimal
) -> None:
    target = Target(
        year=2026, resource=Resource.ELECTRICITY, baseline_year=2025, reduction_percent=reduction
    )
    attainment = target_attainment(records, target)
    assert attainment.attained == (attainment.actual <= attainment.allowed)
    assert attainment.allowed <= attainment.baseline


@given(records=_records)
def test_year_on_year_change_is_current_minus_previous(records: list[ConsumptionRecord]) -> None:
    yoy = year_on_year(records, 2026, Resource.WATER)
    assert yoy.change == yoy.current - yoy.previous
    if yoy.change_percent is not None:
        assert (yoy.change_percent > 0) <= (yoy.change > 0)
        assert (yoy.change_percent < 0) <= (yoy.change < 0)
