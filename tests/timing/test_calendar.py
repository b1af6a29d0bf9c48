from __future__ import annotations

import datetime as dt

import chinese_calendar
import pendulum
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from planning_core.errors import NotFoundError, ValidationError
from planning_core.timing import DayKind, NamedDay, WorkCalendar, calendar_for

from .conftest import dates, day

# --- agreement with an independent source --------------------------------------------------


#: Days where chinesecalendar contradicts the notice itself; each is checked by hand below.
#: 国办发明电〔2005〕35号 (2005-12-16), on New Year 2006: "12月31日（星期六）上班".
CHINESE_CALENDAR_ERRATA = {dt.date(2005, 12, 31): True}


def test_every_day_2004_to_2026_agrees_with_chinese_calendar(cn: WorkCalendar) -> None:
    """chinesecalendar (LKI/chinese-calendar) transcribes the State Council notices itself;
    it shares no data with the holidays package or our packaged schedules. Where it
    contradicts the notice (CHINESE_CALENDAR_ERRATA), the notice decides."""
    first, last = dt.date(2004, 1, 1), dt.date(2026, 12, 31)
    disagreements = {}
    for offset in range((last - first).days + 1):
        d = first + dt.timedelta(days=offset)
        if cn.is_working_day(d) != chinese_calendar.is_workday(d):
            disagreements[d] = cn.is_working_day(d)
    assert disagreements == CHINESE_CALENDAR_ERRATA
    assert (last - first).days + 1 == 8401


def test_new_year_2006_make_up_day_follows_the_notice(cn: WorkCalendar) -> None:
    assert cn.is_working_day(dt.date(2005, 12, 31))  # Saturday, worked
    assert not cn.is_working_day(dt.date(2006, 1, 2))
    assert not cn.is_working_day(dt.date(2006, 1, 3))


# Hand-written from the State Council's notices (国务院办公厅关于20xx年部分节假日安排的通知).
NOTICES = {
    2024: {
        "off": [
            ("2024-01-01", "2024-01-01"),
            ("2024-02-10", "2024-02-17"),
            ("2024-04-04", "2024-04-06"),
            ("2024-05-01", "2024-05-05"),
            ("2024-06-10", "2024-06-10"),
            ("2024-09-15", "2024-09-17"),
            ("2024-10-01", "2024-10-07"),
        ],
        "work": [
            "2024-02-04",
            "2024-02-18",
            "2024-04-07",
            "2024-04-28",
            "2024-05-11",
            "2024-09-14",
            "2024-09-29",
            "2024-10-12",
        ],
    },
    2025: {
        "off": [
            ("2025-01-01", "2025-01-01"),
            ("2025-01-28", "2025-02-04"),
            ("2025-04-04", "2025-04-06"),
            ("2025-05-01", "2025-05-05"),
            ("2025-05-31", "2025-06-02"),
            ("2025-10-01", "2025-10-08"),
        ],
        "work": ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"],
    },
    2026: {
        "off": [
            ("2026-01-01", "2026-01-03"),
            ("2026-02-15", "2026-02-23"),
            ("2026-04-04", "2026-04-06"),
            ("2026-05-01", "2026-05-05"),
            ("2026-06-19", "2026-06-21"),
            ("2026-09-25", "2026-09-27"),
            ("2026-10-01", "2026-10-07"),
        ],
        "work": [
            "2026-01-04",
            "2026-02-14",
            "2026-02-28",
            "2026-05-09",
            "2026-09-20",
            "2026-10-10",
        ],
    },
}


def _expected(year: int) -> dict[dt.date, bool]:
    """Every day of ``year``: working unless a weekend or listed off; listed work days work."""
    notice = NOTICES[year]
    expected = {}
    d = dt.date(year, 1, 1)
    while d.year == year:
        expected[d] = d.weekday() < 5
        d += dt.timedelta(days=1)
    for first, last in notice["off"]:
        d = day(first)
        while d <= day(last):
            expected[d] = False
            d += dt.timedelta(days=1)
    for text in notice["work"]:
        assert day(text).weekday() >= 5, f"{text} is a make-up day, so a weekend day"
        expected[day(text)] = True
    return expected


@pytest.mark.parametrize("year", sorted(NOTICES))
def test_state_council_notice(cn: WorkCalendar, year: int) -> None:
    wrong = [d for d, working in _expected(year).items() if cn.is_working_day(d) != working]
    assert wrong == []
    assert not cn.is_provisional(dt.date(year, 6, 1))


def test_examples_named_in_the_issue(cn: WorkCalendar) -> None:
    sunday = day("2026-09-20")
    assert sunday.weekday() == 6
    assert cn.is_working_day(sunday)
    assert cn.explain(sunday).kind is DayKind.MAKEUP_WORKDAY
    for offset in range(7):
        national_day = day("2026-10-01") + dt.timedelta(days=offset)
        assert not cn.is_working_day(national_day)
        assert cn.explain(national_day).name == "国庆节"
    assert cn.is_working_day(day("2026-10-08"))


