"""Dates and times as the window prints them on receipts, cards and status pages."""

from __future__ import annotations

import datetime as dt

from planning_core.cases._notices import zh_date  # the notices of the engine's events use it too

__all__ = ["zh_date", "zh_datetime", "zh_list"]


def zh_datetime(instant: dt.datetime) -> str:
    """``2026年3月2日（星期一）09:00``, in the instant's own zone."""
    return f"{zh_date(instant.date())}{instant:%H:%M}"


def zh_list(items: list[str] | tuple[str, ...]) -> list[str]:
    """Numbered lines ``  1. …`` for a receipt or notice."""
    return [f"  {i}. {item}" for i, item in enumerate(items, start=1)]
