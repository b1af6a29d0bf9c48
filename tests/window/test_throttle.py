"""The throttle's promises under any interleaving (hypothesis), and under racing threads.

* the owner's right password with the owner's client key is answered, whatever strangers
  do; after the owner's own typos, within the cap (or the owner's own lock);
* the attempt records stay within their bound, and a prune leaves nothing that has run out;
* parallel attempts never check more passwords than the policy allows.
"""

from __future__ import annotations

import contextlib
import threading
from collections import Counter

import pendulum
from _support.engine import WINDOW
from hypothesis import given, settings
from hypothesis import strategies as st
from window._helpers import at, complete_application, make_window

from planning_core.window import (
    ATTEMPTS,
    REFUSALS,
    AttemptLog,
    CaseLog,
    QueryLockedError,
    QueryRefusedError,
)

T0 = at("2026-03-02 09:00")
OWNER = "owner"

#: (seconds since the previous attempt, who: -1 the owner, else stranger i, a typo by the owner)
steps = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=900),
        st.integers(min_value=-1, max_value=5),
        st.booleans(),
    ),
    min_size=1,
    max_size=40,
)


@given(steps)
@settings(max_examples=60, deadline=None)
def test_strangers_never_deny_the_owner(attempts: list[tuple[int, int, bool]]) -> None:
    window = make_window()
    receipt = window.intake(complete_application(), WINDOW, T0)
    number, policy = receipt.case_number, window.settings.lockout
    t = T0
    typos: list[pendulum.DateTime] = []
    for gap, who, typo in attempts:
        t = t.add(seconds=gap)
        if who >= 0:
            with contextlib.suppress(QueryRefusedError, QueryLockedError):
                window.public_status(number, "WRONGPASS", t, client=f"stranger-{who}")
            continue
        if typo:
            try:
                window.public_status(number, "TYPO-TYPO", t, client=OWNER)
                raise AssertionError("a typo was answered")
            except QueryRefusedError:
                typos.append(t)
            except QueryLockedError:
                pass
            continue
        try:
            status = window.public_status(number, receipt.password, t, client=OWNER)
        except QueryLockedError as locked:
            # only the owner's own typos can hold the owner up, and never past the cap
            # after the last one (or the lock those typos brought on)
            assert typos, "a stranger's tries held up the owner"
            own_lock = window.lockout.client_log(OWNER).locked_until
            bound = max(typos[-1] + policy.max_delay, own_lock or typos[-1])
            assert pendulum.parse(locked.until) <= bound
            retried = window.public_status(number, receipt.password, bound, client=OWNER)
            assert retried.case_number == number
            continue
        assert status.case_number == number


#: (seconds since the previous attempt, client 0-7, number 0-5 (0 the real one), right?)
traffic = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=1200),
        st.integers(min_value=0, max_value=7),
        st.integers(min_value=0, max_value=5),
        st.booleans(),
    ),
    min_size=1,
    max_size=60,
)


@given(traffic)
@settings(max_examples=50, deadline=None)
def test_the_records_stay_within_their_bound(tries: list[tuple[int, int, int, bool]]) -> None:
    window = make_window()
    receipt = window.intake(complete_application(), WINDOW, T0)
    store, policy = window.engine.store, window.settings.lockout
    t = T0
    checked: set[tuple[str, str]] = set()  # (client, number) of attempts not refused unchecked
    for gap, client, which, right in tries:
        t = t.add(seconds=gap)
        number = receipt.case_number if which == 0 else f"2026-90000{which}"
        password = receipt.password if right else "WRONGPASS"
        try:
            window.public_status(number, password, t, client=f"c{client}")
        except QueryLockedError:
            continue  # refused on a read: nothing written
        except QueryRefusedError:
            pass
        checked.add((f"c{client}", number))
    records = dict(store.list_records(ATTEMPTS))
    clients = {k: v for k, v in records.items() if k.startswith("client:")}
    cases = {k: v for k, v in records.items() if k.startswith("case:")}
    assert set(records) - set(clients) - set(cases) <= {"~prune"}
    # one record per client and per number that had a password checked, no more
    assert {k.removeprefix("client:") for k in clients} <= {c for c, _ in checked}
    assert {k.removeprefix("case:") for k in cases} <= {n for _, n in checked}
    converter = window.engine.converter
    for data in clients.values():
        assert len(converter.structure(data, AttemptLog).failures) <= policy.max_failures
    for data in cases.values():
        log = converter.structure(data, CaseLog)
        assert len(log.failures) <= policy.case_memory and len(log.clients) <= 32
    assert len(store.list_records(REFUSALS)) <= len(tries) // policy.max_failures
    window.prune(t.add(hours=policy.case_window_hours, minutes=policy.lock_minutes))
    assert [k for k, _ in store.list_records(ATTEMPTS)] == ["~prune"]
    window.prune(t.add(days=policy.log_days + 1))
    assert store.list_records(REFUSALS) == []


def test_parallel_attempts_check_no_more_passwords_than_the_policy_allows() -> None:
    window = make_window()
    receipt = window.intake(complete_application(), WINDOW, T0)
    window.public_status(receipt.case_number, receipt.password, T0)  # the first prune, done
    barrier = threading.Barrier(16)
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def attempt(i: int) -> None:
        barrier.wait()
        try:
            window.public_status(receipt.case_number, "WRONGPASS", T0.add(microseconds=i))
            outcome = "checked"
        except QueryRefusedError:
            outcome = "checked"
        except QueryLockedError:
            outcome = "locked"
        with lock:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == {"checked": window.settings.lockout.max_failures, "locked": 11}
