"""``planning-core deadline`` and ``planning-core calendar``: the timing room's calculator.

``deadline`` builds a :class:`~planning_core.timing.Clock` from the command line (start,
limit, pauses, an extension) and prints its reading at ``--at`` (default: now, the one
place the wall clock is read). ``calendar`` says whether a day is a working day, and why.

Both answer in the command line's language (``--lang``), each answer wholly in it: the
Chinese one counts in 个工作日, the English one in working days. Their JSON is the
library's: a reading's deadline is :class:`~planning_core.timing.Deadline` (``date``,
``at``, ``provisional``), or :class:`~planning_core.timing.DeadlineUnknown` while paused.
"""

from __future__ import annotations

import re
from typing import Any

import click
import pendulum

from planning_core.cli._base import CliContext, pass_context, region_default
from planning_core.cli._output import Output, output_options
from planning_core.errors import ValidationError
from planning_core.serialization import dump, make_converter, parse_date, parse_instant
from planning_core.timing import (
    Clock,
    ClockReading,
    DayExplanation,
    Deadline,
    LimitUnit,
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
@output_options()
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
    output: Output,
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

    def render() -> str:
        lines = _reading_lines(obj, clock, calendar, reading)
        width = max(_width(label) for label, _ in lines) + 2
        return "\n".join(f"{label}{' ' * (width - _width(label))}{value}" for label, value in lines)

    output.emit(text=render, data=lambda: _reading_json(obj, clock, calendar, reading))


@click.command("calendar")
@click.argument("day")
@_calendar_option
@_schedule_option
@output_options()
@pass_context
def calendar_command(
    obj: CliContext, day: str, region: str, schedules: tuple[str, ...], output: Output
) -> None:
    """Whether DAY (YYYY-MM-DD) is a working day, and why."""
    calendar = _calendar(obj, region, schedules)
    explanation = calendar.explain(parse_date(day))

    def data() -> dict[str, Any]:
        shown: dict[str, Any] = dump(make_converter(obj.hooks), explanation)
        shown["calendar"] = shown.pop("region")
        shown["working_day"] = explanation.working
        return shown

    output.emit(text=lambda: _explain(obj, explanation), data=data)


def _explain(obj: CliContext, day: DayExplanation) -> str:
    """The explanation as one sentence in the command line's language."""
    if obj.lang == "zh":
        verdict = "是工作日" if day.working else "不是工作日"
        name = f"（{day.name}）" if day.name else ""
        note = "；暂定：该年度官方节假日安排尚未公布" if day.provisional else ""
        weekday = day.date.format("dddd", locale="zh")
        return f"{day.date}（{weekday}）在 {day.region} 日历中{verdict}：{day.kind.zh}{name}{note}"
    verdict = "a working day" if day.working else "not a working day"
    name = f' "{day.name}"' if day.name else ""
    note = "; provisional, the year's official schedule is not known yet" * day.provisional
    weekday = day.date.format("dddd")
    return f"{day.date} ({weekday}) is {verdict} in {day.region}: {day.kind.text}{name}{note}"


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


def _reading_json(
    obj: CliContext, clock: Clock, calendar: WorkCalendar, reading: ClockReading
) -> dict[str, Any]:
    """The reading as the library's converter writes it, after the clock it read."""
    converter = make_converter(obj.hooks)
    return {
        "start": dump(converter, clock.started),
        "limit": dump(converter, clock.limit),
        "calendar": calendar.region,
        **dump(converter, reading),
    }


def _days(obj: CliContext, n: int, unit: LimitUnit = LimitUnit.WORKING_DAYS) -> str:
    """``n`` days in the command line's language: ``3个工作日`` or ``3 working days``."""
    if obj.lang == "zh":
        return f"{n}个工作日" if unit is LimitUnit.WORKING_DAYS else f"{n}日"
    word = "working day" if unit is LimitUnit.WORKING_DAYS else "natural day"
    return f"{n} {word}{'' if n == 1 else 's'}"


def _reading_lines(
    obj: CliContext, clock: Clock, calendar: WorkCalendar, reading: ClockReading
) -> list[tuple[str, str]]:
    zh = obj.lang == "zh"
    deadline = reading.deadline
    if isinstance(deadline, Deadline):
        weekday = deadline.date.format("dddd", locale="zh" if zh else "en")
        when = (
            f"{deadline.date}（{weekday}），{deadline.at.isoformat()} 届满"
            if zh
            else f"{deadline.date} ({weekday}), ends {deadline.at.isoformat()}"
        )
    elif zh:
        when = (
            f"未定：自 {deadline.paused_since.isoformat()} 起暂停（{deadline.reason.zh}），"
            f"恢复计时后剩余{_days(obj, deadline.remaining)}"
        )
    else:
        reason = deadline.reason.value.replace("_", " ")
        when = (
            f"unknown: paused since {deadline.paused_since.isoformat()} ({reason}); "
            f"{_days(obj, deadline.remaining)} left on resumption"
        )
    late = obj.say(
        f"，已超期{_days(obj, reading.overdue_by)}", f", {_days(obj, reading.overdue_by)} late"
    )
    remaining = _days(obj, reading.remaining) + (late if reading.overdue else "")
    if zh:
        note = "是：涉及官方节假日安排尚未公布的年度" if reading.provisional else "否"
        return [
            ("起算", clock.started.isoformat()),
            ("时限", clock.limit.zh),
            ("日历", f"{calendar.region}：{calendar.name}"),
            ("截止", when),
            ("读数时刻", reading.at.isoformat()),
            ("已用", _days(obj, reading.used)),
            ("剩余", remaining),
            ("灯色", reading.light.zh),
            ("暂定", note),
        ]
    note = "yes: a year without an official schedule is involved" if reading.provisional else "no"
    return [
        ("start", clock.started.isoformat()),
        ("limit", str(clock.limit)),
        ("calendar", f"{calendar.region}: {calendar.name}"),
        ("deadline", when),
        ("at", reading.at.isoformat()),
        ("used", _days(obj, reading.used)),
        ("remaining", remaining),
        ("light", reading.light.value),
        ("provisional", note),
    ]


def _width(text: str) -> int:
    """Display columns (a Chinese character takes two), to line the values up."""
    return sum(2 if "\u4e00" <= ch <= "\u9fff" else 1 for ch in text)
