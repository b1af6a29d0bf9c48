"""A bureau on a SQLite file with a few cases, and an attacker who can write to the file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pendulum
import pytest
from _support.ledger import PERMIT, ZONE, Attacker

from planning_core.bureau import Bureau, open_bureau
from planning_core.testing import CaseFactory, ManualClock, make_bureau


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "bureau.db"


@pytest.fixture
def url(db: Path) -> str:
    return f"sqlite:///{db}"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(pendulum.datetime(2026, 12, 1, 9, tz=ZONE))


@pytest.fixture
def seeded(url: str, clock: ManualClock) -> list[str]:
    """Four cases on the file: c-a accepted, c-b accepted, c-c received, c-d accepted."""
    with make_bureau(url) as bureau:
        factory = CaseFactory(bureau, clock)
        made = []
        for case_id in ("c-a", "c-b", "c-c", "c-d"):
            if case_id == "c-c":
                factory.submit(PERMIT, case_id=case_id)
            else:
                factory.accepted(PERMIT, case_id=case_id)
            made.append(case_id)
            clock.advance(hours=1)
    return made


@pytest.fixture
def reopen(url: str) -> Iterator[Callable[[], Bureau]]:
    """A fresh bureau on the file each call (no cache from before the attack)."""
    opened: list[Bureau] = []

    def make() -> Bureau:
        bureau = open_bureau(store=url)
        opened.append(bureau)
        return bureau

    yield make
    for bureau in opened:
        bureau.close()


@pytest.fixture
def attacker(db: Path) -> Attacker:
    return Attacker(db)
