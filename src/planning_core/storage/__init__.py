"""Storage: the Store contract, ``open_store(url)``, and the built-in backends.

The store knows rows and JSON, not domain rules. Backends are found by URL scheme through
the ``planning_core_register_storage_backends`` hook: ``memory://`` (tests, fakes) and
``sqlite:///path`` (the embedded default) are built in; PostgreSQL comes as a plugin.
"""

from planning_core.storage._contract import (
    INDEXED_COLUMNS,
    JSON,
    CaseHead,
    CaseRow,
    CaseSnapshot,
    EncodedDocument,
    EventRecord,
    Store,
    StoreFactory,
    UnitOfWork,
    WorkItem,
    check_limit,
    document_text,
)
from planning_core.storage._memory import MemoryStore
from planning_core.storage._open import DEFAULT_STORE_URL, open_store
from planning_core.storage._sqlite import SQLiteStore

__all__ = [
    "DEFAULT_STORE_URL",
    "INDEXED_COLUMNS",
    "JSON",
    "CaseHead",
    "CaseRow",
    "CaseSnapshot",
    "EncodedDocument",
    "EventRecord",
    "MemoryStore",
    "SQLiteStore",
    "Store",
    "StoreFactory",
    "UnitOfWork",
    "WorkItem",
    "check_limit",
    "document_text",
    "open_store",
]
