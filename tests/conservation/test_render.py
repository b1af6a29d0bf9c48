"""Reports as JSON, Markdown and SVG."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import attrs
import pytest

from planning_core.conservation import (
    ConsumptionRecord,
    RetrofitFigures,
    SiteProfile,
    Target,
    YearReport,
    build_month_report,
    build_year_report,
    read_csv,
    report_json,
    report_markdown,
    year_chart_svg,
)
from planning_core.errors import ConfigurationError


@pytest.fixture
def report(
    consumption: list[ConsumptionRecord], sites: list[SiteProfile], targets: list[Target]
) -> YearReport:
    return build_year_report(2026, consumption, profiles=sites, targets=targets)


def test_json_keeps_amounts_exact_and_chinese_unescaped(report: YearReport, data_dir: Path) -> None:
    _, retrofits = read_csv((data_dir / "retrofits.csv").read_text(encoding="utf-8"))
    with_retrofit = attrs.evolve(
        report, retrofits=tuple(RetrofitFigures(project, None) for project in retrofits)
    )
    text = report_json(with_retrofit)
    assert "外窗节能改造" in text
    data = json.loads(text)
    electricity = data["resources"][0]
    assert electricity["resource"] == "electricity"
    assert electricity["total"] == "297800"
    assert electricity["change_percent"] == "-4.64"
    assert electricity["attained"] is True
    assert len(electricity["monthly"]) == 12
    assert data["retrofits"][0]["project"]["cost"] == "380000"
    assert data["retrofits"][0]["measured"] is None


def test_markdown_has_one_row_per_resource_with_the_figures(report: YearReport) -> None:
    text = report_markdown(report)
    assert text.startswith("# 2026 年度节能统计")
    rows = [line for line in text.splitlines() if line.startswith("| 用")]
    assert rows[0].split(" | ")[3:6] == ["297800", "312300", "-4.64%"]
    assert "| 用水 water | m³ |" in text
    assert "否 no" in text  # the water target is missed


def test_month_markdown(consumption: list[ConsumptionRecord]) -> None:
    text = report_markdown(build_month_report(2026, 4, consumption))
    assert "# 2026 年 4 月节能统计" in text
    assert "| 用电 electricity | kWh | 19300 | 20000 | -3.50% | 92000 | 96400 | -4.56% |" in text


def test_svg_chart_is_produced_and_reproducible(report: YearReport) -> None:
    svg = year_chart_svg(report)
    assert svg.startswith("<?xml")
    assert "<svg" in svg and svg.rstrip().endswith("</svg>")
    assert "用电（千瓦时）" in svg  # text stays text, the unit in Chinese
    assert "目标：较基准年降低 3%" in svg and "2025年（基准年）" in svg
    assert "<dc:date>" not in svg
    assert year_chart_svg(report) == svg


def test_without_matplotlib_the_error_says_what_to_install(
    report: YearReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.setitem(sys.modules, name, None)  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match=r'pip install "planning-core\[charts\]"'):
        year_chart_svg(report)
