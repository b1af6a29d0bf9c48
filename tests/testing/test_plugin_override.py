"""Overriding a fixture, as a user's ``conftest.py`` would: the bureau moves to SQLite."""

from __future__ import annotations

import pytest

from planning_core.cases import CaseStatus
from planning_core.storage import SQLiteStore, Store
from planning_core.testing import Bureau, CaseFactory


@pytest.fixture
def pc_store(pc_sqlite_store: Store) -> Store:
    """Overridden here, as a user would, to run the bureau on SQLite."""
    return pc_sqlite_store


def test_overriding_pc_store_moves_the_bureau_to_sqlite(
    pc_bureau: Bureau, pc_cases: CaseFactory
) -> None:
    assert isinstance(pc_bureau.store, SQLiteStore)
    case_id = pc_cases.delivered("RURAL_CONSTRUCTION")
    assert pc_cases.state(case_id).status is CaseStatus.DELIVERED
    assert pc_bureau.engine.check_projection(case_id)
