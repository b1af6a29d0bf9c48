"""``planning-core cases``: a post's inbox, one case's file, the overdue board, the sweep.

The commands run the bureau given by ``--bureau`` (its organisation, calendar, store and
light policy; without one, the reference organisation on the embedded SQLite file) with
the installed plugins. ``--at`` defaults to
the current time: the command line is the one place that may read the wall clock.

What they print is bureau output (the inbox, the case file, the board), in Chinese; their
JSON gives every deadline as the library's :class:`~planning_core.timing.Deadline`
(``date``, ``at`` with its offset, ``provisional``), each clock by its name (``committed``,
``step:review`` …), never the store's epoch seconds or the engine's tokens.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click
import pendulum

from planning_core.bureau import ConsultationLine, consultation_lines
from planning_core.cases import CaseState, Engine, LightWarning, RecordedEvent, RecordOpinion
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
from planning_core.cli._output import Output, output_options
from planning_core.errors import NotFoundError
from planning_core.ledger import read_anchor
from planning_core.materials import FileProblem
from planning_core.serialization import dump
from planning_core.storage import CaseRow, WorkItem
from planning_core.timing import Deadline, Light
from planning_core.workflow import Answer, to_mermaid


def open_engine(obj: CliContext, store_url: str, *, create: bool = True) -> Engine:
    """The bureau's engine on ``store_url`` (its organisation, calendar and plugins).

    :param create: False for a command that only reads, or acts on cases that must exist:
        a mistyped store is then an error, not a new, empty store.
    """
    return obj.engine(store_url, create=create)


#: The clocks of a case as the case file names them.
_CLOCK_ZH = {
    "notice": "补正告知期限",
    "preliminary": "初审期限",
    "committed": "承诺时限",
    "statutory": "法定时限",
    "certificate": "发证送达期限",
    "hearing": "听证期限",
}


def _stored_deadline(row: CaseRow, clock: str | None, zone: str = ZONE) -> Deadline | None:
    """Clock ``clock``'s deadline as the row stores it (its closing instant as epoch
    seconds, and whether it is provisional); None while paused or for no clock."""
    ts = (row.data.get("deadlines") or {}).get(clock) if clock else None
    if not isinstance(ts, int):
        return None
    at = pendulum.from_timestamp(ts, tz=zone)
    # 24:00 is the next midnight: the deadline's day is one second back
    day = at.subtract(seconds=1).date()
    provisional = bool((row.data.get("provisional") or {}).get(clock))
    return Deadline(day, at, provisional)


def _deadline_text(deadline: Deadline | None) -> str:
    """The deadline day, with ``（暂定：…）`` after a provisional one; ``—`` for none."""
    if deadline is None:
        return "—"
    mark = zh_provisional(deadline.date) if deadline.provisional else ""
    return f"{deadline.date.isoformat()}{mark}"


def _light(value: str) -> str:
    return Light(value).zh


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


def _case_cells(row: CaseRow) -> list[str]:
    data = row.data
    return [
        row.case_number or row.case_id,
        str(data.get("status_zh", row.status)),
        row.permit_type,
        str(data.get("project", "")),
        _deadline_text(_stored_deadline(row, _committed(row))),
        _light(row.light),
    ]


_CASE_HEADER = ["案件编号", "办理状态", "许可事项", "项目", "承诺期限", "灯色"]


def _row_line(row: CaseRow) -> str:
    number, status, permit, project, deadline, light = _case_cells(row)
    return f"{number}  {status}  {permit}  {project}  承诺期限 {deadline}  {light}"


def _case_json(engine: Engine, row: CaseRow) -> dict[str, Any]:
    """A case of a listing: its number, state, promised deadline and light."""
    deadline = _stored_deadline(row, _committed(row))
    return {
        "case_number": row.case_number,
        "case_id": row.case_id,
        "status": row.status,
        "permit_type": row.permit_type,
        "project": row.data.get("project", ""),
        "deadline": None if deadline is None else dump(engine.converter, deadline),
        "light": row.light,
    }


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
@output_options(csv=True)
@store_option
@pass_context
def inbox(obj: CliContext, post: str | None, limit: int, output: Output, store_url: str) -> None:
    """Open work waiting for POST (a post code such as CONSTRUCTION_REVIEWER), with the
    people who hold it; without POST, every post of the bureau with its people and count."""
    engine = open_engine(obj, store_url, create=False)
    org = engine.organisation
    posts = [org.post(post)] if post is not None else list(org.posts)
    found = [(one, engine.inbox(one.code, limit)) for one in posts]
    items = [
        (one, row, work)
        for one, rows in found
        for row in rows
        for work in row.work
        if work.post == one.code and post is not None
    ]

    def due(row: CaseRow, work: WorkItem) -> Deadline | None:
        return _stored_deadline(row, _step_clock(row, work))

    def text() -> str:
        lines = []
        for one, rows in found:
            people = "、".join(a.name for a in org.holders(one.code)) or "无人在岗"
            lines.append(f"{one.name} ({one.code}) [{people}]：{len(rows)} 件待办")
        for _, row, work in items:
            lines.append(
                f"  {row.case_number}  {work.step_id}  到期 {_deadline_text(due(row, work))}  "
                f"{row.data.get('project', '')}"
            )
        return "\n".join(lines)

    def data() -> list[dict[str, Any]]:
        return [
            {
                "post": one.code,
                "name": one.name,
                "holders": [a.name for a in org.holders(one.code)],
                "count": len(rows),
                "work": [
                    {
                        "case_number": row.case_number,
                        "case_id": row.case_id,
                        "step_id": work.step_id,
                        "due": _dump_deadline(engine, due(row, work)),
                        "project": row.data.get("project", ""),
                    }
                    for other, row, work in items
                    if other.code == one.code
                ],
            }
            for one, rows in found
        ]

    def table() -> tuple[Sequence[str], list[Sequence[object]]]:
        if post is None:
            return ["岗位", "岗位名称", "在岗人员", "待办件数"], [
                [one.code, one.name, "、".join(a.name for a in org.holders(one.code)), len(rows)]
                for one, rows in found
            ]
        return ["案件编号", "步骤", "到期", "项目"], [
            [
                row.case_number,
                work.step_id,
                _deadline_text(due(row, work)),
                row.data.get("project", ""),
            ]
            for _, row, work in items
        ]

    output.emit(text=text, data=data, table=table)


def _dump_deadline(engine: Engine, deadline: object) -> Any:
    return None if deadline is None else dump(engine.converter, deadline)


@cases.command()
@click.argument("case")
@at_option
@output_options()
@store_option
@pass_context
def show(obj: CliContext, case: str, at_text: str | None, output: Output, store_url: str) -> None:
    """The file of CASE (id or case number): history, clocks, and the graph.

    Other departments asked for their opinion (征求意见) are listed apart, each with its
    answer, its own deadline and light, and how late it is at ``--at``.
    """
    bureau = obj.bureau(store_url, create=False)
    engine = bureau.engine
    row = _find(engine, case)
    history = engine.history(row.case_id)
    state = engine.load(row.case_id)
    clocks = _clocks(engine, state)
    consulted = consultation_lines(bureau, state, instant(at_text))
    if output.fmt == "json":
        hidden = {"deadlines", "provisional", "tokens", "lights"}
        summary = {k: v for k, v in row.data.items() if k not in hidden}
        summary["case_id"] = row.case_id
        summary["active_steps"] = [
            {"step_id": t.step_id, "post": t.post, "claimed_by": t.claimed_by} for t in state.tokens
        ]
        output.json(
            {
                "case": summary,
                "clocks": clocks,
                "consultations": [dump(engine.converter, line) for line in consulted],
                "history": [_event_json(engine, r) for r in history],
            }
        )
        return
    lines = [_row_line(row), "办理过程："]
    for rec in history:
        lines.append(
            f"  {rec.seq:>3}  {rec.at.in_timezone(ZONE).format('YYYY-MM-DD HH:mm')}  "
            f"{rec.actor or 'system':<14} {type(rec.event).__name__}  "
            f"{_summary(rec)}"
        )
    lines.append("时限：")
    for name, clock in clocks.items():
        label = _clock_zh(name, clock)
        deadline = clock["deadline"]
        if deadline is None or "paused_since" in deadline:
            shown = "暂停中"
        else:
            day = pendulum.Date.fromisoformat(deadline["date"])
            shown = day.isoformat() + (zh_provisional(day) if deadline["provisional"] else "")
        lines.append(f"  {label}  {shown}  {_light(clock['light'])}")
    if consulted:
        lines.append("征求意见：")
        lines.extend(f"  {_consultation_zh(line)}" for line in consulted)
    active = {
        t.step_id: Light(state.recorded_light(f"step:{t.token}")).value
        for t in state.tokens
        if t.post
    }
    lines.append("流程图（Mermaid）：")
    lines.append(
        to_mermaid(engine.workflow_of(state), lights=active, organisation=engine.organisation)
    )
    output.write("\n".join(lines))


@cases.command()
@click.argument("case")
@click.argument("step_id")
@click.argument("department")
@click.option(
    "--answer",
    type=click.Choice(["agree", "agree_with_conditions", "object"]),
    required=True,
    help="同意, 有条件同意 (with --condition) or 不同意 (with the reasons in --opinion).",
)
@click.option("--opinion", default="", help="The department's written opinion.")
@click.option(
    "--condition", "conditions", multiple=True, help="A condition of the consent; repeatable."
)
@click.option("--document", default="", help="The opinion's reference (文号) or file hash.")
@click.option(
    "--actor", "actor_id", required=True, help="The department's liaison, or the step's post."
)
@at_option
@output_options()
@store_option
@pass_context
def consult(
    obj: CliContext,
    case: str,
    step_id: str,
    department: str,
    answer: str,
    opinion: str,
    conditions: tuple[str, ...],
    document: str,
    actor_id: str,
    at_text: str | None,
    output: Output,
    store_url: str,
) -> None:
    """Record DEPARTMENT's answer to CASE's consultation at STEP_ID (征求意见的回复).

    Answering again while the step still waits for others replaces the department's
    earlier answer (an objection withdrawn after a revision). Prints every department
    asked, with who is still awaited.
    """
    moment = instant(at_text)
    bureau = obj.bureau(store_url, create=False)
    engine = bureau.engine
    row = _find(engine, case)
    actor = bureau.organisation.actor(actor_id)
    command = RecordOpinion(row.case_id, step_id, department, answer, opinion, conditions, document)
    engine.execute(command, actor, moment)
    consulted = consultation_lines(bureau, engine.load(row.case_id), moment)
    output.emit(
        text=lambda: "\n".join(
            [f"{row.case_number} 征求意见：", *(f"  {_consultation_zh(c)}" for c in consulted)]
        ),
        data=lambda: [dump(engine.converter, c) for c in consulted],
    )


def _clocks(engine: Engine, state: CaseState) -> dict[str, dict[str, Any]]:
    """Every running clock of the case by its name (``step:<step id>`` for a step, not the
    engine's token): its step and post, start and limit, its deadline
    (:class:`~planning_core.timing.Deadline`, or
    :class:`~planning_core.timing.DeadlineUnknown` while paused) and its recorded light."""
    steps = {f"step:{t.token}": t for t in state.tokens}
    out: dict[str, dict[str, Any]] = {}
    for name, clock in state.clocks.named():
        token = steps.get(name)
        shown = f"step:{token.step_id}" if token is not None else name
        if shown in out:  # the same step twice at once: number the later one
            shown = f"{shown}#{sum(key.startswith(shown) for key in out) + 1}"
        out[shown] = {
            "step_id": None if token is None else token.step_id,
            "post": None if token is None else token.post,
            "started": dump(engine.converter, clock.started),
            "limit": dump(engine.converter, clock.limit),
            "deadline": dump(engine.converter, clock.deadline(engine.calendar)),
            "light": state.recorded_light(name),
        }
    return out


def _consultation_zh(line: ConsultationLine) -> str:
    """One department's line: who, the answer (or how long it is awaited), the deadline."""
    if line.answer is not None:
        answer = Answer(line.answer).zh
        if line.deemed:
            answer = "逾期未回复，视为同意"
        elif line.conditions:
            answer += "：" + "；".join(line.conditions)
    elif line.late_days > 0:
        answer = f"逾期{line.late_days}个工作日未回复" + ("（已督办）" if line.escalated else "")
    else:
        answer = "待回复"
    due = "" if line.deadline is None else f"  期限 {line.deadline.isoformat()}"
    return f"{line.department_name}（第{line.round}轮）  {answer}{due}  {_light(line.light)}"


def _clock_zh(name: str, clock: dict[str, Any]) -> str:
    if clock["step_id"] is not None:
        return f"步骤 {clock['step_id']}（{clock['post']}）"
    return _CLOCK_ZH.get(name, name)


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
        "at": dump(engine.converter, rec.at),
        "actor": rec.actor,
        "type": type(rec.event).__name__,
        "data": dump(engine.converter, rec.event),
        "hash": rec.hash,
    }


