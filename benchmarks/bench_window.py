"""The window's public query: equal work under mixed scrypt parameters, and the throttle.

Run: ``.venv/bin/python benchmarks/bench_window.py [--n 40]``

Prints, all measured in the same run (nothing is asserted):

1. **Timing, mixed parameters.** A SQLite store holding hashes made with the old, cheaper
   parameters (n=2**11, r=8, p=1: what the bureau used before it raised the cost) and with
   the current production ones (n=2**14, r=8, p=1). The raw cost of one scrypt of each set
   (the peer: what a query must pay at least), then the median time of a status query with
   the right password, a wrong password on an old-hash case, a wrong password on a
   new-hash case, and an unknown case number, measured in interleaved rounds, each from a
   fresh client key so that the throttle does not interfere. The ratios unknown / wrong
   must stay within 0.8–1.25 (before this version a wrong password on an old hash cost a
   tenth of an unknown number). Intake and an appointment booking for scale.
2. **Guessing, simulated on injected time under the default LockoutPolicy.** How many
   passwords one client can check against one case in a day, trying again the moment it
   is allowed; how many numbers one client can try in a day (a list of numbers, one try
   each); and the same for 10 clients against one case.
3. **Denial.** A stranger (one key, then 10 keys) tries a case greedily all day while the
   owner queries every 15 minutes with the right password from the owner's key: the
   owner's queries refused per day (must be 0).

The simulations run on the in-memory store with cheap scrypt: they count, they do not time.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pendulum

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import contextlib

from _support.engine import WINDOW, make_engine

from planning_core.window import (
    Application,
    QueryLockedError,
    QueryRefusedError,
    ScryptParameters,
    Window,
    WindowSettings,
    generate_password,
    hash_password,
)

T0 = pendulum.datetime(2026, 3, 2, 9, tz="Asia/Shanghai")
OLD = ScryptParameters(n=2**11)
CURRENT = ScryptParameters()
CHEAP = ScryptParameters(n=2**4, r=1)
APPLICATION = Application("TEST", "某公司", "某项目", ("application", "site_plan"))


def _timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    with contextlib.suppress(QueryRefusedError):
        call()
    return (time.perf_counter() - start) * 1000


def _line(name: str, samples: list[float]) -> float:
    median = statistics.median(samples)
    spread = statistics.pstdev(samples)
    print(f"{name:<42} median {median:7.2f} ms   stdev {spread:6.2f} ms   n={len(samples)}")
    return median


def timing(n: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'window.db'}")
        before = Window(engine, WindowSettings(scrypt=OLD))
        old = before.intake(APPLICATION, WINDOW, T0)
        window = Window(engine, WindowSettings(scrypt=CURRENT))
        intakes = [
            _timed(lambda i=i: window.intake(APPLICATION, WINDOW, T0.add(seconds=i)))
            for i in range(n)
        ]
        new = window.intake(APPLICATION, WINDOW, T0.add(minutes=1))
        raw_old = [_timed(lambda: hash_password(generate_password(), OLD)) for _ in range(n)]
        raw_new = [_timed(lambda: hash_password(generate_password(), CURRENT)) for _ in range(n)]
        window.public_status(new.case_number, new.password, T0, client="warm-up")
        kinds = {
            "right": (new.case_number, new.password),
            "wrong_old": (old.case_number, "WRONGPASS"),
            "wrong_new": (new.case_number, "WRONGPASS"),
            "unknown": ("2026-999999", "WRONGPASS"),
        }
        samples: dict[str, list[float]] = {kind: [] for kind in kinds}
        order = list(kinds)
        for i in range(n):  # interleaved rounds, the order turned each round
            t = T0.add(hours=1, minutes=4 * i)
            for kind in order[i % 4 :] + order[: i % 4]:
                number, password = kinds[kind]
                query = functools.partial(
                    window.public_status, number, password, t, client=f"{kind}-{i}"
                )
                samples[kind].append(_timed(query))
        slots = [s.start for s in window.appointments.slots("2026-03-03") for _ in range(2)]
        booking = [
            _timed(lambda s=s: window.appointments.book(s, applicant="访客", topic="咨询", at=T0))
            for s in slots
        ]
        engine.store.close()
    print("1. timing: hashes with n=2**11 (old) and n=2**14 (current), r=8 p=1; SQLite FULL")
    old_raw = _line("raw scrypt, old parameters (peer)", raw_old)
    new_raw = _line("raw scrypt, current parameters (peer)", raw_new)
    _line("intake (receipt, one transaction)", intakes)
    _line("status, right password", samples["right"])
    wrong_old_median = _line("status, wrong password, old hash", samples["wrong_old"])
    wrong_new_median = _line("status, wrong password, current hash", samples["wrong_new"])
    unknown_median = _line("status, unknown case number", samples["unknown"])
    _line("appointment booking", booking)
    print(f"raw old + raw current (what each query must spend): {old_raw + new_raw:.2f} ms")
    print(f"ratio unknown / wrong (old hash):     {unknown_median / wrong_old_median:.3f}")
    print(f"ratio unknown / wrong (current hash): {unknown_median / wrong_new_median:.3f}")
    print(f"ratio wrong (old) / raw old + current: {wrong_old_median / (old_raw + new_raw):.3f}")


# -- the throttle, on injected time ------------------------------------------------------------


def _window() -> Window:
    return Window(make_engine(), WindowSettings(scrypt=CHEAP))


def _attack(
    window: Window,
    number: str,
    clients: list[str],
    end: pendulum.DateTime,
    owner: tuple[str, str] | None = None,
) -> tuple[int, int, int]:
    """``clients`` try wrong passwords on ``number`` from T0 to ``end``, each again the moment
    it is allowed, interleaved in time; the ``owner`` (key, password), if given, asks every
    15 minutes. Returns (wrong passwords checked, owner queries, owner queries refused)."""
    next_try = dict.fromkeys(clients, T0)
    owner_at = T0.add(seconds=7)
    checked = asked = refused = 0
    while True:
        client = min(next_try, key=lambda c: next_try[c])
        t = next_try[client]
        if owner is not None and owner_at <= t and owner_at < end:
            asked += 1
            try:
                window.public_status(number, owner[1], owner_at, client=owner[0])
            except (QueryLockedError, QueryRefusedError):
                refused += 1
            owner_at = owner_at.add(minutes=15)
            continue
        if t >= end:
            return checked, asked, refused
        try:
            window.public_status(number, "WRONGPASS", t, client=client)
        except QueryRefusedError:
            checked += 1
        except QueryLockedError as locked:
            until = pendulum.parse(locked.until)
            assert isinstance(until, pendulum.DateTime)
            next_try[client] = max(t.add(seconds=1), until)


def guessing() -> None:
    end = T0.add(days=1)
    policy = WindowSettings().lockout
    print()
    print(
        f"2. guessing under the default policy: {policy.max_failures} per client within "
        f"{policy.window_minutes} min, then {policy.lock_minutes} min; a number tried "
        f"{policy.case_free_failures} times in {policy.case_window_hours} h: each client waits "
        f"{policy.case_delay_seconds} s doubling to {policy.case_max_delay_minutes} min"
    )
    window = _window()
    receipt = window.intake(APPLICATION, WINDOW, T0)
    one, _, _ = _attack(window, receipt.case_number, ["attacker"], end)
    print(f"one client against one case:          {one:6d} passwords checked per day")
    window = _window()
    numbers, t = 0, T0
    while t < end:
        try:
            window.public_status(f"2026-{numbers:06d}", "WRONGPASS", t, client="walker")
        except QueryRefusedError:
            numbers += 1
        except QueryLockedError as locked:
            until = pendulum.parse(locked.until)
            assert isinstance(until, pendulum.DateTime)
            t = until
    print(f"one client walking a list of numbers: {numbers:6d} numbers tried per day")
    window = _window()
    receipt = window.intake(APPLICATION, WINDOW, T0)
    ten, _, _ = _attack(window, receipt.case_number, [f"bot-{k}" for k in range(10)], end)
    print(f"ten clients against one case:         {ten:6d} passwords checked per day")
    years = 2**49 / one / 365
    print(f"a 50-bit password at the one-client rate: {years:.1e} years on average")


def denial() -> None:
    print()
    print("3. denial: strangers try one case greedily all day; the owner asks every 15 minutes")
    for strangers in (1, 10):
        window = _window()
        receipt = window.intake(APPLICATION, WINDOW, T0)
        keys = [f"stranger-{k}" for k in range(strangers)]
        owner = ("owner", receipt.password)
        checked, asked, refused = _attack(window, receipt.case_number, keys, T0.add(days=1), owner)
        print(
            f"{strangers:2d} stranger key(s): {checked:5d} wrong tries checked; the owner "
            f"asked {asked} times, refused {refused}: denial rate {refused} per day"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40, help="queries of each kind")
    args = parser.parse_args()
    timing(args.n)
    guessing()
    denial()


if __name__ == "__main__":
    main()
