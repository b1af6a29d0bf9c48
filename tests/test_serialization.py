from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planning_core import ValidationError, make_converter
from planning_core.plugins import Hooks
from planning_core.serialization import dump, load, parse_date, parse_instant
from planning_core.testing.strategies import time_limits
from planning_core.timing import Deadline, DeadlineUnknown, PauseReason, TimeLimit


class Light(enum.Enum):
    GREEN = "green"
    RED = "red"


@attrs.frozen
class Payment:
    payee: str
    amount: Decimal
    paid_at: pendulum.DateTime
    due: pendulum.Date
    light: Light
    notes: tuple[str, ...] = ()


offsets = st.integers(min_value=-12 * 60, max_value=14 * 60).map(
    lambda minutes: dt.timezone(dt.timedelta(minutes=minutes))
)
instants = st.datetimes(
    min_value=dt.datetime(1970, 1, 2), max_value=dt.datetime(2100, 1, 1), timezones=offsets
).map(pendulum.instance)
dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 1, 1)).map(
    lambda d: pendulum.Date(d.year, d.month, d.day)
)
#: Amounts the converter holds: finite, within ±10**15 (planning_core.inputs.MAX_AMOUNT).
amounts = st.decimals(min_value=-(10**15), max_value=10**15, places=2)
payments = st.builds(
    Payment,
    payee=st.text(),
    amount=amounts,
    paid_at=instants,
    due=dates,
    light=st.sampled_from(Light),
    notes=st.tuples(st.text()),
)


@given(payments)
def test_round_trip_is_exact(payment: Payment) -> None:
    converter = make_converter()
    data = dump(converter, payment)
    back = load(converter, data, Payment)
    assert back == payment
    assert back.paid_at.utcoffset() == payment.paid_at.utcoffset()
    assert isinstance(back.amount, Decimal)


@given(instants)
def test_instants_are_written_with_their_offset(instant: pendulum.DateTime) -> None:
    text = make_converter().unstructure(instant)
    assert dt.datetime.fromisoformat(text).utcoffset() == instant.utcoffset()


def test_chinese_text_survives() -> None:
    converter = make_converter()
    p = Payment(
        "规划局",
        Decimal("12.30"),
        pendulum.datetime(2026, 5, 1, tz="Asia/Shanghai"),
        pendulum.Date(2026, 5, 6),
        Light.RED,
    )
    assert dump(converter, p)["payee"] == "规划局"
    assert dump(converter, p)["light"] == "red"
    assert dump(converter, p)["amount"] == "12.30"


def test_naive_instant_is_refused_when_written() -> None:
    with pytest.raises(ValidationError, match="no time zone"):
        make_converter().unstructure(dt.datetime(2026, 1, 1, 9, 0))


def test_every_problem_is_reported_with_its_path() -> None:
    data = {
        "payee": "x",
        "amount": 1.5,
        "paid_at": "2026-01-01T09:00:00",
        "due": "2026-13-01",
        "light": "blue",
        "notes": [],
    }
    with pytest.raises(ValidationError) as info:
        load(make_converter(), data, Payment)
    problems = info.value.problems
    assert len(problems) == 4
    for field in ("amount", "paid_at", "due", "light"):
        assert any(f"$.{field}" in p for p in problems), (field, problems)
    assert "float" in str(info.value)
    assert "'2026-13-01'" in str(info.value)


def test_unknown_keys_are_refused() -> None:
    data = dump(
        make_converter(),
        Payment("x", Decimal(1), pendulum.now("UTC"), pendulum.Date(2026, 1, 1), Light.GREEN),
    )
    data["surprise"] = 1
    with pytest.raises(ValidationError, match="surprise"):
        load(make_converter(), data, Payment)


@pytest.mark.parametrize("bad", ["2026-02-30", "tomorrow", "", "2026/01/01"])
def test_parse_date_quotes_bad_input(bad: str) -> None:
    with pytest.raises(ValidationError, match=repr(bad).replace("/", ".")):
        parse_date(bad)


def test_parse_instant_requires_an_offset() -> None:
    assert parse_instant("2026-11-26T09:30:00+08:00").utcoffset() == dt.timedelta(hours=8)
    with pytest.raises(ValidationError, match="no time zone"):
        parse_instant("2026-11-26T09:30:00")


