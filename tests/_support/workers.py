"""Functions run in other processes by the concurrency and crash tests (importable by spawn)."""

from __future__ import annotations

import sys

import pendulum

from _support.engine import CHECKLIST, ORG, make_engine
from planning_core import ConflictError, InvalidStateError
from planning_core.cases import Accept, Complete, Submit


def complete_window_steps(url: str, case_ids: list[str]) -> int:
    """Try to complete the window step of every case; return how many this process won."""
    engine = make_engine(url)
    clerk = ORG.actor("zhang.min")
    won = 0
    for case_id in case_ids:
        try:
            engine.execute(
                Complete(case_id, "window", "FORWARD"),
                clerk,
                pendulum.datetime(2026, 3, 3, 9, tz="Asia/Shanghai"),
            )
            won += 1
        except (ConflictError, InvalidStateError):
            pass
    engine.store.close()
    return won


def complete_branch(url: str, case_ids: list[str], step: str, actor_id: str) -> int:
    """Complete ``step`` on every case, retrying after a conflict: no update may be lost."""
    engine = make_engine(url)
    actor = ORG.actor(actor_id)
    done = 0
    for case_id in case_ids:
        for _attempt in range(50):
            try:
                engine.execute(
                    Complete(case_id, step, "APPROVE"),
                    actor,
                    pendulum.datetime(2026, 3, 4, 9, tz="Asia/Shanghai"),
                )
                done += 1
                break
            except ConflictError:
                continue
    engine.store.close()
    return done


def busy_bureau(url: str, worker: int) -> None:
    """Submit, accept and advance cases forever (until killed), printing progress."""
    engine = make_engine(url)
    clerk, reviewer = ORG.actor("zhang.min"), ORG.actor("wang.jianguo")
    t = pendulum.datetime(2026, 3, 2, 9, tz="Asia/Shanghai")
    n = 0
    while True:
        n += 1
        case_id = f"w{worker}-{n}"
        t = t.add(seconds=30)
        try:
            engine.execute(Submit(case_id, "TEST", "申请人", "项目", ("application",)), clerk, t)
            engine.execute(Accept(case_id), clerk, t.add(seconds=1))
            engine.execute(Complete(case_id, "window", "FORWARD"), clerk, t.add(seconds=2))
            engine.execute(
                Complete(case_id, "review", "APPROVE", "", CHECKLIST), reviewer, t.add(seconds=3)
            )
            engine.sweep(t.add(days=n % 40))
        except ConflictError:
            continue
        print(n, flush=True, file=sys.stdout)
