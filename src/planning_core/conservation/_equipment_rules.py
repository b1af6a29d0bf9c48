"""The electricity rules: phase out high-consumption equipment; no private appliances."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from planning_core.conservation._equipment import EquipmentItem
from planning_core.conservation._rules import expect
from planning_core.conservation._verdict import Description, Verdict

__all__ = ["NoPrivateAppliancesRule", "PhaseOutRule"]

BASIS = "政府机构节能示范模式: 节约用电 (the bureau's conservation programme, electricity)"

_PHASE_OUT = Description(
    zh="淘汰高耗能设备,推广高效节能灯具",
    en="High-consumption equipment is phased out in favour of efficient equipment",
)
_NO_PRIVATE = Description(
    zh="清理私自安装的电器,并通报批评",
    en="Privately installed appliances are removed, with a notice of criticism",
)


def _kinds(value: Iterable[str]) -> frozenset[str]:
    return frozenset(value)


@attrs.frozen(kw_only=True)
class PhaseOutRule:
    """Refuse equipment of a phased-out kind or below an energy grade.

    :param phased_out_kinds: kinds on the phase-out list (淘汰目录).
    :param worst_grade: the worst energy label grade still allowed (1 best, 5 worst).
    """

    id: str = "electricity.phase-out"
    description: Description = _PHASE_OUT
    basis: str = BASIS
    phased_out_kinds: frozenset[str] = attrs.field(
        default=frozenset({"白炽灯", "incandescent lamp"}), converter=_kinds
    )
    worst_grade: int = 3

    def applies(self, record: object) -> bool:
        """Equipment items."""
        return isinstance(record, EquipmentItem)

    def check(self, record: object) -> Verdict:
        """Refuse a listed kind or a poor energy grade."""
        item = expect(record, EquipmentItem, self.id)
        if item.kind in self.phased_out_kinds:
            return Verdict.refused(
                f"{item.name} at {item.place} is a {item.kind}, on the phase-out list: replace "
                f"it with efficient equipment"
            )
        if item.efficiency_grade is not None and item.efficiency_grade > self.worst_grade:
            return Verdict.refused(
                f"{item.name} has energy grade {item.efficiency_grade}; grade "
                f"{self.worst_grade} or better is required"
            )
        return Verdict.allowed(f"{item.name} is not on the phase-out list")

    def candidates(self, inventory: Iterable[EquipmentItem]) -> list[EquipmentItem]:
        """The inventory items this rule would refuse: the phase-out work list."""
        return [item for item in inventory if self.check(item).outcome.severity > 0]


@attrs.frozen(kw_only=True)
class NoPrivateAppliancesRule:
    """Refuse privately installed appliances."""

    id: str = "electricity.no-private-appliances"
    description: Description = _NO_PRIVATE
    basis: str = BASIS

    def applies(self, record: object) -> bool:
        """Equipment items."""
        return isinstance(record, EquipmentItem)

    def check(self, record: object) -> Verdict:
        """Refuse an item installed privately."""
        item = expect(record, EquipmentItem, self.id)
        if item.privately_installed:
            owner = f" by {item.owner}" if item.owner else ""
            return Verdict.refused(
                f"{item.name} at {item.place} was installed privately{owner}: remove it and "
                f"record the removal with the notice of criticism"
            )
        return Verdict.allowed(f"{item.name} is the bureau's own equipment")
