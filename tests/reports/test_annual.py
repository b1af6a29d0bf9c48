"""The annual work summary: the seed's three programmes, every figure from the store."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import html5lib
import pendulum
import pytest
from reports._demo import demo_engine

from planning_core.cases import Accept, Decide, Engine, Outcome, RecordMeetingDecision, Submit
from planning_core.cases import Complete as CompleteStep
from planning_core.conservation import (
    ConservationRepository,
    ConsumptionRecord,
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
from planning_core.rural import MatterKind, RuralRepository, Township, import_csv
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
    assert f"{electricity.resource.zh}{electricity.total}{electricity.unit}" in text
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
