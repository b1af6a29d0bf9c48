"""``planning-core cases``: a post's inbox, one case's file, the overdue board, the sweep.

The commands run the bureau given by ``--bureau`` (its organisation, calendar, store and
light policy; without one, the reference organisation on the embedded SQLite file) with
the installed plugins. ``--at`` defaults to
the current time: the command line is the one place that may read the wall clock.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
import pendulum

from planning_core.cases import Engine, RecordedEvent
from planning_core.cases._notices import zh_provisional
from planning_core.cli._base import (
    ZONE,
    CliContext,
    at_option,
    instant,
    pass_context,
    store_option,
)
from planning_core.cli._ledger import anchor_file_option, verify_case_against_anchor
from planning_core.errors import NotFoundError
from planning_core.ledger import read_anchor
from planning_core.materials import FileProblem
from planning_core.storage import CaseRow, WorkItem
from planning_core.timing import Light
from planning_core.workflow import to_mermaid


def open_engine(obj: CliContext, store_url: str, *, create: bool = True) -> Engine:
    """The bureau's engine on ``store_url`` (its organisation, calendar and plugins).

    :param create: False for a command that only reads, or acts on cases that must exist:
        a mistyped store is then an error, not a new, empty store.
    """
    return obj.engine(store_url, create=create)


def _day(ts: int | None) -> pendulum.Date | None:
    """The deadline day of a stored deadline instant (that day's close; 24:00 is the next
    midnight, so one second back)."""
    if ts is None:
        return None
    return pendulum.from_timestamp(ts, tz=ZONE).subtract(seconds=1).date()


def _is_provisional(row: CaseRow, clock: str) -> bool:
    """Whether the projection marked ``clock``'s deadline provisional (counted over a year
    whose official holiday schedule is not published)."""
    return bool((row.data.get("provisional") or {}).get(clock))


def _deadline(row: CaseRow, clock: str | None) -> str:
    """Clock ``clock``'s deadline day as stored, with ``（暂定：…）`` after a provisional one."""
    ts = (row.data.get("deadlines") or {}).get(clock) if clock else None
    day = _day(ts) if isinstance(ts, int) else None
    if day is None:
        return "—"
    mark = zh_provisional(day) if clock and _is_provisional(row, clock) else ""
    return f"{day.isoformat()}{mark}"


def _light(value: str) -> str:
    return f"{Light(value).zh}({value})"


def _row_line(row: CaseRow) -> str:
    data = row.data
    return (
        f"{row.case_number or row.case_id}  {data.get('status_zh', row.status)}  "
        f"{row.permit_type}  {data.get('project', '')}  "
        f"承诺期限 {_deadline(row, _committed(row))}  {_light(row.light)}"
    )


def _committed(row: CaseRow) -> str:
    """The clock the promised date is read from: committed, then the certificate's."""
    deadlines = row.data.get("deadlines") or {}
    return "committed" if isinstance(deadlines.get("committed"), int) else "certificate"


def _step_clock(row: CaseRow, work: WorkItem) -> str | None:
    """The name of the step clock a work item's due date comes from."""
    deadlines = row.data.get("deadlines") or {}
    for token in row.data.get("tokens") or ():
        name = f"step:{token.get('token')}"
        same = token.get("step_id") == work.step_id and token.get("post") == work.post
        if same and deadlines.get(name) == work.due_ts:
            return name
    return None


def _find(engine: Engine, case: str) -> CaseRow:
    row = engine.store.get_case(case) or engine.store.find_case(case)
    if row is None:
        raise NotFoundError(f"no case with id or number {case!r}; check the receipt")
    return row


@click.group()
def cases() -> None:
    """Cases in the approval engine (案件): inbox, file, overdue board, sweep."""


@cases.command()
@click.argument("post", required=False)
@click.option("--limit", default=50, show_default=True)
@store_option
@pass_context
def inbox(obj: CliContext, post: str | None, limit: int, store_url: str) -> None:
    """Open work waiting for POST (a post code such as CONSTRUCTION_REVIEWER), with the
    people who hold it; without POST, every post of the bureau with its people and count."""
    engine = open_engine(obj, store_url, create=False)
    org = engine.organisation
    posts = [org.post(post)] if post is not None else list(org.posts)
    for one in posts:
        rows = engine.inbox(one.code, limit)
        people = "、".join(a.name for a in org.holders(one.code)) or "无人在岗"
        click.echo(f"{one.name} ({one.code}) [{people}]: {len(rows)} 件待办")
        if post is None:
            continue
        for row in rows:
            for work in (w for w in row.work if w.post == one.code):
                click.echo(
                    f"  {row.case_number}  {work.step_id}  "
                    f"到期 {_deadline(row, _step_clock(row, work))}  "
                    f"{row.data.get('project', '')}"
                )


