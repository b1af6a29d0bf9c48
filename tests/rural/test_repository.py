"""The repository on memory and SQLite: references checked, writes all or nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from planning_core.errors import InvalidStateError, NotFoundError, ValidationError
from planning_core.rural import (
    COLLECTIONS,
    DemonstrationSite,
    FollowUp,
    Inspection,
    MatterCount,
    MatterKind,
    PlaceRef,
    PlanKind,
    PlanningCommittee,
    Regulation,
    RegulationKind,
    RegulationStatus,
    RuralRepository,
    Stage,
    Township,
    TrainingPlan,
    TrainingScale,
    TrainingSession,
    Village,
)
from planning_core.storage import Store

DAY = dt.date(2022, 1, 13)
VILLAGE = PlaceRef("丰润", "乡镇01", "村庄001")


def test_a_township_brings_its_site_and_records_live_in_rural_collections(
    repository: RuralRepository, store: Store
) -> None:
    repository.put(Township("丰润", "乡镇01"), Village("丰润", "乡镇01", "村庄001"))
    assert repository.snapshot().sites == (DemonstrationSite("丰润"),)
    assert [k for k, _ in store.list_records("rural.villages")] == ["丰润/乡镇01/村庄001"]
    assert all(c.startswith("rural.") and c.isascii() for c in COLLECTIONS.values())


def test_records_about_unregistered_places_are_all_refused_and_nothing_written(
    repository: RuralRepository, store: Store
) -> None:
    with pytest.raises(ValidationError) as caught:
        repository.put(
            Township("丰润", "乡镇01"),
            Village("丰润", "乡镇02", "村庄001"),
            PlanningCommittee("迁安", "乡镇01"),
            MatterCount("开平", MatterKind.LAND_USE_PERMIT, 1),
        )
    assert len(caught.value.problems) == 3
    assert all(store.list_records(c) == [] for c in COLLECTIONS.values())


def test_record_stage_moves_forward_and_persists(repository: RuralRepository) -> None:
    repository.put(Township("丰润", "乡镇01"), Village("丰润", "乡镇01", "村庄001"))
    repository.record_stage(VILLAGE, PlanKind.VILLAGE_PLAN, Stage.SURVEYING, DAY)
    repository.record_stage(VILLAGE, PlanKind.VILLAGE_PLAN, Stage.COMPILING, DAY)
    plan = repository.plan(VILLAGE, PlanKind.VILLAGE_PLAN)
    assert plan is not None and [c.stage for c in plan.history] == [
        Stage.SURVEYING,
        Stage.COMPILING,
    ]
    with pytest.raises(InvalidStateError):
        repository.record_stage(VILLAGE, PlanKind.VILLAGE_PLAN, Stage.SURVEYING, DAY)
    assert repository.plan(VILLAGE, PlanKind.VILLAGE_PLAN) == plan


def test_the_five_systems_round_trip_through_the_store(repository: RuralRepository) -> None:
    repository.put(Township("丰润", "乡镇01"))
    records = [
        Regulation(
            "村庄规划和民居设计导则",
            RegulationKind.GUIDELINE,
            RegulationStatus.COMPILING,
            partner="中国建筑设计研究院",
        ),
        TrainingPlan(2022, "乡村规划培训工作计划", TrainingScale.SMALL, ("集中授课",)),
        TrainingSession(DAY, "村庄规划编制培训", TrainingScale.SMALL, 45, "丰润"),
        PlanningCommittee("丰润", "乡镇01", planning_office=True, members=("张三", "李四")),
        Inspection("JC-2022-001", "丰润", DAY, "乡镇01 村庄001", ("未批先建",), "乡镇01"),
    ]
    repository.put(*records)
    data = repository.snapshot()
    assert data.regulations == (records[0],)
    assert data.training_plans == (records[1],)
    assert data.training_sessions == (records[2],)
    assert data.committees == (records[3],)
    assert data.inspections == (records[4],)


def test_follow_ups_are_added_and_an_unknown_inspection_is_not_found(
    repository: RuralRepository,
) -> None:
    repository.put(Township("丰润", "乡镇01"))
    repository.put(Inspection("JC-1", "丰润", DAY, "村庄001"))
    done = repository.record_follow_up("JC-1", FollowUp(DAY, "已拆除", rectified=True))
    assert repository.inspection("JC-1") == done and done.rectified_on == DAY
    with pytest.raises(NotFoundError, match="JC-2"):
        repository.record_follow_up("JC-2", FollowUp(DAY, "复查"))


def test_snapshot_of_one_site(repository: RuralRepository) -> None:
    repository.put(Township("丰润", "乡镇01"), Township("丰润区", "乡镇01"))
    assert [t.site for t in repository.snapshot("丰润").townships] == ["丰润"]


def test_not_a_rural_record(repository: RuralRepository) -> None:
    with pytest.raises(ValidationError, match="Decimal"):
        repository.put(Decimal(1))
