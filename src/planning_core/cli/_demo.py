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

Each run starts from a fresh store: without ``--store`` the demo writes
``planning-core.db`` in the working directory anew (the previous demo's file, and its
documents, are removed first), and leaves it there for ``planning-core serve``. A
``planning-core.db`` the demo did not write (a bureau's own data) is never removed: the demo
stops and says so. With ``--store URL`` the demo runs on that store as it is, so a second
run adds a second day to it.

The timeline is bureau output, in Chinese; the CLI's own lines (which store, what was
skipped) go to stderr in the ``--lang`` language. The day's PDF documents need the ``pdf``
extra: without it, that part is skipped with one line naming the extra.
"""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
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
from planning_core.cli._output import Output, output_options, progress
from planning_core.errors import ConfigurationError, MissingExtraError
from planning_core.markers import hookimpl
from planning_core.storage import DEFAULT_STORE_URL
from planning_core.timing import Light
from planning_core.window import Application, Receipt, Window, WindowSettings
from planning_core.window._text import zh_provisional
from planning_core.workflow import Actor, StepKind

__all__ = ["DemoDay", "DemoSms", "demo", "run_demo"]

ZONE = "Asia/Shanghai"
BUREAU = "唐山市城乡规划局"
DAY = pendulum.datetime(2026, 11, 26, 17, 30, tz=ZONE)

#: The record the demo leaves in a store it wrote, so a later run knows the file is its own
#: to replace (and a bureau's own file is never removed).
MARK_COLLECTION = "demo.store"
MARK_KEY = "planning-core demo"

#: The decision's outcome as the decision letter words it.
OUTCOMES_ZH = {Outcome.APPROVED: "准予许可", Outcome.DENIED: "不予许可"}

#: The stages of the day, for the progress bar.
STAGES = 11


class DemoSms:
    """The demo's SMS gateway: a plugin that keeps what it was handed, by idempotency key
    (a message that comes again is dropped, as a real receiver does)."""

    def __init__(self) -> None:
        self.sent: dict[str, ApplicantNotice | LightWarning] = {}

    @hookimpl
    def planning_core_notify_applicant(self, notice: ApplicantNotice) -> None:
        self.sent.setdefault(notice.key, notice)

    @hookimpl
    def planning_core_notify(self, warning: LightWarning) -> None:
        self.sent.setdefault(warning.key, warning)


def _masked(contact: str | None) -> str:
    """``138****0000``: a phone number as a log may show it."""
    if not contact:
        return "（未留联系方式）"
    return contact[:3] + "****" + contact[-4:] if len(contact) >= 8 else "****"


def _t(text: str) -> pendulum.DateTime:
    return pendulum.parse(text, tz=ZONE)  # type: ignore[return-value]


@attrs.frozen
class DemoDay:
    """What the day produced: its timeline (Chinese, as the bureau reads it) and its figures.

    :param lines: the timeline, line by line.
    :param cases: the public numbers of the day's cases, in the order they were received.
    :param red: the day's cases with a red light at the close of the day.
    :param certificates: the numbers of the certificates issued.
    :param documents: the PDF files written.
    :param skipped: the parts left out, each with the extra it needs (``{"part", "extra"}``).
    """

    lines: tuple[str, ...]
    cases: tuple[str, ...]
    red: int
    certificates: tuple[str, ...]
    documents: tuple[Path, ...] = ()
    skipped: tuple[dict[str, str], ...] = ()

    @property
    def text(self) -> str:
        """The timeline as one text."""
        return "\n".join(self.lines)


class _Day:
    """Drives the engine and writes each event as a line of the timeline."""

    def __init__(self, engine: Engine, bar: Callable[[int, int], None]) -> None:
        self.engine = engine
        self.window = Window(engine, WindowSettings(bureau=BUREAU))
        self.org = engine.organisation
        self.cases: list[str] = []
        self.lines: list[str] = []
        self._bar = bar
        self._stage = 0

    def echo(self, line: str) -> None:
        self.lines.append(line)

    def stage(self) -> None:
        """One more stage of the day is done (the progress bar moves)."""
        self._stage += 1
        self._bar(self._stage, STAGES)

    def actor(self, post: str) -> Actor:
        return self.org.holders(post)[0]

    def step_name(self, case_id: str, step_id: str) -> str:
        """A step's Chinese name (``分管副局长审批``), as the bureau's people call it."""
        return self.engine.workflow_of(self.engine.load(case_id)).step(step_id).name

    def post_name(self, post: str | None) -> str:
        if post and self.org.has_post(post):
            return self.org.post(post).name
        return post or ""

    def do(self, command: object, post: str, at: pendulum.DateTime) -> list[RecordedEvent]:
        actor = self.actor(post)
        recorded = self.engine.execute(command, actor, at)  # type: ignore[arg-type]
        for rec in recorded:
            what = self._describe(rec)
            if what:
                state = self.engine.load(rec.case_id)
                when = rec.at.in_timezone(ZONE).format("MM-DD HH:mm")
                self.echo(f"  {when}  {state.case_number}  {actor.name:<4} {what}")
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
        details = [
            self._detail(rec, value)
            for attr in ("missing", "outcome", "certificate_number", "reason", "resolution")
            if (value := getattr(event, attr, None))
        ]
        return text + "，".join(details)

    def _detail(self, rec: RecordedEvent, value: object) -> str:
        """An event's field in Chinese: an outcome by its name, materials by theirs."""
        if isinstance(value, Outcome):
            return OUTCOMES_ZH[value]
        if isinstance(value, tuple):
            state = self.engine.load(rec.case_id)
            names = {m.code: m.name for m in self.engine.permit_type(state.permit_type).materials}
            return "、".join(names.get(str(code), str(code)) for code in value)
        return str(getattr(value, "value", value))

    def intake(
        self,
        permit: str,
        applicant: str,
        project: str,
        at: str,
        missing: tuple[str, ...] = (),
        show: bool = False,
    ) -> Receipt:
        """Hand an application in at the window; write the receipt line (or all of it)."""
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
        self.echo(
            f"  {_t(at).format('MM-DD HH:mm')}  {receipt.case_number}  {clerk.name:<4} "
            f"收件，出具立案回执（{receipt.permit_name}，预取件日期 {pickup}）"
        )
        if show:
            self.echo(_indent(receipt.render()))
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

    def clock_name(self, case_id: str, clock: str, step_id: str | None) -> str:
        """A clock as the supervisor reads it: the step's name, or the case's time limit."""
        if step_id:
            return f"环节“{self.step_name(case_id, step_id)}”"
        return CLOCK_NAMES_ZH.get(clock, clock)

    def sms_line(self, message: ApplicantNotice | LightWarning) -> str:
        """A message the demo's SMS gateway was handed, as its log shows it."""
        if isinstance(message, ApplicantNotice):
            return f"→ 申请人 {_masked(message.contact)}  {message.text}"
        who = "、".join(message.people) or "督办人员"
        what = self.clock_name(message.case_id, message.clock, message.step_id)
        return f"→ {who}  【{Light(message.new).zh}】案件{message.case_number} {what}"


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