def test_plugin_teaches_the_converter_a_type(hooks: Hooks) -> None:
    class Yuan:
        def __init__(self, fen: int) -> None:
            self.fen = fen

    class YuanPlugin:
        from planning_core import hookimpl

        @hookimpl
        def planning_core_configure_converter(self, converter: object) -> None:
            converter.register_unstructure_hook(Yuan, lambda y: f"{y.fen} 分")  # type: ignore[attr-defined]

    hooks.register(YuanPlugin(), name="yuan")
    converter = make_converter(hooks)
    assert converter.unstructure(Yuan(150)) == "150 分"
    # built-in rules still apply alongside the plugin's
    assert converter.unstructure(Decimal("1.10")) == "1.10"


# -- the shapes the library and the command line share (docs/cli.md) ------------------------

zoned = st.builds(
    lambda d, h, zone: pendulum.datetime(d.year, d.month, d.day, h, tz=zone),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2150, 12, 31)),
    st.integers(0, 23),
    st.sampled_from(["Asia/Shanghai", "UTC", "Asia/Urumqi"]),
)


@given(time_limits())
def test_a_time_limit_is_days_and_unit(limit: TimeLimit) -> None:
    converter = make_converter()
    data = dump(converter, limit)
    assert data == {"days": limit.days, "unit": limit.unit.value}
    assert load(converter, data, TimeLimit) == limit


@given(zoned, st.booleans())
def test_a_deadline_carries_its_day_instant_and_provisional_flag(
    at: pendulum.DateTime, provisional: bool
) -> None:
    converter = make_converter()
    deadline = Deadline(at.date(), at, provisional)
    data = dump(converter, deadline)
    assert set(data) == {"date", "at", "provisional"} and data["provisional"] is provisional
    assert dt.datetime.fromisoformat(data["at"]).utcoffset() == at.utcoffset()
    assert load(converter, data, Deadline) == deadline


@given(zoned, st.sampled_from(PauseReason), st.integers(0, 400), st.booleans())
def test_an_unknown_deadline_says_since_when_and_why(
    since: pendulum.DateTime, reason: PauseReason, remaining: int, provisional: bool
) -> None:
    converter = make_converter()
    unknown = DeadlineUnknown(since, reason, remaining, provisional)
    data = dump(converter, unknown)
    assert data["reason"] == reason.value and data["paused_since"].endswith(
        since.format("Z") if since.utcoffset() else "+00:00"
    )
    assert load(converter, data, DeadlineUnknown) == unknown


def test_a_light_is_its_name() -> None:
    converter = make_converter()
    from planning_core.timing import Light as ClockLight

    for light in ClockLight:
        assert dump(converter, light) == light.value
        assert load(converter, light.value, ClockLight) is light


_OFFSETS = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
    lambda minutes: dt.timezone(dt.timedelta(minutes=minutes))
)


@given(
    st.datetimes(
        min_value=dt.datetime(1950, 1, 1), max_value=dt.datetime(2190, 12, 31), timezones=_OFFSETS
    )
)
def test_parse_instant_reads_text_as_pendulum_reads_the_instant(value: dt.datetime) -> None:
    # the text path builds the instant directly; it must be the one pendulum.instance gives
    parsed = parse_instant(value.isoformat())
    expected = pendulum.instance(value)
    assert type(parsed) is pendulum.DateTime
    assert parsed == expected and parsed.isoformat() == expected.isoformat()
    assert parsed.utcoffset() == expected.utcoffset()
    assert parsed.tzinfo is not None and expected.tzinfo is not None
    assert parsed.tzinfo.tzname(None) == expected.tzinfo.tzname(None)
    assert parsed.timezone_name == expected.timezone_name


_ZONES = st.sampled_from(
    ["Asia/Shanghai", "Asia/Urumqi", "UTC", "America/New_York", "Europe/London"]
)


@given(
    st.datetimes(min_value=dt.datetime(1950, 1, 1), max_value=dt.datetime(2190, 12, 31)),
    _ZONES,
)
def test_an_instant_in_a_named_zone_becomes_the_instant_its_text_reads_back_as(
    wall: dt.datetime, zone: str
) -> None:
    # one representation at the door: what a command carries equals what replay reads back
    value = pendulum.instance(wall, tz=zone)
    parsed = parse_instant(value)
    assert parsed.timestamp() == value.timestamp()
    assert parsed.isoformat() == value.isoformat()
    again = parse_instant(parsed.isoformat())
    assert (again.isoformat(), again.timezone_name) == (parsed.isoformat(), parsed.timezone_name)
