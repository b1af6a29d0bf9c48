"""A small bureau for the engine's tests: its own permit type with a countersign.

Imported by test modules as ``from _support.engine import …`` (tests/ is on pytest's path).
"""

from __future__ import annotations

from collections.abc import Callable

import pendulum

from planning_core import testing as _samples
from planning_core.bureau import open_bureau
from planning_core.cases import (
    Accept,
    Claim,
    Complete,
    Decide,
    Engine,
    EngineSettings,
    Outcome,
    RecordMeetingDecision,
    Submit,
)
from planning_core.permits import PermitType
from planning_core.plugins import Hooks, make_hooks
from planning_core.registry import Registry
from planning_core.storage import UnitOfWork
from planning_core.timing import WorkCalendar
from planning_core.workflow import (
    Actor,
    reference_organisation,
)

TZ = "Asia/Shanghai"


def at(text: str) -> pendulum.DateTime:
    """An instant in the bureau's zone: ``at("2026-03-02 09:00")``."""
    return pendulum.parse(text, tz=TZ)  # type: ignore[return-value]


# The sample workflow and permit type are public, for hosts' tests too.
sample_workflow = _samples.sample_workflow
sample_permit = _samples.sample_permit_type


ORG = reference_organisation()
WINDOW = ORG.actor("zhang.min")
CERT = ORG.actor("liu.yang")
REVIEWER = ORG.actor("wang.jianguo")
DIVISION_HEAD = ORG.actor("li.hua")
LAND = ORG.actor("zhao.lei")
LEGAL = ORG.actor("wu.tao")
DEPUTY = ORG.actor("ma.zhi")
HEAD = ORG.actor("gao.ming")
CHECKLIST = (("fits_plan", True), ("conditions", True))


def make_engine(
    store_url: str = "memory://",
    hooks: Hooks | None = None,
    permit: PermitType | None = None,
    settings: EngineSettings | None = None,
    calendar: WorkCalendar | None = None,
) -> Engine:
    hooks = hooks or make_hooks(entry_points=False)
    permits: Registry[PermitType] = Registry("permit type")
    permits.add("TEST", permit or sample_permit())
    bureau = open_bureau(
        hooks=hooks,
        store=store_url,
        organisation=ORG,
        permit_types=permits,
        settings=settings,
        calendar=calendar,
    )
    return bureau.engine


def submit(engine: Engine, case_id: str = "c1", when: str = "2026-03-02 09:00") -> None:
    engine.execute(
        Submit(
            case_id, "TEST", "唐山市某置业有限公司", "某小区住宅楼", ("application", "site_plan")
        ),
        WINDOW,
        at(when),
    )


def run_to_decision(
    engine: Engine, case_id: str = "c1", start: str = "2026-03-02 09:00"
) -> pendulum.DateTime:
    """Submit and accept on ``start``, then walk every step on following days."""
    submit(engine, case_id, start)
    t = at(start).add(hours=1)
    engine.execute(Accept(case_id), WINDOW, t)
    step: list[tuple[Actor, Callable[[], object]]] = [
        (WINDOW, lambda: Complete(case_id, "window", "FORWARD")),
        (REVIEWER, lambda: Complete(case_id, "review", "APPROVE", "同意", CHECKLIST)),
        (LAND, lambda: Complete(case_id, "land", "APPROVE")),
        (LEGAL, lambda: Complete(case_id, "legal", "APPROVE")),
        (
            DIVISION_HEAD,
            lambda: RecordMeetingDecision(
                case_id, "meeting", t.date(), ("李华", "王建国", "赵磊"), "同意上报", "APPROVE"
            ),
        ),
        (DEPUTY, lambda: Complete(case_id, "leader", "APPROVE", "同意")),
    ]
    for actor, make in step:
        t = t.add(hours=1)
        engine.execute(make(), actor, t)  # type: ignore[arg-type]
    return t


__all__ = [
    "CERT",
    "CHECKLIST",
    "DEPUTY",
    "DIVISION_HEAD",
    "HEAD",
    "LAND",
    "LEGAL",
    "REVIEWER",
    "WINDOW",
    "Claim",
    "Decide",
    "Outcome",
    "at",
    "make_engine",
    "run_to_decision",
    "sample_permit",
    "sample_workflow",
    "submit",
]


def count_transactions(engine: Engine) -> list[int]:
    """A one-item counter that the engine's store bumps on every unit of work it opens (the
    store's ``unit_of_work`` wrapped on this engine only)."""
    counter = [0]
    original = engine.store.unit_of_work

    def unit_of_work() -> UnitOfWork:
        counter[0] += 1
        return original()

    engine.store.unit_of_work = unit_of_work  # type: ignore[method-assign]
    return counter
