"""``planning-core serve`` and ``planning-core staff``: the bureau on the web.

``serve`` runs :func:`planning_core.web.create_app` with uvicorn on the bureau's store (the
embedded SQLite file by default). ``staff password`` and ``staff token`` set what the web
door checks: a person's password (read from stdin, never an argument, so it stays out of the
shell's history and the process list) and a system's API token (printed once). The web
module is imported inside the commands, so the command line works without the ``web``
extra and says how to install it when it is missing.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import click
import pendulum

from planning_core.cli._base import CliContext, pass_context, store_option
from planning_core.cli._output import Output, output_options
from planning_core.serialization import parse_instant

__all__ = ["serve", "staff"]

_LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def _web() -> Any:
    """``planning_core.web``, or one line (exit 2) saying to install the ``web`` extra."""
    from planning_core._extras import import_extra

    import_extra("uvicorn", "web", "the web door")
    return import_extra("planning_core.web", "web", "the web door")


@click.command()
@store_option
@click.option(
    "--bureau",
    "bureau_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The bureau file (TOML); the same as planning-core --bureau FILE serve.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="The port to listen on.")
@click.option(
    "--behind-proxy",
    is_flag=True,
    help="Trust X-Forwarded-For (a TLS proxy in front sets it) for the query's throttling key.",
)
@click.option(
    "--clock-start",
    default=None,
    help="Start the door's clock at this instant (ISO 8601 with offset) and let it run from "
    "there: for demonstrations and tests on fixed data. Default: the wall clock.",
)
@pass_context
def serve(
    obj: CliContext,
    store_url: str,
    bureau_file: Path | None,
    host: str,
    port: int,
    behind_proxy: bool,
    clock_start: str | None,
) -> None:
    """Serve the bureau on the web: public pages, staff pages, the board and /api/v1."""
    web = _web()
    import uvicorn

    if bureau_file is not None:
        obj.bureau_file = bureau_file
        store_url = obj.config.store or store_url
    bureau = obj.bureau(store_url)
    clock = None
    if clock_start is not None:
        start, began = parse_instant(clock_start), time.monotonic()

        def clock() -> pendulum.DateTime:
            return start.add(seconds=time.monotonic() - began)

    settings = web.WebSettings(
        secure_cookies=behind_proxy or host not in _LOOPBACK,
        trust_forwarded=behind_proxy,
    )
    app = web.create_app(bureau, clock=clock, settings=settings)
    click.echo(f"planning-core serve: {bureau.store.url} on http://{host}:{port}/", err=True)
    try:
        uvicorn.run(app, host=host, port=port, log_level="info", access_log=True, workers=1)
    finally:
        bureau.close()


@click.group()
def staff() -> None:
    """Staff logins and system tokens for the web door (kept in the store, hashed)."""


@staff.command("password")
@store_option
@click.argument("actor_id")
@output_options()
@pass_context
def password_command(obj: CliContext, store_url: str, actor_id: str, output: Output) -> None:
    """Set ACTOR_ID's web password, read from stdin (one line; at least 10 characters)."""
    web = _web()
    text = sys.stdin.readline().rstrip("\r\n")
    with obj.bureau(store_url) as bureau:
        web.StaffCredentials(bureau.store, bureau.organisation).set_password(actor_id, text)
        name = bureau.organisation.actor(actor_id).name
    output.emit(
        text=lambda: obj.say(
            f"已为 {actor_id}（{name}）设置密码", f"password set for {actor_id} ({name})"
        ),
        data=lambda: {"actor": actor_id, "name": name, "password_set": True},
    )


@staff.command("token")
@store_option
@click.argument("name")
@click.option("--actor", "actor_id", required=True, help="The person the system acts as.")
@output_options()
@pass_context
def token_command(
    obj: CliContext, store_url: str, name: str, actor_id: str, output: Output
) -> None:
    """Make the API token NAME for a system acting as --actor; prints it once."""
    web = _web()
    with obj.bureau(store_url) as bureau:
        token = web.StaffCredentials(bureau.store, bureau.organisation).issue_token(name, actor_id)
    output.emit(text=lambda: token, data=lambda: {"name": name, "actor": actor_id, "token": token})
