from __future__ import annotations

from collections.abc import Iterator

import pytest
from _support.engine import make_engine

from planning_core.cases import Engine


@pytest.fixture
def engine() -> Iterator[Engine]:
    eng = make_engine()
    yield eng
    eng.store.close()