@cases.command()
@at_option
@click.option("--limit", default=100, show_default=True)
@output_options(csv=True)
@store_option
@pass_context
def overdue(
    obj: CliContext, at_text: str | None, limit: int, output: Output, store_url: str
) -> None:
    """The overdue board (红灯): open cases past their committed deadline."""
    engine = open_engine(obj, store_url, create=False)
    when = instant(at_text)
    rows = engine.overdue(when, limit)

    def text() -> str:
        moment = when.in_timezone(ZONE).format("YYYY-MM-DD HH:mm")
        lines = [f"超期案件（截至 {moment}）：{len(rows)} 件"]
        lines += [f"  {_row_line(row)}" for row in rows]
        return "\n".join(lines)

    output.emit(
        text=text,
        data=lambda: {
            "at": dump(engine.converter, when),
            "cases": [_case_json(engine, row) for row in rows],
        },
        table=lambda: (_CASE_HEADER, [_case_cells(row) for row in rows]),
    )


@cases.command()
@at_option
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=None,
    help="Cases recorded per transaction (default: the bureau file's engine.sweep_batch, "
    "else 500).",
)
@output_options()
@store_option
@pass_context
def sweep(
    obj: CliContext, at_text: str | None, batch_size: int | None, output: Output, store_url: str
) -> None:
    """Record every light that changed by --at and send the warnings.

    Cases are recorded in batches, one transaction each; a sweep cut short (a crash, a
    kill) is finished by the next one, and every crossing is recorded once.
    """
    engine = open_engine(obj, store_url, create=False)
    warnings = engine.sweep(instant(at_text), batch_size=batch_size)

    def text() -> str:
        lines = [
            obj.say(f"记录灯色变化 {len(warnings)} 处", f"{len(warnings)} light change(s) recorded")
        ]
        lines += [f"  {_warning_line(w)}" for w in warnings]
        return "\n".join(lines)

    output.emit(text=text, data=lambda: [_warning_json(engine, w) for w in warnings])


