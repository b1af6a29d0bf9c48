"""``planning-core ledger``: take the day's anchor over every case's history, audit one.

An anchor is published outside the database (by the plugins' ``planning_core_publish_anchor``
and by whatever the host does with the file ``--out`` writes); the checks read that
published file back, never the copy in the store. See docs/integrity.md.
"""

from __future__ import annotations

from pathlib import Path

import click

from planning_core.cases import Engine
from planning_core.cli._base import CliContext, at_option, instant, pass_context, store_option
from planning_core.cli._output import Output, output_options
from planning_core.errors import NotFoundError
from planning_core.ledger import (
    Anchor,
    AnchorNotPublishedError,
    audit_anchor,
    read_anchor,
    verify_against_anchor,
)

__all__ = ["anchor_file_option", "ledger", "verify_case_against_anchor"]

#: ``--anchor FILE``: a published anchor, as ``planning-core ledger anchor`` wrote it.
anchor_file_option = click.option(
    "--anchor",
    "anchor_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A published anchor file (written by `planning-core ledger anchor`).",
)


@click.group()
def ledger() -> None:
    """Anchors: a published Merkle root over every case's history, per day (存证)."""


@ledger.command()
@at_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the anchor's JSON to FILE (to publish) instead of stdout.",
)
@store_option
@pass_context
def anchor(obj: CliContext, at_text: str | None, out: Path | None, store_url: str) -> None:
    """Take the anchor over every case's head at --at, record it, and publish it through the
    plugins (planning_core_publish_anchor); print its JSON or write it to --out.

    The anchor is a JSON document whatever the format, so the command takes ``--out`` but
    no ``--format``; with ``--out``, a summary line goes to stderr.
    """
    bureau = obj.bureau(store_url, create=False)  # a mistyped store is an error
    try:
        taken = bureau.anchor(instant(at_text))
    except AnchorNotPublishedError as exc:
        _emit(obj, exc.anchor, out)  # recorded all the same: hand it over before the error
        raise
    _emit(obj, taken, out)


def _emit(obj: CliContext, taken: Anchor, out: Path | None) -> None:
    Output("json", out).write(taken.to_json())
    if out is not None:
        day, root = taken.day.isoformat(), taken.root[:16]
        click.echo(
            obj.say(
                f"{day} 的锚点：{taken.size} 个案件，根哈希 {root}…",
                f"anchor of {day}: {taken.size} case(s), root {root}…",
            ),
            err=True,
        )


@ledger.command()
@click.option(
    "--anchor",
    "anchor_file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The published anchor file (written by `planning-core ledger anchor`).",
)
@output_options()
@store_option
@pass_context
def audit(obj: CliContext, anchor_file: Path, output: Output, store_url: str) -> None:
    """Check every case of the published anchor against the store: none dropped, none
    rewritten; exit 1 naming each problem."""
    published = read_anchor(anchor_file)
    report = audit_anchor(obj.bureau(store_url, create=False).store, published)
    day = published.day.isoformat()
    later = len(report.not_covered)

    def text() -> str:
        note = obj.say(
            f"；另有 {later} 个案件在其后收件，不在锚点范围内",
            f"; {later} case(s) received after it, not covered",
        )
        note = note if later else ""
        if report.ok:
            return obj.say(
                f"{day} 的锚点：{report.checked} 个锚定案件全部相符{note}",
                f"anchor of {day}: all {report.checked} anchored case(s) match{note}",
            )
        lines = [
            obj.say(
                f"{day} 的锚点：发现 {len(report.problems)} 个问题{note}",
                f"anchor of {day}: {len(report.problems)} problem(s){note}",
            )
        ]
        lines += [f"  {problem}" for problem in report.problems]
        return "\n".join(lines)

    output.emit(
        text=text,
        data=lambda: {
            "day": day,
            "root": published.root,
            "ok": report.ok,
            "checked": report.checked,
            "not_covered": list(report.not_covered),
            "problems": list(report.problems),
        },
    )
    if not report.ok:
        raise SystemExit(1)


def verify_case_against_anchor(
    obj: CliContext, engine: Engine, case: str, published: Anchor, output: Output
) -> int:
    """``cases verify CASE --anchor FILE``: the case's chain as it stands, then its history
    against the published anchor; writes what each found and returns the exit status.

    A case gone from the store is still checked by id: the anchor names it dropped.
    """
    row = engine.store.get_case(case) or engine.store.find_case(case)
    case_id = row.case_id if row is not None else case
    name = (row.case_number or row.case_id) if row is not None else case
    problems: list[str] = []
    lines: list[str] = []
    events, head = 0, ""
    if engine.store.load_events(case_id):
        history = engine.verify_history(case_id)
        events, head = history.events, history.head
        if history.ok:
            lines.append(
                obj.say(
                    f"{name}：{history.events} 个事件完好，链头 {history.head[:16]}…",
                    f"{name}: {history.events} events intact, head {history.head[:16]}…",
                )
            )
        else:
            problems += history.problems
    try:
        check = verify_against_anchor(engine.store, published, case_id)
    except NotFoundError:
        raise NotFoundError(
            f"no case with id or number {case!r} in the store nor in the anchor of "
            f"{published.day.isoformat()}; check the receipt"
        ) from None
    problems += check.problems
    day = published.day.isoformat()
    if not problems:
        lines.append(check.summary(name))
    else:
        lines.append(
            obj.say(
                f"{name}：与 {day} 的锚点核对未通过",
                f"{name}: does NOT verify against the anchor of {day}",
            )
        )
        lines += [f"  {problem}" for problem in problems]
    output.emit(
        text=lambda: "\n".join(lines),
        data=lambda: {
            "case_number": None if row is None else row.case_number,
            "case_id": case_id,
            "ok": not problems,
            "events": events,
            "head": head,
            "anchor": {"day": day, "root": published.root},
            "covered": check.covered,
            "anchored_seq": check.anchored_seq,
            "later_events": check.later_events,
            "problems": problems,
        },
    )
    return 1 if problems else 0