def _no_bar(done: int, total: int) -> None:
    """No progress bar (a library caller, a test)."""


def run_demo(
    engine: Engine,
    sms: DemoSms | None = None,
    documents_dir: Path | None = None,
    *,
    progress: Callable[[int, int], None] = _no_bar,
) -> DemoDay:
    """Run the day on ``engine``; returns its timeline and figures (nothing is printed).

    :param documents_dir: where to write the day's documents as PDF (the receipt of the
        morning's application, the decision and the certificate); None writes none. Without
        the ``pdf`` extra they are skipped, and :attr:`DemoDay.skipped` says so.
    :param progress: called ``(done, total)`` as each stage of the day is done.
    """
    day = _Day(engine, progress)
    clerk = day.actor("WINDOW_CLERK")
    echo = day.echo

    echo(f"{BUREAU} 演示：2026年11月26日的一天")
    echo("== 前几周的收件 ==")
    a = day.intake("CONSTRUCTION", "唐山某置业有限公司", "凤凰新城住宅小区三期", "2026-11-02 09:10")
    day.walk(a.case_id, _t("2026-11-02 09:40"))
    day.stage()

    b = day.intake(
        "LAND_USE", "唐山市某学校", "新建教学楼用地", "2026-11-09 10:00", missing=("boundary_map",)
    )
    day.window.supplement(b.case_number, ("boundary_map",), clerk, _t("2026-11-16 09:00"))
    echo(f"  11-16 09:00  {b.case_number}  {clerk.name:<4} 补正材料已收，受理")
    day.walk(b.case_id, _t("2026-11-16 09:30"), until="division_meeting")
    day.stage()

    c = day.intake("RURAL_CONSTRUCTION", "丰润区某村村民", "农村新民居建设", "2026-10-19 09:00")
    day.walk(c.case_id, _t("2026-10-19 11:00"), until="division_meeting")
    day.stage()

    d = day.intake("SITE_SELECTION", "唐山市交通运输局", "环城快速路选址", "2026-10-26 14:00")
    day.walk(d.case_id, _t("2026-10-26 15:00"), days=2, until="division_meeting")
    day.do(
        Extend(d.case_id, 10, "涉及多部门意见，需补充专家论证"),
        "BUREAU_HEAD",
        _t("2026-11-13 10:00"),
    )
    day.stage()

    f = f"case-{secrets.token_hex(8)}"
    day.cases.append(f)
    day.do(
        Submit(f, "LAND_USE", "古冶区某物流公司", "物流仓储用地", ("application",)),
        "WINDOW_CLERK",
        _t("2026-11-18 16:30"),
    )
    echo("  （该件收件后窗口未在5个工作日内受理或一次告知）")
    day.stage()

    echo("== 2026年11月26日 办公日 ==")
    e = day.intake(
        "TEMPORARY_CONSTRUCTION", "开平区某建筑公司", "临时施工用房", "2026-11-26 08:50", show=True
    )
    status = day.window.public_status(b.case_number, b.password, _t("2026-11-26 09:05"))
    echo(f"  11-26 09:05  {b.case_number}  申请人凭查询密码在网上查询：")
    echo(_indent(status.render()))
    card = day.window.appointments.book(
        _t("2026-11-27 09:00"),
        applicant="丰润区某村村民",
        topic="农村新民居规划咨询",
        at=_t("2026-11-26 09:20"),
        case_number=c.case_number,
    )
    echo("  11-26 09:20  预约窗口出具预约接待卡：")
    echo(_indent(card.render()))
    decided = day.do(Decide(a.case_id, Outcome.APPROVED), "DEPUTY_HEAD", _t("2026-11-26 09:30"))
    issuer = day.actor("CERTIFICATE_CLERK")
    entry = day.window.issue_certificate(a.case_number, issuer, _t("2026-11-26 10:30"))
    echo(f"  11-26 10:30  {a.case_number}  {issuer.name:<4} 发证：{entry.number}，已登记")
    day.do(Deliver(a.case_id, "申请人代表"), "WINDOW_CLERK", _t("2026-11-26 15:00"))
    day.walk(b.case_id, _t("2026-11-26 09:00"), days=0)
    day.stage()

    echo("== 下班前电子监察扫描 ==")
    warnings = engine.sweep(DAY)
    deemed = engine.load(f)
    if deemed.deemed_accepted and deemed.accepted_at is not None:
        since = deemed.accepted_at.in_timezone(ZONE).format("MM-DD HH:mm")
        echo(
            f"  {deemed.case_number}  5个工作日内未受理也未一次告知，依法视为自 {since} "
            f"收件之日起受理（行政许可法第三十二条）"
        )
    for w in warnings:
        where = day.clock_name(w.case_id, w.clock, w.step_id)
        if w.step_id and w.post:
            where += f"（{day.post_name(w.post)}）"
        echo(f"  {w.case_number}  {where}：{Light(w.old).zh} → {Light(w.new).zh}")
    day.stage()

    if sms is not None:
        messages = list(sms.sent.values())
        told = [m for m in messages if isinstance(m, ApplicantNotice)]
        warned = [m for m in messages if isinstance(m, LightWarning)]
        echo(f"== 短信通知（每条只发一次：申请人 {len(told)} 条，工作人员 {len(warned)} 条）==")
        shown: list[ApplicantNotice | LightWarning] = [*told[-2:], *warned[-2:]]
        for message in shown:
            echo(f"  {day.sms_line(message)}")
        echo(f"  发件箱待发 {len(engine.notifications())} 条")
    day.stage()

    echo("== 超期督办看板 ==")
    ours = set(day.cases)
    board = [row for row in engine.overdue(DAY) if row.case_id in ours]
    for row in board:
        echo(
            f"  {row.case_number}  {row.data.get('status_zh')}  {row.data.get('project')}  "
            f"{Light(row.light).zh}"
        )
    red = sum(1 for row in engine.store.cases(light="red") if row.case_id in ours)
    echo(f"红灯案件 {red} 件；今日发证 1 件（{entry.number}）；决定 {len(decided)} 件。")
    day.stage()

    written: list[Path] = []
    skipped: list[dict[str, str]] = []
    if documents_dir is not None:
        wanted = [
            (e.case_id, "acceptance_notice"),
            (a.case_id, "approval_decision"),
            (a.case_id, "certificate"),
        ]
        try:
            written = _write_documents(engine, documents_dir, wanted, echo)
        except MissingExtraError as exc:
            skipped.append({"part": "documents", "extra": exc.extra})
    day.stage()

    echo("== 展望：年底收件 ==")
    g = day.intake("CONSTRUCTION", "唐山某房地产开发公司", "南湖片区商业综合体", "2026-12-21 09:00")
    ahead = day.window.public_status(g.case_number, g.password, _t("2026-12-21 09:30"))
    echo(f"  12-21 09:30  {g.case_number}  申请人凭查询密码在网上查询：")
    echo(_indent(ahead.render()))
    day.stage()
    numbers = tuple(engine.load(case_id).case_number or case_id for case_id in day.cases)
    return DemoDay(tuple(day.lines), numbers, red, (entry.number,), tuple(written), tuple(skipped))


