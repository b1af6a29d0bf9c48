from __future__ import annotations

from collections.abc import Iterator

import pytest
from window._helpers import make_window

from planning_core.window import Window


@pytest.fixture
def window() -> Iterator[Window]:
    """A window on a fresh in-memory store with the sample bureau (permit type TEST)."""
    made = make_window()
    yield made
    made.engine.store.close()
