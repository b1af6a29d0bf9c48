"""planning_core: an embeddable SDK for city and county planning bureaus (城乡规划局).

Only the names in ``__all__`` are promised; everything else may change. The rooms
(``planning_core.timing``, ``.workflow``, ``.cases`` …) each promise their own ``__all__``.

``pip install planning-core`` brings only what approval needs; the site map, charts, the
web door and the PDF documents come with extras (``[geo]``, ``[charts]``, ``[web]``,
``[pdf]``, or ``[all]``), see docs/install.md.
"""

#: The distribution's version; the build reads it from here (pyproject's [tool.hatch.version]).
__version__ = "0.1.0"

import importlib as _importlib
import typing as _typing

from planning_core.errors import (
    CalendarCoverageError,
    ConfigurationError,
    ConflictError,
    ForeignStoreError,
    InvalidStateError,
    MissingExtraError,
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

if _typing.TYPE_CHECKING:
    from planning_core.markers import hookimpl
    from planning_core.plugins import Hooks, make_hooks
    from planning_core.registry import Registry
    from planning_core.serialization import make_converter
    from planning_core.storage import Store, open_store

#: Where each promised name beyond the errors lives. They are imported on first use, so
#: ``import planning_core`` (and every command's start) does not pay for pluggy, cattrs and
#: the storage room until a program asks for them (PEP 562).
_LAZY = {
    "hookimpl": "planning_core.markers",
    "Hooks": "planning_core.plugins",
    "make_hooks": "planning_core.plugins",
    "Registry": "planning_core.registry",
    "make_converter": "planning_core.serialization",
    "Store": "planning_core.storage",
    "open_store": "planning_core.storage",
}


def __getattr__(name: str) -> _typing.Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'planning_core' has no attribute {name!r}")
    value = getattr(_importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "CalendarCoverageError",
    "ConfigurationError",
    "ConflictError",
    "ForeignStoreError",
    "Hooks",
    "InvalidStateError",
    "MissingExtraError",
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