def _write_documents(
    engine: Engine, out: Path, wanted: list[tuple[str, str]], echo: Callable[[str], None]
) -> list[Path]:
    """Render the wanted documents of the day as PDF into ``out``; list them in the timeline.

    :raises MissingExtraError: without the ``pdf`` extra (nothing is written).
    """
    from planning_core.documents import DocumentFontError, case_documents, render_document

    echo("== 当日文书（PDF）==")
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
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
            except DocumentFontError:
                echo(f"  {data.title}：未生成（缺少中文字体）")
                return written
            path = out / f"{state.case_number}-{kind}.pdf"
            path.write_bytes(pdf)
            written.append(path)
            echo(f"  {data.title} {data.number}：{path}")
    return written


def _documents_dir(store_url: str) -> Path | None:
    """``<db>.documents/`` beside a SQLite store; None for a memory store (nothing kept)."""
    scheme, _, rest = store_url.partition("://")
    if scheme != "sqlite" or not rest.startswith("/"):
        return None
    return Path(f"{rest[1:].partition('?')[0]}.documents")


def _sqlite_path(store_url: str) -> Path:
    """The file of a ``sqlite:///file`` URL."""
    return Path(store_url.partition("://")[2][1:].partition("?")[0])


def fresh_default_store(obj: CliContext) -> str:
    """The demo's own store, made fresh: ``planning-core.db`` in the working directory.

    A previous demo's file (it carries the demo's mark), or an empty store, is removed with
    its journal files and its documents; any other file of that name is a bureau's data and
    is left alone.

    :raises ConfigurationError: when ``planning-core.db`` holds data the demo did not write.
    """
    from planning_core.storage import open_store

    url = DEFAULT_STORE_URL
    path = _sqlite_path(url)
    if path.exists():
        with open_store(url, obj.hooks, create=False) as store:
            ours = store.get_record(MARK_COLLECTION, MARK_KEY) is not None
            empty = not store.cases(limit=1)
        if not (ours or empty):
            raise ConfigurationError(
                f"{path} holds cases the demo did not write (a bureau's data?), so the demo "
                f"leaves it alone; move it away, or run the demo on a store of its own: "
                f"planning-core demo --store sqlite:///demo.db"
            )
        for leftover in (path, *(Path(f"{path}{suffix}") for suffix in ("-wal", "-shm"))):
            leftover.unlink(missing_ok=True)
        documents = _documents_dir(url)
        if documents is not None and documents.is_dir():
            shutil.rmtree(documents)
    return url


