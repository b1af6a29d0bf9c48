"""Translating ``sqlite3`` errors into the :class:`StorageError` subclasses that name the
file, the cause and what to do, and ending a transaction quietly after one.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import shutil
import sqlite3
from collections.abc import Callable
from typing import Concatenate, ParamSpec, Protocol, TypeVar

import attrs

from planning_core.errors import (
    NotADatabaseError,
    ReadOnlyStoreError,
    StorageError,
    StorageFullError,
    StorageWriteError,
    StoreBusyError,
    StoreUnavailableError,
)
from planning_core.storage._contract import JSON

#: How close to a limit (a file-size limit, the disk's free space) a failed write counts as
#: having hit it.
_NEAR = 1 << 20

P = ParamSpec("P")
R = TypeVar("R")


@attrs.frozen
class _Target:
    """What an error message needs to know about the store it happened in.

    :param read_only: why the store is open read-only, or None when it is writable.
    :param to_write: what to do to write it, when it is read-only.
    :param leave_no_files: read it, when no other process has it open, as immutable: without
        creating the ``-wal`` and ``-shm`` files, which SQLite would make with this process's
        owner and the file's permission bits, so that the file's owner could no longer write
        the store once they are left behind.
    """

    path: str
    read_only: str | None = None
    to_write: str = ""
    leave_no_files: bool = False


class _HasTarget(Protocol):
    _target: _Target


S = TypeVar("S", bound=_HasTarget)


def _translated(
    doing: str,
) -> Callable[[Callable[Concatenate[S, P], R]], Callable[Concatenate[S, P], R]]:
    """Turn every ``sqlite3.Error`` of the method into the :class:`StorageError` it means."""

    def decorate(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
        @functools.wraps(method)
        def guarded(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return method(self, *args, **kwargs)
            except sqlite3.Error as exc:
                raise _storage_error(exc, self._target, doing) from exc

        return guarded

    return decorate


def _read_only_message(target: _Target) -> str:
    return (
        f"{target.path} is open read-only because {target.read_only}: it can be read but "
        f"not written; to write, {target.to_write}. Nothing was written."
    )


def _primary(exc: sqlite3.Error) -> int | None:
    """SQLite's primary result code of ``exc`` (the extended code's low byte)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def _detail(exc: sqlite3.Error) -> str:
    return f"{getattr(exc, 'sqlite_errorname', None) or type(exc).__name__}: {exc}"


def _storage_error(exc: sqlite3.Error, target: _Target, doing: str) -> StorageError:
    """The :class:`StorageError` that says what ``exc`` means for the store and what to do.

    :param doing: ``opening``, ``reading``, ``writing to``, ``migrating`` or ``rolling back``.
    """
    path, detail, code = target.path, _detail(exc), _primary(exc)
    writing = doing not in ("opening", "reading")
    lost = {
        "writing to": "the unit of work was not kept",
        "migrating": "nothing of the migration was kept",
    }.get(doing, "nothing was written")
    unchanged = "The file was not changed." if not writing else f"{lost[0].upper()}{lost[1:]}."
    if code == sqlite3.SQLITE_FULL:
        return StorageFullError(
            f"writing to {path} failed: the disk is full ({detail}); {lost}, and what was "
            f"stored before is intact: free space on the disk holding "
            f"{os.path.dirname(os.path.abspath(path))} and retry"
        )
    if code == sqlite3.SQLITE_IOERR and writing:
        return _write_failure(path, detail, lost)
    if code == sqlite3.SQLITE_IOERR:
        return StorageError(
            f"reading {path} failed ({detail}): the disk may be failing, or a network share "
            f"went away; check them and retry"
        )
    # Every text planning_core writes is UTF-8: one that cannot be decoded was damaged
    # after it was written (Python's sqlite3 says so without an SQLite error code).
    undecodable = code is None and "Could not decode to UTF-8" in str(exc)
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB) or undecodable:
        return NotADatabaseError(
            f"{path} is not a usable store: it is not a SQLite database, or it is damaged "
            f"(truncated, or changed by another program) ({detail}); check the path, or "
            f"restore the file from a backup. {unchanged}"
        )
    if code == sqlite3.SQLITE_READONLY:
        if target.read_only is not None:
            return ReadOnlyStoreError(_read_only_message(target))
        return ReadOnlyStoreError(
            f"{path} cannot be written ({detail}): this process may not write the file or its "
            f"directory, or the file was moved or replaced while open; check its permissions "
            f"and open the store again. {unchanged}"
        )
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return StoreBusyError(
            f"{path} was locked by another process for longer than the busy timeout "
            f"({detail}); {lost}: retry, or raise ?busy_timeout_ms= in the store URL"
        )
    if code in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH):
        return StoreUnavailableError(
            f"cannot open {path} ({detail}); check that the file and its directory exist and "
            f"that this process may read them (and write them, to write). Nothing was written."
        )
    if code is None:  # not SQLite's error: the sqlite3 module's (a closed store, a bad value)
        return StorageError(
            f"{doing} {path} failed ({detail}); if the store was closed, open it again"
        )
    return StorageError(f"{doing} {path} failed ({detail}); {lost}")


def _write_failure(path: str, detail: str, lost: str) -> StorageWriteError:
    """An I/O error on a write: :class:`StorageFullError` when a limit the store can see
    (this process's file-size limit, the disk's free space) was reached, else a
    :class:`StorageWriteError` naming the possible causes."""
    causes = []
    limit = _file_size_limit()
    sizes = [
        os.path.getsize(f"{path}{end}")
        for end in ("", "-wal", "-journal")
        if os.path.exists(f"{path}{end}")
    ]
    if limit is not None and sizes and max(sizes) + _NEAR >= limit:
        causes.append(f"the file-size limit of this process ({limit} bytes, ulimit -f) is reached")
    directory = os.path.dirname(os.path.abspath(path))
    try:
        free = shutil.disk_usage(directory).free
    except OSError:
        free = None
    if free is not None and free < _NEAR:
        causes.append(f"the disk holding {directory} is full ({free} bytes free)")
    if causes:
        return StorageFullError(
            f"writing to {path} failed: {' and '.join(causes)} ({detail}); {lost}, and what "
            f"was stored before is intact: free space, or raise the limit, and retry"
        )
    return StorageWriteError(
        f"writing to {path} failed ({detail}): the disk may be full or failing, or a quota or "
        f"file-size limit reached; {lost}: check the disk and retry"
    )


def _file_size_limit() -> int | None:
    """This process's file-size limit in bytes (``ulimit -f``), or None when unlimited."""
    try:
        import resource
    except ImportError:  # not on POSIX
        return None
    soft, _ = resource.getrlimit(resource.RLIMIT_FSIZE)
    return None if soft == resource.RLIM_INFINITY else soft


def _roll_back_quietly(conn: sqlite3.Connection) -> None:
    """End an open transaction after an error; the error, not this, is what the caller sees."""
    if conn.in_transaction:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")


def _undo_savepoint(conn: sqlite3.Connection, name: str) -> None:
    """Undo and end savepoint ``name`` after an error inside it (quietly, as above)."""
    with contextlib.suppress(sqlite3.Error):
        conn.execute(f"ROLLBACK TO {name}")
        conn.execute(f"RELEASE {name}")


def _decode(raw: str) -> JSON:
    try:
        value: JSON = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise StorageError(
            f"a stored document is not valid JSON ({exc}); the file is damaged"
        ) from exc
    return value
