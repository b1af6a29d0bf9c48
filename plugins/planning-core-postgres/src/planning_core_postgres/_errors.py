"""psycopg's errors as the Store contract names them: each a :class:`StorageError` subclass
that says what happened at which server (its URL, password redacted) and what to do.

The driver's exception is chained as ``__cause__``; its class name stays in the message (as
``LockNotAvailable``), so an operator can still search for it.
"""

from __future__ import annotations

import psycopg
from psycopg import errors

from planning_core.errors import (
    NotADatabaseError,
    ReadOnlyStoreError,
    StorageError,
    StorageFullError,
    StoreBusyError,
    StoreNotFoundError,
    StoreUnavailableError,
)

__all__ = ["connect_error", "storage_error"]

#: SQLSTATEs of a server that is going away or not yet there (class 08 is the connection's).
_SERVER_GONE = ("57P01", "57P02", "57P03")


def _detail(exc: BaseException) -> str:
    """The driver's error on one line, led by its class name."""
    return f"{type(exc).__name__}: {' '.join(str(exc).split())}"


def storage_error(exc: psycopg.Error, where: str, doing: str) -> StorageError:
    """The :class:`StorageError` that says what ``exc`` means for the store at ``where``.

    :param doing: ``reading from``, ``writing to`` or ``opening``: what failed.
    """
    said = _detail(exc)
    lost = "the unit of work was not kept" if doing == "writing to" else "nothing was written"
    if isinstance(exc, errors.DiskFull):
        return StorageFullError(
            f"PostgreSQL at {where} has no room left on its disk ({said}); {lost}, and what was "
            f"stored before is intact: free space on the database server and retry"
        )
    if isinstance(exc, errors.ReadOnlySqlTransaction):
        return ReadOnlyStoreError(
            f"PostgreSQL at {where} refuses writes ({said}): the server is a standby, or "
            f"default_transaction_read_only is on; reads work. To write, point the URL at the "
            f"primary server, or turn default_transaction_read_only off. Nothing was written."
        )
    if isinstance(exc, errors.InvalidCatalogName):
        return StoreNotFoundError(
            f"no store at {where}: the database does not exist ({said}); check the URL, or "
            f"create the database (createdb). Nothing was created."
        )
    if isinstance(exc, errors.DataCorrupted | errors.IndexCorrupted):
        return NotADatabaseError(
            f"PostgreSQL at {where} reports damaged data ({said}); {lost}: restore the "
            f"database from a backup (REINDEX repairs a damaged index)"
        )
    if isinstance(exc, errors.InsufficientPrivilege):
        return StoreUnavailableError(
            f"the PostgreSQL user of {where} lacks a privilege ({said}); {lost}: grant it "
            f"(USAGE and CREATE on the schema, and the tables' privileges), or use another user"
        )
    if isinstance(exc, errors.LockNotAvailable | errors.QueryCanceled):
        return StoreBusyError(
            f"{doing} {where} waited too long for a lock or for the statement ({said}); {lost}: "
            f"retry, or allow a longer lock_timeout / statement_timeout"
        )
    if _connection_lost(exc):
        return StoreUnavailableError(
            f"the connection to PostgreSQL at {where} failed ({said}); {lost}: check that the "
            f"server runs and answers, then retry"
        )
    if doing == "writing to":
        return StorageError(f"PostgreSQL at {where} refused the write: {said}")
    return StorageError(f"{doing} {where} failed: {said}")


def connect_error(exc: psycopg.OperationalError, where: str) -> StorageError:
    """A failed connection attempt: no such database, or no server answering."""
    said = " ".join(str(exc).split())
    if "does not exist" in said and "database" in said:
        return StoreNotFoundError(
            f"no store at {where}: the database does not exist ({said}); check the URL, or "
            f"create the database (createdb). Nothing was created."
        )
    return StoreUnavailableError(
        f"cannot connect to PostgreSQL at {where} ({said}); check that the server runs and "
        f"that the URL's user, host, port and database are right"
    )


def _connection_lost(exc: psycopg.Error) -> bool:
    """Whether ``exc`` says the server went away (or never answered), not that it refused."""
    if not isinstance(exc, psycopg.OperationalError):
        return False
    state = exc.sqlstate
    return state is None or state.startswith("08") or state in _SERVER_GONE
