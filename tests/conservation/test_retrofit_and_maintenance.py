"""Retrofits measured from consumption records; vehicle maintenance falling due."""

from __future__ import annotations

from decimal import Decimal

import pendulum
import pytest

from planning_core.conservation import (
    ConsumptionRecord,
    MaintenanceRecord,
    Resource,
    RetrofitProject,
    ServiceInterval,
    build_year_report,
    measured_saving,
)
from planning_core.errors import NotFoundError, ValidationError

WINDOWS = RetrofitProject(
    project_id="R-1",
    item="外窗节能改造",
    site="办公楼",
    resource=Resource.ELECTRICITY,
    completed_on="2025-06-30",
    cost="380000",
    expected_annual_saving="18000",
)


def _months(first: tuple[int, int], amounts: list[int]) -> list[ConsumptionRecord]:
    year, month = first
    records = []
    for amount in amounts:
        records.append(
            ConsumptionRecord(
                year=year,
                month=month,
                site="办公楼",
                resource=Resource.ELECTRICITY,
                amount=amount,
            )
        )
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return records


def test_measured_saving_by_hand() -> None:
    # Three months each side of June 2025 (left out, half old, half new):
    # before March–May 2025: 17 600 + 15 200 + 16 800 = 49 600
    # after July–September 2025: 16 000 + 16 100 + 14 700 = 46 800
    # saving 2 800 over 3 months → 11 200 a year; 2 800 / 49 600 = 5.645 % → 5.65 %
    records = _months((2025, 3), [17600, 15200, 16800, 99999, 16000, 16100, 14700])
    saving = measured_saving(WINDOWS, records, months=3)
    assert (saving.before, saving.after, saving.saving) == (
        Decimal(49600),
        Decimal(46800),
        Decimal(2800),
    )
    assert saving.annual_saving == Decimal(11200)
    assert saving.saving_percent == Decimal("5.65")


def test_missing_months_are_listed() -> None:
    records = _months((2025, 3), [17600, 15200, 16800, 99999, 16000])
    with pytest.raises(NotFoundError, match="2025-08, 2025-09"):
        measured_saving(WINDOWS, records, months=3)


def test_other_sites_and_resources_do_not_count() -> None:
    records = _months((2025, 3), [100, 100, 100, 100, 90, 90, 90])
    elsewhere = [
        ConsumptionRecord(year=2025, month=8, site="档案楼", resource=r.resource, amount=5000)
        for r in records[:1]
    ]
    assert measured_saving(WINDOWS, records + elsewhere, months=3).saving == Decimal(30)


def test_year_report_lists_the_retrofit_and_measures_it_once_a_year_each_side_is_known() -> None:
    # 12 months before (2024-06..2025-05) at 20 000, June 2025, 12 after at 18 500.
    records = _months((2024, 6), [20000] * 12 + [19000] + [18500] * 12)
    report_2025 = build_year_report(2025, records, retrofits=[WINDOWS])
    assert report_2025.retrofits[0].measured is None
    report_2026 = build_year_report(2026, records, retrofits=[WINDOWS])
    measured = report_2026.retrofits[0].measured
    assert measured is not None
    assert measured.annual_saving == Decimal(18000)  # 12 × (20 000 - 18 500)


def test_service_interval_sets_the_next_service_by_date_and_mileage() -> None:
    record = ServiceInterval(months=6, km=Decimal(5000)).next_service(
        "冀B·12345", pendulum.date(2026, 1, 20), Decimal(48200), "更换机油和滤芯"
    )
    assert record.next_due_on == pendulum.date(2026, 7, 20)
    assert record.next_due_km == Decimal(53200)
    assert not record.is_due(pendulum.date(2026, 7, 19), Decimal(53199))
    assert record.is_due(pendulum.date(2026, 7, 20), Decimal(50000))
    assert record.is_due(pendulum.date(2026, 3, 1), Decimal(53200))


def test_maintenance_needs_a_next_due_date_or_mileage_after_this_one() -> None:
    with pytest.raises(ValidationError, match="due date, due mileage, or both"):
        MaintenanceRecord(plate="冀B·12345", done_on="2026-01-20", odometer_km="48200", work="保养")
    with pytest.raises(ValidationError, match="beyond the odometer"):
        MaintenanceRecord(
            plate="冀B·12345",
            done_on="2026-01-20",
            odometer_km="48200",
            work="保养",
            next_due_km="48000",
        )