def _warning_line(w: LightWarning) -> str:
    where = f"步骤 {w.step_id}（{w.post}）" if w.step_id else _CLOCK_ZH.get(w.clock, w.clock)
    return f"{w.case_number}  {where}：{_light(w.old)} → {_light(w.new)}"


def _warning_json(engine: Engine, w: LightWarning) -> dict[str, Any]:
    shown: dict[str, Any] = dump(engine.converter, w)
    if w.step_id:  # the step's name, not the engine's token
        shown["clock"] = f"step:{w.step_id}"
    return shown


@cases.command()
@click.argument("case")
@anchor_file_option
@output_options()
@store_option
@pass_context
def verify(
    obj: CliContext, case: str, anchor_file: Path | None, output: Output, store_url: str
) -> None:
    """Check CASE's tamper-evident history; with --anchor FILE, also that its history on
    the anchor's day is unchanged (docs/integrity.md); exit 1 when it was altered."""
    engine = open_engine(obj, store_url, create=False)
    if anchor_file is not None:
        published = read_anchor(anchor_file)
        if verify_case_against_anchor(obj, engine, case, published, output):
            raise SystemExit(1)
        return
    row = _find(engine, case)
    report = engine.verify_history(row.case_id)
    files = _file_problems(obj, engine, row.case_id)
    number = row.case_number or row.case_id

    def text() -> str:
        if report.ok and not files:
            return obj.say(
                f"{number}：{report.events} 个事件完好，链头 {report.head[:16]}…",
                f"{number}: {report.events} events intact, head {report.head[:16]}…",
            )
        lines = []
        if not report.ok:
            lines.append(
                obj.say(f"{number}：办理记录校验未通过", f"{number}: history does NOT verify")
            )
            lines += [f"  {problem}" for problem in report.problems]
        if files:
            lines.append(
                obj.say(f"{number}：材料文件校验未通过", f"{number}: material files do NOT verify")
            )
            lines += [
                f"  material {f.code} file {f.name!r} version {f.version} "
                f"(sha256 {f.sha256[:16]}…): {f.problem}"
                for f in files
            ]
        return "\n".join(lines)

    output.emit(
        text=text,
        data=lambda: {
            "case_number": row.case_number,
            "case_id": row.case_id,
            "ok": report.ok and not files,
            "events": report.events,
            "head": report.head,
            "problems": list(report.problems),
            "files": [dump(engine.converter, f) for f in files],
        },
    )
    if not report.ok or files:
        raise SystemExit(1)


def _file_problems(obj: CliContext, engine: Engine, case_id: str) -> list[FileProblem]:
    """Re-hash the case's material files in the blob store beside the store."""
    from planning_core.materials import blob_store_beside, open_blob_store
    from planning_core.window import verify_case_files

    history = engine.history(case_id)
    blobs = open_blob_store(blob_store_beside(engine.store.url), obj.hooks)
    return verify_case_files(history, blobs)