@click.command()
@click.option(
    "--store",
    "store_url",
    default=None,
    help="Run the day on this store as it is (memory:// keeps nothing); default: a fresh "
    "planning-core.db in this directory, replacing the previous demo's.",
)
@output_options()
@pass_context
def demo(obj: CliContext, store_url: str | None, output: Output) -> None:
    """Run a day at the bureau on the embedded default store (SQLite in this directory).

    Without --store every run starts from a fresh planning-core.db (the previous demo's is
    replaced; a file the demo did not write is refused), which stays for
    ``planning-core serve``. ``--format json`` gives the day's figures instead of its
    timeline.
    """
    url = store_url or fresh_default_store(obj)
    sms = DemoSms()
    obj.hooks.register(sms, name="demo-sms")
    engine = obj.engine(url)
    try:
        if store_url is None:  # the demo's own file: marked, so the next run may replace it
            engine.store.put_records(MARK_COLLECTION, {MARK_KEY: {"day": DAY.isoformat()}})
        with progress(obj.say("演示的一天", "the demo's day")) as bar:
            day = run_demo(engine, sms, _documents_dir(engine.store.url), progress=bar)
        url = engine.store.url
    finally:
        engine.store.close()
    # said once the day is written, so a store that cannot be written is the only line
    click.echo(obj.say(f"演示数据存于 {url}", f"demo store: {url}"), err=True)
    for part in day.skipped:
        extra = part["extra"]
        click.echo(
            obj.say(
                f'已跳过当日文书（PDF）：需要 {extra} 扩展，pip install "planning-core[{extra}]"',
                f"skipped the day's PDF documents: they need the {extra!r} extra, "
                f'pip install "planning-core[{extra}]"',
            ),
            err=True,
        )
    output.emit(
        text=lambda: day.text,
        data=lambda: {
            "store": url,
            "day": DAY.isoformat(),
            "cases": list(day.cases),
            "red": day.red,
            "certificates": list(day.certificates),
            "documents": [str(path) for path in day.documents],
            "skipped": list(day.skipped),
        },
    )
