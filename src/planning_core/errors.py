"""One exception tree, rooted at :class:`PlanningError`.

Every error the library raises on purpose is a ``PlanningError``, so a host system can catch
the whole family in one place. Each class also subclasses the matching built-in exception
(as attrs does with ``NotAnAttrsClassError(ValueError)``), so callers that already catch
``ValueError`` or ``LookupError`` keep working.

Messages name the offending value and say what to do about it. An error about one input
that has several problems lists all of them in :attr:`ValidationError.problems`, so a user
fixes a file once, not once per problem.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "CalendarCoverageError",
    "ConfigurationError",
    "ConflictError",
    "InvalidStateError",
    "NotFoundError",
    "PermissionDeniedError",
    "PlanningError",
    "PluginError",
    "SchemaVersionError",
    "StorageError",
    "ValidationError",
]


class PlanningError(Exception):
    """The root of every error planning_core raises on purpose."""


class ValidationError(PlanningError, ValueError):
    """An input is malformed or breaks a rule; nothing was changed.

    :param message: one sentence naming the bad value and what to do.
    :param problems: every problem found in the input, each naming where it is
        (a field path, a row and column, a node id). When given, the message is followed
        by one problem per line.
    """

    def __init__(self, message: str, problems: Iterable[str] = ()) -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        full = message if not self.problems else "\n  ".join([message, *self.problems])
        super().__init__(full)


class NotFoundError(PlanningError, LookupError):
    """A thing named by the caller (a case, a permit type, a backend) does not exist."""


class ConflictError(PlanningError, RuntimeError):
    """Another writer got there first (a stale sequence number, a taken slot); retry."""


class PermissionDeniedError(PlanningError, PermissionError):
    """The actor does not hold the post, or the authority, that the action needs."""


class InvalidStateError(PlanningError, RuntimeError):
    """The command is not allowed in the current state; the message says what is."""


class CalendarCoverageError(PlanningError, LookupError):
    """A calendar cannot answer for a date, for example outside the years it knows."""


class ConfigurationError(PlanningError, ValueError):
    """The library was set up wrongly: a duplicate registration, a bad setting."""


class StorageError(PlanningError, RuntimeError):
    """The store cannot do what was asked (unreachable, corrupt, misconfigured)."""


class SchemaVersionError(StorageError):
    """The database was written by a newer planning_core; it is left untouched."""


class PluginError(PlanningError, RuntimeError):
    """A plugin failed inside one of its hooks.

    :param plugin: the name the plugin was registered under.
    :param hook: the hook that was being called.
    :param cause: the exception the plugin raised (also chained as ``__cause__``).
    """

    def __init__(self, plugin: str, hook: str, cause: BaseException | None = None) -> None:
        self.plugin = plugin
        self.hook = hook
        detail = f": {type(cause).__name__}: {cause}" if cause is not None else ""
        super().__init__(
            f"plugin {plugin!r} failed in hook {hook!r}{detail}. "
            f"Fix or remove the plugin (PLANNING_CORE_BLOCK_PLUGINS={plugin} disables it)."
        )
