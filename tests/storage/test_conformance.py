"""The storage conformance suite on the built-in backends."""

from __future__ import annotations

from pathlib import Path

import pytest

from planning_core.testing.storage import StoreConformance


class TestMemoryStore(StoreConformance):
    @pytest.fixture
    def store_url(self) -> str:
        return "memory://"


class TestSQLiteStore(StoreConformance):
    SHARED_ACROSS_PROCESSES = True

    @pytest.fixture
    def store_url(self, tmp_path: Path) -> str:
        return f"sqlite:///{tmp_path / 'bureau.db'}"
