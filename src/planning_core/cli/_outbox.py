"""``planning-core outbox``: the notifications waiting to be delivered, and retrying them.

Messages are delivered through the installed plugins' ``planning_core_notify`` and
``planning_core_notify_applicant`` hooks; a channel no installed plugin receives stays
waiting (nothing is lost, nothing is sent). What the commands say is the command line's
own (``--lang``); their JSON is the library's :class:`~planning_core.cases.OutboxMessage`
and :class:`~planning_core.cases.DeliveryReport`.
"""

from __future__ import annotations

from typing import Any

import click

from planning_core.cases import DeliveryReport, OutboxMessage
from planning_core.cli._base import (
    ZONE,
    CliContext,
    at_option,
    instant,
    pass_context,
    store_option,
)
from planning_core.cli._output import Output, output_options
from planning_core.serialization import dump, make_converter

__all__ = ["outbox"]


@click.group()
def outbox() -> None:
    """Notifications to staff and applicants: list the waiting ones, retry them (通知发件箱)."""


@outbox.command("list")
@output_options(csv=True)
@store_option
@pass_context
def list_command(obj: CliContext, output: Output, store_url: str) -> None:
    """Every notification waiting in the outbox, oldest first, with its last error."""
    engine = obj.engine(store_url, create=False)
    waiting = engine.notifications()

    def text() -> str:
        lines = [obj.say(f"待发通知 {len(waiting)} 条", f"{len(waiting)} notification(s) waiting")]
        lines += [f"  {_line(obj, message)}" for message in waiting]
        return "\n".join(lines)

    header = ["幂等键", "渠道", "案件", "摘要", "已尝试次数", "下次尝试", "已搁置", "上次错误"]
    output.emit(
        text=text,
        data=lambda: [dump(engine.converter, message) for message in waiting],
        table=lambda: (
            header,
            [
                [
                    m.key,
                    m.channel,
                    m.case_id,
                    m.summary,
                    m.attempts,
                    m.next_at.isoformat(),
                    "是" if m.parked else "否",
                    m.last_error,
                ]
                for m in waiting
            ],
        ),
    )


@outbox.command()
@click.argument("keys", nargs=-1)
@click.option("--all", "every", is_flag=True, help="Retry every waiting notification.")
@output_options()
@at_option
@store_option
@pass_context
def retry(
    obj: CliContext,
    keys: tuple[str, ...],
    every: bool,
    output: Output,
    at_text: str | None,
    store_url: str,
) -> None:
    """Make KEYS (or --all) due now, parked ones included, and deliver what is due."""
    if not keys and not every:
        raise click.UsageError("name the notifications to retry (their keys), or give --all")
    engine = obj.engine(store_url, create=False)
    now = instant(at_text)
    count = engine.retry_notifications(now, None if every else keys)
    report = engine.deliver_notifications(now)
    first = obj.say(f"{count} 条通知重新到期", f"{count} notification(s) due again")
    output.emit(
        text=lambda: "\n".join([first, *_report_lines(obj, report)]),
        data=lambda: {"due_again": count, **dump(engine.converter, report)},
    )


@outbox.command()
@output_options()
@at_option
@store_option
@pass_context
def deliver(obj: CliContext, output: Output, at_text: str | None, store_url: str) -> None:
    """Deliver every notification that is due (what each sweep does after recording)."""
    report = obj.engine(store_url, create=False).deliver_notifications(instant(at_text))
    output.emit(
        text=lambda: "\n".join(_report_lines(obj, report)),
        data=lambda: dump(make_converter(obj.hooks), report),
    )


def _line(obj: CliContext, message: OutboxMessage) -> str:
    when = f"{message.next_at.in_tz(ZONE):%Y-%m-%d %H:%M}"
    if obj.lang == "zh":
        state = "已搁置" if message.parked else f"下次 {when}"
        error = f"  上次错误：{message.last_error}" if message.last_error else ""
        return (
            f"{message.key}  [{message.channel}]  {message.summary}  "
            f"已尝试 {message.attempts} 次，{state}{error}"
        )
    state = "parked" if message.parked else f"next {when}"
    error = f"  last error: {message.last_error}" if message.last_error else ""
    return (
        f"{message.key}  [{message.channel}]  {message.summary}  "
        f"attempts {message.attempts}, {state}{error}"
    )


def _report_lines(obj: CliContext, report: DeliveryReport) -> list[str]:
    delivered, failed = len(report.delivered), len(report.failed)
    lines = [
        obj.say(
            f"已送达 {delivered} 条，失败 {failed} 条，待发 {report.waiting} 条",
            f"delivered {delivered}, failed {failed}, waiting {report.waiting}",
        )
    ]
    for one in report.failed:
        when: Any = one.next_at
        later = (
            obj.say("已搁置", "parked")
            if when is None
            else obj.say(f"下次 {when.in_tz(ZONE):%H:%M}", f"next {when.in_tz(ZONE):%H:%M}")
        )
        lines.append(f"  {one.key}: {one.error} ({later})")
    return lines
