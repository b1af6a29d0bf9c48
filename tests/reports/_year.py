"""A recorded year, generated through the engine by a seeded random walk on the sample bureau.

One generator serves the report tests and ``benchmarks/bench_lights.py``: each case's walk
is a generator of acts (:class:`CaseWalk`), with a random source of its own, so the tests
run the cases one after another (:func:`generate_year`) and the benchmark interleaves them
in time order with its sweeps, on the same walks.

Each case is walked from the window to delivery (or a refusal, a withdrawal, a denial) with
random delays of 0 to a few working days past each step's limit, so some steps and cases go
late; a few cases get a supplement notice, a suspension (art. 45), an extension (art. 42) or a
RETURN from the division meeting. Cases received late in the year run on into the next one,
so a report on the year has to cut their histories at its end.
"""

from __future__ import annotations

import random
from collections.abc import Generator, Iterator

import attrs
import pendulum
from _support.engine import (
    CERT,
    CHECKLIST,
    DEPUTY,
    DIVISION_HEAD,
    HEAD,
    LAND,
    LEGAL,
    REVIEWER,
    WINDOW,
)

from planning_core.cases import (
    Accept,
    Command,
    Complete,
    Decide,
    Deliver,
    Engine,
    Extend,
    IssueCertificate,
    Outcome,
    ReceiveSupplement,
    RecordMeetingDecision,
    RefuseAcceptance,
    RequestSupplement,
    Resume,
    Submit,
    Suspend,
    Withdraw,
)
from planning_core.workflow import Actor

ZONE = "Asia/Shanghai"
STEP_ACTORS: dict[str, Actor] = {
    "window": WINDOW,
    "review": REVIEWER,
    "land": LAND,
    "legal": LEGAL,
    "meeting": DIVISION_HEAD,
    "leader": DEPUTY,
}
PAUSE_REASONS = ("expert_review", "hearing", "public_notice")


@attrs.frozen
class Act:
    """One command a case's walk wants carried out, by whom and when."""

    at: pendulum.DateTime
    command: Command
    actor: Actor


