"""The hook implementation: ``postgresql://`` and ``postgres://`` open a PostgresStore."""

from __future__ import annotations

from planning_core.hookspecs import hookimpl
from planning_core.registry import Registry
from planning_core.storage import StoreFactory
from planning_core_postgres._store import PostgresStore
from planning_core_postgres._url import SCHEMES

__all__ = ["planning_core_register_storage_backends"]


@hookimpl
def planning_core_register_storage_backends(registry: Registry[StoreFactory]) -> None:
    """Register both spellings libpq accepts, so any PostgreSQL URL a host has works."""
    for scheme in SCHEMES:
        registry.add(scheme, PostgresStore)
