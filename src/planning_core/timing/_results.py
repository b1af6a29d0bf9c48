"""What a clock answers: a deadline, or the typed fact that it is unknown; and a reading."""

from __future__ import annotations

import attrs
import pendulum

from planning_core.timing._ledger import PauseReason

__all__ = ["Deadline", "DeadlineUnknown"]


@attrs.frozen
class Deadline:
    """When a clock's time runs out.

    :param date: the last day of the limit (always a working day).
    :param at: the instant that day closes (24:00, i.e. the next midnight, unless the
        bureau configured a closing time).
    :param provisional: some day from the start to the deadline lies in a year whose
        official schedule is not known; the date may move when it is published.
    """

    date: pendulum.Date
    at: pendulum.DateTime
    provisional: bool


@attrs.frozen
class DeadlineUnknown:
    """The deadline while a pause is open: it depends on when the clock resumes.

    :param paused_since: the instant the open pause began.
    :param reason: why the clock is paused.
    :param remaining: working days that will be left when the clock resumes.
    :param provisional: a day counted so far lies in a year without an official schedule.
    """

    paused_since: pendulum.DateTime
    reason: PauseReason
    remaining: int
    provisional: bool
