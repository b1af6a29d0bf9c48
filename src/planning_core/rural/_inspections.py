"""Supervision and inspection: inspections, their rectification deadlines and follow-ups.

An inspection (监督检查) finds problems at a place and sets a time limit for rectification
(整改), such as ``10个工作日``. The deadline is counted by :mod:`planning_core.timing` like any
administrative limit: the inspection day is not counted, working days skip statutory
holidays and count make-up working days, and a natural-day limit whose last day is not a
working day moves to the next one. The last day ends at 24:00 local time, so a rectification
is overdue from the day after its deadline until a follow-up records it rectified.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

import attrs
import pendulum

from planning_core.errors import ValidationError
from planning_core.rural._checks import check_name, check_names, check_optional_name, to_tuple
from planning_core.timing import LimitUnit, TimeLimit, calendar_for

__all__ = [
    "DEFAULT_TIMEZONE",
    "FollowUp",
    "Inspection",
    "WorkingDays",
    "local_day",
    "rectification_deadline",
]

#: The zone a bureau's days are counted in unless told otherwise.
DEFAULT_TIMEZONE = "Asia/Shanghai"


class WorkingDays(Protocol):
    """The part of :class:`planning_core.timing.WorkCalendar` a deadline needs."""

    def add_working_days(self, d: dt.date, n: int) -> dt.date:
        """The n-th working day after ``d`` (n == 0: ``d`` if working, else the next)."""
        ...

    def touches_provisional(self, a: dt.date, b: dt.date) -> bool:
        """Whether a day from ``a`` to ``b`` lies in a year without an official schedule."""
        ...


def rectification_deadline(
    inspected_on: dt.date, limit: TimeLimit, calendar: WorkingDays
) -> dt.date:
    """The last day of a rectification period of ``limit`` starting after ``inspected_on``.

    The start day is not counted; a working-day limit ends on the n-th working day after it;
    a natural-day limit ends n days after it, moved to the next working day when that day is
    not one.
    """
    if limit.unit is LimitUnit.WORKING_DAYS:
        return calendar.add_working_days(inspected_on, limit.days)
    last = inspected_on + dt.timedelta(days=limit.days)
    return calendar.add_working_days(last, 0)


def local_day(at: dt.datetime, timezone: str = DEFAULT_TIMEZONE) -> dt.date:
    """The calendar day ``at`` falls on in ``timezone``.

    :raises ValidationError: when ``at`` has no time zone.
    """
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValidationError(
            f"instant {at.isoformat()!r} has no time zone; give an offset such as +08:00"
        )
    return pendulum.instance(at).in_timezone(timezone).date()


@attrs.frozen
class FollowUp:
    """A follow-up visit or report on a rectification (跟踪复查).

    :param rectified: True when this follow-up found the problems put right.
    """

    on: dt.date
    note: str = attrs.field(validator=check_name)
    rectified: bool = False


def _check_follow_ups(
    instance: Inspection, _attribute: object, value: tuple[FollowUp, ...]
) -> None:
    previous = instance.inspected_on
    for follow_up in value:
        if follow_up.on < previous:
            raise ValidationError(
                f"inspection {instance.number}: follow-up on {follow_up.on.isoformat()} is "
                f"before {previous.isoformat()}; follow-ups come after the inspection, in order"
            )
        previous = follow_up.on


@attrs.frozen
class Inspection:
    """One supervision inspection and what became of its findings.

    :param number: the bureau's number for the inspection (检查编号); the record's key.
    :param site: the site inspected; ``township`` narrows it when the place is in one.
    :param location: the place inspected, in the inspector's words (地点).
    :param findings: the problems found, one per item; empty when nothing was found.
    :param rectification_limit: the time allowed to put the findings right.
    :param rectification_deadline: its last day, counted by :func:`rectification_deadline`;
        stored so the overdue list is a plain comparison, and recomputed with
        :meth:`redated` when the calendar changes.
    :param deadline_provisional: True when the deadline was counted over a year whose official
        holiday schedule was not yet published; :meth:`redated` makes it exact later.
    :param follow_ups: the follow-ups, oldest first.
    """

    number: str = attrs.field(validator=check_name)
    site: str = attrs.field(validator=check_name)
    inspected_on: dt.date
    location: str = attrs.field(validator=check_name)
    findings: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=check_names)
    township: str | None = attrs.field(default=None, validator=check_optional_name)
    rectification_limit: TimeLimit | None = None
    rectification_deadline: dt.date | None = None
    deadline_provisional: bool = False
    follow_ups: tuple[FollowUp, ...] = attrs.field(
        default=(), converter=to_tuple, validator=_check_follow_ups
    )

    def __attrs_post_init__(self) -> None:
        if (self.rectification_limit is None) != (self.rectification_deadline is None):
            raise ValidationError(
                f"inspection {self.number}: give both a rectification limit and its deadline, "
                f"or neither (use Inspection.record to have the deadline counted)"
            )
        if self.rectification_deadline is not None and (
            self.rectification_deadline < self.inspected_on
        ):
            raise ValidationError(
                f"inspection {self.number}: rectification deadline "
                f"{self.rectification_deadline.isoformat()} is before the inspection on "
                f"{self.inspected_on.isoformat()}"
            )

    @classmethod
    def record(
        cls,
        *,
        number: str,
        site: str,
        inspected_on: dt.date,
        location: str,
        findings: tuple[str, ...] | list[str] = (),
        township: str | None = None,
        rectification_limit: TimeLimit | str | None = None,
        calendar: WorkingDays | None = None,
    ) -> Inspection:
        """A new inspection, its deadline counted on ``calendar`` from ``rectification_limit``.

        :param rectification_limit: a :class:`TimeLimit` or its text (``"10个工作日"``).
        :param calendar: the working-day calendar; by default ``calendar_for("CN")``.
        :raises ValidationError: when the limit's text is not a time limit.
        """
        limit = (
            TimeLimit.parse(rectification_limit)
            if isinstance(rectification_limit, str)
            else rectification_limit
        )
        deadline, provisional = None, False
        if limit is not None:
            calendar = calendar if calendar is not None else calendar_for("CN")
            deadline = rectification_deadline(inspected_on, limit, calendar)
            provisional = calendar.touches_provisional(inspected_on, deadline)
        return cls(
            number=number,
            site=site,
            inspected_on=inspected_on,
            location=location,
            findings=tuple(findings),
            township=township,
            rectification_limit=limit,
            rectification_deadline=deadline,
            deadline_provisional=provisional,
        )

    @property
    def rectified_on(self) -> dt.date | None:
        """The day of the first follow-up that found the findings rectified, if any."""
        return next((f.on for f in self.follow_ups if f.rectified), None)

    def is_overdue(self, day: dt.date) -> bool:
        """True when, at the end of ``day``, the deadline has passed and nothing is rectified."""
        deadline = self.rectification_deadline
        if deadline is None or day <= deadline:
            return False
        rectified = self.rectified_on
        return rectified is None or rectified > day

    def overdue_at(self, at: dt.datetime, timezone: str = DEFAULT_TIMEZONE) -> bool:
        """:meth:`is_overdue` for the day the instant ``at`` falls on in ``timezone``."""
        return self.is_overdue(local_day(at, timezone))

    def followed_up(self, follow_up: FollowUp) -> Inspection:
        """The inspection with ``follow_up`` added after the existing ones."""
        return attrs.evolve(self, follow_ups=(*self.follow_ups, follow_up))

    def redated(self, calendar: WorkingDays) -> Inspection:
        """The inspection with its deadline counted (again) on ``calendar``: after a new
        year's official schedule is published, or a city's calendar changes."""
        if self.rectification_limit is None:
            return self
        deadline = rectification_deadline(self.inspected_on, self.rectification_limit, calendar)
        provisional = calendar.touches_provisional(self.inspected_on, deadline)
        return attrs.evolve(self, rectification_deadline=deadline, deadline_provisional=provisional)
