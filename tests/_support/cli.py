"""The command line with a test's own plugins, as if they were the installed ones."""

from __future__ import annotations

import pytest

from planning_core.plugins import Hooks, make_hooks


def install_plugins(monkeypatch: pytest.MonkeyPatch, **plugins: object) -> None:
    """Make ``planning-core`` (which opens its bureau with the installed plugins) see only
    the built-ins and ``plugins`` (name → plugin object) for the rest of the test."""

    def installed(allowed: object = None) -> Hooks:
        hooks = make_hooks(entry_points=False)
        for name, plugin in plugins.items():
            hooks.register(plugin, name=name)
        return hooks

    monkeypatch.setattr("planning_core.bureau.installed_plugins", installed)
