"""Lights (电子监察): how late a clock is, as a colour a supervisor can scan.

There is no national standard. Two models are common and both are policies here:

* :class:`ThresholdPolicy` (the default): GREEN, YELLOW once few working days remain,
  RED once the deadline has passed;
* :class:`ThreeLevelPolicy`: a REMINDER before the deadline, a YELLOW card once it is
  missed, a RED card once a follow-up deadline is missed too.

A host picks the policy through the firstresult hook ``planning_core_light_policy``; the
built-in implementation (``trylast``) answers with ``ThresholdPolicy()``.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Protocol

import attrs
import pendulum

from planning_core.errors import ValidationError
from planning_core.timing._limit import TimeLimit
from planning_core.timing._results import Deadline, DeadlineUnknown

if TYPE_CHECKING:
    from planning_core.timing._calendar import WorkCalendar

__all__ = [
    "DEFAULT_YELLOW_WITHIN",
    "Light",
    "LightFacts",
    "LightPolicy",
    "ThreeLevelPolicy",
    "ThresholdPolicy",
    "light_policy",
]

#: The default policy turns YELLOW when this many working days or fewer remain, counting
#: the current day while it is still open (so 3 means "the last three working days").
DEFAULT_YELLOW_WITHIN = 3


class Light(enum.Enum):
    """The colour of a clock. REMINDER is used by the three-level model only."""

    GREEN = "green"
    REMINDER = "reminder"
    YELLOW = "yellow"
    RED = "red"

    @property
    def zh(self) -> str:
        """The light as the supervision screen names it."""
        return _LIGHT_ZH[self]


_LIGHT_ZH = {
    Light.GREEN: "绿灯",
    Light.REMINDER: "预警提醒",
    Light.YELLOW: "黄灯",
    Light.RED: "红灯",
}


@attrs.frozen
class LightFacts:
    """What a policy sees about one clock at one instant.

    :param deadline: the deadline, or :class:`DeadlineUnknown` while a pause holds it.
    :param remaining: working days left (the current day counts while it is open).
    :param overdue: the deadline has passed.
    :param overdue_by: working days after the deadline day, up to ``at``'s day.
    :param paused: a pause is in force at ``at``.
    """

    at: pendulum.DateTime
    deadline: Deadline | DeadlineUnknown
    remaining: int
    overdue: bool
    overdue_by: int
    paused: bool
    limit: TimeLimit
    calendar: WorkCalendar


class LightPolicy(Protocol):
    """Turns the facts about a clock into a light."""

    def light(self, facts: LightFacts) -> Light:
        """The light for ``facts``."""
        ...


def _non_negative(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(f"{attribute.name} must be a whole number >= 0, not {value!r}")


@attrs.frozen(cache_hash=True)  # a key of the engine's wake-time cache
class ThresholdPolicy:
    """GREEN; YELLOW when ``yellow_within`` working days or fewer remain; RED when overdue.

    :param yellow_within: default :data:`DEFAULT_YELLOW_WITHIN` (3).
    """

    yellow_within: int = attrs.field(default=DEFAULT_YELLOW_WITHIN, validator=_non_negative)

    def light(self, facts: LightFacts) -> Light:
        """See the class docstring."""
        if facts.overdue:
            return Light.RED
        return Light.YELLOW if facts.remaining <= self.yellow_within else Light.GREEN


@attrs.frozen(cache_hash=True)  # a key of the engine's wake-time cache
class ThreeLevelPolicy:
    """The reminder, yellow-card, red-card model (东莞, 湛江).

    :param remind_within: REMINDER when this many working days or fewer remain.
    :param follow_up_days: once the deadline is missed the case gets this many more working
        days (the follow-up deadline); missing that too gives RED.
    """

    remind_within: int = attrs.field(default=DEFAULT_YELLOW_WITHIN, validator=_non_negative)
    follow_up_days: int = attrs.field(default=5, validator=_non_negative)

    def light(self, facts: LightFacts) -> Light:
        """See the class docstring."""
        deadline = facts.deadline
        if facts.overdue and isinstance(deadline, Deadline):
            calendar = facts.calendar
            follow_up = calendar.add_working_days(deadline.date, self.follow_up_days)
            return Light.RED if facts.at > calendar.close_of(follow_up) else Light.YELLOW
        return Light.REMINDER if facts.remaining <= self.remind_within else Light.GREEN


class _LightHooks(Protocol):
    """What this module needs of a plugin manager (``planning_core.plugins.Hooks`` has it)."""

    def light_policy(self, region: str, permit_type: str | None) -> LightPolicy | None: ...


def light_policy(
    hooks: _LightHooks | None, region: str = "CN", permit_type: str | None = None
) -> LightPolicy:
    """The policy the plugins choose for ``region`` and ``permit_type``.

    The built-in plugin answers last with ``ThresholdPolicy()``; with ``hooks=None`` (the
    built-ins only), or a manager built without built-ins, the answer is the same default,
    so there is always a policy.
    """
    if hooks is None:
        return ThresholdPolicy()
    chosen = hooks.light_policy(region=region, permit_type=permit_type)
    return chosen if chosen is not None else ThresholdPolicy()
