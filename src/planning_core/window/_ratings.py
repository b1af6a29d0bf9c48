"""The applicant's rating of the service (好差评): one rating per case, and the follow-up of
a bad one.

Every government service lets the applicant rate it (一次一评、一事一评, 国办发〔2019〕51号):
after the result is handed over (and after a refusal to accept), whoever holds the receipt's
number and query password rates the service from 1 (非常不满意) to 5 (非常满意), with reasons
from the national list (:data:`RATING_REASONS`). The check of the number and password is the
window's own (:meth:`Window.public_status`, throttled per client and per number), not a copy.

A bad rating (1 or 2, 差评) opens a follow-up owned by a post, with its own clock in working
days: verify (核实), rectify (整改), call back (回访), in that order; the call back's note is
the result made public. Its light is worked out from the clock at any instant, so the board
shows a late follow-up red without a sweep.

Ratings are records of the store (``window.ratings``, by case id), and each new rating
leaves a message in the outbox on the channel ``rating`` in the same transaction, which
:meth:`RatingBook.deliver` hands to a host's receiver (the provincial platform, through the
``planning_core_forward_rating`` hook), at least once.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from typing import Any

import attrs
import pendulum

from planning_core.cases import OUTBOX, CaseStatus, DeliveryReport, RetryPolicy
from planning_core.cases._outbox import deliver, message_record
from planning_core.errors import (
    InvalidStateError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from planning_core.serialization import load, parse_instant
from planning_core.timing import Clock, Light, TimeLimit
from planning_core.window._lockout import LOCAL_CLIENT
from planning_core.workflow import Actor

__all__ = [
    "BAD_SCORES",
    "RATINGS",
    "RATING_CHANNEL",
    "RATING_REASONS",
    "FollowUp",
    "FollowUpStage",
    "Rating",
    "RatingBook",
    "RatingSettings",
    "RatingStatistics",
    "forward_ratings",
    "rating_statistics",
]

#: The store collection of ratings, by case id.
RATINGS = "window.ratings"
#: The scores that make a bad rating (差评): 1 非常不满意 and 2 不满意.
BAD_SCORES = (1, 2)

#: The reasons an applicant may give, by code (政务服务评价的评价原因, after the national
#: guide GB/T 39735-2020): the first five praise, the rest find fault.
RATING_REASONS: dict[str, str] = {
    "guide_clear": "办事指南清晰准确",
    "fast": "办理快捷，按时办结",
    "one_visit": "一次办成，少跑腿",
    "attitude_good": "服务热情周到",
    "online_easy": "网上办理方便",
    "guide_unclear": "办事指南不准确、不清晰",
    "extra_materials": "要求提供规定以外的材料",
    "repeated_trips": "多次跑腿、反复提交",
    "overdue": "超时办理",
    "attitude_poor": "服务态度差",
    "system_trouble": "办事系统不好用",
    "unfair": "办理不公正、不廉洁",
    "other": "其他",
}

_SCORE_ZH = {1: "非常不满意", 2: "不满意", 3: "基本满意", 4: "满意", 5: "非常满意"}
#: the statuses after which a case may be rated: the result handed over, or not accepted
_RATEABLE = (CaseStatus.DELIVERED, CaseStatus.REFUSED)


class FollowUpStage(enum.Enum):
    """The follow-up of a bad rating, in order: 核实, 整改, 回访."""

    VERIFY = "verify"
    RECTIFY = "rectify"
    CALL_BACK = "call_back"

    @property
    def zh(self) -> str:
        """The stage as the bureau says it."""
        return {"verify": "核实", "rectify": "整改", "call_back": "回访"}[self.value]


@attrs.frozen
class RatingSettings:
    """How bad ratings are followed up.

    :param follow_up_post: the post that owns every follow-up (its holders verify, rectify
        and call back).
    :param follow_up_limit: the working days from the rating to the call back.
    """

    follow_up_post: str = "SUPERVISION_INSPECTOR"
    follow_up_limit: TimeLimit = attrs.field(factory=lambda: TimeLimit.working_days(15))


@attrs.frozen
class FollowUp:
    """The follow-up of one bad rating: who owns it, its clock, and each stage done."""

    post: str
    clock: Clock
    stages: tuple[tuple[str, pendulum.DateTime, str, str], ...] = ()

    @property
    def done(self) -> tuple[FollowUpStage, ...]:
        """The stages done, in order."""
        return tuple(FollowUpStage(stage) for stage, *_ in self.stages)

    @property
    def next_stage(self) -> FollowUpStage | None:
        """The stage to do next; None once the applicant was called back."""
        order = list(FollowUpStage)
        return order[len(self.stages)] if len(self.stages) < len(order) else None

    @property
    def closed_at(self) -> pendulum.DateTime | None:
        """When the applicant was called back (the follow-up's end)."""
        return self.stages[-1][1] if self.next_stage is None else None

    @property
    def result(self) -> str:
        """The call back's note: the result made public."""
        return self.stages[-1][3] if self.next_stage is None else ""


@attrs.frozen
class Rating:
    """One applicant's rating of one case's service."""

    case_id: str
    case_number: str
    permit_type: str
    score: int
    reasons: tuple[str, ...]
    comment: str
    rated_at: pendulum.DateTime
    channel: str = "web"
    follow_up: FollowUp | None = None

    @property
    def bad(self) -> bool:
        """True for a bad rating (差评: 1 or 2)."""
        return self.score in BAD_SCORES

    @property
    def score_zh(self) -> str:
        """非常不满意 … 非常满意."""
        return _SCORE_ZH[self.score]


@attrs.frozen
class RatingStatistics:
    """The ratings of a period, as the statistics and the annual summary report them.

    :param satisfaction: the share of ratings of 3 or more (满意率, 基本满意 and better), in
        ``[0, 1]``; None without ratings.
    :param followed_up: bad ratings whose applicant was called back; ``on_time`` of them
        within the limit; ``late``: follow-ups still open past their limit at ``at``.
    """

    count: int
    by_score: tuple[tuple[int, int], ...]
    average: float | None
    satisfaction: float | None
    bad: int
    followed_up: int
    on_time: int
    late: int


#: The outbox channel of the ratings handed to ``planning_core_forward_rating``; the
#: bureau wires it to the engine (:meth:`~planning_core.cases.Engine.add_channel`), so every
#: sweep and ``planning-core outbox deliver`` forward them.
RATING_CHANNEL = "rating"


class RatingBook:
    """The ratings of one bureau's window.

    :param window: the window whose number-and-password check (and throttle) rating uses;
        its engine's store, calendar and light policies are the book's.
    :param forward: receives each new rating (``planning_core_forward_rating``), through the
        outbox; None writes no message.
    """

    def __init__(
        self,
        window: Any,
        settings: RatingSettings | None = None,
        *,
        forward: Callable[[Rating], None] | None = None,
        retry_policy: RetryPolicy | None = None,
    ) -> None:
        self.window = window
        self.engine = window.engine
        self.settings = settings or RatingSettings()
        self.forward = forward
        self.retry_policy = retry_policy or RetryPolicy()

    # -- the applicant ------------------------------------------------------------------------

    def rate(
        self,
        case_number: str,
        password: str,
        score: int,
        reasons: Iterable[str] = (),
        comment: str = "",
        *,
        at: Any,
        client: str = LOCAL_CLIENT,
        channel: str = "web",
    ) -> Rating:
        """Rate the service of a case, once, with its receipt's number and password.

        :raises QueryRefusedError: for an unknown number or a wrong password (and
            ``QueryLockedError`` while the client must wait), exactly as the public query.
        :raises InvalidStateError: before the result is handed over (or acceptance refused),
            and for a case already rated (一事一评).
        :raises ValidationError: for a score outside 1–5, an unknown reason, a bad rating
            without a reason.
        """
        moment = parse_instant(at)
        reasons = tuple(dict.fromkeys(reasons))
        _check_score(score, reasons, comment)
        status = self.window.public_status(case_number, password, moment, client=client)
        row = self.engine.store.find_case(status.case_number)
        if row is None:  # the query just found it
            raise NotFoundError(f"no case numbered {case_number!r}")
        state = self.engine.load(row.case_id)
        if state.status not in _RATEABLE:
            raise InvalidStateError(
                f"case {state.case_number} is {state.status.label_zh}; the service is rated "
                f"once the result is handed over (or acceptance refused)"
            )
        follow_up = None
        if score in BAD_SCORES:
            limit = self.settings.follow_up_limit
            follow_up = FollowUp(
                self.settings.follow_up_post, Clock(moment, limit, self.engine.region)
            )
        rating = Rating(
            state.case_id,
            state.case_number,
            state.permit_type,
            score,
            reasons,
            comment,
            moment,
            channel,
            follow_up,
        )
        converter = self.engine.converter
        with self.engine.store.unit_of_work() as uow:
            if uow.get_record(RATINGS, state.case_id) is not None:
                raise InvalidStateError(
                    f"case {state.case_number} was rated already; each case is rated once "
                    f"(一事一评)"
                )
            uow.put_records(RATINGS, {state.case_id: converter.unstructure(rating)})
            if self.forward is not None:
                key = f"{state.case_id}/rating/rating"
                payload = converter.unstructure(rating)
                uow.put_records(
                    OUTBOX,
                    {key: message_record(key, RATING_CHANNEL, state.case_id, moment, payload)},
                )
            uow.commit()
        return rating

    # -- the follow-up --------------------------------------------------------------------------

    def follow_up(
        self, case_number: str, stage: FollowUpStage | str, note: str, actor: Actor, at: Any
    ) -> Rating:
        """Record the next stage of a bad rating's follow-up (核实, 整改, 回访, in order).

        :raises PermissionDeniedError: for an actor without the follow-up's post.
        :raises InvalidStateError: for a stage out of order, or a rating without follow-up.
        """
        moment = parse_instant(at)
        rating = self.get(case_number)
        if rating is None:
            raise NotFoundError(f"case {case_number!r} has no rating")
        follow = rating.follow_up
        if follow is None:
            raise InvalidStateError(
                f"the rating of case {rating.case_number} ({rating.score_zh}) is not bad; "
                f"only a bad rating is followed up"
            )
        if follow.post not in actor.posts:
            raise PermissionDeniedError(
                f"{actor.name} ({actor.id}) does not hold post {follow.post!r}, which owns "
                f"the follow-up of case {rating.case_number}"
            )
        wanted = FollowUpStage(stage)
        if follow.next_stage is not wanted:
            expected = follow.next_stage.value if follow.next_stage else "nothing (it is closed)"
            raise InvalidStateError(
                f"the follow-up of case {rating.case_number} does {expected} next, not "
                f"{wanted.value}"
            )
        if not note.strip():
            raise ValidationError(f"record what the {wanted.zh} found or did (note=)")
        if moment < follow.clock.started:
            raise ValidationError(f"{moment.isoformat()} is before the rating")
        done = (*follow.stages, (wanted.value, moment, actor.id, note))
        changed = attrs.evolve(rating, follow_up=attrs.evolve(follow, stages=done))
        with self.engine.store.unit_of_work() as uow:
            uow.put_records(RATINGS, {rating.case_id: self.engine.converter.unstructure(changed)})
            uow.commit()
        return changed

    # -- reading ---------------------------------------------------------------------------------

    def get(self, case_number: str) -> Rating | None:
        """The rating of the case numbered ``case_number`` (or with that case id)."""
        row = self.engine.store.find_case(case_number)
        case_id = row.case_id if row is not None else case_number
        record = self.engine.store.get_record(RATINGS, case_id)
        return None if record is None else self._read(record)

    def ratings(self) -> list[Rating]:
        """Every rating, oldest first."""
        found = [self._read(r) for _, r in self.engine.store.list_records(RATINGS)]
        return sorted(found, key=lambda r: (r.rated_at, r.case_id))

    def light(self, rating: Rating, at: Any) -> Light | None:
        """The light of a bad rating's follow-up at ``at`` (None for a good rating or a
        closed follow-up)."""
        follow = rating.follow_up
        if follow is None or follow.next_stage is None:
            return None
        policy = self.engine.policy(rating.permit_type)
        return follow.clock.light(parse_instant(at), self.engine.calendar, policy)

    def open_follow_ups(self, at: Any) -> list[tuple[Rating, Light]]:
        """Every follow-up still open, with its light at ``at``, the late first."""
        found = [
            (rating, light)
            for rating in self.ratings()
            if (light := self.light(rating, at)) is not None
        ]
        rank = {Light.RED: 0, Light.YELLOW: 1, Light.REMINDER: 2, Light.GREEN: 3}
        return sorted(found, key=lambda pair: (rank[pair[1]], pair[0].rated_at))

    def statistics(
        self, start: pendulum.Date | None = None, end: pendulum.Date | None = None, *, at: Any
    ) -> RatingStatistics:
        """The ratings given from ``start`` to ``end`` (local days, both included)."""
        calendar = self.engine.calendar
        chosen = [
            r
            for r in self.ratings()
            if (start is None or calendar.local_date(r.rated_at) >= start)
            and (end is None or calendar.local_date(r.rated_at) <= end)
        ]
        return rating_statistics(chosen, lambda r: self.light(r, at), calendar)

    def deliver(self, now: Any) -> DeliveryReport:
        """Hand each new rating waiting in the outbox to ``forward``, at least once (the
        ratings alone; every sweep delivers them with the engine's messages when
        :func:`forward_ratings` wired them, as ``open_bureau`` does)."""
        return deliver(
            self.engine.store,
            parse_instant(now),
            {RATING_CHANNEL: self.forward},
            lambda channel, payload: self._read(payload),
            self.retry_policy,
        )

    def _read(self, record: Any) -> Rating:
        return _rating(self.engine.converter, record)


def forward_ratings(engine: Any, forward: Callable[[Rating], None]) -> None:
    """Have ``engine`` hand each new rating in its outbox to ``forward`` with its own
    messages: after every sweep and at ``planning-core outbox deliver``
    (:meth:`~planning_core.cases.Engine.add_channel`). :func:`~planning_core.bureau.open_bureau`
    does it for ``planning_core_forward_rating``.

    :raises ConfigurationError: when the engine delivers ratings already.
    """
    converter = engine.converter
    engine.add_channel(RATING_CHANNEL, forward, lambda payload: _rating(converter, payload))


def _rating(converter: Any, record: Any) -> Rating:
    """A rating as stored, or as its outbox message carries it."""
    rating: Rating = load(converter, record, Rating)
    return rating


def rating_statistics(
    ratings: Iterable[Rating], light_of: Callable[[Rating], Light | None], calendar: Any
) -> RatingStatistics:
    """Satisfaction, bad ratings and their follow-ups over ``ratings``.

    :param light_of: the light of a rating's open follow-up (None when closed or none).
    """
    chosen = list(ratings)
    scores = [r.score for r in chosen]
    bad = [r for r in chosen if r.bad]
    closed = [r for r in bad if r.follow_up is not None and r.follow_up.closed_at is not None]
    on_time = 0
    for rating in closed:
        follow = rating.follow_up
        assert follow is not None and follow.closed_at is not None
        if not follow.clock.is_overdue(follow.closed_at, calendar):
            on_time += 1
    late = sum(1 for r in bad if light_of(r) is Light.RED)
    count = len(chosen)
    return RatingStatistics(
        count=count,
        by_score=tuple((score, scores.count(score)) for score in range(1, 6)),
        average=sum(scores) / count if count else None,
        satisfaction=sum(1 for s in scores if s >= 3) / count if count else None,
        bad=len(bad),
        followed_up=len(closed),
        on_time=on_time,
        late=late,
    )


def _check_score(score: object, reasons: tuple[str, ...], comment: object) -> None:
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise ValidationError(f"a rating is a whole number from 1 to 5, not {score!r}")
    unknown = [r for r in reasons if r not in RATING_REASONS]
    if unknown:
        raise ValidationError(
            f"unknown reason(s) {', '.join(map(repr, unknown))}; give codes from the "
            f"national list: {', '.join(RATING_REASONS)}"
        )
    if score in BAD_SCORES and not reasons:
        raise ValidationError(
            f"a bad rating ({_SCORE_ZH[score]}) gives its reasons, from: "
            f"{', '.join(RATING_REASONS)}"
        )
    if not isinstance(comment, str) or len(comment) > 2000:
        raise ValidationError("a rating's comment is text of at most 2000 characters")
