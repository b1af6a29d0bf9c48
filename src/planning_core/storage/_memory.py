"""``memory://``: the in-memory store, for tests and as the contract's reference fake.

Each ``open_store("memory://")`` gives a new, empty store; nothing outlives the object.
A lock makes each batch atomic with respect to threads of the same process.
"""

from __future__ import annotations

import json
import threading

from planning_core.storage._contract import JSON, Store

__all__ = ["MemoryStore"]


class MemoryStore(Store):
    """A store that lives in a dict. Documents are deep-copied in and out."""

    def __init__(self, url: str = "memory://") -> None:
        self.url = url
        self._lock = threading.RLock()
        self._records: dict[str, dict[str, str]] = {}

    def schema_version(self) -> int:
        return self.SCHEMA_VERSION

    def close(self) -> None:
        """Nothing to release; kept for the contract."""

    def _put_records(self, collection: str, records: dict[str, JSON]) -> None:
        # Serialize first so an unserializable document fails before anything changes.
        encoded = {key: json.dumps(doc, ensure_ascii=False) for key, doc in records.items()}
        with self._lock:
            self._records.setdefault(collection, {}).update(encoded)

    def _get_record(self, collection: str, key: str) -> JSON | None:
        with self._lock:
            raw = self._records.get(collection, {}).get(key)
        return None if raw is None else _decode(raw)

    def _list_records(self, collection: str, prefix: str) -> list[tuple[str, JSON]]:
        with self._lock:
            items = sorted(self._records.get(collection, {}).items())
        return [(k, _decode(v)) for k, v in items if k.startswith(prefix)]

    def _delete_records(self, collection: str, keys: list[str]) -> int:
        with self._lock:
            stored = self._records.get(collection, {})
            found = [k for k in keys if k in stored]
            for k in found:
                del stored[k]
        return len(found)


def _decode(raw: str) -> JSON:
    value: JSON = json.loads(raw)
    return value
