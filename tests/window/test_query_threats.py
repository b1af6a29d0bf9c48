"""The public query under attack: one named regression test for each finding of the issue.

* a wrong password on a hash with older (cheaper) scrypt parameters cost less than an
  unknown number, so numbers could be enumerated by timing;
* a stranger's 480 wrong tries a day kept a case locked for all 96 of the owner's queries;
* every refused try wrote a record (unbounded, never pruned);
* ``contact_view`` had no attempt limit and did less work for an unknown number;
* ``LockoutPolicy(3, 60, 120)`` still said "5 attempts … 15 minutes".

Equal work is checked by counting what is done (scrypt calls with their cost parameters,
store calls by collection), never by timing: speed is measured in
benchmarks/bench_window.py.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from typing import Any

import pendulum
import pytest
from _support.engine import WINDOW
from window._helpers import CONTACT, FAST, at, complete_application, make_window

from planning_core.storage import Store
from planning_core.window import (
    ATTEMPTS,
    PASSWORD_PARAMETERS,
    PASSWORDS,
    REFUSALS,
    LockoutPolicy,
    QueryLockedError,
    QueryRefusedError,
    Receipt,
    ScryptParameters,
    Window,
    WindowSettings,
)

T0 = at("2026-03-02 09:00")
#: The parameters the bureau used before it raised the cost (cheaper than FAST).
OLD = ScryptParameters(n=2**6, r=4)
OWNER = "198.51.100.20"
STRANGER = "203.0.113.7"

Call = tuple[int, int, int, int, int]


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Call]]:
    """Every scrypt run, as (n, r, p, key length, salt length)."""
    calls: list[Call] = []
    real = hashlib.scrypt

    def counting(password: bytes, **kw: Any) -> bytes:
        calls.append((kw["n"], kw["r"], kw["p"], kw["dklen"], len(kw["salt"])))
        return real(password, **kw)

    monkeypatch.setattr(hashlib, "scrypt", counting)
    yield calls


def _refused(call: Callable[[], object]) -> QueryRefusedError:
    with pytest.raises(QueryRefusedError) as info:
        call()
    return info.value


def _with_old_and_new_hashes() -> tuple[Window, Receipt, Receipt]:
    """A store holding one hash made with OLD and one with FAST, and a window on FAST."""
    old_window = make_window(scrypt=OLD)
    old = old_window.intake(complete_application(), WINDOW, T0)
    window = Window(old_window.engine, WindowSettings(bureau="唐山市城乡规划局", scrypt=FAST))
    new = window.intake(complete_application(), WINDOW, T0)
    return window, old, new


# -- equal work under mixed scrypt parameters ---------------------------------------------------


@pytest.mark.parametrize("markers", ["kept", "from_before_the_markers"])
def test_a_wrong_password_on_an_old_hash_costs_what_an_unknown_number_costs(
    counted: list[Call], markers: str
) -> None:
    window, old, new = _with_old_and_new_hashes()
    if markers == "from_before_the_markers":  # a store written before the window kept them
        keys = [k for k, _ in window.engine.store.list_records(PASSWORD_PARAMETERS)]
        window.engine.store.delete_records(PASSWORD_PARAMETERS, keys)
    window.public_status(new.case_number, new.password, T0, client="warm-up")  # surveys
    runs: dict[str, list[Call]] = {}
    answers: dict[str, QueryRefusedError] = {}
    for name, number in [
        ("old", old.case_number),
        ("new", new.case_number),
        ("unknown", "2026-999999"),
    ]:
        counted.clear()
        answers[name] = _refused(
            lambda n=number, c=name: window.public_status(n, "WRONGPASS", T0, client=c)
        )
        runs[name] = sorted(counted)
    both = sorted([(OLD.n, OLD.r, OLD.p, 32, 16), (FAST.n, FAST.r, FAST.p, 32, 16)])
    assert runs["old"] == runs["new"] == runs["unknown"] == both
    assert len({(type(e), str(e), e.args) for e in answers.values()}) == 1


def test_a_right_password_on_an_old_hash_is_rehashed_with_the_current_parameters(
    counted: list[Call],
) -> None:
    window, old, _ = _with_old_and_new_hashes()
    store = window.engine.store
    assert store.get_record(PASSWORDS, old.case_id)["n"] == OLD.n  # type: ignore[index]
    assert window.public_status(old.case_number, old.password, T0, client=OWNER)
    rehashed = store.get_record(PASSWORDS, old.case_id)
    assert rehashed is not None and (rehashed["n"], rehashed["r"]) == (FAST.n, FAST.r)
    assert window.public_status(old.case_number, old.password.lower(), T0, client=OWNER)
    # the old set is paid for until a survey finds no hash using it any more
    assert window.survey_passwords() == (FAST,)
    counted.clear()
    _refused(lambda: window.public_status("2026-999999", "WRONGPASS", T0, client=STRANGER))
    assert counted == [(FAST.n, FAST.r, FAST.p, 32, 16)]


def _store_calls(store: Store, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Record each call on ``store`` as (method, collection or '')."""
    seen: list[tuple[str, str]] = []
    for name in (
        "get_record",
        "list_records",
        "put_records",
        "delete_records",
        "find_case",
        "get_case",
        "load_events",
        "unit_of_work",
    ):
        real = getattr(store, name)

        def wrapper(*args: Any, _real: Any = real, _name: str = name, **kw: Any) -> Any:
            by_collection = _name.endswith(("_record", "_records"))
            seen.append((_name, args[0] if by_collection else ""))
            return _real(*args, **kw)

        monkeypatch.setattr(store, name, wrapper)
    return seen


