"""Fixtures for the reports: the demo's day, and a recorded year generated through the engine."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from _support.engine import make_engine
from reports._demo import demo_engine
from reports._reference import YearReference, cut, reference_of
from reports._year import generate_year

from planning_core.cases import Engine

#: How many cases the recorded year has (PLANNING_CORE_YEAR_CASES overrides, for a quick run).
YEAR_CASES = int(os.environ.get("PLANNING_CORE_YEAR_CASES", "5000"))


@pytest.fixture(scope="session")
def demo() -> Engine:
    """The demo's data, in memory, shared by the tests that only read it."""
    return demo_engine()


@pytest.fixture(scope="session")
def recorded_year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding a generated year (2025) of the sample bureau's cases.

    Generated once per session (the slowest part of the reports' tests) and closed, so the
    file is complete and a test can compare its bytes before and after reading it.
    """
    path = tmp_path_factory.mktemp("year") / "year.db"
    engine = make_engine(f"sqlite:///{path}?synchronous=OFF")
    generate_year(engine, YEAR_CASES)
    engine.store.close()
    return path


@pytest.fixture(scope="session")
def year_reference(recorded_year: Path) -> YearReference:
    """The reference figures of 2025 over the recorded year, and the histories they came from."""
    engine = make_engine(f"sqlite:///{recorded_year}")
    closes, histories = cut(engine, dt.date(2025, 12, 31))
    figures = reference_of(engine, histories, dt.date(2025, 1, 1), closes)
    engine.store.close()
    return YearReference(closes, histories, figures)


@pytest.fixture
def year_engine(recorded_year: Path) -> Iterator[Engine]:
    """An engine of the sample bureau reading the recorded year."""
    engine = make_engine(f"sqlite:///{recorded_year}")
    yield engine
    engine.store.close()
