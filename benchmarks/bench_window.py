"""The window's public query: a wrong password against an unknown case number, in time.

Prints, with the production scrypt parameters (n=2**14, r=8, p=1) on a SQLite file:

* the time of one intake (receive, accept, hash the password: one transaction);
* the time of a status query with the right password, with a wrong one, and with an unknown
  case number (median and spread of N each), and the ratio unknown / wrong, which should be
  close to 1: the two answers must not be told apart by their timing;
* the time of one appointment booking.

Run: ``.venv/bin/python benchmarks/bench_window.py [--n 40]``
"""

from __future__ import annotations

import argparse
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
    QueryRefusedError,
    Window,
    WindowSettings,
)

T0 = pendulum.datetime(2026, 3, 2, 9, tz="Asia/Shanghai")


def _timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    with contextlib.suppress(QueryRefusedError):
        call()
    return (time.perf_counter() - start) * 1000


def _line(name: str, samples: list[float]) -> float:
    median = statistics.median(samples)
    spread = statistics.pstdev(samples)
    print(f"{name:<34} median {median:7.2f} ms   stdev {spread:6.2f} ms   n={len(samples)}")
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40, help="queries of each kind")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'window.db'}")
        window = Window(engine, WindowSettings())
        application = Application("TEST", "某公司", "某项目", ("application", "site_plan"))
        intakes = [
            _timed(lambda i=i: window.intake(application, WINDOW, T0.add(seconds=i)))
            for i in range(args.n)
        ]
        receipt = window.intake(application, WINDOW, T0.add(minutes=1))
        # Four minutes apart, so that no number reaches five failures within 15 minutes.
        instants = [T0.add(hours=1, minutes=4 * i) for i in range(args.n)]
        right, wrong, unknown = [], [], []
        for t in instants:
            right.append(
                _timed(lambda t=t: window.public_status(receipt.case_number, receipt.password, t))
            )
            wrong.append(
                _timed(lambda t=t: window.public_status(receipt.case_number, "WRONGPASS", t))
            )
            unknown.append(_timed(lambda t=t: window.public_status("2026-999999", "WRONGPASS", t)))
        slots = [s.start for s in window.appointments.slots("2026-03-03") for _ in range(2)]
        booking = [
            _timed(lambda s=s: window.appointments.book(s, applicant="访客", topic="咨询", at=T0))
            for s in slots
        ]
        engine.store.close()
    print("scrypt n=2**14 r=8 p=1, SQLite synchronous=FULL")
    _line("intake (receipt, one transaction)", intakes)
    _line("status, right password", right)
    wrong_median = _line("status, wrong password", wrong)
    unknown_median = _line("status, unknown case number", unknown)
    _line("appointment booking", booking)
    print(f"ratio unknown / wrong: {unknown_median / wrong_median:.3f}")


if __name__ == "__main__":
    main()
