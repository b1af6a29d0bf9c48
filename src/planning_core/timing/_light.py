"""Lights (电子监察): how late a clock is, as a colour a supervisor can scan.

There is no national standard. Two models are common (a YELLOW warning before the
deadline; YELLOW and RED cards after it), and these policies implement them:

* :class:`ShareThresholdPolicy` (the default): GREEN, YELLOW in the last fifth of the
  limit, RED once the deadline has passed;
* :class:`ThresholdPolicy`: GREEN, YELLOW once a fixed number of working days remain, RED
  once the deadline has passed (the earlier default: it lit every short step YELLOW from
  its start, so YELLOW told a supervisor nothing);
* :class:`ThreeLevelPolicy`: a REMINDER before the deadline, a YELLOW card once it is
  missed, a RED card once a follow-up deadline is missed too.

A host picks the policy through the firstresult hook ``planning_core_light_policy``; the
built-in implementation (``trylast``) answers with ``ShareThresholdPolicy()``.

Every policy here is a frozen attrs value with ``cache_hash=True``: the engine's wake-time
search caches on it. And each light gets no better while a clock's ledger stands still, which
that search (``cases/_projection.py``) and the reports' worst-light rule rely on.
"""

from __future__ import annotations

import enum
import math
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Protocol

import attrs
import pendulum

from planning_core.errors import ValidationError
from planning_core.timing._limit import TimeLimit
from planning_core.timing._results import Deadline, DeadlineUnknown

if TYPE_CHECKING:
    from planning_core.timing._calendar import WorkCalendar

__all__ = [
    "DEFAULT_YELLOW_SHARE",
    "DEFAULT_YELLOW_WITHIN",
    "Light",
    "LightFacts",
    "LightPolicy",
    "ShareThresholdPolicy",
    "ThreeLevelPolicy",
    "ThresholdPolicy",
    "light_policy",
]

#: The default policy turns YELLOW when this many working days or fewer remain, counting
#: the current day while it is still open (so 3 means "the last three working days").
DEFAULT_YELLOW_WITHIN = 3

#: The default policy turns YELLOW in this last share of a clock's working days.
DEFAULT_YELLOW_SHARE = Fraction(1, 5)


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
    :param limit: the limit as granted (in working or natural days).
    :param budget: the limit's length in working days, extensions included (a natural-day
        limit: the working days it spans); before the deadline ``used + remaining ==
        budget``. A restart pause gives the whole limit again, so the budget is that of the
        current run. Policies that scale with the limit read this, not ``limit.days``.
    """

    at: pendulum.DateTime
    deadline: Deadline | DeadlineUnknown
    remaining: int
    overdue: bool
    overdue_by: int
    paused: bool
    limit: TimeLimit
    calendar: WorkCalendar
    budget: int


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

    The same number of days for every clock: a step of ``yellow_within`` days or fewer is
    YELLOW from its start. Kept for bureaus that chose it; the default is
    :class:`ShareThresholdPolicy`.

    :param yellow_within: default :data:`DEFAULT_YELLOW_WITHIN` (3).
    """

    yellow_within: int = attrs.field(default=DEFAULT_YELLOW_WITHIN, validator=_non_negative)

    def light(self, facts: LightFacts) -> Light:
        """See the class docstring."""
        if facts.overdue:
            return Light.RED
        return Light.YELLOW if facts.remaining <= self.yellow_within else Light.GREEN


def _share(value: object) -> Fraction:
    """A share as an exact fraction: ``Fraction(1, 5)``, ``Decimal("0.2")``, ``"1/5"`` or
    ``0.2`` (a float is read as its shortest decimal text, so 0.2 means 1/5 exactly)."""
    if isinstance(value, bool):
        raise ValidationError(f"share must be a fraction from 0 to 1, not {value!r}")
    try:
        if isinstance(value, float):
            return Fraction(repr(value))
        if isinstance(value, Fraction | Decimal | int | str):
            return Fraction(value)
    except (ValueError, ZeroDivisionError):
        pass
    raise ValidationError(
        f"share must be a fraction from 0 to 1 such as '1/5' or 0.2, not {value!r}"
    )


def _unit_interval(instance: object, attribute: attrs.Attribute[Fraction], value: Fraction) -> None:
    if not 0 <= value <= 1:
        raise ValidationError(f"{attribute.name} must be from 0 to 1, not {value}")


@attrs.frozen(cache_hash=True)  # a key of the engine's wake-time cache
class ShareThresholdPolicy:
    """GREEN; YELLOW in the last ``share`` of the clock's working days; RED when overdue.

    A fixed threshold means "few days left" for a 20-day decision but "from the first minute"
    for a 1-day step, and a light that is always on is a light nobody reads. Scaling YELLOW
    with the limit makes it mean "close to the end" for clocks of every length, so the
    supervision of 行政许可法 art. 42 (decision) and the steps within it stay readable.

    The YELLOW days of a clock of ``budget`` working days are its last
    :meth:`yellow_days` ones: ``max(at_least, floor(share * budget))``, but never all of them,
    so a clock is GREEN when it starts (a 1-day step is GREEN during its day, RED after).

    :param share: default :data:`DEFAULT_YELLOW_SHARE` (1/5); a fraction, ``Decimal``,
        text ``"1/5"`` or a float, kept as an exact :class:`~fractions.Fraction`.
    :param at_least: the fewest YELLOW working days a clock longer than that gets (default
        1: the last day is always a warning).
    """

    share: Fraction = attrs.field(
        default=DEFAULT_YELLOW_SHARE, converter=_share, validator=_unit_interval
    )
    at_least: int = attrs.field(default=1, validator=_non_negative)

    def yellow_days(self, budget: int) -> int:
        """How many of the last working days of a ``budget``-day clock are YELLOW."""
        scaled = math.floor(self.share * budget)
        return max(0, min(budget - 1, max(self.at_least, scaled)))

    def light(self, facts: LightFacts) -> Light:
        """See the class docstring. The current day counts while it is open, so a clock with
        ``remaining <= yellow_days`` is in its YELLOW days; ``remaining`` is 0 only at the
        deadline instant itself, which belongs to the last day."""
        if facts.overdue:
            return Light.RED
        window = self.yellow_days(facts.budget)
        return Light.YELLOW if window and facts.remaining <= window else Light.GREEN


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

    The built-in plugin answers last with ``ShareThresholdPolicy()``; with ``hooks=None``
    (the built-ins only), or a manager built without built-ins, the answer is the same
    default, so there is always a policy.
    """
    if hooks is None:
        return ShareThresholdPolicy()
    chosen = hooks.light_policy(region=region, permit_type=permit_type)
    return chosen if chosen is not None else ShareThresholdPolicy()
