"""``open_store(url)``: find the backend for a URL's scheme and open it."""

from __future__ import annotations

import inspect
from typing import Protocol

from planning_core._defaults import DEFAULT_STORE_URL
from planning_core.errors import ValidationError
from planning_core.registry import Registry
from planning_core.storage._contract import Store, StoreFactory

__all__ = ["DEFAULT_STORE_URL", "open_store", "storage_backends"]


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


def open_store(
    url: str = DEFAULT_STORE_URL, hooks: _BackendHooks | None = None, *, create: bool = True
) -> Store:
    """Open the store at ``url`` with the backend registered for its scheme.

    :param hooks: the plugins to ask (``installed_plugins()`` for the installed ones, such as
        PostgreSQL); None means the built-in backends only.
    :param create: whether a store that does not exist yet may be created (the default, for
        writers). Pass ``False`` to only open an existing one, as every command that only
        reads does: a mistyped path then raises :class:`StoreNotFoundError` instead of
        creating an empty store that answers "0 cases". ``memory://`` ignores it (a memory
        store exists only while it is open), and so does a plugin backend whose factory
        takes no ``create`` argument (written before there was one): it opens as it did.
    :raises ValidationError: when the URL has no scheme.
    :raises NotFoundError: when no backend is registered for the scheme (the message
        lists the registered ones).
    :raises StoreNotFoundError: when there is no store at ``url`` and ``create`` is False,
        or it cannot be created there (a directory that does not exist).
    :raises StorageError: (a subclass of it) when the store cannot be opened: see
        docs/storage.md, "When the store fails".
    """
    scheme, sep, _ = url.partition("://")
    if not sep or not scheme:
        raise ValidationError(
            f"store URL {url!r} has no scheme; write e.g. {DEFAULT_STORE_URL} or memory://"
        )
    factory = storage_backends(hooks).get(scheme.split("+", 1)[0])
    if _takes_create(factory):
        return factory(url, create=create)
    return factory(url)


def _takes_create(factory: StoreFactory) -> bool:
    """Whether ``factory`` accepts ``create=`` (a backend written before it did not)."""
    try:
        parameters = inspect.signature(factory).parameters.values()
    except (TypeError, ValueError):  # no signature to read: assume the current contract
        return True
    return any(p.name == "create" or p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters)
