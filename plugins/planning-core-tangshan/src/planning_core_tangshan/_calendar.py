"""Tangshan's working-day calendar: the national schedule with the city's adjustments.

Registered under ``CN-tangshan`` (the national ``CN`` stays as it is, for other callers):

* the bureau closes at 17:30, so a limit's last day ends at the close of business
  (民法典 art. 203), not at midnight;
* local closures (停止对外办公) are days off on top of the State Council's schedule. The one
  listed is an *example* of the shape such a day takes (a city-wide commemoration on the
  50th anniversary of the 1976 earthquake); a real bureau lists the days its city
  government announces.
"""

from __future__ import annotations

import datetime as dt

import attrs

from planning_core.timing import CalendarSpec, NamedDay

__all__ = ["TANGSHAN_CLOSES_AT", "TANGSHAN_CLOSURES", "TANGSHAN_REGION", "tangshan_calendar"]

#: The region key engines and ``calendar_for`` use for the city.
TANGSHAN_REGION = "CN-tangshan"
#: The close of business at the window.
TANGSHAN_CLOSES_AT = dt.time(17, 30)
#: Local closures (an example; see the module docstring).
TANGSHAN_CLOSURES: tuple[NamedDay, ...] = (
    NamedDay(dt.date(2026, 7, 28), "唐山抗震五十周年纪念日，机关停止对外办公（示例）"),
)


def tangshan_calendar(national: CalendarSpec) -> CalendarSpec:
    """The city's calendar recipe built on the ``national`` one (``registry.get("CN")``)."""
    return attrs.evolve(
        national,
        name="唐山市（国务院节假日安排＋本地调整）",
        closures=(*national.closures, *TANGSHAN_CLOSURES),
        closes_at=TANGSHAN_CLOSES_AT,
    )
