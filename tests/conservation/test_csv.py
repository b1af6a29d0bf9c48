"""Reading CSV files: kinds by header, every bad cell reported at once."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from planning_core.conservation import (
    ConsumptionRecord,
    Resource,
    RetrofitProject,
    SiteProfile,
    Target,
    read_csv,
)
from planning_core.errors import ValidationError


@pytest.mark.parametrize(
    ("name", "kind", "cls", "count"),
    [
        ("consumption_2025_2026.csv", "consumption", ConsumptionRecord, 144),
        ("sites.csv", "sites", SiteProfile, 6),
        ("targets.csv", "targets", Target, 4),
        ("retrofits.csv", "retrofits", RetrofitProject, 1),
    ],
)
def test_sample_files_are_read_by_their_header(
    data_dir: Path, name: str, kind: str, cls: type, count: int
) -> None:
    found, records = read_csv((data_dir / name).read_text(encoding="utf-8"))
    assert found == kind
    assert len(records) == count
    assert all(isinstance(r, cls) for r in records)


def test_columns_in_any_order_chinese_names_bom_and_m3() -> None:
    text = "\ufeffunit,amount,site,resource,month\nm3,395.5,办公楼,水,2026-01\n"
    _, [record] = read_csv(text)
    assert record == ConsumptionRecord(
        year=2026, month=1, site="办公楼", resource=Resource.WATER, amount=Decimal("395.5")
    )


def test_every_problem_is_reported_with_row_and_column() -> None:
    text = (
        "month,site,resource,amount,unit\n"
        "2026-01,办公楼,electricity,21500,kWh\n"
        "2026-13,办公楼,electricity,abc,kWh\n"
        "2026-02,,gas,10,m3\n"
        "2026-03,办公楼,electricity,21.5,MWh\n"
        "2026-01,办公楼,electricity,21400,kWh\n"
        "2026-04,办公楼,water,-3,m3\n"
    )
    with pytest.raises(ValidationError) as info:
        read_csv(text, source="april.csv")
    problems = info.value.problems
    assert "april.csv" in str(info.value)
    assert "nothing was recorded" in str(info.value)
    assert any(p.startswith("row 3, column month") for p in problems)
    assert any(p.startswith("row 3, column amount") and "'abc'" in p for p in problems)
    assert any(p.startswith("row 4, column site") for p in problems)
    assert any(p.startswith("row 4, column resource") and "'gas'" in p for p in problems)
    assert any(p.startswith("row 5, column unit") and "MWh" in p for p in problems)
    assert any(p.startswith("row 6") and "repeats row 2" in p for p in problems)
    assert any(p.startswith("row 7") and "negative" in p for p in problems)
    assert len(problems) == 7


def test_an_unknown_header_lists_the_known_ones() -> None:
    with pytest.raises(ValidationError, match="consumption: amount, month, resource, site, unit"):
        read_csv("month,site,kwh\n2026-01,办公楼,100\n")


def test_a_header_without_rows_is_refused() -> None:
    with pytest.raises(ValidationError, match="no rows"):
        read_csv("year,site,headcount,floor_area_m2\n")


def test_too_many_cells_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        read_csv("year,site,headcount,floor_area_m2\n2026,办公楼,86,5200.5,extra\n")
    assert info.value.problems == (
        "line 2 has 5 cell(s) but the header has 4; give every column (blank where empty)",
    )


@pytest.mark.parametrize(
    ("resource", "unit"),
    [
        ("电", "度"),
        ("electricity", "千瓦时"),
        ("electricity", "KWH"),
        ("水", "吨"),
        ("water", "立方米"),
        ("油", "升"),
        ("纸张", "令"),
        ("paper", "ream"),
        ("硒鼓", "个"),
        ("toner", "盒"),
    ],
)
def test_units_as_a_bureau_writes_them_are_accepted(resource: str, unit: str) -> None:
    _, [record] = read_csv(
        f"month,site,resource,amount,unit\n2026-01,办公楼,{resource},12,{unit}\n"
    )
    assert isinstance(record, ConsumptionRecord) and record.amount == Decimal(12)


@pytest.mark.parametrize(("resource", "unit"), [("电", "万千瓦时"), ("纸张", "张"), ("水", "升")])
def test_a_unit_of_another_size_is_still_refused(resource: str, unit: str) -> None:
    with pytest.raises(ValidationError) as caught:
        read_csv(f"month,site,resource,amount,unit\n2026-01,办公楼,{resource},12,{unit}\n")
    [problem] = caught.value.problems
    assert problem.startswith("row 2, column unit") and repr(unit) in problem
    assert "convert the amounts" in problem


def test_chinese_headers_read_as_the_english_ones() -> None:
    consumption = "月份,场所,资源,用量,单位\n2026-01,办公楼,电,21500,度\n"
    assert read_csv(consumption) == read_csv(
        "month,site,resource,amount,unit\n2026-01,办公楼,electricity,21500,kWh\n"
    )
    sites = "年度,场所,人数,建筑面积(m²)\n2026,办公楼,86,5200.5\n"
    assert read_csv(sites)[0] == "sites"
    targets = "年度,资源,基准年,目标降幅(%)\n2026,电,2025,3\n"
    assert read_csv(targets)[0] == "targets"
    retrofits = (
        "项目编号,改造项目,场所,资源,完工日期,投资(元),预计年节约\n"
        "R-1,LED照明改造,办公楼,电,2026-05-20,86000,18000\n"
    )
    kind, [project] = read_csv(retrofits)
    assert kind == "retrofits" and isinstance(project, RetrofitProject)
    mixed = "month,场所,resource,用量,unit\n2026-01,办公楼,电,1,kWh\n"
    assert read_csv(mixed)[0] == "consumption"


@pytest.mark.parametrize("resource", list(Resource))
def test_the_chinese_unit_a_summary_prints_is_one_the_csv_reads_back(resource: Resource) -> None:
    from planning_core.conservation._csv import UNIT_SPELLINGS

    assert resource.unit_zh in UNIT_SPELLINGS[resource]
    assert resource.unit in UNIT_SPELLINGS[resource]
