"""What a day is, and why: the answer :meth:`WorkCalendar.explain` gives."""

from __future__ import annotations

import enum

import attrs
import pendulum

__all__ = ["DayExplanation", "DayKind"]


class DayKind(enum.Enum):
    """Why a day is, or is not, a working day; the order of precedence is local rules,
    then the official schedule, then the ordinary week."""

    WORKDAY = "workday"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    MAKEUP_WORKDAY = "makeup_workday"
    LOCAL_CLOSURE = "local_closure"
    LOCAL_WORKDAY = "local_workday"

    @property
    def working(self) -> bool:
        """Whether a day of this kind counts against a time limit."""
        return self in _WORKING

    @property
    def zh(self) -> str:
        """The kind as a Chinese notice says it."""
        return _ZH[self]

    @property
    def text(self) -> str:
        """The kind in English words."""
        return self.value.replace("_", " ").replace("makeup", "make-up")


_WORKING = frozenset({DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY, DayKind.LOCAL_WORKDAY})
_ZH = {
    DayKind.WORKDAY: "工作日",
    DayKind.WEEKEND: "休息日",
    DayKind.HOLIDAY: "节假日",
    DayKind.MAKEUP_WORKDAY: "调休上班",
    DayKind.LOCAL_CLOSURE: "本地停止办公",
    DayKind.LOCAL_WORKDAY: "本地工作日",
}


@attrs.frozen
class DayExplanation:
    """Whether ``date`` is a working day in ``region``, and why.

    :param name: the holiday's or local rule's name, when the day has one.
    :param provisional: the day's year has no official schedule yet; the answer is a
        projection of the statutory holidays and may change when the schedule is published.
    """

    region: str
    date: pendulum.Date
    kind: DayKind
    name: str | None
    provisional: bool

    @property
    def working(self) -> bool:
        """Whether the day counts against a time limit."""
        return self.kind.working

    def __str__(self) -> str:
        verdict = "a working day" if self.working else "not a working day"
        why = f"{self.kind.text} ({self.kind.zh})"
        if self.name:
            why += f": {self.name}"
        note = "; provisional, the year's official schedule is not known yet" * self.provisional
        return (
            f"{self.date} ({self.date.format('dddd')}) is {verdict} in {self.region}: {why}{note}"
        )
