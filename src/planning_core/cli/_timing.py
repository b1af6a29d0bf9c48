"""``planning-core deadline`` and ``planning-core calendar``: the timing room's calculator.

``deadline`` builds a :class:`~planning_core.timing.Clock` from the command line (start,
limit, pauses, an extension) and prints its reading at ``--at`` (default: now, the one
place the wall clock is read). ``calendar`` says whether a day is a working day, and why.
"""

from __future__ import annotations

import json
import re
from typing import Any

import click
import pendulum

from planning_core.cli._base import CliContext, pass_context, region_default
from planning_core.errors import ValidationError
from planning_core.serialization import parse_date, parse_instant
from planning_core.timing import (
    Clock,
    ClockReading,
    Deadline,
    PauseReason,
    TimeLimit,
    WorkCalendar,
    calendar_for,
    light_policy,
    load_schedule,
)

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

_calendar_option = click.option(
    "--calendar",
    "region",
    default=None,
    callback=region_default,
    help="Calendar key: CN, weekdays, a plugin's key, or a holidays country code "
    "(default: the bureau's, else CN).",
)
_schedule_option = click.option(
    "--schedule",
    "schedules",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="An official schedule file (TOML) to register first; repeatable.",
)
_json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


@click.command()
@click.argument("start")
@click.argument("limit")
@_calendar_option
@click.option(
    "--pause",
    "pauses",
    multiple=True,
    metavar="FROM:TO",
    help="A pause: dates FROM:TO, or instants FROM/TO; leave TO empty for an open pause.",
)
@click.option(
    "--pause-reason",
    type=click.Choice([r.value for r in PauseReason]),
    default=PauseReason.EXPERT_REVIEW.value,
    show_default=True,
    help="The reason recorded for every --pause.",
)
@click.option("--extend", type=int, default=None, metavar="N", help="Extend by N working days.")
@click.option("--at", "at_text", default=None, help="Read the clock at this instant (default now).")
@_schedule_option
@_json_option
@pass_context
def deadline(
    obj: CliContext,
    start: str,
    limit: str,
    region: str,
    pauses: tuple[str, ...],
    pause_reason: str,
    extend: int | None,
    at_text: str | None,
    schedules: tuple[str, ...],
    as_json: bool,
) -> None:
    """The deadline of LIMIT ("20wd", "20个工作日", "30天") counted from START.

    START is a date (YYYY-MM-DD, taken as the start of that day in the calendar's zone) or
    an instant with its offset (2026-11-26T09:30:00+08:00).
    """
    calendar = _calendar(obj, region, schedules)
    started = _instant(start, calendar)
    clock = Clock(started, TimeLimit.parse(limit), region)
    for text in pauses:
        begin, end = _pause(text, calendar)
        clock = clock.pause(begin, pause_reason)
        if end is not None:
            clock = clock.resume(end)
    if extend is not None:
        clock = clock.extend(
            extend, approver="planning-core deadline", reason="--extend", at=started
        )
    at = _instant(at_text, calendar) if at_text else pendulum.now(calendar.zone)
    reading = clock.read(at, calendar, light_policy(obj.hooks, region))
    if as_json:
        click.echo(
            json.dumps(_reading_json(clock, calendar, reading), ensure_ascii=False, indent=2)
        )
    else:
        for label, value in _reading_lines(clock, calendar, reading):
            click.echo(f"{label:<12} {value}")


@click.command("calendar")
@click.argument("day")
@_calendar_option
@_schedule_option
@_json_option
@pass_context
def calendar_command(
    obj: CliContext, day: str, region: str, schedules: tuple[str, ...], as_json: bool
) -> None:
    """Whether DAY (YYYY-MM-DD) is a working day, and why."""
    calendar = _calendar(obj, region, schedules)
    explanation = calendar.explain(parse_date(day))
    if not as_json:
        click.echo(str(explanation))
        return
    data = {
        "date": explanation.date.isoformat(),
        "calendar": region,
        "working_day": explanation.working,
        "kind": explanation.kind.value,
        "name": explanation.name,
        "provisional": explanation.provisional,
    }
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _calendar(obj: CliContext, region: str, schedules: tuple[str, ...]) -> WorkCalendar:
    loaded = [load_schedule(path) for path in schedules]
    return calendar_for(region, hooks=obj.hooks, schedules=loaded)


def _instant(text: str, calendar: WorkCalendar) -> pendulum.DateTime:
    """A date means the start of that day in the calendar's zone; else an ISO instant."""
    if _DATE.fullmatch(text):
        day = parse_date(text)
        return pendulum.datetime(day.year, day.month, day.day, tz=calendar.zone)
    return parse_instant(text)


def _pause(text: str, calendar: WorkCalendar) -> tuple[pendulum.DateTime, pendulum.DateTime | None]:
    if "/" in text:
        begin, _, end = text.partition("/")
    elif _DATE.match(text) and text[10:11] == ":":
        begin, end = text[:10], text[11:]
    else:
        raise ValidationError(
            f"--pause {text!r}: write FROM:TO with dates (2026-10-12:2026-10-20), FROM/TO "
            f"with instants, or leave TO empty for a pause still open"
        )
    return _instant(begin, calendar), (_instant(end, calendar) if end else None)


def _reading_json(clock: Clock, calendar: WorkCalendar, reading: ClockReading) -> dict[str, Any]:
    deadline_at = reading.deadline_at
    deadline_date = reading.deadline_date
    return {
        "start": clock.started.isoformat(),
        "limit": str(clock.limit),
        "calendar": calendar.region,
        "at": reading.at.isoformat(),
        "deadline": deadline_at.isoformat() if deadline_at else None,
        "deadline_date": deadline_date.isoformat() if deadline_date else None,
        "light": reading.light.value,
        "used_working_days": reading.used,
        "remaining_working_days": reading.remaining,
        "overdue": reading.overdue,
        "overdue_working_days": reading.overdue_by,
        "paused": reading.paused,
        "provisional": reading.provisional,
    }


def _reading_lines(
    clock: Clock, calendar: WorkCalendar, reading: ClockReading
) -> list[tuple[str, str]]:
    deadline = reading.deadline
    if isinstance(deadline, Deadline):
        when = f"{deadline.date} ({deadline.date.format('dddd')}), ends {deadline.at.isoformat()}"
    else:
        when = (
            f"unknown: paused since {deadline.paused_since.isoformat()} "
            f"({deadline.reason.zh}); {deadline.remaining} working day(s) left on resumption"
        )
    late = f", {reading.overdue_by} working day(s) late" if reading.overdue else ""
    note = "yes: a year without an official schedule is involved" if reading.provisional else "no"
    return [
        ("start", clock.started.isoformat()),
        ("limit", f"{clock.limit} ({clock.limit.zh})"),
        ("calendar", f"{calendar.region}: {calendar.name}"),
        ("deadline", when),
        ("at", reading.at.isoformat()),
        ("used", f"{reading.used} working day(s)"),
        ("remaining", f"{reading.remaining} working day(s){late}"),
        ("light", f"{reading.light.value} ({reading.light.zh})"),
        ("provisional", note),
    ]
