"""``planning-core demo``: a day at the bureau, on a real store, with fixed dates.

The day is 2026-11-26. Cases received in the weeks before are on their way: one reaches its
certificate, one needed a supplement, one was extended by the bureau head, one was left in a
reviewer's inbox and goes red. The sweep at the close of the day records the lights, and the
overdue board shows what the electronic supervision (电子监察) would flag, and the outbox
delivers the day's notices to a demo SMS gateway: the applicants' news and the supervisors'
warnings, each once, with its idempotency key. A look ahead to
an application received in late December shows an expected pickup date in a year whose
holidays are not published yet, marked （暂定）. Every instant is fixed, so the demo prints
the same day whenever it runs.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import click
import pendulum

from planning_core.cases import (
    CLOCK_NAMES_ZH,
    ApplicantNotice,
    Complete,
    Decide,
    Deliver,
    Engine,
    Extend,
    LightWarning,
    Outcome,
    RecordedEvent,
    RecordMeetingDecision,
    Submit,
)
from planning_core.cli._base import CliContext, pass_context
from planning_core.cli._cases import open_engine
from planning_core.markers import hookimpl
from planning_core.storage import DEFAULT_STORE_URL
from planning_core.timing import Light
from planning_core.window import Application, Receipt, Window, WindowSettings
from planning_core.window._text import zh_provisional
from planning_core.workflow import Actor, StepKind

ZONE = "Asia/Shanghai"
BUREAU = "唐山市城乡规划局"
DAY = pendulum.datetime(2026, 11, 26, 17, 30, tz=ZONE)


class DemoSms:
    """The demo's SMS gateway: a plugin that keeps what it was handed, by idempotency key
    (a message that comes again is dropped, as a real receiver does)."""

    def __init__(self) -> None:
        self.sent: dict[str, str] = {}

    @hookimpl
    def planning_core_notify_applicant(self, notice: ApplicantNotice) -> None:
        self.sent.setdefault(notice.key, f"→ 申请人 {_masked(notice.contact)}  {notice.text}")

    @hookimpl
    def planning_core_notify(self, warning: LightWarning) -> None:
        who = "、".join(warning.people) or "督办人员"
        what = (
            f"环节 {warning.step_id}"
            if warning.step_id
            else CLOCK_NAMES_ZH.get(warning.clock, warning.clock)
        )
        self.sent.setdefault(
            warning.key,
            f"→ {who}  【{Light(warning.new).zh}】案件{warning.case_number} {what}",
        )


def _masked(contact: str | None) -> str:
    """``138****0000``: a phone number as a log may show it."""
    if not contact:
        return "（未留联系方式）"
    return contact[:3] + "****" + contact[-4:] if len(contact) >= 8 else "****"


def _t(text: str) -> pendulum.DateTime:
    return pendulum.parse(text, tz=ZONE)  # type: ignore[return-value]


class _Day:
    """Drives the engine and prints each event as a line of the timeline."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.window = Window(engine, WindowSettings(bureau=BUREAU))
        self.org = engine.organisation
        self.cases: list[str] = []

    def actor(self, post: str) -> Actor:
        return self.org.holders(post)[0]

    def do(self, command: object, post: str, at: pendulum.DateTime) -> list[RecordedEvent]:
        actor = self.actor(post)
        recorded = self.engine.execute(command, actor, at)  # type: ignore[arg-type]
        for rec in recorded:
            what = self._describe(rec)
            if what:
                state = self.engine.load(rec.case_id)
                when = rec.at.in_timezone(ZONE).format("MM-DD HH:mm")
                click.echo(f"  {when}  {state.case_number}  {actor.name:<4} {what}")
        return recorded

    def _describe(self, rec: RecordedEvent) -> str:
        event = rec.event
        name = type(event).__name__
        if name == "StepCompleted":
            step = self.engine.workflow_of(self.engine.load(rec.case_id)).step(event.step_id)  # type: ignore[union-attr]
            if step.kind is StepKind.JOIN:
                return ""
            return f"{step.name}：{getattr(event, 'opinion', '') or '办结'}"
        text = _LABELS.get(name)
        if text is None:
            return ""
        detail = ""
        for attr in ("missing", "outcome", "certificate_number", "reason", "resolution"):
            value = getattr(event, attr, None)
            if value:
                shown = value.value if hasattr(value, "value") else value
                detail += f" {'、'.join(shown) if isinstance(shown, tuple) else shown}"
        return f"{text}{detail}"

    def intake(
        self,
        permit: str,
        applicant: str,
        project: str,
        at: str,
        missing: tuple[str, ...] = (),
        show: bool = False,
    ) -> Receipt:
        """Hand an application in at the window; print the receipt line (or all of it)."""
        permit_type = self.engine.permit_type(permit)
        materials = tuple(m.code for m in permit_type.required_materials if m.code not in missing)
        clerk = self.actor("WINDOW_CLERK")
        receipt = self.window.intake(
            Application(permit, applicant, project, materials, contact="13800000000"), clerk, _t(at)
        )
        self.cases.append(receipt.case_id)
        pickup = "待补正后确定"
        if receipt.expected_pickup is not None:
            mark = zh_provisional(receipt.expected_pickup) if receipt.provisional else ""
            pickup = f"{receipt.expected_pickup.isoformat()}{mark}"
        click.echo(
            f"  {_t(at).format('MM-DD HH:mm')}  {receipt.case_number}  {clerk.name:<4} "
            f"收件，出具立案回执（{receipt.permit_name}，预取件日期 {pickup}）"
        )
        if show:
            click.echo(_indent(receipt.render()))
        return receipt

    def walk(
        self, case_id: str, start: pendulum.DateTime, days: int = 1, until: str | None = None
    ) -> pendulum.DateTime:
        """Complete the open steps one by one, ``days`` working days apart, until the
        decision (or until the step ``until``, which is left waiting)."""
        t = start
        for step_id, post, kind, quorum in self._open_steps(case_id):
            if step_id == until:
                break
            t = self._later(t, days)
            if kind is StepKind.MEETING:
                names = tuple(a.name for a in self.org.actors)[: max(quorum, 3)]
                command: object = RecordMeetingDecision(
                    case_id, step_id, t.date(), names, "经集体研究，同意", "APPROVE"
                )
            else:
                step = self.engine.workflow_of(self.engine.load(case_id)).step(step_id)
                action = "APPROVE" if any(a.value == "approve" for a in step.actions) else "FORWARD"
                checklist = tuple((p.code, True) for p in step.standards)
                command = Complete(case_id, step_id, action, "符合要求，同意", checklist)
            self.do(command, post, t)
        return t

    def _later(self, t: pendulum.DateTime, days: int) -> pendulum.DateTime:
        if not days:
            return t.add(minutes=40)
        day = self.engine.calendar.add_working_days(t.in_timezone(ZONE).date(), days)
        return pendulum.datetime(day.year, day.month, day.day, 10, tz=ZONE)

    def _open_steps(self, case_id: str) -> Iterator[tuple[str, str, StepKind, int]]:
        while True:
            state = self.engine.load(case_id)
            tokens = [t for t in state.tokens if t.post]
            if not tokens or state.status.value != "in_review":
                return
            token = tokens[0]
            step = self.engine.workflow_of(state).step(token.step_id)
            quorum = step.meeting.quorum if step.meeting else 0
            yield token.step_id, token.post or "", step.kind, quorum


