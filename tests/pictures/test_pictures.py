"""Pictures a bureau prints: each rendered to PNG, not blank, every label on the canvas.

Besides the two checks every picture gets (``_check``), each test asserts what issue #23
asked of that picture: whole-number ticks where cases are counted, axes from zero, the
target and the retrofit on the conservation chart, Chinese legends; a site map with a
legend and named roads and pipelines (gas apart from water) cut to its view; workflow
pictures with post names, condition meanings and a meeting colour no light uses.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import attrs
import pytest
from _support.geo import rect
from hypothesis import given, settings
from hypothesis import strategies as st
from pictures._check import (
    assert_figure_text_inside,
    assert_not_blank,
    assert_text_inside,
    png_of,
    text_boxes,
)
from pictures._samples import SITE, site_catalogue
from reports._demo import demo_engine

from planning_core.conservation import (
    Resource,
    RetrofitFigures,
    RetrofitProject,
    YearReport,
    build_year_report,
    read_csv,
    year_chart_svg,
)
from planning_core.geo import render_svg, site_map
from planning_core.permits import reference_permit_types
from planning_core.reports import ApprovalStatistics, approval_statistics
from planning_core.reports._charts import cases_per_month_svg, on_time_svg
from planning_core.testing.strategies import workflows
from planning_core.workflow import LIGHT_STYLES, WorkflowDefinition
from planning_core.workflow._render import to_svg

matplotlib = pytest.importorskip("matplotlib")

CONSERVATION = Path(__file__).resolve().parents[1] / "conservation" / "data"
#: The committed pictures the docs show (regenerate: PLANNING_CORE_PICTURES=docs/img).
DOCS_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "img"
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _records(name: str) -> list[Any]:
    return read_csv((CONSERVATION / name).read_text(encoding="utf-8"), source=name)[1]


@pytest.fixture(scope="module")
def year_report() -> YearReport:
    """2026 against 2025, with targets for four resources and the 2025 window retrofit."""
    return build_year_report(
        2026,
        _records("consumption_2025_2026.csv"),
        profiles=_records("sites.csv"),
        targets=_records("targets.csv"),
        retrofits=_records("retrofits.csv"),
    )


@pytest.fixture(scope="module")
def demo_statistics() -> ApprovalStatistics:
    """The demo's year: a handful of cases a month, where a float axis ticks at 2.5 cases."""
    return approval_statistics(demo_engine(), dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def _legend_texts(figure: Any) -> list[str]:
    return [
        t.get_text() for axes in figure.axes if axes.get_legend() for t in axes.get_legend().texts
    ]


# -- the conservation chart -------------------------------------------------------------


def test_the_conservation_chart_prints_from_zero_with_target_and_retrofit(
    year_report: YearReport, tmp_path: Path
) -> None:
    from planning_core._charts import chart_settings as _rc
    from planning_core.conservation._chart import _year_figure

    assert_not_blank(png_of(year_chart_svg(year_report), tmp_path / "conservation-year-chart.png"))
    with matplotlib.rc_context(_rc()):
        figure = _year_figure(year_report)
        assert_figure_text_inside(figure)
    for axes in figure.axes:
        assert axes.get_ylim()[0] == 0, axes.get_title()
        assert all(float(v).is_integer() for v in axes.get_yticks())
    legends = _legend_texts(figure)
    assert "year" not in " ".join(legends)
    assert all(_CJK.search(text) for text in legends), legends
    assert "2025年（基准年）" in legends and "2026年" in legends
    # the four resources with a target each show it; the retrofit saved electricity
    assert legends.count("目标：较基准年降低 3%") == 1
    assert sum(text.startswith("目标：") for text in legends) == 4
    assert legends.count("节能改造完成") == 1
    electricity = figure.axes[0]
    notes = [t.get_text() for t in electricity.texts]
    assert notes == ["外窗节能改造(中空玻璃)\n2025年6月30日完成"]


def test_a_retrofit_of_this_year_is_marked_on_its_resource_only(year_report: YearReport) -> None:
    from planning_core._charts import chart_settings as _rc
    from planning_core.conservation._chart import _year_figure

    project = RetrofitProject(
        project_id="R-2026-01",
        item="节水器具更换",
        site="办公楼",
        resource=Resource.WATER,
        completed_on="2026-03-15",
        cost="12000",
        expected_annual_saving="300",
    )
    report = attrs.evolve(year_report, retrofits=(RetrofitFigures(project, None),))
    with matplotlib.rc_context(_rc()):
        figure = _year_figure(report)
        assert_figure_text_inside(figure)
    notes = {axes.get_title(): [t.get_text() for t in axes.texts] for axes in figure.axes}
    assert notes["用水（吨）"] == ["节水器具更换\n2026年3月15日完成"]
    assert notes["用电（千瓦时）"] == []
    (mark,) = [line for line in figure.axes[1].lines if line.get_label() == "节能改造完成"]
    assert 2.5 < mark.get_xdata()[0] < 3.5  # within March


# -- the approval charts ----------------------------------------------------------------


def test_cases_per_month_ticks_whole_cases_from_zero(
    demo_statistics: ApprovalStatistics, tmp_path: Path
) -> None:
    from planning_core._charts import chart_settings as _rc
    from planning_core.reports._charts import _draw_cases, _figure

    assert_not_blank(
        png_of(cases_per_month_svg(demo_statistics), tmp_path / "reports-cases-per-month.png")
    )
    with matplotlib.rc_context(_rc()):
        figure = _figure("每月收件与作出决定件数", _draw_cases(demo_statistics))
        assert_figure_text_inside(figure)
    (axes,) = figure.axes
    assert axes.get_ylim()[0] == 0
    ticks = [float(v) for v in axes.get_yticks() if 0 <= v <= axes.get_ylim()[1]]
    assert len(ticks) >= 3 and all(v.is_integer() for v in ticks), ticks
    assert _legend_texts(figure) == ["收件", "作出决定"]
    assert axes.get_xticklabels()[0].get_text() == "1月"


def test_the_on_time_chart_runs_from_zero_to_a_hundred(
    demo_statistics: ApprovalStatistics, tmp_path: Path
) -> None:
    from planning_core._charts import chart_settings as _rc
    from planning_core.reports._charts import _draw_on_time, _figure

    assert_not_blank(png_of(on_time_svg(demo_statistics), tmp_path / "reports-on-time.png"))
    with matplotlib.rc_context(_rc()):
        figure = _figure("每月按时办结率", _draw_on_time(demo_statistics))
        assert_figure_text_inside(figure)
    (axes,) = figure.axes
    low, high = axes.get_ylim()
    assert low == 0 and high >= 100
    assert _legend_texts(figure) == ["承诺时限内办结", "法定时限内办结"]


# -- the site map -----------------------------------------------------------------------


def test_the_site_map_has_a_legend_and_names_roads_and_pipelines(tmp_path: Path) -> None:
    svg = render_svg(site_map(SITE, site_catalogue(), margin_m=50), title="凤凰新城 用地范围图")
    assert_not_blank(png_of(svg, tmp_path / "geo-site-map.png"), inked=0.2)
    assert_text_inside(svg)
    assert not _overlapping(svg)
    texts = [text for text, _ in text_boxes(svg)]
    for name in ("建设路", "学院南路", "建设路燃气中压管 DN300", "建设路给水干管"):
        assert name in texts
    assert "图例" in texts
    for entry in ("道路红线", "燃气管线", "给水管线", "R 居住用地", "用地范围（本案）"):
        assert entry in texts
    # gas and water are drawn in different colours, each as its legend says
    gas = re.search(r'data-feature="pipeline-test/G1"[^>]*stroke="(#\w+)"', svg)
    water = re.search(r'data-feature="pipeline-test/W1"[^>]*stroke="(#\w+)"', svg)
    assert gas and water and gas.group(1) != water.group(1)


def test_the_site_map_is_cut_to_its_view() -> None:
    svg = render_svg(site_map(SITE, site_catalogue(), margin_m=50))
    frame = re.search(r'<rect x="0" y="0" width="800" height="(\d+)"', svg)
    assert frame is not None
    width, height = 800, int(frame.group(1))
    for path in re.findall(r'<path data-feature="[^"]*" d="([^"]*)"', svg):
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path)]
        xs, ys = numbers[0::2], numbers[1::2]
        # clipped a few pixels past the edge (so no false edge shows), never far beyond
        assert min(xs) >= -7 and max(xs) <= width + 7 and min(ys) >= -7 and max(ys) <= height + 7
    assert '<g clip-path="url(#map-view)">' in svg