@cases.command()
@click.argument("case")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@store_option
@pass_context
def show(obj: CliContext, case: str, fmt: str, store_url: str) -> None:
    """The file of CASE (id or case number): history, clocks, and the graph."""
    engine = open_engine(obj, store_url, create=False)
    row = _find(engine, case)
    history = engine.history(row.case_id)
    if fmt == "json":
        out = {
            "case": row.data,
            "clocks": _clocks_json(row),
            "history": [_event_json(engine, r) for r in history],
        }
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    click.echo(_row_line(row))
    click.echo("办理过程 history:")
    for rec in history:
        click.echo(
            f"  {rec.seq:>3}  {rec.at.in_timezone(ZONE).format('YYYY-MM-DD HH:mm')}  "
            f"{rec.actor or 'system':<14} {type(rec.event).__name__}  "
            f"{_summary(rec)}"
        )
    click.echo("时限 clocks:")
    lights = row.data.get("lights", {})
    for name, ts in sorted(row.data.get("deadlines", {}).items()):
        shown = "暂停中 (paused)" if ts is None else _deadline(row, name)
        click.echo(f"  {name:<12} {shown}  {_light(lights.get(name, 'green'))}")
    state = engine.load(row.case_id)
    active = {
        t.step_id: Light(state.recorded_light(f"step:{t.token}")).value
        for t in state.tokens
        if t.post
    }
    click.echo("流程图 (Mermaid):")
    click.echo(
        to_mermaid(engine.workflow_of(state), lights=active, organisation=engine.organisation)
    )


def _clocks_json(row: CaseRow) -> dict[str, dict[str, object]]:
    """Every clock's deadline day (None while paused), whether it is provisional, its light."""
    lights = row.data.get("lights") or {}
    out: dict[str, dict[str, object]] = {}
    for name, ts in sorted((row.data.get("deadlines") or {}).items()):
        day = _day(ts) if isinstance(ts, int) else None
        out[name] = {
            "deadline": None if day is None else day.isoformat(),
            "provisional": day is not None and _is_provisional(row, name),
            "light": lights.get(name, "green"),
        }
    return out


def _summary(rec: RecordedEvent) -> str:
    skip = {"materials", "checklist", "notice_limit", "limit", "committed", "statutory"}
    fields = getattr(rec.event, "__attrs_attrs__", ())
    parts = []
    for field in fields:
        value = getattr(rec.event, field.name)
        if field.name in skip or value in (None, "", ()):
            continue
        parts.append(f"{field.name}={value}")
    return ", ".join(parts)


def _event_json(engine: Engine, rec: RecordedEvent) -> dict[str, object]:
    return {
        "seq": rec.seq,
        "at": rec.at.isoformat(),
        "actor": rec.actor,
        "type": type(rec.event).__name__,
        "data": engine.converter.unstructure(rec.event),
        "hash": rec.hash,
    }


@cases.command()
@at_option
@click.option("--limit", default=100, show_default=True)
@store_option
@pass_context
def overdue(obj: CliContext, at_text: str | None, limit: int, store_url: str) -> None:
    """The overdue board (红灯): open cases past their committed deadline."""
    engine = open_engine(obj, store_url, create=False)
    when = instant(at_text)
    rows = engine.overdue(when, limit)
    click.echo(
        f"超期案件 overdue at {when.in_timezone(ZONE).format('YYYY-MM-DD HH:mm')}: {len(rows)}"
    )
    for row in rows:
        click.echo(f"  {_row_line(row)}")


@cases.command()
@at_option
@store_option
@pass_context
def sweep(obj: CliContext, at_text: str | None, store_url: str) -> None:
    """Record every light that changed by --at and send the warnings."""
    engine = open_engine(obj, store_url, create=False)
    warnings = engine.sweep(instant(at_text))
    click.echo(f"{len(warnings)} light change(s) recorded")
    for w in warnings:
        where = f"step {w.step_id} ({w.post})" if w.step_id else w.clock
        click.echo(f"  {w.case_number}  {where}: {_light(w.old)} → {_light(w.new)}")


@cases.command()
@click.argument("case")
@anchor_file_option
@store_option
@pass_context
def verify(obj: CliContext, case: str, anchor_file: Path | None, store_url: str) -> None:
    """Check CASE's tamper-evident history; with --anchor FILE, also that its history on
    the anchor's day is unchanged (docs/integrity.md); exit 1 when it was altered."""
    engine = open_engine(obj, store_url, create=False)
    if anchor_file is not None:
        published = read_anchor(anchor_file)
        if verify_case_against_anchor(engine, case, published):
            raise SystemExit(1)
        return
    row = _find(engine, case)
    report = engine.verify_history(row.case_id)
    files = _file_problems(obj, engine, row.case_id)
    if report.ok and not files:
        click.echo(f"{row.case_number}: {report.events} events intact, head {report.head[:16]}…")
        return
    if not report.ok:
        click.echo(f"{row.case_number}: history does NOT verify", err=True)
        for problem in report.problems:
            click.echo(f"  {problem}", err=True)
    if files:
        click.echo(f"{row.case_number}: material files do NOT verify", err=True)
        for f in files:
            click.echo(
                f"  material {f.code} file {f.name!r} version {f.version} "
                f"(sha256 {f.sha256[:16]}…): {f.problem}",
                err=True,
            )
    raise SystemExit(1)


def _file_problems(obj: CliContext, engine: Engine, case_id: str) -> list[FileProblem]:
    """Re-hash the case's material files in the blob store beside the store."""
    from planning_core.materials import blob_store_beside, open_blob_store
    from planning_core.window import verify_case_files

    history = engine.history(case_id)
    blobs = open_blob_store(blob_store_beside(engine.store.url), obj.hooks)
    return verify_case_files(history, blobs)