_LABELS = {
    "CaseSubmitted": "收件（立案回执已出具）",
    "SupplementRequested": "一次告知补正：",
    "SupplementReceived": "补正材料已收",
    "CaseAccepted": "受理",
    "MeetingDecisionRecorded": "处务会/局务会决定：",
    "ReviewFinished": "审查完毕，待作出决定",
    "CaseExtended": "局长批准延期10个工作日：",
    "CaseDecided": "作出许可决定：",
    "CertificateIssued": "发证：",
    "CaseDelivered": "出件，办结",
}


def _indent(text: str) -> str:
    return "\n".join(f"      {line}" for line in text.splitlines())


def run_demo(
    engine: Engine, sms: DemoSms | None = None, documents_dir: Path | None = None
) -> dict[str, int]:
    """Run the day; returns counts the tests check (red cases, certificates issued).

    :param documents_dir: where to write the day's documents as PDF (the receipt of the
        morning's application, the decision and the certificate); None writes none.
    """
    day = _Day(engine)
    clerk = day.actor("WINDOW_CLERK")

    click.echo("== 前几周的收件 (cases received in the weeks before) ==")
    a = day.intake("CONSTRUCTION", "唐山某置业有限公司", "凤凰新城住宅小区三期", "2026-11-02 09:10")
    day.walk(a.case_id, _t("2026-11-02 09:40"))

    b = day.intake(
        "LAND_USE", "唐山市某学校", "新建教学楼用地", "2026-11-09 10:00", missing=("boundary_map",)
    )
    day.window.supplement(b.case_number, ("boundary_map",), clerk, _t("2026-11-16 09:00"))
    click.echo(f"  11-16 09:00  {b.case_number}  {clerk.name:<4} 补正材料已收，受理")
    day.walk(b.case_id, _t("2026-11-16 09:30"), until="division_meeting")

    c = day.intake("RURAL_CONSTRUCTION", "丰润区某村村民", "农村新民居建设", "2026-10-19 09:00")
    day.walk(c.case_id, _t("2026-10-19 11:00"), until="division_meeting")

    d = day.intake("SITE_SELECTION", "唐山市交通运输局", "环城快速路选址", "2026-10-26 14:00")
    day.walk(d.case_id, _t("2026-10-26 15:00"), days=2, until="division_meeting")
    day.do(
        Extend(d.case_id, 10, "涉及多部门意见，需补充专家论证"),
        "BUREAU_HEAD",
        _t("2026-11-13 10:00"),
    )

    f = f"case-{secrets.token_hex(8)}"
    day.cases.append(f)
    day.do(
        Submit(f, "LAND_USE", "古冶区某物流公司", "物流仓储用地", ("application",)),
        "WINDOW_CLERK",
        _t("2026-11-18 16:30"),
    )
    click.echo("  （该件收件后窗口未在5个工作日内受理或一次告知）")

    click.echo("== 2026-11-26 办公日 (the day) ==")
    e = day.intake(
        "TEMPORARY_CONSTRUCTION", "开平区某建筑公司", "临时施工用房", "2026-11-26 08:50", show=True
    )
    status = day.window.public_status(b.case_number, b.password, _t("2026-11-26 09:05"))
    click.echo(f"  11-26 09:05  {b.case_number}  申请人凭查询密码在网上查询：")
    click.echo(_indent(status.render()))
    card = day.window.appointments.book(
        _t("2026-11-27 09:00"),
        applicant="丰润区某村村民",
        topic="农村新民居规划咨询",
        at=_t("2026-11-26 09:20"),
        case_number=c.case_number,
    )
    click.echo("  11-26 09:20  预约窗口出具预约接待卡：")
    click.echo(_indent(card.render()))
    decided = day.do(Decide(a.case_id, Outcome.APPROVED), "DEPUTY_HEAD", _t("2026-11-26 09:30"))
    entry = day.window.issue_certificate(
        a.case_number, day.actor("CERTIFICATE_CLERK"), _t("2026-11-26 10:30")
    )
    click.echo(f"  11-26 10:30  {a.case_number}  发证员 发证：{entry.number}，已登记")
    day.do(Deliver(a.case_id, "申请人代表"), "WINDOW_CLERK", _t("2026-11-26 15:00"))
    day.walk(b.case_id, _t("2026-11-26 09:00"), days=0)
    assert e.case_number

    click.echo("== 下班前电子监察扫描 (the sweep at the close of the day) ==")
    warnings = engine.sweep(DAY)
    deemed = engine.load(f)
    if deemed.deemed_accepted and deemed.accepted_at is not None:
        since = deemed.accepted_at.in_timezone(ZONE).format("MM-DD HH:mm")
        click.echo(
            f"  {deemed.case_number}  5个工作日内未受理也未一次告知，依法视为自 {since} "
            f"收件之日起受理（行政许可法第三十二条）"
        )
    for w in warnings:
        where = f"环节 {w.step_id}（{w.post}）" if w.step_id else f"案件时限 {w.clock}"
        click.echo(f"  {w.case_number}  {where}: {Light(w.old).zh} → {Light(w.new).zh}")

    if sms is not None:
        lines = list(sms.sent.values())
        told = [line for line in lines if "→ 申请人" in line]
        warned = [line for line in lines if "→ 申请人" not in line]
        click.echo(
            f"== 短信通知 (the outbox, delivered once each: {len(told)} to applicants, "
            f"{len(warned)} to staff) =="
        )
        for line in [*told[-2:], *warned[-2:]]:
            click.echo(f"  {line}")
        click.echo(f"  发件箱待发 {len(engine.notifications())} 条")

    click.echo("== 超期督办看板 (overdue board) ==")
    ours = set(day.cases)
    board = [row for row in engine.overdue(DAY) if row.case_id in ours]
    for row in board:
        click.echo(
            f"  {row.case_number}  {row.data.get('status_zh')}  {row.data.get('project')}  "
            f"{Light(row.light).zh}"
        )
    red = sum(1 for row in engine.store.cases(light="red") if row.case_id in ours)
    click.echo(f"红灯案件 {red} 件；今日发证 1 件（{entry.number}）；决定 {len(decided)} 件。")

    if documents_dir is not None:
        _write_documents(
            engine,
            documents_dir,
            [
                (e.case_id, "acceptance_notice"),
                (a.case_id, "approval_decision"),
                (a.case_id, "certificate"),
            ],
        )

    click.echo("== 展望：年底收件 (looking ahead: an application received in late December) ==")
    g = day.intake("CONSTRUCTION", "唐山某房地产开发公司", "南湖片区商业综合体", "2026-12-21 09:00")
    ahead = day.window.public_status(g.case_number, g.password, _t("2026-12-21 09:30"))
    click.echo(f"  12-21 09:30  {g.case_number}  申请人凭查询密码在网上查询：")
    click.echo(_indent(ahead.render()))
    return {"red": red, "certificates": 1}


