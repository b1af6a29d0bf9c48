"""Fixtures for the rural room: a repository on each built-in backend, and the seed's data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from planning_core.rural import RuralRepository, import_csv
from planning_core.storage import Store, open_store

FIXTURES = Path(__file__).resolve().parent / "fixtures"

#: The seed sheets, in the order they must be imported (places first: the others refer to it).
SEED_SHEETS = ("places", "committees", "matters", "funding")


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store on each built-in backend."""
    url = "memory://" if request.param == "memory" else f"sqlite:///{tmp_path / 'rural.db'}"
    with open_store(url) as opened:
        yield opened


@pytest.fixture
def repository(store: Store) -> RuralRepository:
    """A rural repository on an empty store."""
    return RuralRepository(store)


@pytest.fixture
def seeded(repository: RuralRepository) -> RuralRepository:
    """The repository after importing the four seed sheets from tests/rural/fixtures."""
    for name in SEED_SHEETS:
        import_csv(repository, (FIXTURES / f"seed_{name}.csv").read_bytes())
    return repository
