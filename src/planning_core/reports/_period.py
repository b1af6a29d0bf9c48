"""The period a report covers: whole days in the bureau's zone, first and last included.

A report only ever looks at events recorded before the end of its last day, so running it
again next year gives the same figures: what happened later is not part of the period.
"""

from __future__ import annotations

import datetime as dt

import attrs
import pendulum

from planning_core.errors import ValidationError

__all__ = ["Period"]


def _date(value: dt.date) -> pendulum.Date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ValidationError(f"a period is made of dates such as 2025-01-01, not {value!r}")
    return pendulum.Date(value.year, value.month, value.day)


@attrs.frozen
class Period:
    """The days ``start`` to ``end`` (both included) in the time zone ``zone``.

    :raises ValidationError: when ``end`` is before ``start``.
    """

    start: pendulum.Date = attrs.field(converter=_date)
    end: pendulum.Date = attrs.field(converter=_date)
    zone: str = "Asia/Shanghai"
    # Computed once: reports ask a period about every event of thousands of cases.
    _opens: pendulum.DateTime = attrs.field(init=False, eq=False, repr=False)
    _closes: pendulum.DateTime = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise ValidationError(
                f"the period ends {self.end.isoformat()} before it starts "
                f"{self.start.isoformat()}; give --from before --to"
            )
        after = self.end.add(days=1)
        opens = pendulum.datetime(self.start.year, self.start.month, self.start.day, tz=self.zone)
        closes = pendulum.datetime(after.year, after.month, after.day, tz=self.zone)
        object.__setattr__(self, "_opens", opens)
        object.__setattr__(self, "_closes", closes)

    @classmethod
    def year(cls, year: int, zone: str = "Asia/Shanghai") -> Period:
        """The calendar year ``year``."""
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), zone)

    @property
    def opens(self) -> pendulum.DateTime:
        """The first instant of the period (00:00 of ``start``)."""
        return self._opens

    @property
    def closes(self) -> pendulum.DateTime:
        """The first instant after the period (00:00 of the day after ``end``)."""
        return self._closes

    def contains(self, at: dt.datetime) -> bool:
        """True when the instant ``at`` falls within the period."""
        return self._opens <= at < self._closes

    def month_of(self, at: dt.datetime) -> str:
        """The month of ``at`` in the period's zone, ``YYYY-MM``."""
        local = pendulum.instance(at).in_timezone(self.zone)
        return f"{local.year:04d}-{local.month:02d}"

    @property
    def months(self) -> tuple[str, ...]:
        """Every month the period touches, ``YYYY-MM``, in order."""
        months = []
        year, month = self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            months.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return tuple(months)

    @property
    def zh(self) -> str:
        """``2025年1月1日至2025年12月31日``."""
        return f"{_zh(self.start)}至{_zh(self.end)}"


def _zh(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
