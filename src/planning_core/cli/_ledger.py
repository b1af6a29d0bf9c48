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
    help="Write the anchor's JSON to this file (to publish) instead of printing it.",
)
@store_option
@pass_context
def anchor(obj: CliContext, at_text: str | None, out: Path | None, store_url: str) -> None:
    """Take the anchor over every case's head at --at, record it, and publish it through the
    plugins (planning_core_publish_anchor); print its JSON or write it to --out."""
    bureau = obj.bureau(store_url, create=False)  # a mistyped store is an error
    try:
        taken = bureau.anchor(instant(at_text))
    except AnchorNotPublishedError as exc:
        _emit(exc.anchor, out)  # recorded all the same: hand it over before the error
        raise
    _emit(taken, out)


def _emit(taken: Anchor, out: Path | None) -> None:
    if out is None:
        click.echo(taken.to_json(), nl=False)
        return
    out.write_text(taken.to_json(), encoding="utf-8")
    click.echo(
        f"anchor of {taken.day.isoformat()}: {taken.size} case(s), root {taken.root[:16]}…, "
        f"written to {out}"
    )


@ledger.command()
@click.option(
    "--anchor",
    "anchor_file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The published anchor file (written by `planning-core ledger anchor`).",
)
@store_option
@pass_context
def audit(obj: CliContext, anchor_file: Path, store_url: str) -> None:
    """Check every case of the published anchor against the store: none dropped, none
    rewritten; exit 1 naming each problem."""
    published = read_anchor(anchor_file)
    report = audit_anchor(obj.bureau(store_url, create=False).store, published)
    day = published.day.isoformat()
    later = (
        f"; {len(report.not_covered)} case(s) received after it, not covered"
        if report.not_covered
        else ""
    )
    if report.ok:
        click.echo(f"anchor of {day}: all {report.checked} anchored case(s) match{later}")
        return
    click.echo(f"anchor of {day}: {len(report.problems)} problem(s){later}", err=True)
    for problem in report.problems:
        click.echo(f"  {problem}", err=True)
    raise SystemExit(1)


def verify_case_against_anchor(engine: Engine, case: str, published: Anchor) -> int:
    """``cases verify CASE --anchor FILE``: the case's chain as it stands, then its history
    against the published anchor; prints what each found and returns the exit status.

    A case gone from the store is still checked by id: the anchor names it dropped.
    """
    row = engine.store.get_case(case) or engine.store.find_case(case)
    case_id = row.case_id if row is not None else case
    name = (row.case_number or row.case_id) if row is not None else case
    problems: list[str] = []
    if engine.store.load_events(case_id):
        history = engine.verify_history(case_id)
        if history.ok:
            click.echo(f"{name}: {history.events} events intact, head {history.head[:16]}…")
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
    if not problems:
        click.echo(check.summary(name))
        return 0
    click.echo(
        f"{name}: does NOT verify against the anchor of {published.day.isoformat()}", err=True
    )
    for problem in problems:
        click.echo(f"  {problem}", err=True)
    return 1
