"""The Store contract every backend keeps.

A store holds *records*: JSON documents in named collections, written atomically in
batches. The rooms above (rural planning, conservation, the engine's case projections)
decide what the documents mean; the store only promises that a batch is all-or-nothing,
that a committed batch is never lost, and that reads see committed data.

The contract is an abstract base class in the repository pattern's shape: public methods
check their arguments and call the backend's ``_`` methods, so every backend rejects bad
input the same way.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Mapping
from typing import Any, TypeAlias

from planning_core.errors import ValidationError

__all__ = ["JSON", "Store", "StoreFactory"]

#: A JSON object as Python data (what cattrs unstructures a model into).
JSON: TypeAlias = dict[str, Any]


class Store(abc.ABC):
    """The storage contract. Open one with :func:`planning_core.storage.open_store`."""

    #: The URL this store was opened from.
    url: str

    #: The schema version this code writes; a database with a newer one is refused.
    SCHEMA_VERSION: int = 1

    # -- records ------------------------------------------------------------------------

    def put_records(self, collection: str, records: Mapping[str, JSON]) -> None:
        """Write (insert or replace) ``records`` into ``collection`` in one transaction.

        Either every record is stored or none is.
        """
        _check_name(collection)
        for key, doc in records.items():
            _check_key(collection, key)
            if not isinstance(doc, dict):
                raise ValidationError(
                    f"record {collection}/{key} must be a JSON object (dict), not "
                    f"{type(doc).__name__}"
                )
        if records:
            self._put_records(collection, dict(records))

    def get_record(self, collection: str, key: str) -> JSON | None:
        """The record stored under ``key``, or None."""
        _check_name(collection)
        return self._get_record(collection, key)

    def list_records(self, collection: str, prefix: str = "") -> list[tuple[str, JSON]]:
        """All records of ``collection`` whose key starts with ``prefix``, sorted by key."""
        _check_name(collection)
        return self._list_records(collection, prefix)

    def delete_records(self, collection: str, keys: list[str]) -> int:
        """Delete the given keys in one transaction; returns how many existed."""
        _check_name(collection)
        return self._delete_records(collection, list(keys)) if keys else 0

    # -- lifecycle ----------------------------------------------------------------------

    @abc.abstractmethod
    def schema_version(self) -> int:
        """The schema version of the open database."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release connections; the store must not be used afterwards."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- backend ------------------------------------------------------------------------

    @abc.abstractmethod
    def _put_records(self, collection: str, records: dict[str, JSON]) -> None: ...

    @abc.abstractmethod
    def _get_record(self, collection: str, key: str) -> JSON | None: ...

    @abc.abstractmethod
    def _list_records(self, collection: str, prefix: str) -> list[tuple[str, JSON]]: ...

    @abc.abstractmethod
    def _delete_records(self, collection: str, keys: list[str]) -> int: ...


#: What a storage backend registers: the whole URL in, an open store out.
StoreFactory: TypeAlias = Callable[[str], Store]


def _check_name(collection: str) -> None:
    if not isinstance(collection, str) or not collection or not collection.isascii():
        raise ValidationError(
            f"collection name {collection!r} must be a non-empty ASCII string such as "
            f"'rural.township'"
        )


def _check_key(collection: str, key: object) -> None:
    if not isinstance(key, str) or not key:
        raise ValidationError(f"record key in {collection} must be a non-empty string, not {key!r}")
