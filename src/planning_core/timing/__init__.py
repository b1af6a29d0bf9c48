"""Timing: working-day calendars, time limits, clocks with pauses and extensions, lights.

See docs/timing.md for the counting rules and their legal basis.
"""

from planning_core.timing._builtin import WEEKDAYS, packaged_schedules
from planning_core.timing._calendar import WorkCalendar
from planning_core.timing._clock import Clock, ClockReading
from planning_core.timing._days import DayExplanation, DayKind
from planning_core.timing._ledger import Extension, Pause, PauseMode, PauseModes, PauseReason
from planning_core.timing._light import (
    DEFAULT_YELLOW_SHARE,
    DEFAULT_YELLOW_WITHIN,
    Light,
    LightFacts,
    LightPolicy,
    ShareThresholdPolicy,
    ThreeLevelPolicy,
    ThresholdPolicy,
    light_policy,
)
from planning_core.timing._limit import LimitUnit, TimeLimit
from planning_core.timing._resolve import Calendars, calendar_for, calendar_registry
from planning_core.timing._results import Deadline, DeadlineUnknown
from planning_core.timing._schedule import (
    NamedDay,
    OfficialSchedule,
    load_schedule,
    parse_schedule,
)
from planning_core.timing._spec import CalendarSpec, holidays_spec

__all__ = [
    "DEFAULT_YELLOW_SHARE",
    "DEFAULT_YELLOW_WITHIN",
    "WEEKDAYS",
    "CalendarSpec",
    "Calendars",
    "Clock",
    "ClockReading",
    "DayExplanation",
    "DayKind",
    "Deadline",
    "DeadlineUnknown",
    "Extension",
    "Light",
    "LightFacts",
    "LightPolicy",
    "LimitUnit",
    "NamedDay",
    "OfficialSchedule",
    "Pause",
    "PauseMode",
    "PauseModes",
    "PauseReason",
    "ShareThresholdPolicy",
    "ThreeLevelPolicy",
    "ThresholdPolicy",
    "TimeLimit",
    "WorkCalendar",
    "calendar_for",
    "calendar_registry",
    "holidays_spec",
    "light_policy",
    "load_schedule",
    "packaged_schedules",
    "parse_schedule",
]
