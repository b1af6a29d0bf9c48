"""planning_core: an embeddable SDK for city and county planning bureaus (城乡规划局).

Only the names in ``__all__`` are promised; everything else may change. The rooms
(``planning_core.timing``, ``.workflow``, ``.cases`` …) each promise their own ``__all__``.
"""

from planning_core.errors import (
    CalendarCoverageError,
    ConfigurationError,
    ConflictError,
    ForeignStoreError,
    InvalidStateError,
    NotADatabaseError,
    NotFoundError,
    PermissionDeniedError,
    PlanningError,
    PluginError,
    ReadOnlyStoreError,
    SchemaVersionError,
    StorageError,
    StorageFullError,
    StorageWriteError,
    StoreBusyError,
    StoreNotFoundError,
    StoreUnavailableError,
    ValidationError,
)
from planning_core.markers import hookimpl
from planning_core.plugins import Hooks, make_hooks
from planning_core.registry import Registry
from planning_core.serialization import make_converter
from planning_core.storage import Store, open_store

__all__ = [
    "CalendarCoverageError",
    "ConfigurationError",
    "ConflictError",
    "ForeignStoreError",
    "Hooks",
    "InvalidStateError",
    "NotADatabaseError",
    "NotFoundError",
    "PermissionDeniedError",
    "PlanningError",
    "PluginError",
    "ReadOnlyStoreError",
    "Registry",
    "SchemaVersionError",
    "StorageError",
    "StorageFullError",
    "StorageWriteError",
    "Store",
    "StoreBusyError",
    "StoreNotFoundError",
    "StoreUnavailableError",
    "ValidationError",
    "hookimpl",
    "make_converter",
    "make_hooks",
    "open_store",
]
