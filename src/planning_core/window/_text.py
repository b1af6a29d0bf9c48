"""Dates and times as the window prints them on receipts, cards and status pages."""

from __future__ import annotations

import datetime as dt

# the notices of the engine's events and the cases commands use them too
from planning_core.cases._notices import zh_date, zh_provisional

__all__ = ["zh_date", "zh_datetime", "zh_list", "zh_pickup", "zh_provisional"]


def zh_datetime(instant: dt.datetime) -> str:
    """``2026年3月2日（星期一）09:00``, in the instant's own zone."""
    return f"{zh_date(instant.date())}{instant:%H:%M}"


def zh_pickup(day: dt.date, provisional: bool) -> str:
    """An expected date as printed: ``2027年1月5日（星期二）`` followed, when it was counted over
    a year without a published holiday schedule, by ``（暂定：2027年节假日安排尚未公布）``."""
    return zh_date(day) + (zh_provisional(day) if provisional else "")


def zh_list(items: list[str] | tuple[str, ...]) -> list[str]:
    """Numbered lines ``  1. …`` for a receipt or notice."""
    return [f"  {i}. {item}" for i, item in enumerate(items, start=1)]
