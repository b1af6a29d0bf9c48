"""The annual work summary: the seed's three programmes, every figure from the store."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import html5lib
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st
from reports._demo import demo_engine

from planning_core.cases import Accept, Decide, Engine, Outcome, RecordMeetingDecision, Submit
from planning_core.cases import Complete as CompleteStep
from planning_core.conservation import (
    ConservationRepository,
    ConsumptionRecord,
    Resource,
    RetrofitProject,
    SiteProfile,
    Target,
    build_year_report,
    read_csv,
)
from planning_core.reports import (
    annual_summary,
    approval_statistics,
    summary_html,
    summary_markdown,
)
from planning_core.reports._text_zh import amount_zh
from planning_core.rural import (
    MatterKind,
    Regulation,
    RegulationKind,
    RegulationStatus,
    RuralRepository,
    Township,
    import_csv,
    rural_progress,
)
from planning_core.workflow import StepKind

TESTS = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}svg"
TOWNSHIP_CODE = "130205101"


def _approve_rural_case(engine: Engine, case_id: str, at: pendulum.DateTime) -> None:
    """A rural construction permit of 郑庄子镇, walked to an approval."""
    org = engine.organisation
    clerk = org.actor("zhang.min")
    permit = engine.permit_type("RURAL_CONSTRUCTION")
    materials = tuple(m.code for m in permit.required_materials)
    engine.execute(
        Submit(
            case_id,
            "RURAL_CONSTRUCTION",
            "郑庄子镇某村村民",
            "农村新民居",
            materials,
            township=TOWNSHIP_CODE,
        ),
        clerk,
        at,
    )
    engine.execute(Accept(case_id), clerk, at.add(minutes=10))
    t = at.add(minutes=10)
    while (state := engine.load(case_id)).status.value == "in_review":
        token = next(tok for tok in state.tokens if tok.post)
        step = engine.workflow_of(state).step(token.step_id)
        actor = org.holders(token.post or "")[0]
        t = t.add(hours=1)
        if step.kind is StepKind.MEETING:
            command: object = RecordMeetingDecision(
                case_id, step.id, t.date(), ("李华", "王建国", "赵磊"), "同意"
            )
        else:
            action = "APPROVE" if any(a.value == "approve" for a in step.actions) else "FORWARD"
            answers = tuple((p.code, True) for p in step.standards)
            command = CompleteStep(case_id, step.id, action, "同意", answers)
        engine.execute(command, actor, t)  # type: ignore[arg-type]
    engine.execute(Decide(case_id, Outcome.APPROVED), org.actor("ma.zhi"), t.add(hours=1))


@pytest.fixture(scope="module")
def bureau(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """The demo's cases, the seed's rural sheets, two years of consumption, one rural case."""
    engine = demo_engine(f"sqlite:///{tmp_path_factory.mktemp('bureau') / 'bureau.db'}")
    rural = RuralRepository(engine.store)
    for name in ("places", "committees", "matters", "funding"):
        import_csv(rural, (TESTS / "rural" / "fixtures" / f"seed_{name}.csv").read_bytes())
    rural.put(Township("开平", "郑庄子镇", code=TOWNSHIP_CODE))
    conservation = ConservationRepository(engine.store)
    for name in ("consumption_2025_2026.csv", "sites.csv", "targets.csv", "retrofits.csv"):
        text = (TESTS / "conservation" / "data" / name).read_text(encoding="utf-8")
        conservation.save(read_csv(text, source=name)[1])
    _approve_rural_case(engine, "rural-1", pendulum.datetime(2026, 6, 1, 9, tz="Asia/Shanghai"))
    return engine


def test_every_figure_comes_from_the_store(bureau: Engine) -> None:
    summary = annual_summary(bureau, 2026)
    assert summary.approval == approval_statistics(
        bureau, dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    )
    repository = ConservationRepository(bureau.store)
    assert summary.conservation == build_year_report(
        2026,
        repository.records(ConsumptionRecord),
        profiles=repository.records(SiteProfile),
        targets=repository.records(Target),
        retrofits=repository.records(RetrofitProject),
    )
    assert summary.rural is not None and summary.rural.city is not None
    kaiping = next(s for s in summary.rural.sites if s.site == "开平")
    # the township's permit decided in the engine is one of its matters
    assert kaiping.matters[MatterKind.RURAL_CONSTRUCTION_PERMIT] == 1
    assert kaiping.matters_from_engine == ("郑庄子镇",)


def test_the_markdown_follows_the_seeds_three_programmes(bureau: Engine) -> None:
    summary = annual_summary(bureau, 2026)
    text = summary_markdown(summary)
    headings = [line for line in text.splitlines() if line.startswith("### ")]
    assert headings == [
        "### （一）政府机构节能示范模式",
        "### （二）乡村综合规划管理模式",
        "### （三）城乡规划电子政务审批管理模式",
    ]
    stats = summary.approval
    assert f"2026年，共收件{stats.counts.received}件" in text
    assert f"按承诺时限办结率{stats.on_time.committed_rate}%" in text
    assert summary.conservation is not None
    electricity = summary.conservation.resources[0]
    assert f"全年{electricity.resource.zh}29.78万千瓦时" in text  # 297800 kWh
    assert "开平共有2个乡镇需要编制规划" in text
    assert "<svg" not in text


def test_the_html_is_valid_html5_with_its_three_charts(bureau: Engine) -> None:
    summary = annual_summary(bureau, 2026)
    page = summary_html(summary)
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    tree = parser.parse(page)  # strict: any parse error raises
    assert tree.get("lang") == "zh-CN"
    svgs = tree.findall(f".//{SVG}")
    assert len(svgs) == 3
    for svg in svgs:
        assert svg.get("viewBox") and svg.findall(".//{http://www.w3.org/2000/svg}path")
    captions = [c.text for c in tree.iter("figcaption")]
    assert captions == [
        "2026年能耗与基准年对比",
        "2026年每月收件与决定件数",
        "2026年每月按时办结率",
    ]
    assert [h.text for h in tree.iter("h3")] == [
        "（一）政府机构节能示范模式",
        "（二）乡村综合规划管理模式",
        "（三）城乡规划电子政务审批管理模式",
    ]
    # the same paragraphs as the Markdown
    paragraphs = {p.text for p in tree.iter("p")}
    for line in summary_markdown(summary).splitlines():
        if line and not line.startswith(("#", "|")):
            assert line in paragraphs
    assert summary_html(summary) == page  # reproducible, byte for byte


def test_a_year_without_records_says_so(tmp_path: Path) -> None:
    engine = demo_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    summary = annual_summary(engine, 2025)
    text = summary_markdown(summary)
    assert summary.conservation is None and summary.rural is None
    assert "本年度未登记能耗数据。" in text and "本年度未登记乡村规划数据。" in text
    assert "2025年，共收件0件。" in text
    html5lib.HTMLParser(strict=True).parse(summary_html(summary))


def test_the_summary_writes_chinese_units_and_names_not_codes(bureau: Engine) -> None:
    text = summary_markdown(annual_summary(bureau, 2026))
    for english in ("kWh", "ream", "cartridge", "m³"):
        assert english not in text
    # the permit and step tables name permit types in Chinese; no code is printed
    for permit in bureau.permit_types.values():
        assert permit.code not in text
    assert "| 用电 | 千瓦时 | 297800 |" in text  # the table keeps the exact figure
    assert "纸张" in text and "令" in text


def test_the_annual_summary_and_rural_progress_count_the_same_matters(bureau: Engine) -> None:
    """Both read township matters through rural_progress: the same store, the same figures."""
    summary = annual_summary(bureau, 2026)
    end_of_year = pendulum.datetime(2026, 12, 31, 23, 59, 59, tz="Asia/Shanghai")
    progress = rural_progress(
        bureau.store,
        end_of_year,
        converter=bureau.converter,
        permit_types=bureau.permit_types.values(),
    )
    assert summary.rural == progress
    assert progress.city is not None
    # the seed's hand counts plus the one permit the engine decided for 郑庄子镇
    recorded = RuralRepository(bureau.store).snapshot().matter_counts
    hand = sum(m.count for m in recorded if m.kind is MatterKind.RURAL_CONSTRUCTION_PERMIT)
    assert progress.city.matters[MatterKind.RURAL_CONSTRUCTION_PERMIT] == hand + 1
    assert f"{hand + 1}" in summary_markdown(summary)


def test_a_title_typed_with_its_book_title_marks_is_printed_with_one_pair(
    tmp_path: Path,
) -> None:
    engine = demo_engine(f"sqlite:///{tmp_path / 'titles.db'}")
    rural = RuralRepository(engine.store)
    rural.put(Township("丰润", "乡镇01", code="X01"))
    regulation = Regulation(
        "《村庄规划和民居设计导则》", RegulationKind.GUIDELINE, RegulationStatus.PROMULGATED
    )
    rural.put(regulation)
    assert regulation.title == "村庄规划和民居设计导则"
    text = summary_markdown(annual_summary(engine, 2026))
    assert "《村庄规划和民居设计导则》" in text
    assert "《《" not in text and "》》" not in text


@given(st.decimals(min_value=0, max_value=10**12, places=3))
def test_amounts_in_wan_stay_within_half_a_hundredth_of_a_wan(value: Decimal) -> None:
    text = amount_zh(value, next(iter(Resource)))
    figure = text.removesuffix("千瓦时")
    if "万" in figure:
        assert value >= 10000
        assert abs(Decimal(figure.removesuffix("万")) * 10000 - value) <= 50
    else:
        assert value < 10000 and Decimal(figure) == value
