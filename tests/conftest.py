"""Shared fixtures for the library's own tests."""

from __future__ import annotations

import os

import pytest
from fuzz import _mutate  # noqa: F401  (registers the fuzz suite's hypothesis profiles)
from hypothesis import settings

from planning_core.plugins import Hooks, make_hooks

# ``HYPOTHESIS_PROFILE=nightly`` runs the fuzz suite (tests/fuzz) with thousands of examples,
# and every other property test without its own example count as many (docs/inputs.md).
if os.environ.get("HYPOTHESIS_PROFILE"):
    settings.load_profile(os.environ["HYPOTHESIS_PROFILE"])


@pytest.fixture(autouse=True)
def _no_installed_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    """The library's own tests see only the built-ins, whatever else is installed.

    A city plugin installed in the same environment (CI installs the example city) must not
    change case numbers or permit types under these tests; tests that want entry points
    set the variables themselves.
    """
    monkeypatch.setenv("PLANNING_CORE_LOAD_PLUGINS", "")


@pytest.fixture
def hooks() -> Hooks:
    """A fresh plugin manager with the built-ins and no installed third-party plugins."""
    return make_hooks(entry_points=False)
