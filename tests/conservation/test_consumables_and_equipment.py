"""Consumables (requisition flow, quotas, print logs) and electricity equipment rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planning_core.conservation import (
    ConservationRule,
    EquipmentItem,
    LeaderApprovalRule,
    NoPrivateAppliancesRule,
    Outcome,
    PhaseOutRule,
    PrintLog,
    Quota,
    QuotaRule,
    Requisition,
    RequisitionLine,
    RequisitionStatus,
    assess,
)
from planning_core.errors import InvalidStateError, ValidationError


def _requisition(**changes: Any) -> Requisition:
    fields: dict[str, Any] = {
        "requisition_id": "Q-1",
        "requester": "李科员",
        "division": "规划科",
        "requested_on": "2026-05-11",
        "lines": [RequisitionLine("A4纸", "4", "包"), RequisitionLine("签字笔", "6", "支")],
        "headcount": 5,
    }
    fields.update(changes)
    return Requisition(**fields)


def test_requisition_moves_through_approval_registration_and_issue() -> None:
    requested = _requisition()
    approved = requested.approve("周主任")
    registered = approved.register(pendulum.date(2026, 5, 12))
    issued = registered.issue(pendulum.date(2026, 5, 12))
    assert [r.status for r in (requested, approved, registered, issued)] == list(RequisitionStatus)
    assert issued.approved_by == "周主任"


def test_requisition_steps_cannot_be_skipped() -> None:
    with pytest.raises(InvalidStateError, match="only when approved"):
        _requisition().register(pendulum.date(2026, 5, 12))
    with pytest.raises(InvalidStateError, match="only when requested"):
        _requisition().approve("周主任").approve("周主任")


def test_requisition_needs_a_leader_until_approved(rules: list[ConservationRule]) -> None:
    assert assess(_requisition(), rules).outcome is Outcome.NEEDS_APPROVAL
    assert LeaderApprovalRule().check(_requisition().approve("周主任")).outcome is Outcome.ALLOWED


_QUOTAS = QuotaRule(quotas=[Quota("A4纸", "包", "1"), Quota("签字笔", "支", "2")])


def test_quota_scales_with_headcount_and_workload() -> None:
    # A4: 1 a person × 5 people × workload 1 = 5; asked 4 → within.
    assert _QUOTAS.check(_requisition()).outcome is Outcome.ALLOWED
    # Already issued 2 this month: 2 + 4 = 6 > 5.
    used = _requisition(issued_this_month=[RequisitionLine("A4纸", "2", "包")])
    verdict = _QUOTAS.check(used)
    assert verdict.outcome is Outcome.REFUSED
    assert "A4纸" in verdict.reason
    assert "签字笔" not in verdict.reason
    # A busy month (workload 1.5): limit 7.5 ≥ 6.
    busy = attrs.evolve(used, workload_factor=Decimal("1.5"))
    assert _QUOTAS.check(busy).outcome is Outcome.ALLOWED


@given(asked=st.integers(1, 200), more=st.integers(1, 50))
def test_asking_more_never_turns_a_refusal_into_an_allowance(asked: int, more: int) -> None:
    def verdict(quantity: int) -> Outcome:
        return _QUOTAS.check(
            _requisition(lines=[RequisitionLine("A4纸", str(quantity), "包")])
        ).outcome

    if verdict(asked) is Outcome.REFUSED:
        assert verdict(asked + more) is Outcome.REFUSED


def test_items_without_quota_are_not_limited() -> None:
    paper_clips = _requisition(lines=[RequisitionLine("回形针", "1000", "枚")])
    assert _QUOTAS.check(paper_clips).outcome is Outcome.ALLOWED
    assert QuotaRule().check(_requisition()).outcome is Outcome.ALLOWED


def test_a_requisition_needs_lines() -> None:
    with pytest.raises(ValidationError, match="at least one"):
        _requisition(lines=[])


def test_duplex_share_by_hand() -> None:
    # 1 240 double-sided out of 1 240 + 560 = 1 800 sheets: 68.888… → 68.9 %.
    log = PrintLog(
        division="规划科", year=2026, month=5, single_sided_sheets=560, double_sided_sheets=1240
    )
    assert log.duplex_share_percent == Decimal("68.9")
    empty = attrs.evolve(log, single_sided_sheets=0, double_sided_sheets=0)
    assert empty.duplex_share_percent is None


# -- equipment ------------------------------------------------------------------------------------


def _item(**changes: Any) -> EquipmentItem:
    fields: dict[str, Any] = {
        "equipment_id": "E-7",
        "name": "会议室空调",
        "kind": "空调",
        "place": "三楼会议室",
        "power_w": "2600",
        "efficiency_grade": 2,
    }
    fields.update(changes)
    return EquipmentItem(**fields)


def test_efficient_bureau_equipment_is_allowed(rules: list[ConservationRule]) -> None:
    assert assess(_item(), rules).outcome is Outcome.ALLOWED


def test_phased_out_kind_and_poor_grade_are_refused() -> None:
    rule = PhaseOutRule()
    lamp = _item(name="走廊灯", kind="白炽灯", efficiency_grade=None, power_w="100")
    assert rule.check(lamp).outcome is Outcome.REFUSED
    assert rule.check(_item(efficiency_grade=5)).outcome is Outcome.REFUSED
    assert rule.candidates([_item(), lamp]) == [lamp]


def test_phase_out_list_is_configurable() -> None:
    heater = _item(kind="电暖器")
    assert PhaseOutRule().check(heater).outcome is Outcome.ALLOWED
    stricter = PhaseOutRule(phased_out_kinds={"电暖器"}, worst_grade=1)
    assert stricter.check(heater).outcome is Outcome.REFUSED
    assert stricter.check(_item()).outcome is Outcome.REFUSED


def test_privately_installed_appliance_is_refused(rules: list[ConservationRule]) -> None:
    kettle = _item(name="电热水壶", kind="电水壶", privately_installed=True, owner="某科员")
    verdict = NoPrivateAppliancesRule().check(kettle)
    assert verdict.outcome is Outcome.REFUSED
    assert "notice of criticism" in verdict.reason
    assert assess(kettle, rules).outcome is Outcome.REFUSED


def test_energy_grade_must_be_1_to_5() -> None:
    with pytest.raises(ValidationError, match="1 \\(best\\) to 5"):
        _item(efficiency_grade=6)
