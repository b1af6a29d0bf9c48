"""The applicant's rating (好差评): once per case after the result, a bad one followed up."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from _support.cli import install_plugins
from click.testing import CliRunner

from planning_core import hookimpl
from planning_core.cases import Deliver, IssueCertificate, ReceiveSupplement, RefuseAcceptance
from planning_core.cli import cli
from planning_core.errors import (
    ConfigurationError,
    InvalidStateError,
    PermissionDeniedError,
    ValidationError,
)
from planning_core.plugins import make_hooks
from planning_core.testing import Bureau, CaseFactory, ManualClock
from planning_core.timing import Light
from planning_core.window import (
    Application,
    FollowUpStage,
    QueryRefusedError,
    Rating,
    RatingBook,
    Receipt,
)


def _received(bureau: Bureau, clock: ManualClock, missing: bool = False) -> Receipt:
    permit = bureau.engine.permit_type("TEST")
    materials = tuple(m.code for m in permit.required_materials)
    application = Application(
        "TEST",
        "唐山市某置业有限公司",
        "某小区住宅楼",
        materials[:1] if missing else materials,
        "13800000000",
    )
    return bureau.window.intake(application, bureau.actor("WINDOW_CLERK"), clock.now)


def _delivered(bureau: Bureau, cases: CaseFactory, clock: ManualClock) -> Receipt:
    receipt = _received(bureau, clock)
    case_id = bureau.engine.find(receipt.case_number).case_id
    cases.walk(case_id)
    from planning_core.cases import Decide, Outcome

    clock.advance(hours=1)
    cases.execute(Decide(case_id, Outcome.APPROVED))
    cases.execute(IssueCertificate(case_id))
    cases.execute(Deliver(case_id, "申请人"))
    return receipt


@pytest.fixture
def book(pc_bureau: Bureau) -> RatingBook:
    return RatingBook(pc_bureau.window)


def test_a_delivered_case_is_rated_once_with_its_number_and_password(
    pc_bureau: Bureau, pc_cases: CaseFactory, pc_clock: ManualClock, book: RatingBook
) -> None:
    receipt = _delivered(pc_bureau, pc_cases, pc_clock)
    with pytest.raises(QueryRefusedError):
        book.rate(receipt.case_number, "wrong-password", 5, at=pc_clock.now, client="a")
    rating = book.rate(
        receipt.case_number, receipt.password, 5, ("fast", "one_visit"), "很快", at=pc_clock.now
    )
    assert rating.follow_up is None and not rating.bad and rating.score_zh == "非常满意"
    assert book.get(receipt.case_number) == rating
    with pytest.raises(InvalidStateError, match="一事一评"):
        book.rate(receipt.case_number, receipt.password, 1, ("overdue",), at=pc_clock.now)


def test_an_open_case_cannot_be_rated_and_a_refused_one_can(
    pc_bureau: Bureau, pc_cases: CaseFactory, pc_clock: ManualClock, book: RatingBook
) -> None:
    receipt = _received(pc_bureau, pc_clock)
    with pytest.raises(InvalidStateError, match="handed over"):
        book.rate(receipt.case_number, receipt.password, 4, at=pc_clock.now)
    refused = _received(pc_bureau, pc_clock, missing=True)
    case_id = pc_bureau.engine.find(refused.case_number).case_id
    missing = pc_bureau.engine.load(case_id).missing
    pc_cases.execute(ReceiveSupplement(case_id, missing))
    pc_cases.execute(RefuseAcceptance(case_id, "不属于本机关职权范围"))
    assert book.rate(refused.case_number, refused.password, 3, at=pc_clock.now).score == 3


def test_scores_and_reasons_are_checked(
    pc_bureau: Bureau, pc_cases: CaseFactory, pc_clock: ManualClock, book: RatingBook
) -> None:
    receipt = _delivered(pc_bureau, pc_cases, pc_clock)
    number, password = receipt.case_number, receipt.password
    with pytest.raises(ValidationError, match="1 to 5"):
        book.rate(number, password, 6, at=pc_clock.now)
    with pytest.raises(ValidationError, match="'slow'"):
        book.rate(number, password, 4, ("slow",), at=pc_clock.now)
    with pytest.raises(ValidationError, match="gives its reasons"):
        book.rate(number, password, 1, at=pc_clock.now)


def test_a_bad_rating_opens_a_follow_up_that_turns_red_when_late(
    pc_bureau: Bureau, pc_cases: CaseFactory, pc_clock: ManualClock, book: RatingBook
) -> None:
    receipt = _delivered(pc_bureau, pc_cases, pc_clock)
    rating = book.rate(
        receipt.case_number, receipt.password, 1, ("repeated_trips",), "跑了三次", at=pc_clock.now
    )
    assert rating.bad and rating.follow_up is not None
    assert rating.follow_up.post == "SUPERVISION_INSPECTOR"
    assert book.light(rating, pc_clock.now) is Light.GREEN
    inspector = pc_bureau.actor("SUPERVISION_INSPECTOR")
    with pytest.raises(InvalidStateError, match="verify next"):
        book.follow_up(receipt.case_number, "rectify", "已整改", inspector, pc_clock.now)
    with pytest.raises(PermissionDeniedError):
        book.follow_up(
            receipt.case_number, "verify", "核实", pc_bureau.actor("WINDOW_CLERK"), pc_clock.now
        )
    pc_clock.advance(working_days=2)
    rating = book.follow_up(
        receipt.case_number,
        FollowUpStage.VERIFY,
        "情况属实：材料清单未一次告知",
        inspector,
        pc_clock.now,
    )
    pc_clock.advance(working_days=15)
    assert book.light(rating, pc_clock.now) is Light.RED
    ((late, light),) = book.open_follow_ups(pc_clock.now)
    assert late.case_number == receipt.case_number and light is Light.RED
    assert book.statistics(at=pc_clock.now).late == 1
    book.follow_up(receipt.case_number, "rectify", "修订办事指南", inspector, pc_clock.now)
    closed = book.follow_up(
        receipt.case_number, "call_back", "已回访，申请人表示认可", inspector, pc_clock.now
    )
    assert closed.follow_up is not None and closed.follow_up.result == "已回访，申请人表示认可"
    assert book.light(closed, pc_clock.now) is None and not book.open_follow_ups(pc_clock.now)
    stats = book.statistics(at=pc_clock.now)
    assert (stats.bad, stats.followed_up, stats.on_time, stats.late) == (1, 1, 0, 0)


def test_satisfaction_counts_ratings_of_three_or_more(
    pc_bureau: Bureau, pc_cases: CaseFactory, pc_clock: ManualClock, book: RatingBook
) -> None:
    for score in (5, 4, 3, 2):
        receipt = _delivered(pc_bureau, pc_cases, pc_clock)
        book.rate(receipt.case_number, receipt.password, score, ("other",), at=pc_clock.now)
    stats = book.statistics(at=pc_clock.now)
    assert stats.count == 4 and stats.satisfaction == 0.75 and stats.average == 3.5
    assert dict(stats.by_score) == {1: 0, 2: 1, 3: 1, 4: 1, 5: 1}
    today = pc_bureau.calendar.local_date(pc_clock.now)
    assert book.statistics(today.add(days=1), at=pc_clock.now).count == 0


def test_each_rating_is_forwarded_through_the_outbox_at_least_once(
    pc_bureau: Bureau, pc_cases: CaseFactory, pc_clock: ManualClock
) -> None:
    got: list[Rating] = []
    fail = [True]

    def forward(rating: Rating) -> None:
        if fail.pop() if fail else False:
            raise ConnectionError("省平台不可达")
        got.append(rating)

    book = RatingBook(pc_bureau.window, forward=forward)
    receipt = _delivered(pc_bureau, pc_cases, pc_clock)
    rating = book.rate(receipt.case_number, receipt.password, 4, at=pc_clock.now)
    first = book.deliver(pc_clock.now)
    assert not first.delivered and len(first.failed) == 1 and not got
    second = book.deliver(pc_clock.now.add(hours=1))
    assert len(second.delivered) == 1 and got == [rating]
    assert not book.deliver(pc_clock.now.add(hours=2)).delivered


class _Province:
    """A provincial platform that takes ratings (``planning_core_forward_rating``)."""

    def __init__(self) -> None:
        self.got: list[Rating] = []

    @hookimpl
    def planning_core_forward_rating(self, rating: Rating) -> None:
        self.got.append(rating)


def test_the_sweep_forwards_ratings_with_the_engines_own_messages(
    pc_make_bureau: Callable[..., Bureau], pc_clock: ManualClock
) -> None:
    # wired once by open_bureau: no host has to remember RatingBook.deliver
    province = _Province()
    hooks = make_hooks(entry_points=False)
    hooks.register(province, name="province")
    bureau = pc_make_bureau(hooks=hooks)
    receipt = _delivered(bureau, CaseFactory(bureau, pc_clock), pc_clock)
    rating = bureau.ratings.rate(
        receipt.case_number, receipt.password, 2, ("overdue",), at=pc_clock.now
    )
    assert province.got == []  # it leaves through the outbox, not from the rating's call
    bureau.engine.sweep(pc_clock.now)
    assert province.got == [rating]
    bureau.engine.sweep(pc_clock.now.add(hours=1))
    assert not bureau.ratings.deliver(pc_clock.now.add(hours=2)).delivered
    assert province.got == [rating]  # once


def test_a_room_cannot_take_a_channel_the_engine_delivers(pc_bureau: Bureau) -> None:
    for channel in ("staff", "applicant", "consultation"):
        with pytest.raises(ConfigurationError, match=channel):
            pc_bureau.engine.add_channel(channel, print, dict)
    pc_bureau.engine.add_channel("city-archive", print, dict)
    with pytest.raises(ConfigurationError, match="city-archive"):
        pc_bureau.engine.add_channel("city-archive", print, dict)


def test_outbox_deliver_at_the_command_line_forwards_ratings(
    pc_make_bureau: Callable[..., Bureau], pc_clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer = make_hooks(entry_points=False)
    writer.register(_Province(), name="province")
    bureau = pc_make_bureau("sqlite", hooks=writer)
    receipt = _delivered(bureau, CaseFactory(bureau, pc_clock), pc_clock)
    rating = bureau.ratings.rate(receipt.case_number, receipt.password, 5, at=pc_clock.now)
    province = _Province()  # the command line's own bureau, with the installed plugin
    install_plugins(monkeypatch, province=province)
    at = pc_clock.now.isoformat()
    result = CliRunner().invoke(
        cli, ["outbox", "deliver", "--store", bureau.store.url, "--at", at, "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert province.got == [rating]
    assert json.loads(result.stdout)["delivered"] == [f"{rating.case_id}/rating/rating"]
