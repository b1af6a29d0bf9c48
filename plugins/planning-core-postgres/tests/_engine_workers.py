"""An application server for the multi-process engine test, run in a spawned process.

Imported by name in the child (``spawn`` re-imports the target's module), so it lives in a
module of its own rather than in the test file. Each server opens its own engine with its
own connection pool on the shared schema and plays every post: it takes each case one step
further, retrying after a conflict, and runs the sweep at the same time as the others.
"""

from __future__ import annotations

import random
import traceback
from collections.abc import Sequence
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from typing import Any

import pendulum
import planning_core_postgres

from planning_core import ConflictError, InvalidStateError
from planning_core.cases import CaseState, Complete, RecordMeetingDecision
from planning_core.plugins import make_hooks
from planning_core.testing import SAMPLE_CHECKLIST, Bureau, make_bureau, sample_permit_type

__all__ = ["RECEIVED", "ROUNDS", "Round", "open_bureau", "serve"]

#: When the cases were received and accepted (a Monday morning).
RECEIVED = pendulum.datetime(2026, 3, 2, 9, tz="Asia/Shanghai")

#: The steps each round may do: ``(instant, steps, sweeps per server)``. The first round
#: does the window, the review and both countersign branches an hour after acceptance; the
#: second, 13 working days later, the division meeting, when the meeting is overdue and the
#: committed limit (15 working days) is within 3 working days: lights to record.
Round = tuple[pendulum.DateTime, frozenset[str], int]
ROUNDS: tuple[Round, ...] = (
    (RECEIVED.add(hours=1), frozenset({"window", "review", "land", "legal"}), 3),
    (pendulum.datetime(2026, 3, 19, 10, tz="Asia/Shanghai"), frozenset({"meeting"}), 3),
)

#: How often one server tries a case (after conflicts and lost races) before failing.
ATTEMPTS = 100


def open_bureau(url: str) -> Bureau:
    """A bureau on ``url`` with the sample permit type and the PostgreSQL plugin."""
    hooks = make_hooks(entry_points=False)
    hooks.register(planning_core_postgres)
    return make_bureau(url, hooks=hooks, permit_types=[sample_permit_type()])


def serve(
    url: str, server: int, case_ids: Sequence[str], barrier: Barrier, results: Queue[Any]
) -> None:
    """Run every round on every case (in the order :func:`_order` gives), and report.

    Puts one dict on ``results``: the events each successful command recorded
    (``(case_id, seq, hash)``), the light changes each sweep reported
    (``(case_id, clock, old, new)``), the count of conflicts and lost races, or the error.
    """
    report: dict[str, Any] = {"server": server, "events": [], "lights": [], "error": None}
    report |= {"conflicts": 0, "lost": 0}
    try:
        bureau = open_bureau(url)
        order = _order(case_ids, server)
        for instant, steps, sweeps in ROUNDS:
            barrier.wait(120)  # a round starts when every server has finished the last one
            _run_round(bureau, order, instant, steps, sweeps, report)
        bureau.close()
    except BaseException:
        report["error"] = traceback.format_exc()
        barrier.abort()  # the others stop waiting for this server
    results.put(report)


def _order(case_ids: Sequence[str], server: int) -> list[str]:
    """The order a server visits the cases in: servers 0 and 1 share one, 2 and 3 another
    (the same, started half-way), so pairs of servers reach each case at the same moment."""
    order = list(case_ids)
    random.Random(8).shuffle(order)
    half = len(order) // 2 if server % 4 >= 2 else 0
    return order[half:] + order[:half]


def _run_round(
    bureau: Bureau,
    order: list[str],
    instant: pendulum.DateTime,
    steps: frozenset[str],
    sweeps: int,
    report: dict[str, Any],
) -> None:
    """One step on each case, with ``sweeps`` sweeps spread over the round (one at its end)."""
    every = max(len(order) // sweeps, 1)
    for n, case_id in enumerate(order, start=1):
        _advance(bureau, case_id, instant, steps, report)
        if n % every == 0 or n == len(order):
            for warning in bureau.engine.sweep(instant):
                report["lights"].append((warning.case_id, warning.clock, warning.old, warning.new))


def _advance(
    bureau: Bureau,
    case_id: str,
    instant: pendulum.DateTime,
    steps: frozenset[str],
    report: dict[str, Any],
) -> None:
    """Do one of the round's steps on the case, unless the other servers have done them all."""
    rng = random.Random(f"{case_id}/{report['server']}")
    for _attempt in range(ATTEMPTS):
        state = bureau.engine.load(case_id)
        command = _next_command(state, instant, steps, rng)
        if command is None:
            return
        token = state.token_at(command.step_id)
        assert token is not None and token.post is not None
        try:
            recorded = bureau.engine.execute(command, bureau.actor(token.post), instant)
        except ConflictError:
            report["conflicts"] += 1  # another server appended first: reload and retry
            continue
        except InvalidStateError:
            report["lost"] += 1  # another server did this step just before: pick again
            continue
        report["events"] += [(r.case_id, r.seq, r.hash) for r in recorded]
        return
    raise AssertionError(f"case {case_id!r}: still conflicting after {ATTEMPTS} attempts")


def _next_command(
    state: CaseState, instant: pendulum.DateTime, steps: frozenset[str], rng: random.Random
) -> Complete | RecordMeetingDecision | None:
    """One of the case's open steps that the round does (a countersign branch at random)."""
    waiting = [t.step_id for t in state.tokens if t.step_id in steps]
    if not waiting:
        return None
    step = rng.choice(sorted(waiting))
    if step == "meeting":
        return RecordMeetingDecision(
            state.case_id, step, instant.date(), ("李华", "王建国", "赵磊"), "同意上报"
        )
    checklist = SAMPLE_CHECKLIST if step == "review" else ()
    action = "FORWARD" if step == "window" else "APPROVE"
    return Complete(state.case_id, step, action, "同意", checklist)
