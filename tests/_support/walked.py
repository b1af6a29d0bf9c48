"""Cases walked end to end through the window, for the documents tests."""

from __future__ import annotations

from pathlib import Path

import attrs

from planning_core.bureau import Bureau
from planning_core.cases import (
    Decide,
    Extend,
    IssueCertificate,
    Outcome,
    RefuseAcceptance,
    Resume,
    Suspend,
)
from planning_core.materials import MaterialUpload
from planning_core.testing import ManualClock, make_bureau, walk_case
from planning_core.window import Application

BUREAU = "唐山市城乡规划局"
PDF = b"%PDF-1.4\n% a scanned application form\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@attrs.frozen
class Walked:
    bureau: Bureau
    clock: ManualClock
    granted: str  # case id: supplement, extension, suspension, approval, certificate
    refused: str  # case id: acceptance refused
    denied: str  # case id: accepted, reviewed, denied
    files_case: str  # the granted case carries files


def walk_cases(store: str = "memory://") -> Walked:
    """Three cases: one granted through every written act, one refused, one denied."""
    bureau = make_bureau(store)
    bureau.config = attrs.evolve(bureau.config, name=BUREAU)
    clock = ManualClock("2026-03-02T09:00:00+08:00", bureau.calendar)
    window = bureau.window
    clerk = bureau.actor("WINDOW_CLERK")
    permit = bureau.engine.permit_type("CONSTRUCTION")
    required = [m.code for m in permit.required_materials]
    first = required[0]
    files = (MaterialUpload(first, "申请表.pdf", PDF, "application/pdf"),)
    receipt = window.intake(
        Application(
            "CONSTRUCTION", "唐山某置业有限公司", "凤凰新城三期", required[:-1], files=files
        ),
        clerk,
        clock.now,
    )
    granted = receipt.case_id
    clock.advance(working_days=2)
    again = (
        MaterialUpload(first, "申请表.pdf", PDF + b"% corrected\n", "application/pdf"),
        MaterialUpload(required[-1], "总平面图.png", PNG, "image/png"),
    )
    window.supplement(receipt.case_number, required[-1:], clerk, clock.now, files=again)
    clock.advance(working_days=1)
    engine = bureau.engine
    walk_case(bureau, clock, granted, until=_second_step(bureau, granted))
    command = Suspend(granted, "expert_review", "专家评审", expected_working_days=5)
    engine.execute(command, bureau.actor_for(command), clock.now)
    clock.advance(working_days=5)
    resume = Resume(granted)
    engine.execute(resume, bureau.actor_for(resume), clock.now)
    extend = Extend(granted, 10, "涉及多部门意见，需补充论证")
    engine.execute(extend, bureau.actor_for(extend), clock.now)
    walk_case(bureau, clock, granted)
    decide = Decide(granted, Outcome.APPROVED, "符合控制性详细规划和规划条件")
    engine.execute(decide, bureau.actor_for(decide), clock.now)
    clock.advance(working_days=1)
    issue = IssueCertificate(granted)
    engine.execute(issue, bureau.actor_for(issue), clock.now)

    refused = window.intake(
        Application("CONSTRUCTION", "某公司", "不属本机关职权的项目", required), clerk, clock.now
    )
    # intake accepted it (complete materials); refusal needs a fresh received case
    refused_id = _received(bureau, clock)
    refuse = RefuseAcceptance(refused_id, "申请事项依法不属于本机关职权范围")
    engine.execute(refuse, bureau.actor_for(refuse), clock.now)
    walk_case(bureau, clock, refused.case_id, path=_reject)
    deny = Decide(refused.case_id, Outcome.DENIED, "建筑密度超过规划条件规定的上限")
    engine.execute(deny, bureau.actor_for(deny), clock.now)
    return Walked(bureau, clock, granted, refused_id, refused.case_id, granted)


def _reject(state: object, step: object) -> str:
    actions = [a.value for a in step.actions]  # type: ignore[attr-defined]
    return "reject" if "reject" in actions else "approve" if "approve" in actions else actions[0]


def _received(bureau: Bureau, clock: ManualClock) -> str:
    from planning_core.cases import Submit

    case_id = "case-refused-1"
    submit = Submit(case_id, "CONSTRUCTION", "某个人", "超出职权的申请", ())
    bureau.engine.execute(submit, bureau.actor_for(submit), clock.now)
    return case_id


def _second_step(bureau: Bureau, case_id: str) -> str | None:
    state = bureau.engine.load(case_id)
    steps = [s.id for s in bureau.engine.workflow_of(state).steps]
    return steps[2] if len(steps) > 2 else None


def write_pdfs(out: Path, named: dict[str, bytes]) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, data in named.items():
        path = out / f"{name}.pdf"
        path.write_bytes(data)
        paths[name] = path
    return paths
