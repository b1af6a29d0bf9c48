"""Shared fixtures for the library's own tests."""

from __future__ import annotations

import pytest

from planning_core.plugins import Hooks, make_hooks


@pytest.fixture
def hooks() -> Hooks:
    """A fresh plugin manager with the built-ins and no installed third-party plugins."""
    return make_hooks(entry_points=False)