def test_explain_names_the_reason(cn: WorkCalendar) -> None:
    assert cn.explain(day("2026-10-01")).kind is DayKind.HOLIDAY
    assert cn.explain(day("2026-10-17")).kind is DayKind.WEEKEND
    ordinary = cn.explain(day("2026-10-14"))
    assert (ordinary.kind, ordinary.working, ordinary.name) == (DayKind.WORKDAY, True, None)
    swapped = cn.explain(day("2025-01-26"))  # from the holidays package, not our file
    assert swapped.kind is DayKind.MAKEUP_WORKDAY
    assert "2025-" in (swapped.name or "")
    assert "make-up" in str(swapped) and "2025-01-26" in str(swapped)


# --- arithmetic ----------------------------------------------------------------------------


def test_add_working_days_semantics(cn: WorkCalendar) -> None:
    # 2026-09-30 (Wed) -> the next working day is 2026-10-08 after the National Day break
    assert cn.add_working_days(day("2026-09-30"), 1) == day("2026-10-08")
    assert cn.add_working_days(day("2026-09-30"), 3) == day("2026-10-10")  # a Saturday, worked
    assert cn.add_working_days(day("2026-10-03"), 0) == day("2026-10-08")
    assert cn.add_working_days(day("2026-10-08"), 0) == day("2026-10-08")
    assert cn.add_working_days(day("2026-10-08"), -1) == day("2026-09-30")
    assert cn.add_working_days(day("2026-10-05"), -1) == day("2026-09-30")
    assert isinstance(cn.add_working_days(day("2026-10-08"), 2), pendulum.Date)


def test_working_days_between_semantics(cn: WorkCalendar) -> None:
    assert cn.working_days_between(day("2026-09-30"), day("2026-10-08")) == 1
    assert cn.working_days_between(day("2026-09-30"), day("2026-09-30")) == 0
    assert cn.working_days_between(day("2026-10-08"), day("2026-09-30")) == -1
    assert cn.working_days_between(day("2026-10-01"), day("2026-10-07")) == 0


def _naive_between(calendar: WorkCalendar, a: dt.date, b: dt.date) -> int:
    sign, (low, high) = (1, (a, b)) if a <= b else (-1, (b, a))
    count, d = 0, low + dt.timedelta(days=1)
    while d <= high:
        count += calendar.explain(d).working
        d += dt.timedelta(days=1)
    return sign * count


@given(dates, st.integers(min_value=-60, max_value=60))
def test_between_matches_a_day_by_day_count(a: dt.date, span: int) -> None:
    cn = calendar_for("CN")
    b = a + dt.timedelta(days=span)
    assert cn.working_days_between(a, b) == _naive_between(cn, a, b)


@given(dates, st.integers(min_value=-400, max_value=400))
def test_add_then_between_inverts(d: dt.date, n: int) -> None:
    cn = calendar_for("CN")
    result = cn.add_working_days(d, n)
    assert cn.is_working_day(result)
    if n >= 1 or cn.is_working_day(d):
        assert cn.working_days_between(d, result) == n
    if n == 0:
        assert result >= d and cn.working_days_between(d, result) == (result != d)


@given(dates, dates)
def test_between_then_add_inverts(a: dt.date, b: dt.date) -> None:
    cn = calendar_for("CN")
    assume(cn.is_working_day(b) and a < b)
    assert cn.add_working_days(a, cn.working_days_between(a, b)) == b


@given(dates, dates, st.integers(min_value=-300, max_value=300))
def test_add_is_monotonic_in_the_date(a: dt.date, b: dt.date, n: int) -> None:
    cn = calendar_for("CN")
    low, high = sorted((a, b))
    assert cn.add_working_days(low, n) <= cn.add_working_days(high, n)


@given(
    dates, st.integers(min_value=-300, max_value=300), st.integers(min_value=-300, max_value=300)
)
def test_add_is_monotonic_in_the_count(d: dt.date, m: int, n: int) -> None:
    cn = calendar_for("CN")
    low, high = sorted((m, n))
    assert cn.add_working_days(d, low) <= cn.add_working_days(d, high)
    if low < high:
        assert cn.add_working_days(d, low) < cn.add_working_days(d, high)


@given(dates, dates, dates)
def test_between_is_monotonic_and_additive(a: dt.date, b: dt.date, c: dt.date) -> None:
    cn = calendar_for("CN")
    low, mid, high = sorted((a, b, c))
    assert 0 <= cn.working_days_between(low, mid) <= cn.working_days_between(low, high)
    total = cn.working_days_between(low, mid) + cn.working_days_between(mid, high)
    assert total == cn.working_days_between(low, high)


closures = st.lists(
    st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2026, 12, 31)), max_size=40
)


