"""``open_store(url)``: find the backend for a URL's scheme and open it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from planning_core.errors import ValidationError
from planning_core.registry import Registry
from planning_core.storage._contract import Store, StoreFactory

if TYPE_CHECKING:
    from planning_core.plugins import Hooks

__all__ = ["DEFAULT_STORE_URL", "open_store", "storage_backends"]

#: The embedded default: a SQLite file in the working directory.
DEFAULT_STORE_URL = "sqlite:///planning-core.db"


def storage_backends(hooks: Hooks | None = None) -> Registry[StoreFactory]:
    """Every registered backend, keyed by URL scheme."""
    if hooks is None:
        from planning_core.plugins import make_hooks

        hooks = make_hooks()
    registry: Registry[StoreFactory] = Registry("storage backend")
    hooks.register_storage_backends(registry)
    return registry


def open_store(url: str = DEFAULT_STORE_URL, hooks: Hooks | None = None) -> Store:
    """Open the store at ``url`` with the backend registered for its scheme.

    :param hooks: the plugin manager to ask; by default one with the built-ins and the
        installed plugins.
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
