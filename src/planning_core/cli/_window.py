"""``planning-core intake|status|appointments|certificates|limits``: the window's commands.

The commands run the bureau given by ``--bureau`` (its name on the receipts, its calendar
for the pickup date, its organisation for the clerks) on the store given by ``--store``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import click
import pendulum

from planning_core.cli._base import CliContext, pass_context
from planning_core.cli._base import at_option as _at_option
from planning_core.cli._base import instant as _instant
from planning_core.cli._base import store_option as _store_option
from planning_core.cli._output import Output, output_options
from planning_core.errors import NotFoundError, ValidationError
from planning_core.inputs import load_json, read_text
from planning_core.permits import permit_catalogue
from planning_core.serialization import dump, load, make_converter
from planning_core.storage import open_store
from planning_core.window import (
    LOCAL_CLIENT,
    VALID,
    VOID,
    AppointmentSettings,
    CertificateEntry,
    Window,
    format_password,
    limits_json,
    limits_markdown,
    store_settings,
)
from planning_core.window._text import zh_date
from planning_core.workflow import Actor

__all__ = ["appointments", "certificates", "intake", "limits", "read_password", "status"]

_ZONE = "Asia/Shanghai"


@contextmanager
def _window(obj: CliContext, store_url: str, *, create: bool = True) -> Iterator[Window]:
    """The window of the bureau on ``store_url``; ``create=False`` for a command that only
    reads, or acts on what must already be stored (a case, an appointment, a certificate)."""
    with obj.bureau(store_url, create=create) as bureau:
        yield bureau.window


def _actor(window: Window, actor_id: str | None, post: str) -> Actor:
    """The named actor, or the first one of the organisation holding ``post``."""
    organisation = window.engine.organisation
    if actor_id is not None:
        return organisation.actor(actor_id)
    for actor in organisation.actors:
        if post in actor.posts:
            return actor
    raise NotFoundError(f"nobody holds post {post!r}; pass --actor")


# -- intake and status --------------------------------------------------------------------------


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--actor", "actor_id", default=None, help="The window clerk (default: the first).")
@output_options()
@_at_option
@_store_option
@pass_context
def intake(
    obj: CliContext,
    file: Path,
    actor_id: str | None,
    output: Output,
    at_text: str | None,
    store_url: str,
) -> None:
    """Receive the application in FILE.json and print the receipt (立案回执).

    FILE.json: {"permit_type": "CONSTRUCTION", "applicant": "…", "project": "…",
    "materials": ["application", …], "contact": "…"}. The query password is printed once,
    grouped as the applicant types it (K7Q3-M9XD-2P), in the text and the JSON alike.
    """
    data = load_json(read_text(file, str(file)), f"{file} (the application)", expect=dict)
    with _window(obj, store_url) as window:
        clerk = _actor(window, actor_id, window.engine.settings.window_post)
        receipt = window.intake(data, clerk, _instant(at_text))
        converter = window.engine.converter

    def receipt_json() -> object:
        shown: dict[str, object] = dump(converter, receipt)
        shown["password"] = format_password(receipt.password)
        return shown

    output.emit(text=receipt.render, data=receipt_json)


def _stdin_is_terminal() -> bool:
    """Whether the password can be asked for without echo (standard input is a terminal)."""
    return sys.stdin.isatty()


def read_password(obj: CliContext, password_stdin: bool) -> str:
    """The receipt's query password: from standard input, or asked for without echo.

    :raises ValidationError: when there is no terminal to ask on and no --password-stdin.
    """
    if password_stdin:
        return sys.stdin.readline().strip()
    if not _stdin_is_terminal():
        raise ValidationError(
            "no terminal to ask for the query password on (standard input is not a "
            "terminal); pass the password on standard input with --password-stdin"
        )
    return str(click.prompt(obj.say("案件查询密码", "Query password"), hide_input=True, err=True))


@click.command()
@click.argument("case_number")
@click.option("--password-stdin", is_flag=True, help="Read the query password from standard input.")
@click.option(
    "--client",
    "client",
    default=LOCAL_CLIENT,
    show_default=True,
    help="Who asks (an address, a session id): wrong attempts are throttled per client.",
)
@output_options()
@_at_option
@_store_option
@pass_context
def status(
    obj: CliContext,
    case_number: str,
    password_stdin: bool,
    client: str,
    output: Output,
    at_text: str | None,
    store_url: str,
) -> None:
    """The public status of CASE_NUMBER; asks for the query password without echo.

    Without a terminal (a script, a pipe) pass the password on standard input with
    --password-stdin: asking for it there would echo it or fail.
    """
    password = read_password(obj, password_stdin)
    with _window(obj, store_url, create=False) as window:
        summary = window.public_status(case_number, password, _instant(at_text), client=client)
        converter = window.engine.converter
    output.emit(text=summary.render, data=lambda: dump(converter, summary))


# -- appointments -------------------------------------------------------------------------------


@click.group()
def appointments() -> None:
    """Appointments at the window (预约): free slots, booking, cancelling."""


@appointments.command("slots")
@click.argument("day")
@output_options(csv=True)
@_store_option
@pass_context
def slots_command(obj: CliContext, day: str, output: Output, store_url: str) -> None:
    """Every slot of DAY (YYYY-MM-DD) with the places left."""
    with _window(obj, store_url, create=False) as window:
        found = window.appointments.slots(day)
        counters = window.appointments.settings.counters
        converter = window.engine.converter
        explained = window.engine.calendar.explain(pendulum.Date.fromisoformat(day))
    if not found and output.fmt == "text":
        click.echo(
            obj.say(
                f"{day}：{explained.kind.zh}，不办公，无预约时段",
                f"{day}: no slots, not a working day ({explained.kind.text})",
            )
        )
        return
    header = ["时段", "剩余名额", *(c.name for c in counters)]
    rows: list[Sequence[object]] = [
        [
            f"{slot.start:%H:%M}-{slot.end:%H:%M}",
            slot.places_left,
            *(n for _, n in slot.free),
        ]
        for slot in found
    ]

    def text() -> str:
        lines = [f"{zh_date(found[0].start.date())} 预约时段（剩余名额）"]
        for slot in found:
            per = "  ".join(f"{c.name}:{n}" for c, (_, n) in zip(counters, slot.free, strict=True))
            lines.append(f"{slot.start:%H:%M}-{slot.end:%H:%M}  余{slot.places_left}  {per}")
        return "\n".join(lines)

    output.emit(
        text=text,
        data=lambda: [dump(converter, slot) for slot in found],
        table=lambda: (header, rows),
    )


@appointments.command("book")
@click.argument("start")
@click.option("--name", "applicant", required=True, help="The visitor's name.")
@click.option("--topic", required=True, help="What the consultation is about.")
@click.option("--counter", default=None, help="A counter code (default: any with room).")
@click.option("--contact", default=None, help="A phone number or account id.")
@click.option("--case", "case_number", default=None, help="The case it concerns, if any.")
@output_options()
@_at_option
@_store_option
@pass_context
def book_command(
    obj: CliContext,
    start: str,
    applicant: str,
    topic: str,
    counter: str | None,
    contact: str | None,
    case_number: str | None,
    output: Output,
    at_text: str | None,
    store_url: str,
) -> None:
    """Book the slot starting at START (ISO 8601 with offset) and print the card."""
    with _window(obj, store_url) as window:
        card = window.appointments.book(
            start,
            applicant=applicant,
            topic=topic,
            at=_instant(at_text),
            contact=contact,
            case_number=case_number,
            counter=counter,
        )
        converter = window.engine.converter
    output.emit(text=card.render, data=lambda: dump(converter, card))


@appointments.command("cancel")
@click.argument("number")
@click.option("--reason", default="", help="Why (kept with the appointment).")
@output_options()
@_at_option
@_store_option
@pass_context
def cancel_command(
    obj: CliContext,
    number: str,
    reason: str,
    output: Output,
    at_text: str | None,
    store_url: str,
) -> None:
    """Cancel appointment NUMBER; its place is free again."""
    with _window(obj, store_url, create=False) as window:
        cancelled = window.appointments.cancel(number, at=_instant(at_text), reason=reason)
        converter = window.engine.converter
    output.emit(
        text=lambda: f"已取消预约 {cancelled.number}（{cancelled.start:%Y-%m-%d %H:%M}）",
        data=lambda: dump(converter, cancelled),
    )


@appointments.command("reschedule")
@click.argument("number")
@click.argument("start")
@click.option("--counter", default=None, help="A counter code (default: any with room).")
@output_options()
@_at_option
@_store_option
@pass_context
def reschedule_command(
    obj: CliContext,
    number: str,
    start: str,
    counter: str | None,
    output: Output,
    at_text: str | None,
    store_url: str,
) -> None:
    """Move appointment NUMBER to the slot starting at START; prints the new card."""
    with _window(obj, store_url, create=False) as window:
        card = window.appointments.reschedule(number, start, at=_instant(at_text), counter=counter)
        converter = window.engine.converter
    output.emit(text=card.render, data=lambda: dump(converter, card))


@appointments.command("configure")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@output_options()
@_store_option
@pass_context
def configure_command(obj: CliContext, file: Path, output: Output, store_url: str) -> None:
    """Store the appointment set-up in FILE.json (counters, hours, slot length, capacities)."""
    converter = make_converter(obj.hooks)
    data = load_json(read_text(file, str(file)), f"{file} (the appointment set-up)", expect=dict)
    settings = load(converter, data, AppointmentSettings)
    with open_store(store_url, obj.hooks) as store:
        store_settings(store, converter, settings)
    counters, slots = len(settings.counters), len(settings.slot_times())
    output.emit(
        text=lambda: obj.say(
            f"已保存：{counters} 个窗口，每天 {slots} 个时段，每个时段 {settings.capacity} 个名额",
            f"stored: {counters} counter(s), {slots} slots a day, "
            f"{settings.capacity} place(s) a slot",
        ),
        data=lambda: dump(converter, settings),
    )


# -- certificates -------------------------------------------------------------------------------


@click.group()
def certificates() -> None:
    """The certificate register (证件登记): list, void, export and verify e-licences."""


@certificates.command("list")
@click.option("--kind", default=None, help="Only this kind (建字, 地字 …).")
@click.option("--year", type=int, default=None, help="Only certificates issued this year.")
@click.option("--status", "state", type=click.Choice([VALID, VOID]), default=None)
@output_options(csv=True)
@_store_option
@pass_context
def list_command(
    obj: CliContext,
    kind: str | None,
    year: int | None,
    state: str | None,
    output: Output,
    store_url: str,
) -> None:
    """Every registered certificate, by number."""
    with _window(obj, store_url, create=False) as window:
        entries = window.certificates.entries(kind=kind, year=year, status=state)
        converter = window.engine.converter
    header = ["证号", "状态", "案件编号", "申请人", "项目", "发证时间", "作废原因"]
    rows = [
        [
            e.number,
            e.status_zh,
            e.case_number,
            e.applicant,
            e.project,
            e.issued_at.isoformat(),
            e.void_reason,
        ]
        for e in entries
    ]

    def text() -> str:
        lines = [_entry_line(entry) for entry in entries]
        lines.append(obj.say(f"共 {len(entries)} 份证件", f"{len(entries)} certificate(s)"))
        return "\n".join(lines)

    output.emit(
        text=text, data=lambda: dump(converter, list(entries)), table=lambda: (header, rows)
    )


def _entry_line(entry: CertificateEntry) -> str:
    line = (
        f"{entry.number}  {entry.status_zh}  {entry.case_number}  {entry.applicant}  "
        f"{entry.project}  {entry.issued_at:%Y-%m-%d}"
    )
    return line if entry.status == VALID else f"{line}  作废原因：{entry.void_reason}"


@certificates.command("void")
@click.argument("number")
@click.option("--reason", required=True, help="Why it is void (作废原因).")
@click.option("--actor", "actor_id", default=None, help="Who voids it (default: the clerk).")
@output_options()
@_at_option
@_store_option
@pass_context
def void_command(
    obj: CliContext,
    number: str,
    reason: str,
    actor_id: str | None,
    output: Output,
    at_text: str | None,
    store_url: str,
) -> None:
    """Void certificate NUMBER with a reason; the number is never issued again."""
    with _window(obj, store_url, create=False) as window:
        clerk = _actor(window, actor_id, window.engine.settings.certificate_post)
        entry = window.void_certificate(number, reason, clerk, _instant(at_text))
        converter = window.engine.converter
    output.emit(text=lambda: _entry_line(entry), data=lambda: dump(converter, entry))


@certificates.command("keygen")
@click.argument("key_file", type=click.Path(dir_okay=False, path_type=Path))
@output_options()
@pass_context
def keygen_command(obj: CliContext, key_file: Path, output: Output) -> None:
    """Make the bureau's Ed25519 signing key in KEY_FILE (and KEY_FILE.pub.pem beside it).

    Keep KEY_FILE where only the certificate office can read it; publish the .pub.pem file
    so anyone can verify the bureau's e-licences offline.
    """
    from planning_core.documents import generate_signing_key, key_id

    public = generate_signing_key(key_file)
    made = {"key_file": str(key_file), "public_key_file": f"{key_file}.pub.pem"}
    made["key_id"] = key_id(public)
    output.emit(
        text=lambda: obj.say(
            f"签名私钥 {key_file}（密钥标识 {made['key_id']}）；公钥 {made['public_key_file']}",
            f"signing key {key_file} (key id {made['key_id']}); "
            f"public key {made['public_key_file']}",
        ),
        data=lambda: made,
    )


@certificates.command("export")
@click.argument("number")
@click.option(
    "--key",
    "key_file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The bureau's private signing key (PEM; `certificates keygen` makes one).",
)
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the e-licence to FILE (UTF-8) instead of stdout.",
)
@_at_option
@_store_option
@pass_context
def export_command(
    obj: CliContext,
    number: str,
    key_file: Path,
    out_file: Path | None,
    at_text: str | None,
    store_url: str,
) -> None:
    """Export certificate NUMBER as a signed e-licence (电子证照, JSON).

    The e-licence is a JSON document whatever the format, so the command takes ``--out``
    but no ``--format``.
    """
    from planning_core.documents import export_licence, load_private_key

    key = load_private_key(key_file)
    with obj.bureau(store_url, create=False) as bureau:
        entry = bureau.window.certificates.get(number)
        licence = export_licence(
            entry,
            bureau.engine.history(entry.case_id),
            key,
            bureau=bureau.name,
            permit_name=bureau.engine.permit_type(entry.permit_type).certificate.name,
            at=_instant(at_text),
        )
    Output("json", out_file).write(json.dumps(licence, ensure_ascii=False, indent=2))


@certificates.command("verify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--public-key",
    "public_key_file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The bureau's public key (the .pub.pem `certificates keygen` wrote).",
)
@click.option(
    "--offline",
    is_flag=True,
    help="Check the signature only, without the bureau's register and case histories.",
)
@output_options()
@_store_option
@pass_context
def verify_command(
    obj: CliContext,
    file: Path,
    public_key_file: Path,
    offline: bool,
    output: Output,
    store_url: str,
) -> None:
    """Verify the e-licence FILE: its signature, its register status (valid, voided) and
    the case history behind it; exit 1, with the reasons, when any check fails."""
    from planning_core.documents import load_public_key, verify_licence

    public_key = load_public_key(public_key_file)
    content = file.read_bytes()
    if offline:
        result = verify_licence(content, public_key)
    else:
        with obj.bureau(store_url, create=False) as bureau:
            result = verify_licence(
                content, public_key, register=bureau.window.certificates, engine=bureau.engine
            )
    name = result.number or str(file)

    def text() -> str:
        if obj.lang == "zh":
            lines = [
                f"  {'通过  ' if passed else '未通过'}  {_CHECK_ZH.get(check, check)}：{detail}"
                for check, passed, detail in result.checks
            ]
        else:
            lines = [
                f"  {'ok  ' if passed else 'FAIL'}  {check}: {detail}"
                for check, passed, detail in result.checks
            ]
        lines.append(
            obj.say(f"{name}：电子证照验证通过", f"{name}: e-licence verifies")
            if result.ok
            else obj.say(f"{name}：电子证照验证未通过", f"{name}: e-licence does NOT verify")
        )
        return "\n".join(lines)

    output.emit(
        text=text,
        data=lambda: {
            "number": result.number,
            "ok": result.ok,
            "checks": [
                {"check": check, "passed": passed, "detail": detail}
                for check, passed, detail in result.checks
            ],
        },
    )
    if not result.ok:
        raise SystemExit(1)


#: The checks of an e-licence as the Chinese output names them.
_CHECK_ZH = {"signature": "签名", "register": "登记状态", "history": "办理记录"}


# -- published limits ---------------------------------------------------------------------------


@click.command()
@output_options(text_name="markdown")
@pass_context
def limits(obj: CliContext, output: Output) -> None:
    """The published limits and materials of every permit type, for the bureau's website."""
    catalogue = permit_catalogue(obj.hooks)
    if output.fmt == "json":
        output.write(limits_json(catalogue, make_converter(obj.hooks)))
    else:
        output.write(limits_markdown(catalogue))