def _overlapping(svg: str) -> list[tuple[str, str]]:
    boxes = text_boxes(svg)
    return [
        (a, b)
        for i, (a, p) in enumerate(boxes)
        for b, q in boxes[i + 1 :]
        if p[0] < q[2] - 1 and q[0] < p[2] - 1 and p[1] < q[3] - 1 and q[1] < p[3] - 1
    ]


@given(st.floats(-150, 250), st.floats(-150, 250), st.floats(5, 300), st.floats(5, 300))
@settings(max_examples=40, deadline=None)
def test_labels_of_any_site_map_stay_inside(
    x: float, y: float, width: float, height: float
) -> None:
    svg = render_svg(site_map(rect(x, y, width, height), site_catalogue(), margin_m=20))
    assert_text_inside(svg)


# -- workflow pictures ------------------------------------------------------------------


@pytest.mark.parametrize("permit", reference_permit_types(), ids=lambda p: p.code)
def test_workflow_pictures_name_posts_and_conditions(permit: Any, tmp_path: Path) -> None:
    workflow: WorkflowDefinition = permit.workflow
    lights = {workflow.steps[1].id: "red"}
    svg = to_svg(workflow, lights=lights)
    assert_not_blank(png_of(svg, tmp_path / f"workflow-{permit.code.lower()}.png"))
    assert_text_inside(svg)
    texts = " ".join(text for text, _ in text_boxes(svg))
    assert not re.search(r"\b[A-Z]+_[A-Z_]+\b", texts), "a post code is shown"
    for edge in workflow.edges:
        if edge.condition is not None:
            assert edge.condition not in texts
    assert "● 红灯" in texts


