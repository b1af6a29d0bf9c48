"""Electricity and water: the equipment inventory, removals, and fixture maintenance.

The inventory is what the electricity rules look at: a high-consumption item on the
phase-out list, or an appliance someone installed privately (私自安装), is refused, and
its removal is recorded with the notice of criticism (通报批评) that went with it.
"""

from __future__ import annotations

import enum
from decimal import Decimal

import attrs
import pendulum

from planning_core.conservation._fields import non_empty, non_negative, to_date, to_decimal
from planning_core.errors import ValidationError

__all__ = ["EquipmentItem", "FixtureKind", "FixtureMaintenance", "RemovedAppliance"]


def _grade(instance: object, attribute: attrs.Attribute[int | None], value: int | None) -> None:
    if value is not None and not 1 <= value <= 5:
        raise ValidationError(
            f"{type(instance).__name__}.{attribute.name} is the China energy label grade, "
            f"1 (best) to 5; got {value}"
        )


@attrs.frozen(kw_only=True)
class EquipmentItem:
    """One item of electrical equipment.

    :param kind: what it is, in the bureau's words (``"空调"``, ``"白炽灯"``); the phase-out
        list names kinds.
    :param power_w: rated power in watts.
    :param efficiency_grade: the China energy label grade (能效等级), 1 best to 5 worst,
        when the item has one.
    :param privately_installed: installed by a person for private use, not by the bureau.
    """

    equipment_id: str = attrs.field(validator=non_empty)
    name: str = attrs.field(validator=non_empty)
    kind: str = attrs.field(validator=non_empty)
    place: str = attrs.field(validator=non_empty)
    power_w: Decimal = attrs.field(converter=to_decimal, validator=non_negative)
    efficiency_grade: int | None = attrs.field(default=None, validator=_grade)
    privately_installed: bool = False
    owner: str | None = None

    @property
    def key(self) -> str:
        """The storage key."""
        return self.equipment_id


@attrs.frozen(kw_only=True)
class RemovedAppliance:
    """A privately installed appliance that was removed, with the notice of criticism."""

    equipment_id: str = attrs.field(validator=non_empty)
    name: str = attrs.field(validator=non_empty)
    place: str = attrs.field(validator=non_empty)
    owner: str = attrs.field(validator=non_empty)
    removed_on: pendulum.Date = attrs.field(converter=to_date)
    notice_of_criticism: str = attrs.field(validator=non_empty)

    @property
    def key(self) -> str:
        """The storage key: date first, so removals list in order."""
        return f"{self.removed_on.isoformat()}/{self.equipment_id}"


class FixtureKind(enum.Enum):
    """Water fixtures the programme names: taps, pipes, cisterns, signs."""

    TAP = "tap"
    PIPE = "pipe"
    CISTERN = "cistern"
    SIGN = "sign"


@attrs.frozen(kw_only=True)
class FixtureMaintenance:
    """Maintenance of a water fixture or pipe (维修, 更换管道, 节水龙头, 标识)."""

    record_id: str = attrs.field(validator=non_empty)
    place: str = attrs.field(validator=non_empty)
    fixture: FixtureKind
    done_on: pendulum.Date = attrs.field(converter=to_date)
    work: str = attrs.field(validator=non_empty)
    replaced: bool = False
    cost: Decimal = attrs.field(default=Decimal(0), converter=to_decimal, validator=non_negative)

    @property
    def key(self) -> str:
        """The storage key: date first."""
        return f"{self.done_on.isoformat()}/{self.record_id}"
