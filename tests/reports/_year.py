"""A recorded year, generated through the engine by a seeded random walk on the sample bureau.

Each case is walked from the window to delivery (or a refusal, a withdrawal, a denial) with
random delays of 0 to a few working days past each step's limit, so some steps and cases go
late; a few cases get a supplement notice, a suspension (art. 45), an extension (art. 42) or a
RETURN from the division meeting. Cases received late in the year run on into the next one,
so a report on the year has to cut their histories at its end.
"""

from __future__ import annotations

import contextlib
import random

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
from planning_core.errors import InvalidStateError
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


class _Case:
    """One case's walk: the engine, the random source and the case's own clock."""

    def __init__(self, engine: Engine, rng: random.Random, case_id: str, t: pendulum.DateTime):
        self.engine, self.rng, self.case_id, self.t = engine, rng, case_id, t

    def do(self, command: object, actor: Actor) -> None:
        self.engine.execute(command, actor, self.t)  # type: ignore[arg-type]

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

    def run(self) -> None:
        rng, cid = self.rng, self.case_id
        self.do(
            Submit(cid, "TEST", f"申请人{cid}", f"项目{cid}", ("application", "site_plan")), WINDOW
        )
        roll = rng.random()
        if roll < 0.03:
            self.later(1)
            self.do(RefuseAcceptance(cid, "不属于本机关职权范围"), WINDOW)
            return
        if roll < 0.08:
            self.later(2)
            self.do(RequestSupplement(cid, ("site_plan",), "总平面图不清晰"), WINDOW)
            self.later(4)
            self.do(ReceiveSupplement(cid, ("site_plan",)), WINDOW)
        self.later(1)
        self.do(Accept(cid), WINDOW)
        if not self.review():
            return
        self.decide()

    def review(self) -> bool:
        """Walk the workflow; False when the applicant withdrew."""
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
                self.do(Withdraw(cid, "申请人撤回"), WINDOW)
                return False
            if token.step_id == suspend_at:
                suspend_at = None
                self.later(1)
                self.do(
                    Suspend(cid, rng.choice(PAUSE_REASONS), expected_working_days=10), DIVISION_HEAD
                )
                self.later(8)
                self.do(Resume(cid), DIVISION_HEAD)
            if token.step_id == extend_at:
                extend_at = None
                self.later(1)
                # too late is refused: art. 42 allows an extension only within the period
                with contextlib.suppress(InvalidStateError):
                    self.do(Extend(cid, rng.randint(1, 10), "情况复杂，需延期"), HEAD)
            self.later(step.days + 3 if rng.random() < 0.25 else step.days)
            self.do(self.completion(token.step_id, returned), STEP_ACTORS[token.step_id])
            returned = returned or token.step_id == "meeting"
        return True

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

    def decide(self) -> None:
        cid = self.case_id
        state = self.engine.load(cid)
        self.later(2)
        if (state.recommendation or "").upper() == "APPROVE":
            self.do(Decide(cid, Outcome.APPROVED), DEPUTY)
            self.later(12 if self.rng.random() < 0.1 else 5)
            self.do(IssueCertificate(cid), CERT)
        else:
            self.do(Decide(cid, Outcome.DENIED, "不符合控制性详细规划"), DEPUTY)
        self.later(5)
        self.do(Deliver(cid, "申请人"), WINDOW)


def generate_year(engine: Engine, cases: int, year: int = 2025, seed: int = 20250101) -> None:
    """Record ``cases`` cases received on the working days of ``year``."""
    rng = random.Random(seed)
    calendar = engine.calendar
    first = pendulum.date(year, 1, 1)
    days = [
        d
        for d in (first.add(days=i) for i in range(366))
        if d.year == year and calendar.is_working_day(d)
    ]
    arrivals = sorted(
        pendulum.datetime(d.year, d.month, d.day, rng.randint(8, 16), rng.randint(0, 59), tz=ZONE)
        for d in (rng.choice(days) for _ in range(cases))
    )
    for index, at in enumerate(arrivals):
        _Case(engine, rng, f"y{year}-{index:05d}", at).run()