def test_a_wrong_password_and_an_unknown_number_do_the_same_store_work(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window()
    receipt = window.intake(complete_application(), WINDOW, T0)
    window.public_status(receipt.case_number, receipt.password, T0, client="warm-up")
    seen = _store_calls(window.engine.store, monkeypatch)
    _refused(lambda: window.public_status(receipt.case_number, "WRONGPASS", T0, client="a"))
    wrong, seen[:] = list(seen), []
    _refused(lambda: window.public_status("2026-999999", "WRONGPASS", T0, client="b"))
    assert wrong == seen and ("find_case", "") in seen


# -- a stranger cannot deny the owner -----------------------------------------------------------


def test_a_strangers_480_wrong_tries_a_day_never_deny_the_owners_96_queries() -> None:
    """The tester's day: before, the case stayed locked for all 96 right-password queries."""
    window = make_window()
    receipt = window.intake(complete_application(), WINDOW, T0)
    number, day = receipt.case_number, T0.add(hours=1)
    answered = refused = 0
    for minute in range(0, 24 * 60, 3):  # 480 tries by the stranger, one every 3 minutes
        t = day.add(minutes=minute)
        try:
            window.public_status(number, "WRONGPASS", t, client=STRANGER)
        except (QueryRefusedError, QueryLockedError):
            refused += 1
        if minute % 15 == 0:  # the owner, every 15 minutes
            status = window.public_status(number, receipt.password, t.add(seconds=30), client=OWNER)
            answered += status.case_number == number
    assert refused == 480 and answered == 96


def test_the_owners_own_typo_on_a_hammered_number_costs_at_most_the_cap() -> None:
    window = make_window()
    receipt = window.intake(complete_application(), WINDOW, T0)
    number, policy = receipt.case_number, window.settings.lockout
    for i in range(20):  # strangers with fresh keys push the number to the cap
        _refused(lambda i=i: window.public_status(number, "WRONGPASS", T0, client=f"s{i}"))
    _refused(lambda: window.public_status(number, "TYPO-TYPO", T0, client=OWNER))
    with pytest.raises(QueryLockedError) as info:
        window.public_status(number, receipt.password, T0.add(minutes=1), client=OWNER)
    until = pendulum.parse(info.value.until)
    assert until == T0 + policy.max_delay
    assert window.public_status(number, receipt.password, until, client=OWNER)


# -- bounded records ----------------------------------------------------------------------------


def test_ten_thousand_refused_tries_keep_the_records_bounded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Before, each refused try wrote a record of its own: 10,000 records, never pruned."""
    window = make_window()
    store = window.engine.store
    receipt = window.intake(complete_application(), WINDOW, T0)
    writes = 0
    real = store.unit_of_work

    def counting() -> Any:
        nonlocal writes
        writes += 1
        return real()

    monkeypatch.setattr(store, "unit_of_work", counting)
    outcomes = {"refused": 0, "locked": 0}
    for i in range(10_000):  # one try every 100 ms for 16⅔ minutes, on two numbers
        number = receipt.case_number if i % 2 else f"2026-{i % 1000:06d}"
        try:
            window.public_status(number, "WRONGPASS", T0.add(microseconds=100_000 * i))
        except QueryRefusedError:
            outcomes["refused"] += 1
        except QueryLockedError:
            outcomes["locked"] += 1
    assert outcomes["refused"] == 10  # five before the lock, five after it ran out
    assert outcomes["locked"] == 9_990
    assert writes <= 10 + 1 + 2  # the ten counted attempts, a prune, two locks
    attempts = store.list_records(ATTEMPTS)
    assert len(attempts) <= 1 + 10 + 1  # the client, the numbers it failed on, ~prune
    assert len(store.list_records(REFUSALS)) == 2  # one per lock
    later = T0.add(days=31)
    window.prune(later)
    assert [k for k, _ in store.list_records(ATTEMPTS)] == ["~prune"]
    assert store.list_records(REFUSALS) == []


# -- the contact's view -------------------------------------------------------------------------


def test_the_contact_view_is_throttled_like_the_status_query() -> None:
    """Before, ``contact_view`` had no attempt limit at all."""
    window = make_window()
    receipt = window.intake(complete_application(), WINDOW, T0)
    number = receipt.case_number
    for minute in range(5):
        with pytest.raises(QueryRefusedError):
            window.contact_view(number, f"1390000000{minute}", T0.add(minutes=minute))
    with pytest.raises(QueryLockedError):
        window.contact_view(number, CONTACT, T0.add(minutes=5))
    with pytest.raises(QueryLockedError):  # the same count as the password query
        window.public_status(number, receipt.password, T0.add(minutes=5))
    view = window.contact_view(number, CONTACT, T0.add(minutes=5), client=OWNER)
    assert view.status.case_number == number


def test_the_contact_view_does_the_same_work_for_an_unknown_number(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Before, an unknown number skipped loading the case: it answered at another speed."""
    window = make_window()
    receipt = window.intake(complete_application(), WINDOW, T0)
    window.contact_view(receipt.case_number, CONTACT, T0, client="warm-up")
    seen = _store_calls(window.engine.store, monkeypatch)
    wrong = _refused(lambda: window.contact_view(receipt.case_number, "139", T0, client="a"))
    wrong_calls, seen[:] = list(seen), []
    unknown = _refused(lambda: window.contact_view("2026-999999", "139", T0, client="b"))
    assert wrong_calls == seen
    assert not any(name in ("get_case", "load_events") for name, _ in seen)
    assert str(wrong).replace(receipt.case_number, "N") == str(unknown).replace("2026-999999", "N")


# -- messages from the policy in force ----------------------------------------------------------


def test_every_message_is_built_from_the_policy_in_force() -> None:
    """Before, ``LockoutPolicy(3, 60, 120)`` still said "5 attempts … 15 minutes"."""
    window = make_window(lockout=LockoutPolicy(3, 60, 120))
    receipt = window.intake(complete_application(), WINDOW, T0)
    number = receipt.case_number
    refused = [
        _refused(lambda m=m: window.public_status(number, "WRONGPASS", T0.add(minutes=m)))
        for m in range(3)
    ]
    text = str(refused[0])
    assert "after 3 wrong attempts within 1 hour a client's queries are refused for 2 hours" in text
    assert "15 minutes" not in text and "5 wrong" not in text
    with pytest.raises(QueryLockedError) as info:
        window.public_status(number, receipt.password, T0.add(minutes=3))
    assert info.value.until == T0.add(minutes=2 + 120).isoformat()
    assert "(3 within 1 hour)" in str(info.value) and info.value.until in str(info.value)
    contact = _refused(lambda: window.contact_view(number, "139", T0, client="c"))
    assert "after 3 wrong attempts within 1 hour" in str(contact)


def test_the_wait_on_a_hammered_number_is_told_from_the_policy_in_force() -> None:
    policy = LockoutPolicy(case_free_failures=2, case_delay_seconds=30, case_max_delay_minutes=2)
    window = make_window(lockout=policy)
    number = "2026-000042"
    _refused(lambda: window.public_status(number, "WRONGPASS", T0, client="x"))
    _refused(lambda: window.public_status(number, "WRONGPASS", T0, client="y"))
    with pytest.raises(QueryLockedError) as info:
        window.public_status(number, "WRONGPASS", T0.add(seconds=10), client="x")
    text = str(info.value)
    assert "2 or more wrong attempts within 24 hours" in text
    assert "(30 seconds, doubling, at most 2 minutes)" in text
    assert info.value.until == T0.add(seconds=30).isoformat()


def test_the_records_older_versions_wrote_are_pruned_by_the_first_query() -> None:
    window = make_window()
    store = window.engine.store
    old_log = {"failures": [T0.isoformat()], "locked_until": None}
    store.put_records(ATTEMPTS, {f"2026-{i:06d}": old_log for i in range(300)})
    old_refusal = {"case_number": "2026-000001", "at": T0.isoformat(), "locked_until": None}
    store.put_records(REFUSALS, {f"{i:012d}": old_refusal for i in range(1, 1001)})
    _refused(lambda: window.public_status("2026-000001", "WRONGPASS", T0, client=STRANGER))
    assert sorted(k for k, _ in store.list_records(ATTEMPTS)) == [
        "case:2026-000001",
        f"client:{STRANGER}",
        "~prune",
    ]
    assert store.list_records(REFUSALS) == []
