"""Dates and times as the window prints them on receipts, cards and status pages."""

from __future__ import annotations

import datetime as dt

__all__ = ["zh_date", "zh_datetime", "zh_list"]

_WEEKDAYS = "一二三四五六日"


def zh_date(day: dt.date) -> str:
    """``2026年3月20日（星期五）``: the form of a Chinese notice, with the weekday."""
    return f"{day.year}年{day.month}月{day.day}日（星期{_WEEKDAYS[day.weekday()]}）"


def zh_datetime(instant: dt.datetime) -> str:
    """``2026年3月2日（星期一）09:00``, in the instant's own zone."""
    return f"{zh_date(instant.date())}{instant:%H:%M}"


def zh_list(items: list[str] | tuple[str, ...]) -> list[str]:
    """Numbered lines ``  1. …`` for a receipt or notice."""
    return [f"  {i}. {item}" for i, item in enumerate(items, start=1)]
