"""``planning-core outbox``: the notifications waiting to be delivered, and retrying them.

Messages are delivered through the installed plugins' ``planning_core_notify`` and
``planning_core_notify_applicant`` hooks; a channel no installed plugin receives stays
waiting (nothing is lost, nothing is sent).
"""

from __future__ import annotations

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

__all__ = ["outbox"]


@click.group()
def outbox() -> None:
    """Notifications to staff and applicants: list the waiting ones, retry them (通知发件箱)."""


@outbox.command("list")
@store_option
@pass_context
def list_command(obj: CliContext, store_url: str) -> None:
    """Every notification waiting in the outbox, oldest first, with its last error."""
    waiting = obj.engine(store_url, create=False).notifications()
    click.echo(f"{len(waiting)} notification(s) waiting")
    for message in waiting:
        click.echo(f"  {_line(message)}")


@outbox.command()
@click.argument("keys", nargs=-1)
@click.option("--all", "every", is_flag=True, help="Retry every waiting notification.")
@at_option
@store_option
@pass_context
def retry(
    obj: CliContext, keys: tuple[str, ...], every: bool, at_text: str | None, store_url: str
) -> None:
    """Make KEYS (or --all) due now, parked ones included, and deliver what is due."""
    if not keys and not every:
        raise click.UsageError("name the notifications to retry (their keys), or give --all")
    engine = obj.engine(store_url, create=False)
    now = instant(at_text)
    count = engine.retry_notifications(now, None if every else keys)
    click.echo(f"{count} notification(s) due again")
    _report(engine.deliver_notifications(now))


@outbox.command()
@at_option
@store_option
@pass_context
def deliver(obj: CliContext, at_text: str | None, store_url: str) -> None:
    """Deliver every notification that is due (what each sweep does after recording)."""
    _report(obj.engine(store_url, create=False).deliver_notifications(instant(at_text)))


def _line(message: OutboxMessage) -> str:
    state = "parked" if message.parked else f"next {message.next_at.in_tz(ZONE):%Y-%m-%d %H:%M}"
    error = f"  last error: {message.last_error}" if message.last_error else ""
    return (
        f"{message.key}  [{message.channel}]  {message.summary}  "
        f"attempts {message.attempts}, {state}{error}"
    )


def _report(report: DeliveryReport) -> None:
    click.echo(
        f"delivered {len(report.delivered)}, failed {len(report.failed)}, waiting {report.waiting}"
    )
    for failed in report.failed:
        when = "parked" if failed.next_at is None else f"next {failed.next_at.in_tz(ZONE):%H:%M}"
        click.echo(f"  {failed.key}: {failed.error} ({when})", err=True)
