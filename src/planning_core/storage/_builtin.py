"""The built-in storage backends, registered through the public hook like any plugin."""

from __future__ import annotations

from planning_core.markers import hookimpl
from planning_core.registry import Registry
from planning_core.storage._contract import StoreFactory
from planning_core.storage._memory import MemoryStore
from planning_core.storage._sqlite import SQLiteStore


@hookimpl(tryfirst=True)
def planning_core_register_storage_backends(registry: Registry[StoreFactory]) -> None:
    """``memory://`` and ``sqlite:///path``."""
    registry.add("memory", MemoryStore)
    registry.add("sqlite", SQLiteStore)