class CaseWalk:
    """One case's life, as a generator of acts (the tests' year walk, one act at a time).

    Each case has its own random source, so the walk does not depend on how the cases
    interleave; a walk reads the engine's state only after its previous act was carried out.
    """

    def __init__(self, engine: Engine, seed: str, case_id: str, t: pendulum.DateTime) -> None:
        self.engine, self.rng, self.case_id, self.t = engine, random.Random(seed), case_id, t

    def act(self, command: object, actor: Actor) -> Act:
        return Act(self.t, command, actor)  # type: ignore[arg-type]

    def later(self, most: int) -> None:
        """Move on 0 to ``most`` working days (a few minutes when 0)."""
        days = self.rng.randint(0, most)
        if days == 0:
            self.t = self.t.add(minutes=self.rng.randint(5, 90))
            return
        calendar = self.engine.calendar
        day = calendar.add_working_days(calendar.local_date(self.t), days)
        hour, minute = self.rng.randint(8, 16), self.rng.randint(0, 59)
        self.t = pendulum.datetime(day.year, day.month, day.day, hour, minute, tz=ZONE)

    def run(self) -> Iterator[Act]:
        rng, cid = self.rng, self.case_id
        materials = ("application", "site_plan")
        yield self.act(Submit(cid, "TEST", f"申请人{cid}", f"项目{cid}", materials), WINDOW)
        roll = rng.random()
        if roll < 0.03:
            self.later(1)
            yield self.act(RefuseAcceptance(cid, "不属于本机关职权范围"), WINDOW)
            return
        if roll < 0.08:
            self.later(2)
            yield self.act(RequestSupplement(cid, ("site_plan",), "总平面图不清晰"), WINDOW)
            self.later(4)
            yield self.act(ReceiveSupplement(cid, ("site_plan",)), WINDOW)
        self.later(1)
        yield self.act(Accept(cid), WINDOW)
        withdrawn = yield from self.review()
        if not withdrawn:
            yield from self.decide()

    def review(self) -> Generator[Act, None, bool]:
        """Walk the workflow; returns True when the applicant withdrew."""
        rng, cid = self.rng, self.case_id
        suspend_at = rng.choice(list(STEP_ACTORS)) if rng.random() < 0.06 else None
        extend_at = rng.choice(list(STEP_ACTORS)) if rng.random() < 0.05 else None
        withdraw_at = rng.choice(list(STEP_ACTORS)) if rng.random() < 0.02 else None
        returned = False
        while (state := self.engine.load(cid)).status.value == "in_review":
            token = next(t for t in state.tokens if t.post is not None)
            step = self.engine.workflow_of(state).step(token.step_id)
            if token.step_id == withdraw_at:
                self.later(2)
                yield self.act(Withdraw(cid, "申请人撤回"), WINDOW)
                return True
            if token.step_id == suspend_at:
                suspend_at = None
                self.later(1)
                yield self.act(
                    Suspend(cid, rng.choice(PAUSE_REASONS), expected_working_days=10), DIVISION_HEAD
                )
                self.later(8)
                yield self.act(Resume(cid), DIVISION_HEAD)
            if token.step_id == extend_at:
                extend_at = None
                self.later(1)
                if self.within_the_period():
                    yield self.act(Extend(cid, rng.randint(1, 10), "情况复杂，需延期"), HEAD)
            self.later(step.days + 3 if rng.random() < 0.25 else step.days)
            yield self.act(self.completion(token.step_id, returned), STEP_ACTORS[token.step_id])
            returned = returned or token.step_id == "meeting"
        return False

    def within_the_period(self) -> bool:
        """An extension is approved before the decision limits run out (行政许可法 art. 42),
        so the head grants none once a decision clock is overdue."""
        clocks = self.engine.load(self.case_id).clocks
        calendar = self.engine.calendar
        running = [c for c in (clocks.committed, clocks.statutory) if c is not None]
        return not any(c.is_overdue(self.t, calendar) for c in running)

    def completion(self, step_id: str, returned: bool) -> object:
        rng, cid = self.rng, self.case_id
        if step_id == "meeting":
            action = "RETURN" if not returned and rng.random() < 0.05 else "APPROVE"
            attendees = ("李华", "王建国", "赵磊")
            return RecordMeetingDecision(cid, "meeting", self.t.date(), attendees, "研究", action)
        if step_id == "leader":
            return Complete(cid, "leader", "REJECT" if rng.random() < 0.1 else "APPROVE", "意见")
        if step_id == "window":
            return Complete(cid, "window", "FORWARD")
        checklist = CHECKLIST if step_id == "review" else ()
        return Complete(cid, step_id, "APPROVE", "同意", checklist)

    def decide(self) -> Iterator[Act]:
        cid = self.case_id
        state = self.engine.load(cid)
        self.later(2)
        if (state.recommendation or "").upper() == "APPROVE":
            yield self.act(Decide(cid, Outcome.APPROVED), DEPUTY)
            self.later(12 if self.rng.random() < 0.1 else 5)
            yield self.act(IssueCertificate(cid), CERT)
        else:
            yield self.act(Decide(cid, Outcome.DENIED, "不符合控制性详细规划"), DEPUTY)
        self.later(5)
        yield self.act(Deliver(cid, "申请人"), WINDOW)


def arrivals(
    engine: Engine, cases: int, year: int = 2025, seed: int = 20250101
) -> list[pendulum.DateTime]:
    """``cases`` instants in office hours on the working days of the year, in order."""
    rng = random.Random(seed)
    calendar = engine.calendar
    first = pendulum.date(year, 1, 1)
    days = [
        d
        for d in (first.add(days=i) for i in range(366))
        if d.year == year and calendar.is_working_day(d)
    ]
    return sorted(
        pendulum.datetime(d.year, d.month, d.day, rng.randint(8, 16), rng.randint(0, 59), tz=ZONE)
        for d in (rng.choice(days) for _ in range(cases))
    )


def generate_year(engine: Engine, cases: int, year: int = 2025, seed: int = 20250101) -> None:
    """Record ``cases`` cases received on the working days of ``year``, one after another."""
    for index, at in enumerate(arrivals(engine, cases, year, seed)):
        walk = CaseWalk(engine, f"{seed}-{index}", f"y{year}-{index:05d}", at)
        for act in walk.run():
            engine.execute(act.command, act.actor, act.at)