def test_the_construction_picture_reads_like_the_bureau_says_it(tmp_path: Path) -> None:
    construction = next(p for p in reference_permit_types() if p.code == "CONSTRUCTION")
    svg = to_svg(construction.workflow)
    texts = [text for text, _ in text_boxes(svg)]
    assert "建设工程审核员 · 4个工作日" in texts
    assert "同意（重大建设项目）" in texts
    assert "集体审议（处务会、局务会）" in texts  # the legend says what violet means
    meeting = re.search(r'data-step="division_meeting"[^>]*fill="(#\w+)" stroke="(#\w+)"', svg)
    assert meeting is not None
    light_colours = {c.lower() for pair in LIGHT_STYLES.values() for c in pair}
    assert {meeting.group(1), meeting.group(2)}.isdisjoint(light_colours)


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_any_workflow_picture_keeps_its_text_inside(data: st.DataObject) -> None:
    definition = data.draw(workflows())
    lights = {s.id: "yellow" for s in definition.steps[:2]}
    assert_text_inside(to_svg(definition, lights=lights))


@pytest.mark.parametrize(
    ("page", "image"),
    [
        ("workflow.md", "workflow-construction.png"),
        ("geo.md", "geo-site-map.png"),
        ("conservation.md", "conservation-year-chart.png"),
    ],
)
def test_the_docs_show_the_pictures(page: str, image: str) -> None:
    assert (DOCS_IMAGES / image).read_bytes().startswith(b"\x89PNG")
    assert f"(img/{image})" in (DOCS_IMAGES.parent / page).read_text(encoding="utf-8")
