"""Fixtures for the conservation room: the sample year, rules, and record factories."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from planning_core.conservation import (
    ConservationRule,
    ConsumptionRecord,
    Rank,
    ReceptionMeal,
    SiteProfile,
    Target,
    TripKind,
    TripRequest,
    conservation_rules,
    read_csv,
)
from planning_core.plugins import Hooks

DATA = Path(__file__).resolve().parent / "data"


def _read(name: str) -> list[Any]:
    _, records = read_csv((DATA / name).read_text(encoding="utf-8"), source=name)
    return records


@pytest.fixture
def data_dir() -> Path:
    """The sample files: two years of consumption, sites, targets, a retrofit."""
    return DATA


@pytest.fixture
def consumption() -> list[ConsumptionRecord]:
    """2025 (the baseline) and 2026, three sites, four resources, every month."""
    return _read("consumption_2025_2026.csv")


@pytest.fixture
def sites() -> list[SiteProfile]:
    return _read("sites.csv")


@pytest.fixture
def targets() -> list[Target]:
    return _read("targets.csv")


@pytest.fixture
def rules(hooks: Hooks) -> list[ConservationRule]:
    """The rules as the plugin manager registers them (the built-ins)."""
    return conservation_rules(hooks).values()


@pytest.fixture
def make_trip() -> Callable[..., TripRequest]:
    """A trip request with plain defaults; pass only what the test is about."""

    def make(**changes: Any) -> TripRequest:
        fields: dict[str, Any] = {
            "request_id": "T-1",
            "requester": "王科员",
            "rank": Rank.STAFF,
            "kind": TripKind.BUSINESS,
            "purpose": "送审材料",
            "departure": "2026-05-13T09:00:00+08:00",
            "origin": "规划局",
            "destination": "市政府",
        }
        fields.update(changes)
        return TripRequest(**fields)

    return make


@pytest.fixture
def make_meal() -> Callable[..., ReceptionMeal]:
    def make(guests: int, companions: int) -> ReceptionMeal:
        return ReceptionMeal(
            meal_id="J-1",
            host="办公室",
            on="2026-05-12",
            guests=guests,
            companions=companions,
            cost="1180.00",
        )

    return make
