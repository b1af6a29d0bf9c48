"""``planning-core demo``: a day at the bureau, on a real store, with fixed dates.

The day is 2026-11-26. Cases received in the weeks before are on their way: one reaches its
certificate, one needed a supplement, one was extended by the bureau head, one was left in a
reviewer's inbox and goes red. The sweep at the close of the day records the lights, and the
overdue board shows what the electronic supervision (电子监察) would flag. Every instant is
fixed, so the demo prints the same day whenever it runs.
"""

from __future__ import annotations

from collections.abc import Iterator

import click
import pendulum

from planning_core.cases import (
    Accept,
    Complete,
    Decide,
    Deliver,
    Engine,
    Extend,
    IssueCertificate,
    Outcome,
    ReceiveSupplement,
    RecordedEvent,
    RecordMeetingDecision,
    RequestSupplement,
    Submit,
)
from planning_core.cli._base import CliContext, pass_context
from planning_core.cli._cases import open_engine
from planning_core.storage import DEFAULT_STORE_URL
from planning_core.timing import Light
from planning_core.workflow import Actor, StepKind

ZONE = "Asia/Shanghai"
DAY = pendulum.datetime(2026, 11, 26, 17, 30, tz=ZONE)


def _t(text: str) -> pendulum.DateTime:
    return pendulum.parse(text, tz=ZONE)  # type: ignore[return-value]


class _Day:
    """Drives the engine and prints each event as a line of the timeline."""

    def __init__(self, engine: Engine, run: int) -> None:
        self.engine = engine
        self.run = run
        self.org = engine.organisation

    def actor(self, post: str) -> Actor:
        return self.org.holders(post)[0]

    def case_id(self, name: str) -> str:
        return f"demo{self.run}-{name}"

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

    def submit(
        self,
        name: str,
        permit: str,
        applicant: str,
        project: str,
        at: str,
        missing: tuple[str, ...] = (),
    ) -> str:
        case_id = self.case_id(name)
        permit_type = self.engine.permit_type(permit)
        materials = tuple(m.code for m in permit_type.required_materials if m.code not in missing)
        self.do(Submit(case_id, permit, applicant, project, materials), "WINDOW_CLERK", _t(at))
        return case_id

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


def run_demo(engine: Engine) -> dict[str, int]:
    """Run the day; returns counts the tests check (red cases, certificates issued)."""
    run = engine.store.get_record("demo.runs", "count") or {"n": 0}
    day = _Day(engine, run["n"] + 1)
    engine.store.put_records("demo.runs", {"count": {"n": run["n"] + 1}})

    click.echo("== 前几周的收件 (cases received in the weeks before) ==")
    a = day.submit(
        "a", "CONSTRUCTION", "唐山某置业有限公司", "凤凰新城住宅小区三期", "2026-11-02 09:10"
    )
    day.do(Accept(a), "WINDOW_CLERK", _t("2026-11-02 09:40"))
    day.walk(a, _t("2026-11-02 09:40"))

    b = day.submit(
        "b",
        "LAND_USE",
        "唐山市某学校",
        "新建教学楼用地",
        "2026-11-09 10:00",
        missing=("boundary_map",),
    )
    day.do(
        RequestSupplement(b, ("boundary_map",), "缺用地红线图"),
        "WINDOW_CLERK",
        _t("2026-11-09 10:20"),
    )
    day.do(ReceiveSupplement(b, ("boundary_map",)), "WINDOW_CLERK", _t("2026-11-16 09:00"))
    day.do(Accept(b), "WINDOW_CLERK", _t("2026-11-16 09:30"))
    day.walk(b, _t("2026-11-16 09:30"), until="division_meeting")

    c = day.submit(
        "c", "RURAL_CONSTRUCTION", "丰润区某村村民", "农村新民居建设", "2026-10-19 09:00"
    )
    day.do(Accept(c), "WINDOW_CLERK", _t("2026-10-19 11:00"))
    day.walk(c, _t("2026-10-19 11:00"), until="division_meeting")

    d = day.submit("d", "SITE_SELECTION", "唐山市交通运输局", "环城快速路选址", "2026-10-26 14:00")
    day.do(Accept(d), "WINDOW_CLERK", _t("2026-10-26 15:00"))
    day.walk(d, _t("2026-10-26 15:00"), days=2, until="division_meeting")
    day.do(Extend(d, 10, "涉及多部门意见，需补充专家论证"), "BUREAU_HEAD", _t("2026-11-20 10:00"))

    click.echo("== 2026-11-26 办公日 (the day) ==")
    decided = day.do(Decide(a, Outcome.APPROVED), "DEPUTY_HEAD", _t("2026-11-26 09:30"))
    issued = day.do(IssueCertificate(a), "CERTIFICATE_CLERK", _t("2026-11-26 10:30"))
    day.do(Deliver(a, "申请人代表"), "WINDOW_CLERK", _t("2026-11-26 15:00"))
    day.walk(b, _t("2026-11-26 09:00"), days=0)

    click.echo("== 下班前电子监察扫描 (the sweep at the close of the day) ==")
    warnings = engine.sweep(DAY)
    for w in warnings:
        where = f"环节 {w.step_id}（{w.post}）" if w.step_id else f"案件时限 {w.clock}"
        click.echo(f"  {w.case_number}  {where}: {Light(w.old).zh} → {Light(w.new).zh}")

    click.echo("== 超期督办看板 (overdue board) ==")
    board = engine.overdue(DAY)
    for row in board:
        click.echo(
            f"  {row.case_number}  {row.data.get('status_zh')}  {row.data.get('project')}  "
            f"{Light(row.light).zh}"
        )
    red = sum(
        1 for row in engine.store.cases(light="red") if row.case_id.startswith(f"demo{day.run}-")
    )
    click.echo(f"红灯案件 {red} 件；今日发证 {len(issued)} 件；决定 {len(decided)} 件。")
    return {"red": red, "certificates": len(issued)}


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
    engine = open_engine(obj, store_url)
    click.echo(f"规划局演示 planning_core demo — store {engine.store.url}")
    run_demo(engine)
    engine.store.close()
