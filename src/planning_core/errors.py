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
    "ForeignStoreError",
    "InvalidStateError",
    "MissingExtraError",
    "NotADatabaseError",
    "NotFoundError",
    "PermissionDeniedError",
    "PlanningError",
    "PluginError",
    "ReadOnlyStoreError",
    "SchemaVersionError",
    "StorageError",
    "StorageFullError",
    "StorageWriteError",
    "StoreBusyError",
    "StoreNotFoundError",
    "StoreUnavailableError",
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


class MissingExtraError(ConfigurationError, ImportError):
    """A feature needs an optional package that is not installed.

    The core installs only what approval needs; the site map, charts, the web door and the
    PDF documents each come with an extra (``pip install "planning-core[geo]"``). The
    message is one line naming the feature, the extra and the command that installs it, so
    the CLI can print it as is. It is also an ``ImportError``, so code that already guards
    an optional import with ``except ImportError`` keeps working.

    :param extra: the extra that brings the missing package (``"geo"``, ``"pdf"`` …).
    :param module: the module that could not be imported.
    """

    def __init__(self, message: str, *, extra: str, module: str) -> None:
        super().__init__(message)
        self.extra = extra
        self.name = module


class StorageError(PlanningError, RuntimeError):
    """The store cannot do what was asked (unreachable, corrupt, misconfigured).

    Every failure of a storage backend reaches the caller as a ``StorageError``, never as a
    driver's exception (``sqlite3``, ``psycopg``): most as one of the subclasses below, each
    saying what happened and what to do, so a host can tell "retry later" from "fix the
    path" from "free the disk" without parsing messages. The driver's exception is chained
    as ``__cause__``.
    """


class SchemaVersionError(StorageError):
    """The database was written by a newer planning_core; it is left untouched."""


class StoreNotFoundError(StorageError, NotFoundError):
    """There is no store where the URL points, and none was created.

    Raised when the caller asked not to create one (``open_store(url, create=False)``, as
    every command that only reads does), so a mistyped path is an error instead of a new,
    empty store answering "0 cases"; and when it cannot be created there at all (a
    directory or a PostgreSQL database that does not exist). Nothing was created.
    """


class NotADatabaseError(StorageError):
    """The URL names something that is not a readable database: a file that is not SQLite
    at all, a truncated or otherwise damaged file, a directory. It was not changed: check
    the path, or restore the file from a backup."""


class ForeignStoreError(StorageError):
    """The database (or PostgreSQL schema) holds tables planning_core did not create: it
    belongs to another application. It is refused and left exactly as it was, rather than
    having planning_core's tables mixed into it: name another file or schema."""


class ReadOnlyStoreError(StorageError):
    """The store may be read but not written: it was opened read-only (``?mode=ro``), the
    process may not write the file or its directory, or the PostgreSQL server refuses
    writes (a standby, a read-only transaction). Reads keep working; nothing was written."""


class StoreBusyError(StorageError):
    """Another process held the store's lock for longer than the wait allows; nothing was
    written: retry, or allow a longer wait (``?busy_timeout_ms=`` on SQLite)."""


class StoreUnavailableError(StorageError):
    """The store cannot be opened or reached: a file the process may not open, a database
    server that does not answer or went away. Nothing was written; fix access and retry."""


class StorageWriteError(StorageError):
    """Writing failed at the operating system (an I/O error on the disk); the unit of work
    was not kept. The message says what the store could find out about the cause."""


class StorageFullError(StorageWriteError):
    """There is no room for the write: the disk is full, or a quota or the process's
    file-size limit (``ulimit -f``) is reached. The unit of work was not kept and the data
    already stored is intact: free space (or raise the limit) and retry."""


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
