"""The fuzz suite's doors, prepared once per run: folders, samples, template stores."""

from __future__ import annotations

from pathlib import Path

import pytest
from fuzz._doors import DOORS, Prepared, prepare


@pytest.fixture(scope="session")
def doors(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Prepared]:
    """Every door, seeded with the library's built-ins only (no installed plugin), as the
    tests that run on them see it."""
    base: Path = tmp_path_factory.mktemp("doors")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PLANNING_CORE_LOAD_PLUGINS", "")
        return {door.name: prepare(door, base) for door in DOORS}
