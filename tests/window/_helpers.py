"""A window on the engine tests' sample bureau, and the functions run in other processes.

Imported as ``from window._helpers import …`` (tests/ is on pytest's path, and spawned
processes inherit it).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.synchronize
from collections.abc import Callable
from typing import Any

import pendulum
from _support.engine import (
    CERT,
    CHECKLIST,
    DEPUTY,
    DIVISION_HEAD,
    LAND,
    LEGAL,
    REVIEWER,
    WINDOW,
    make_engine,
    sample_permit,
)

from planning_core.cases import Accept, Complete, Decide, Outcome, RecordMeetingDecision, Submit
from planning_core.errors import ConflictError
from planning_core.permits import PermitType
from planning_core.plugins import Hooks
from planning_core.window import Application, ScryptParameters, Window, WindowSettings
from planning_core.workflow import Action, Actor, WorkflowBuilder

TZ = "Asia/Shanghai"
#: Cheap scrypt for tests that check many passwords; the production default is n=2**14.
FAST = ScryptParameters(n=2**8, r=4)
CONTACT = "13800000000"


def at(text: str) -> pendulum.DateTime:
    """An instant in the bureau's zone: ``at("2026-03-02 09:00")``."""
    return pendulum.parse(text, tz=TZ)  # type: ignore[return-value]


def make_window(
    url: str = "memory://",
    hooks: Hooks | None = None,
    permit: PermitType | None = None,
    **settings: Any,
) -> Window:
    settings.setdefault("scrypt", FAST)
    engine = make_engine(url, hooks=hooks, permit=permit)
    return Window(engine, WindowSettings(bureau="唐山市城乡规划局", **settings))


def complete_application(contact: str | None = CONTACT) -> Application:
    return Application(
        "TEST", "唐山市某置业有限公司", "某小区住宅楼", ("application", "site_plan"), contact
    )


def review_to_approval(
    window: Window, case_id: str, t: pendulum.DateTime, *, decide: bool = True
) -> pendulum.DateTime:
    """Walk an accepted TEST case through every step and (unless ``decide`` is False) approve
    it; returns the last instant."""
    steps: list[tuple[Actor, Any]] = [
        (WINDOW, Complete(case_id, "window", "FORWARD")),
        (REVIEWER, Complete(case_id, "review", "APPROVE", "同意", CHECKLIST)),
        (LAND, Complete(case_id, "land", "APPROVE")),
        (LEGAL, Complete(case_id, "legal", "APPROVE")),
        (
            DIVISION_HEAD,
            RecordMeetingDecision(
                case_id, "meeting", t.date(), ("李华", "王建国", "赵磊"), "同意上报", "APPROVE"
            ),
        ),
        (DEPUTY, Complete(case_id, "leader", "APPROVE", "同意")),
    ]
    if decide:
        steps.append((DEPUTY, Decide(case_id, Outcome.APPROVED)))
    for actor, command in steps:
        t = t.add(minutes=10)
        window.engine.execute(command, actor, t)
    return t


# -- a one-step permit type, so that 800 approved cases are quick to prepare -------------------

#: A window clerk who may also decide the one-step permit (its only step is theirs).
ONE_STEP_CLERK = Actor("one.step", "窗口综合岗", ("WINDOW_CLERK",))


def one_step_permit() -> PermitType:
    workflow = (
        WorkflowBuilder("TEST", 1, "即办件流程")
        .start("start", "开始")
        .task("window", "窗口即办", post="WINDOW_CLERK", days=1, actions=[Action.APPROVE])
        .end("done", "办结")
        .flow("start", "window")
        .edge("window", "done", Action.APPROVE)
        .build()
    )
    return sample_permit(workflow)


# -- run in other processes ----------------------------------------------------------------------


def run_together(target: Callable[..., Any], args: list[tuple[Any, ...]]) -> list[Any]:
    """Run ``target(*a, barrier)`` in one spawned process per ``a``; their results, in order.

    The barrier lets every process finish its set-up before any starts the contested part.
    """
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(args))
    results = context.Queue()
    processes = [
        context.Process(target=_report, args=(target, i, (*a, barrier), results))
        for i, a in enumerate(args)
    ]
    for process in processes:
        process.start()
    found = dict(results.get(timeout=300) for _ in processes)
    for process in processes:
        process.join(timeout=60)
    assert all(p.exitcode == 0 for p in processes), [p.exitcode for p in processes]
    return [found[i] for i in range(len(args))]


def _report(target: Callable[..., Any], index: int, args: tuple[Any, ...], results: Any) -> None:
    results.put((index, target(*args)))


def book_last_place(
    url: str, start: str, worker: int, barrier: multiprocessing.synchronize.Barrier
) -> str | None:
    """Wait for every worker, then try to book ``start``; the number, or None when full."""
    window = make_window(url)
    book = window.appointments
    barrier.wait()
    try:
        card = book.book(
            start, applicant=f"申请人{worker}", topic="咨询", at=at("2026-03-02 08:00")
        )
    except ConflictError:
        return None
    finally:
        window.engine.store.close()
    return card.number


def issue_certificates(
    url: str, worker: int, count: int, barrier: multiprocessing.synchronize.Barrier
) -> list[str]:
    """Approve ``count`` one-step cases, wait for every worker, then issue a certificate each."""
    window = make_window(url, permit=one_step_permit())
    engine = window.engine
    t = at("2026-03-02 09:00")
    numbers = []
    for i in range(count):
        case_id = f"w{worker}-{i}"
        commands = [
            Submit(case_id, "TEST", f"申请人{worker}-{i}", "某项目", ("application", "site_plan")),
            Accept(case_id),
            Complete(case_id, "window", "APPROVE"),
            Decide(case_id, Outcome.APPROVED),
        ]
        engine.execute_all(commands, ONE_STEP_CLERK, t)
        numbers.append(engine.load(case_id).case_number)
    barrier.wait()
    issued = [window.issue_certificate(n, CERT, t.add(hours=1)).number for n in numbers]
    engine.store.close()
    return issued


__all__ = [
    "CONTACT",
    "FAST",
    "ONE_STEP_CLERK",
    "at",
    "book_last_place",
    "complete_application",
    "issue_certificates",
    "make_window",
    "one_step_permit",
    "review_to_approval",
    "run_together",
]
