"""Done when: the seed's figures, loaded from the CSV fixtures, come out of the report exactly.

The fixtures (tests/rural/fixtures/seed_*.csv) restate the bureau's work summary: 丰润's 22
townships and 527 villages with their stages, committees, township matters and the two sums
it reports; 迁安's 18 townships, 13 completed; 滦县响嘡镇's two completed plans and 30余万元;
开平's two townships compiling master plans for 40万元. The seed names no townships or
villages, so the fixtures number them; the seed gives no dates but its own (2022-01-13), so
every stage change is dated that day.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pendulum
import pytest

from planning_core.rural import (
    CITY,
    MatterKind,
    PlanKind,
    ProgressReport,
    RecordedSum,
    Regulation,
    RegulationKind,
    RegulationStatus,
    RuralRepository,
    SiteProgress,
    Stage,
    SumPrecision,
    TrainingPlan,
    TrainingScale,
    progress_report,
    report_json,
    report_markdown,
    summary_zh,
)

SUMMARY_DAY = pendulum.datetime(2022, 1, 13, 8, 55, tz="Asia/Shanghai")


@pytest.fixture
def report(seeded: RuralRepository) -> ProgressReport:
    return progress_report(seeded.snapshot(), SUMMARY_DAY)


def _site(report: ProgressReport, name: str) -> SiteProgress:
    return next(s for s in report.sites if s.site == name)


def test_fengrun_townships_22_with_7_completed_8_compiling_7_surveying(
    report: ProgressReport,
) -> None:
    townships = _site(report, "丰润").townships
    assert townships.total == 22
    assert townships.by_stage[Stage.COMPLETED] == 7
    assert townships.by_stage[Stage.COMPILING] == 8
    assert townships.by_stage[Stage.SURVEYING] == 7
    assert townships.by_stage[Stage.UNDER_APPROVAL] == 0
    assert townships.not_recorded == 0


def test_fengrun_villages_527_with_22_completed_253_compiling_252_surveying(
    report: ProgressReport,
) -> None:
    villages = _site(report, "丰润").villages
    assert villages.total == 527
    assert villages.by_stage[Stage.COMPLETED] == 22
    assert villages.by_stage[Stage.COMPILING] == 253
    assert villages.by_stage[Stage.SURVEYING] == 252
    assert villages.completion_percent == Decimal("4.2")


def test_qianan_13_of_18_townships_completed(report: ProgressReport) -> None:
    townships = _site(report, "迁安").townships
    assert (townships.completed, townships.total) == (13, 18)
    assert townships.not_recorded == 5


def test_fengrun_township_matters_100_3_7_10_21_6(report: ProgressReport) -> None:
    matters = _site(report, "丰润").matters
    assert [matters[kind] for kind in MatterKind] == [100, 3, 7, 10, 21, 6]


def test_fengrun_committees_in_every_township_with_an_office(report: ProgressReport) -> None:
    fengrun = _site(report, "丰润")
    assert fengrun.committees_formed == fengrun.planning_offices == 22


def test_money_invested_as_recorded_with_both_fengrun_sums(report: ProgressReport) -> None:
    city = report.city
    assert city is not None
    recorded = {
        (f.site, f.township, f.label): (f.sum.amount, f.sum.precision) for f in city.recorded_sums
    }
    assert recorded == {
        ("丰润", None, "目前投入资金"): (Decimal(6_000_000), SumPrecision.EXACT),
        ("丰润", None, "资金投入累计"): (Decimal(3_000_000), SumPrecision.ABOUT),
        ("滦县", "响嘡镇", "投入资金"): (Decimal(300_000), SumPrecision.MORE_THAN),
        ("开平", None, "郑庄子镇和越河镇投入"): (Decimal(400_000), SumPrecision.EXACT),
    }
    assert [f.zh for f in _site(report, "丰润").recorded_sums] == [
        "目前投入资金600万元",
        "资金投入累计约300万元",
    ]


def test_luanxian_xiangtang_and_kaiping_plans(report: ProgressReport) -> None:
    luan = _site(report, "滦县")
    assert luan.plans[PlanKind.TOWNSHIP_MASTER_PLAN].completed == 1
    assert luan.plans[PlanKind.REGULATORY_DETAILED_PLAN].completed == 1
    kaiping = _site(report, "开平").townships
    assert (kaiping.total, kaiping.by_stage[Stage.COMPILING]) == (2, 2)


def test_city_totals_add_up_the_sites(report: ProgressReport) -> None:
    city = report.city
    assert city is not None and city.site == CITY
    assert city.townships.total == 22 + 18 + 1 + 2
    assert city.townships.completed == 7 + 13 + 1
    assert city.villages.total == 527
    assert city.matters_total == 100 + 3 + 7 + 10 + 21 + 6


def test_summary_reads_like_the_seed(report: ProgressReport) -> None:
    text = summary_zh(report)
    assert "丰润共有22个乡镇、527个村庄需要编制规划。" in text
    assert "已经编制完成7个乡镇的总体规划，8个乡镇正进行规划编制，7个乡镇正在进行地形图测量" in text
    assert "已经编制完成村庄规划22个，253个村庄正在进行规划编制，252个村庄正进行地形图测量" in text
    assert "目前投入资金600万元；资金投入累计约300万元" in text
    assert (
        "初审规划意见100件、选址意见书3件、审批建设方案7件、出具规划设计条件10件、"
        "办理乡村建设规划许可证21件、办理用地规划许可证6件" in text
    )
    assert "迁安共有18个乡镇需要编制规划。已经编制完成13个乡镇的总体规划" in text
    assert "响嘡镇投入资金30余万元" in text
    assert "郑庄子镇和越河镇投入40万元" in text


def test_json_and_markdown_carry_the_same_figures(report: ProgressReport) -> None:
    data = json.loads(report_json(report))
    fengrun = next(s for s in data["sites"] if s["site"] == "丰润")
    assert fengrun["townships"]["by_stage"] == {
        "surveying": 7,
        "compiling": 8,
        "under_approval": 0,
        "completed": 7,
    }
    assert fengrun["matters"]["rural_construction_permit"] == 21
    assert data["summary"] == summary_zh(report)
    assert "丰润" in report_json(report)  # Chinese kept, not \\u escapes
    markdown = report_markdown(report)
    assert (
        "| 丰润 | 22 | 7 | 0 | 8 | 7 | 0 | 31.8% | 527 | 22 | 0 | 253 | 252 | 0 | 4.2% |"
        in markdown
    )
    assert summary_zh(report) in markdown


def test_a_report_before_the_summary_day_shows_nothing_yet(seeded: RuralRepository) -> None:
    earlier = progress_report(seeded.snapshot(), SUMMARY_DAY.subtract(days=1))
    fengrun = _site(earlier, "丰润")
    assert fengrun.townships.not_recorded == 22
    assert fengrun.matters_total == 0
    assert fengrun.recorded_sums == ()


def test_city_paragraph_names_the_site_of_each_sum(report: ProgressReport) -> None:
    city_paragraph = summary_zh(report).split("\n\n")[0]
    assert "丰润目前投入资金600万元；丰润资金投入累计约300万元" in city_paragraph
    assert "滦县响嘡镇投入资金30余万元" in city_paragraph
    assert "全市共有43个乡镇、527个村庄需要编制规划" in city_paragraph


def test_the_regulations_and_training_of_the_seed_in_the_city_paragraph(
    seeded: RuralRepository,
) -> None:
    seeded.put(
        Regulation("*市乡村规划管理办法", RegulationKind.MEASURES, RegulationStatus.FIRST_DRAFT),
        Regulation(
            "关于加强城乡规划管理的实施意见",
            RegulationKind.OPINION,
            RegulationStatus.PASSED_IN_PRINCIPLE,
        ),
        Regulation(
            "村庄规划和民居设计导则",
            RegulationKind.GUIDELINE,
            RegulationStatus.COMPILING,
            partner="中国建筑设计研究院",
            budget=RecordedSum(Decimal(100_000), SumPrecision.MORE_THAN),
        ),
        TrainingPlan(2022, "乡村规划培训工作计划", TrainingScale.SMALL),
        TrainingPlan(2023, "乡村规划培训工作计划", TrainingScale.LARGE, ("集中授课", "现场观摩")),
    )
    text = summary_zh(progress_report(seeded.snapshot(), SUMMARY_DAY))
    assert "《关于加强城乡规划管理的实施意见》已经市政府常务会原则通过" in text
    assert "《*市乡村规划管理办法》已完成初稿" in text
    assert (
        "《村庄规划和民居设计导则》正在编制（投入10余万元，与中国建筑设计研究院共同编制）" in text
    )
    assert "拟定2022年小规模乡村规划培训工作计划，拟定2023年大规模乡村规划培训工作计划" in text
