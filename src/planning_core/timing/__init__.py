"""Timing: working-day calendars, time limits, clocks with pauses and extensions, lights."""

from planning_core.timing._limit import LimitUnit, TimeLimit

__all__ = ["LimitUnit", "TimeLimit"]
