"""``open_store(url)``: find the backend for a URL's scheme and open it."""

from __future__ import annotations

from typing import Protocol

from planning_core.errors import ValidationError
from planning_core.registry import Registry
from planning_core.storage._contract import Store, StoreFactory

__all__ = ["DEFAULT_STORE_URL", "open_store", "storage_backends"]

#: The embedded default: a SQLite file in the working directory.
DEFAULT_STORE_URL = "sqlite:///planning-core.db"


class _BackendHooks(Protocol):
    """What this room needs of a plugin manager (``planning_core.plugins.Hooks`` has it)."""

    def register_storage_backends(self, registry: Registry[StoreFactory]) -> None: ...


def storage_backends(hooks: _BackendHooks | None = None) -> Registry[StoreFactory]:
    """Every registered backend, keyed by URL scheme.

    :param hooks: the plugins to ask; None means the built-in backends only (``memory``
        and ``sqlite``), as everywhere in the library.
    """
    registry: Registry[StoreFactory] = Registry("storage backend")
    if hooks is None:
        from planning_core.storage._builtin import planning_core_register_storage_backends

        planning_core_register_storage_backends(registry)
    else:
        hooks.register_storage_backends(registry)
    return registry


def open_store(url: str = DEFAULT_STORE_URL, hooks: _BackendHooks | None = None) -> Store:
    """Open the store at ``url`` with the backend registered for its scheme.

    :param hooks: the plugins to ask (``installed_plugins()`` for the installed ones, such as
        PostgreSQL); None means the built-in backends only.
    :raises ValidationError: when the URL has no scheme.
    :raises NotFoundError: when no backend is registered for the scheme (the message
        lists the registered ones).
    """
    scheme, sep, _ = url.partition("://")
    if not sep or not scheme:
        raise ValidationError(
            f"store URL {url!r} has no scheme; write e.g. {DEFAULT_STORE_URL} or memory://"
        )
    factory = storage_backends(hooks).get(scheme.split("+", 1)[0])
    return factory(url)
