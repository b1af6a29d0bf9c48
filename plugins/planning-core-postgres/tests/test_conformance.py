"""The storage conformance suite on PostgreSQL, several processes included."""

from __future__ import annotations

import pytest

from planning_core.testing.storage import StoreConformance


class TestPostgresStore(StoreConformance):
    SHARED_ACROSS_PROCESSES = True

    @pytest.fixture
    def store_url(self, postgres_schema_url: str) -> str:
        return postgres_schema_url
