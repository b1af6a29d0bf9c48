"""Progress reports: figures as of a day, money never added across recorded sums, overdue work."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pendulum
import pytest

from planning_core.errors import NotFoundError, ValidationError
from planning_core.rural import (
    ChairRole,
    DecidedMatter,
    FollowUp,
    Inspection,
    MatterKind,
    PlaceRef,
    Plan,
    PlanKind,
    PlanningCommittee,
    RuralData,
    Stage,
    StageChange,
    Township,
    Village,
    progress_report,
    report_json,
    report_markdown,
    summary_zh,
)
from planning_core.timing import TimeLimit

DAY = dt.date(2022, 3, 1)
AT = pendulum.datetime(2022, 3, 1, 17, tz="Asia/Shanghai")
T1 = PlaceRef("丰润", "乡镇01")
V1 = PlaceRef("丰润", "乡镇01", "村庄001")


def _data(**extra: object) -> RuralData:
    base: dict[str, object] = {
        "townships": [Township("丰润", "乡镇01", "130208101"), Township("丰润", "乡镇02")],
        "villages": [Village("丰润", "乡镇01", "村庄001")],
        "plans": [
            Plan(
                PlanKind.TOWNSHIP_MASTER_PLAN,
                T1,
                (StageChange(Stage.COMPILING, dt.date(2022, 1, 5)),),
                invested=Decimal("250000.50"),
            ),
            Plan(
                PlanKind.VILLAGE_PLAN,
                V1,
                (
                    StageChange(Stage.SURVEYING, dt.date(2021, 6, 1)),
                    StageChange(Stage.COMPLETED, dt.date(2022, 2, 1)),
                ),
                invested=Decimal("80000"),
            ),
        ],
    }
    return RuralData(**(base | extra))  # type: ignore[arg-type]


def test_plans_count_in_the_stage_reached_on_the_day() -> None:
    data = _data()
    on = progress_report(data, AT).sites[0]
    assert on.townships.by_stage[Stage.COMPILING] == 1 and on.townships.not_recorded == 1
    assert on.villages.completed == 1
    before = progress_report(data, pendulum.datetime(2022, 1, 31, tz="Asia/Shanghai")).sites[0]
    assert before.villages.by_stage[Stage.SURVEYING] == 1 and before.villages.completed == 0


def test_the_day_is_the_bureaus_day_not_utc() -> None:
    late_utc = pendulum.datetime(2022, 1, 31, 17, tz="UTC")  # 01:00 on 1 Feb in Shanghai
    report = progress_report(_data(), late_utc)
    assert report.day == dt.date(2022, 2, 1)
    assert report.sites[0].villages.completed == 1


def test_plan_money_is_totalled_and_shown_in_wan() -> None:
    report = progress_report(_data(), AT)
    assert report.sites[0].plan_investment == Decimal("330000.50")
    assert "按规划登记的资金投入合计33.00005万元" in summary_zh(report)


def test_engine_matters_count_in_the_report() -> None:
    decided = [DecidedMatter("130208101", MatterKind.RURAL_CONSTRUCTION_PERMIT, DAY)]
    report = progress_report(_data(), AT, decided=decided)
    assert report.sites[0].matters[MatterKind.RURAL_CONSTRUCTION_PERMIT] == 1
    assert report.sites[0].matters_from_engine == ("乡镇01",)
    assert "办理乡村建设规划许可证1件" in summary_zh(report)


def test_overdue_rectifications_are_listed_until_rectified() -> None:
    inspection = Inspection(
        "JC-1",
        "丰润",
        dt.date(2022, 2, 10),
        "村庄001",
        ("未批先建",),
        "乡镇01",
        TimeLimit.parse("10个工作日"),
        dt.date(2022, 2, 24),
    )
    report = progress_report(_data(inspections=[inspection]), AT)
    (overdue,) = report.sites[0].overdue
    assert (overdue.number, overdue.deadline, overdue.days_overdue) == (
        "JC-1",
        dt.date(2022, 2, 24),
        5,
    )
    assert "有1项整改逾期未完成" in summary_zh(report)
    assert "| JC-1 | 丰润 | 乡镇01 | 村庄001 | 2022-02-10 | 2022-02-24 | 5 |" in report_markdown(
        report
    )
    fixed = inspection.followed_up(FollowUp(dt.date(2022, 2, 28), "已整改", rectified=True))
    assert progress_report(_data(inspections=[fixed]), AT).sites[0].overdue == ()


def test_committees_and_their_chairs() -> None:
    committees = [
        PlanningCommittee("丰润", "乡镇01", ChairRole.PARTY_SECRETARY, planning_office=True),
        PlanningCommittee("丰润", "乡镇02", ChairRole.TOWNSHIP_HEAD),
    ]
    report = progress_report(_data(committees=committees), AT)
    site = report.sites[0]
    assert (site.committees_formed, site.planning_offices) == (2, 1)
    assert site.committee_chairs == {ChairRole.PARTY_SECRETARY: 1, ChairRole.TOWNSHIP_HEAD: 1}
    assert "各乡镇全部成立了以书记或乡镇长为主任的规划委员会，其中1个下设规划办公室" in summary_zh(
        report
    )


def test_one_site_only_and_unknown_sites() -> None:
    report = progress_report(_data(), AT, site="丰润")
    assert report.city is None and [s.site for s in report.sites] == ["丰润"]
    with pytest.raises(NotFoundError, match="丰润"):
        progress_report(_data(), AT, site="唐山")


def test_a_naive_instant_is_refused() -> None:
    with pytest.raises(ValidationError, match="time zone"):
        progress_report(_data(), dt.datetime(2022, 3, 1, 12))


def test_an_empty_store_reports_nothing_without_failing() -> None:
    report = progress_report(RuralData(), AT)
    assert report.sites == () and report.city is not None and report.city.townships.total == 0
    assert json.loads(report_json(report))["sites"] == []
    assert report.city.townships.completion_percent is None
