"""The typed registry handed to every ``planning_core_register_*`` hook.

Following tox's ``ToxEnvRegister`` and llm's ``register`` callback, a plugin does not return
things for the host to merge: it calls :meth:`Registry.add`, and the registry checks each
entry at once. A duplicate key is an error that names the key, unless the plugin says
``replace=True`` on purpose (how a city swaps a built-in conservation rule or calendar).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

from planning_core.errors import ConfigurationError, NotFoundError

__all__ = ["Registry"]

T = TypeVar("T")


class Registry(Generic[T]):
    """A mapping from a key to one registered item, filled by plugins.

    Built-in plugins run first (their hook implementations are ``tryfirst``), so a
    third-party plugin sees the defaults already present and may replace or remove them.

    :param kind: what is registered, in words, for error messages ("storage backend").
    """

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._items: dict[str, T] = {}

    def add(self, key: str, item: T, *, replace: bool = False) -> None:
        """Register ``item`` under ``key``.

        :param replace: allow overwriting an existing entry; without it a duplicate key
            raises :class:`ConfigurationError`, so two plugins cannot silently fight.
        """
        if not isinstance(key, str) or not key:
            raise ConfigurationError(f"a {self.kind} key must be a non-empty string, not {key!r}")
        if key in self._items and not replace:
            raise ConfigurationError(
                f"{self.kind} {key!r} is already registered; choose another key, "
                f"or pass replace=True to replace it on purpose"
            )
        self._items[key] = item

    def remove(self, key: str) -> None:
        """Switch an entry off, for example a built-in rule a city does not apply."""
        self._require(key)
        del self._items[key]

    def get(self, key: str) -> T:
        """Return the entry for ``key``; an unknown key names the known ones."""
        return self._items[self._require(key)]

    def keys(self) -> list[str]:
        """Keys in registration order."""
        return list(self._items)

    def values(self) -> list[T]:
        """Items in registration order."""
        return list(self._items.values())

    def items(self) -> list[tuple[str, T]]:
        """(key, item) pairs in registration order."""
        return list(self._items.items())

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"Registry({self.kind!r}, keys={self.keys()!r})"

    def _require(self, key: str) -> str:
        if key not in self._items:
            known = ", ".join(sorted(self._items)) or "none"
            raise NotFoundError(f"unknown {self.kind} {key!r}; registered: {known}")
        return key