@settings(max_examples=40, deadline=None)
@given(closures, closures, dates, st.integers(min_value=-100, max_value=100))
def test_properties_hold_with_local_adjustments(
    closed: list[dt.date], worked: list[dt.date], d: dt.date, n: int
) -> None:
    calendar = calendar_for("weekdays", closures=closed, extra_working_days=worked)
    result = calendar.add_working_days(d, n)
    assert calendar.is_working_day(result)
    if n >= 1 or calendar.is_working_day(d):
        assert calendar.working_days_between(d, result) == n
    for c in set(closed) - set(worked):
        assert not calendar.is_working_day(c)
        assert calendar.explain(c).kind is DayKind.LOCAL_CLOSURE
    for w in worked:
        assert calendar.is_working_day(w)


def test_far_dates_grow_the_table(cn: WorkCalendar) -> None:
    far = cn.add_working_days(day("2026-01-05"), 250 * 60)
    assert far.year > 2080
    assert cn.working_days_between(day("2026-01-05"), far) == 250 * 60
    assert cn.add_working_days(far, -250 * 60) == day("2026-01-05")
    assert cn.is_provisional(far)
    early = day("1995-03-01")
    assert cn.is_provisional(early)
    assert cn.working_days_between(early, day("1995-03-08")) == 5


# --- local adjustments, other regions, input checks ----------------------------------------


def test_local_closure_and_extra_working_day_as_arguments() -> None:
    city = calendar_for(
        "CN",
        closures={day("2026-03-02"): "市政府统一停止办公"},
        extra_working_days=[NamedDay(day("2026-03-07"), "集中攻坚日")],
    )
    assert not city.is_working_day(day("2026-03-02"))
    assert city.explain(day("2026-03-02")).name == "市政府统一停止办公"
    assert city.is_working_day(day("2026-03-07"))
    assert city.explain(day("2026-03-07")).kind is DayKind.LOCAL_WORKDAY
    national = calendar_for("CN")
    assert national.is_working_day(day("2026-03-02"))
    assert not national.is_working_day(day("2026-03-07"))


def test_calendars_are_cached_per_region_and_spec() -> None:
    assert calendar_for("CN") is calendar_for("CN")
    assert calendar_for("CN", closures=[day("2026-03-02")]) is not calendar_for("CN")


def test_weekdays_and_other_countries() -> None:
    plain = calendar_for("weekdays")
    assert plain.is_working_day(day("2026-10-01"))
    assert not plain.is_working_day(day("2026-09-20"))
    assert not plain.is_provisional(day("2300-01-01"))
    hong_kong = calendar_for("HK")
    assert not hong_kong.is_working_day(day("2026-12-25"))
    bavaria = calendar_for("DE-BY")
    assert not bavaria.is_working_day(day("2026-01-06"))  # Epiphany, a Bavarian holiday
    assert calendar_for("DE").is_working_day(day("2026-01-06"))


def test_unknown_region_names_the_known_ones() -> None:
    with pytest.raises(NotFoundError, match=r"'XX'.*CN, weekdays"):
        calendar_for("XX")


@pytest.mark.parametrize("bad", [dt.datetime(2026, 1, 5, 9), "2026-01-05", None])
def test_days_must_be_dates(cn: WorkCalendar, bad: object) -> None:
    with pytest.raises(ValidationError, match="expected a date"):
        cn.is_working_day(bad)  # type: ignore[arg-type]


def test_count_must_be_an_integer(cn: WorkCalendar) -> None:
    with pytest.raises(ValidationError, match="whole number"):
        cn.add_working_days(day("2026-01-05"), 1.5)  # type: ignore[arg-type]


def test_unknown_zone_is_a_configuration_error() -> None:
    from planning_core.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match="Mars/Olympus"):
        calendar_for("weekdays", zone="Mars/Olympus")


def test_local_date_and_close(cn: WorkCalendar) -> None:
    utc_evening = pendulum.datetime(2026, 10, 7, 17, 30, tz="UTC")  # 01:30 on the 8th in Shanghai
    assert cn.local_date(utc_evening) == day("2026-10-08")
    assert cn.close_of(day("2026-10-08")) == pendulum.datetime(2026, 10, 9, tz="Asia/Shanghai")
    with pytest.raises(ValidationError, match="no time zone"):
        cn.local_date(dt.datetime(2026, 10, 8, 9))
    office = calendar_for("CN", closes_at=dt.time(17, 30))
    assert office.close_of(day("2026-10-08")) == pendulum.datetime(
        2026, 10, 8, 17, 30, tz="Asia/Shanghai"
    )


def test_a_zone_with_daylight_saving_counts_local_days() -> None:
    berlin = calendar_for("DE", zone="Europe/Berlin")
    summer = pendulum.datetime(2026, 7, 1, 22, 30, tz="UTC")  # 00:30 on 2 July in Berlin
    winter = pendulum.datetime(2026, 1, 1, 23, 30, tz="UTC")  # 00:30 on 2 January
    assert berlin.local_date(summer) == day("2026-07-02")
    assert berlin.local_date(winter) == day("2026-01-02")
