"""The small figures every report is made of: counts, rates and spreads of working days.

Rates are percentages to one decimal, rounded half up, as a work summary prints them;
a rate of nothing (no case decided) is None, never 0 or 100. The 90th percentile is the
nearest-rank one: the smallest value that at least 90% of the values do not exceed, so it
is always a value that occurred.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

import attrs

__all__ = ["COUNT_FIELDS", "COUNT_ZH", "Counts", "OnTime", "Spread", "percent"]

_TENTH = Decimal("0.1")


def percent(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in percent, to 0.1; None when ``whole`` is 0."""
    if whole == 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(_TENTH, ROUND_HALF_UP)


@attrs.frozen
class Spread:
    """How many working days something took: count, mean, 90th percentile, longest."""

    count: int
    mean: Decimal | None
    p90: int | None
    longest: int | None

    @classmethod
    def of(cls, values: Iterable[int]) -> Spread:
        """The spread of ``values`` (an empty spread has None for every figure)."""
        ordered = sorted(values)
        n = len(ordered)
        if n == 0:
            return cls(0, None, None, None)
        mean = (Decimal(sum(ordered)) / Decimal(n)).quantize(_TENTH, ROUND_HALF_UP)
        return cls(n, mean, ordered[(9 * n + 9) // 10 - 1], ordered[-1])


@attrs.frozen
class Counts:
    """Cases by what happened to them (each counted on the day it happened).

    ``decided`` is ``approved`` plus ``denied``.
    """

    received: int = 0
    accepted: int = 0
    refused: int = 0
    decided: int = 0
    approved: int = 0
    denied: int = 0
    issued: int = 0
    delivered: int = 0
    withdrawn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(**{f: getattr(self, f) + getattr(other, f) for f in COUNT_FIELDS})


#: The fields of :class:`Counts`, in order, with the words a summary uses for them.
COUNT_FIELDS = tuple(a.name for a in attrs.fields(Counts))
COUNT_ZH = {
    "received": "收件",
    "accepted": "受理",
    "refused": "不予受理",
    "decided": "作出决定",
    "approved": "准予许可",
    "denied": "不予许可",
    "issued": "发证",
    "delivered": "出件",
    "withdrawn": "撤回",
}


@attrs.frozen
class OnTime:
    """Decisions made within the committed and the statutory limit (pauses not counted,
    approved extensions counted)."""

    decided: int = 0
    committed_on_time: int = 0
    statutory_on_time: int = 0

    @property
    def committed_rate(self) -> Decimal | None:
        """Percent decided within the committed limit (承诺时限)."""
        return percent(self.committed_on_time, self.decided)

    @property
    def statutory_rate(self) -> Decimal | None:
        """Percent decided within the statutory limit (法定时限)."""
        return percent(self.statutory_on_time, self.decided)

    def __add__(self, other: OnTime) -> OnTime:
        return OnTime(
            self.decided + other.decided,
            self.committed_on_time + other.committed_on_time,
            self.statutory_on_time + other.statutory_on_time,
        )
