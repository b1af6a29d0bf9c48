"""``planning-core ratings``: the applicant's rating of the service (好差评) and follow-ups.

``rate`` is the applicant's door (the receipt's number and query password, throttled like
the status query); ``follow-up`` records the next stage of a bad rating's follow-up (核实,
整改, 回访) by the post that owns it; ``list`` and ``stats`` are the bureau's view.
"""

from __future__ import annotations

import click

from planning_core.cli._base import (
    CliContext,
    at_option,
    instant,
    pass_context,
    store_option,
)
from planning_core.cli._output import Output, output_options
from planning_core.cli._window import read_password
from planning_core.serialization import dump, parse_date
from planning_core.timing import Light, WorkCalendar
from planning_core.window import LOCAL_CLIENT, Rating, RatingStatistics

__all__ = ["ratings"]


@click.group()
def ratings() -> None:
    """Ratings of the service (好差评): rate a case, follow up a bad rating, statistics."""


@ratings.command("rate")
@click.argument("case_number")
@click.option("--score", type=click.IntRange(1, 5), required=True, help="1 (very bad) to 5.")
@click.option(
    "--reason", "reasons", multiple=True, help="A reason's code from the national list; repeatable."
)
@click.option("--comment", default="", help="The applicant's own words.")
@click.option("--password-stdin", is_flag=True, help="Read the query password from standard input.")
@click.option(
    "--client",
    default=LOCAL_CLIENT,
    show_default=True,
    help="Who rates (an address, a session id): wrong passwords are throttled per client.",
)
@at_option
@output_options()
@store_option
@pass_context
def rate_command(
    obj: CliContext,
    case_number: str,
    score: int,
    reasons: tuple[str, ...],
    comment: str,
    password_stdin: bool,
    client: str,
    at_text: str | None,
    output: Output,
    store_url: str,
) -> None:
    """Rate the service of CASE_NUMBER once (一事一评), with its receipt's password."""
    password = read_password(obj, password_stdin)
    with obj.bureau(store_url, create=False) as bureau:
        rating = bureau.ratings.rate(
            case_number,
            password,
            score,
            reasons,
            comment,
            at=instant(at_text),
            client=client,
            channel="cli",
        )
        converter = bureau.engine.converter
        calendar = bureau.calendar
    output.emit(text=lambda: _rating_zh(rating, calendar), data=lambda: dump(converter, rating))


@ratings.command("follow-up")
@click.argument("case_number")
@click.argument("stage", type=click.Choice(["verify", "rectify", "call_back"]))
@click.option("--note", required=True, help="What was found, done or said.")
@click.option("--actor", "actor_id", required=True, help="Who records it (holds the post).")
@at_option
@output_options()
@store_option
@pass_context
def follow_up_command(
    obj: CliContext,
    case_number: str,
    stage: str,
    note: str,
    actor_id: str,
    at_text: str | None,
    output: Output,
    store_url: str,
) -> None:
    """Record STAGE (verify 核实, rectify 整改, call_back 回访) of a bad rating's follow-up."""
    with obj.bureau(store_url, create=False) as bureau:
        actor = bureau.organisation.actor(actor_id)
        rating = bureau.ratings.follow_up(case_number, stage, note, actor, instant(at_text))
        converter = bureau.engine.converter
        calendar = bureau.calendar
    output.emit(text=lambda: _rating_zh(rating, calendar), data=lambda: dump(converter, rating))


@ratings.command("list")
@at_option
@output_options(csv=True)
@store_option
@pass_context
def list_command(obj: CliContext, at_text: str | None, output: Output, store_url: str) -> None:
    """Every rating, with the light of each open follow-up at --at."""
    moment = instant(at_text)
    with obj.bureau(store_url, create=False) as bureau:
        book = bureau.ratings
        given = book.ratings()
        lights = {r.case_number: book.light(r, moment) for r in given}
        converter = bureau.engine.converter
    header = ["案件编号", "评价", "理由", "评价时间", "整改跟踪", "灯"]
    rows = [
        [
            r.case_number,
            r.score_zh,
            "、".join(r.reasons),
            r.rated_at.isoformat(),
            "" if r.follow_up is None else r.follow_up.result,
            _light_zh(lights[r.case_number]),
        ]
        for r in given
    ]

    def text() -> str:
        if not rows:
            return obj.say("尚无评价。", "No ratings yet.")
        return "\n".join("  ".join(str(cell) for cell in row if cell) for row in rows)

    output.emit(
        text=text,
        data=lambda: [dump(converter, r) for r in given],
        table=lambda: (header, rows),
    )


@ratings.command("stats")
@click.option("--from", "start", default=None, help="First day, YYYY-MM-DD.")
@click.option("--to", "end", default=None, help="Last day, YYYY-MM-DD.")
@at_option
@output_options()
@store_option
@pass_context
def stats_command(
    obj: CliContext,
    start: str | None,
    end: str | None,
    at_text: str | None,
    output: Output,
    store_url: str,
) -> None:
    """Satisfaction, bad ratings and their follow-ups from --from to --to."""
    first = None if start is None else parse_date(start)
    last = None if end is None else parse_date(end)
    with obj.bureau(store_url, create=False) as bureau:
        figures = bureau.ratings.statistics(first, last, at=instant(at_text))
        converter = bureau.engine.converter
    output.emit(text=lambda: _statistics_zh(figures), data=lambda: dump(converter, figures))


def _rating_zh(rating: Rating, calendar: WorkCalendar) -> str:
    """The rating as the bureau reads it: the score, the reasons, the follow-up's state."""
    lines = [f"{rating.case_number}  {rating.score_zh}（{rating.score}分）"]
    if rating.reasons:
        lines.append("理由：" + "、".join(rating.reasons))
    follow = rating.follow_up
    if follow is not None:
        stage = follow.next_stage
        due = follow.clock.deadline_date(calendar)
        state = "已回访：" + follow.result if stage is None else f"下一步：{stage.zh}"
        lines.append(
            f"整改跟踪（{follow.post}）：{state}" + ("" if due is None else f"，期限 {due}")
        )
    return "\n".join(lines)


def _light_zh(light: Light | None) -> str:
    return "" if light is None else light.zh


def _statistics_zh(figures: RatingStatistics) -> str:
    if figures.count == 0:
        return "评价 0 件。"
    satisfaction = "—" if figures.satisfaction is None else f"{figures.satisfaction:.1%}"
    average = "—" if figures.average is None else f"{figures.average:.2f}"
    return (
        f"评价 {figures.count} 件，满意率 {satisfaction}，平均 {average} 分；"
        f"差评 {figures.bad} 件，已回访 {figures.followed_up} 件"
        f"（按时 {figures.on_time} 件），逾期未办结 {figures.late} 件。"
    )