def _write_documents(engine: Engine, out: Path, wanted: list[tuple[str, str]]) -> None:
    """Render the wanted documents of the day as PDF into ``out`` and print their paths."""
    try:
        from planning_core.documents import DocumentFontError, case_documents, render_document
    except ImportError as exc:  # the documents extra is not installed
        click.echo(f"== 文书 (documents): skipped, {exc}; pip install 'planning-core[documents]'")
        return
    click.echo("== 文书 (the day's documents, PDF) ==")
    out.mkdir(parents=True, exist_ok=True)
    for case_id, kind in wanted:
        state = engine.load(case_id)
        found = case_documents(
            engine.history(case_id),
            engine.permit_type(state.permit_type),
            bureau=BUREAU,
            zone=engine.calendar.zone,
        )
        for data in found:
            if data.kind != kind:
                continue
            try:
                pdf = render_document(data)
            except DocumentFontError as exc:
                click.echo(f"  {data.title}: not written ({exc})")
                return
            path = out / f"{state.case_number}-{kind}.pdf"
            path.write_bytes(pdf)
            click.echo(f"  {data.title} {data.number}: {path}")


def _documents_dir(store_url: str) -> Path | None:
    """``<db>.documents/`` beside a SQLite store; None for a memory store (nothing kept)."""
    scheme, _, rest = store_url.partition("://")
    if scheme != "sqlite" or not rest.startswith("/"):
        return None
    return Path(f"{rest[1:]}.documents")


@click.command()
@click.option(
    "--store",
    "store_url",
    default=DEFAULT_STORE_URL,
    show_default=True,
    help="Where to keep the demo's data (memory:// keeps nothing).",
)
@pass_context
def demo(obj: CliContext, store_url: str) -> None:
    """Run a day at the bureau on the embedded default store (SQLite in this directory)."""
    sms = DemoSms()
    obj.hooks.register(sms, name="demo-sms")
    engine = open_engine(obj, store_url)
    click.echo(f"规划局演示 planning_core demo — store {engine.store.url}")
    run_demo(engine, sms, _documents_dir(engine.store.url))
    engine.store.close()
