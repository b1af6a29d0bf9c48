"""The store's URL and the file it names: the URL's settings, the checks made on the path
and the file's first bytes before SQLite opens it (a refused file is left unchanged), and
the connection itself.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from planning_core.errors import (
    ForeignStoreError,
    NotADatabaseError,
    StoreNotFoundError,
    StoreUnavailableError,
    ValidationError,
)
from planning_core.storage._sqlite_errors import _Target
from planning_core.storage._sqlite_schema import APPLICATION_ID

_SYNCHRONOUS = ("OFF", "NORMAL", "FULL", "EXTRA")
_MODES = ("ro", "rw", "rwc")

#: SQLite's name for a database in memory (``sqlite:///:memory:``), not a file.
_IN_MEMORY = ":memory:"
#: The first bytes of every SQLite database file.
_MAGIC = b"SQLite format 3\x00"


def _parse_url(url: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(url)
    if parts.scheme != "sqlite" or parts.netloc or not parts.path.startswith("/"):
        raise ValidationError(
            f"{url!r} is not a SQLite URL; write sqlite:///relative.db or "
            f"sqlite:////absolute/path.db"
        )
    path = parts.path[1:]
    if not path:
        raise ValidationError(f"{url!r} names no file; write sqlite:///bureau.db")
    options = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    unknown = set(options) - {"synchronous", "busy_timeout_ms", "mode"}
    if unknown:
        raise ValidationError(
            f"unknown option(s) {', '.join(sorted(unknown))} in {url!r}; "
            f"known: synchronous, busy_timeout_ms, mode"
        )
    return path, options


def _settings(url: str, options: dict[str, str]) -> tuple[int, str, str]:
    """(busy timeout in ms, synchronous, mode) from the URL, checked before anything opens."""
    timeout = options.get("busy_timeout_ms", "30000")
    sync = options.get("synchronous", "FULL").upper()
    mode = options.get("mode", "rwc").lower()
    if not timeout.isdigit():
        raise ValidationError(f"busy_timeout_ms={timeout!r} in {url!r} is not a number")
    if sync not in _SYNCHRONOUS:
        raise ValidationError(
            f"synchronous={sync!r} in {url!r}; use one of {', '.join(_SYNCHRONOUS)}"
        )
    if mode not in _MODES:
        raise ValidationError(
            f"mode={mode!r} in {url!r}; use ro (read only), rw (an existing file only) or "
            f"rwc (read, write, create: the default)"
        )
    return int(timeout), sync, mode


def _check_path(path: str, mode: str, create: bool) -> bool:
    """Whether the file exists; a missing one that may not be created is refused here,
    before SQLite could create it.

    :raises StoreNotFoundError: for a missing file that may not be created, or a missing
        directory.
    :raises NotADatabaseError: when the path is a directory.
    """
    if path == _IN_MEMORY:
        return False  # SQLite's own in-memory database: new on every open, like memory://
    if os.path.isdir(path):
        raise NotADatabaseError(
            f"{path} is a directory, not a store file; name a file in it, e.g. "
            f"sqlite:///{os.path.join(path, 'bureau.db')}"
        )
    if os.path.exists(path):
        return True
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise StoreNotFoundError(
            f"no store at {path}: the directory {directory} does not exist; check the path, "
            f"or create the directory first. Nothing was created."
        )
    if mode != "rwc":
        raise StoreNotFoundError(
            f"no store at {path} (no such file), and ?mode={mode} opens an existing store "
            f"only; check the path. Nothing was created."
        )
    if not create:
        raise StoreNotFoundError(
            f"no store at {path} (no such file); check the path, or run a command that "
            f"writes (open_store(..., create=True)) to create it. Nothing was created."
        )
    if not os.access(directory, os.W_OK):
        raise StoreUnavailableError(
            f"cannot create a store at {path}: this process may not write the directory "
            f"{directory}; check the path, or give the user running planning_core write "
            f"permission on the directory. Nothing was created."
        )
    return False


def _read_only_target(path: str, mode: str) -> _Target:
    """The store's target: read-only with its reason when it cannot (or may not) be written."""
    if mode == "ro":
        return _Target(path, "it was opened with ?mode=ro", "open it without ?mode=ro")
    if not os.access(path, os.W_OK):
        return _Target(
            path,
            "this process may not write the file",
            "give the user running planning_core write permission on the file and its "
            "directory, or copy it somewhere writable",
            leave_no_files=True,
        )
    logs = [f"{path}{end}" for end in ("-wal", "-shm")]
    stale = [log for log in logs if os.path.exists(log) and not os.access(log, os.W_OK)]
    if stale:
        return _Target(
            path,
            f"this process may not write {' and '.join(stale)}, which SQLite keeps beside the "
            f"file (another user's process has the store open, or left them behind)",
            "make them writable by the user running planning_core, or remove them while no "
            "process has the store open",
        )
    directory = os.path.dirname(os.path.abspath(path))
    logs_writable = all(os.access(log, os.W_OK) for log in logs)
    if not os.access(directory, os.W_OK) and not logs_writable:
        return _Target(
            path,
            f"this process may not write its directory {directory}, where SQLite keeps the "
            f"file's write-ahead log",
            "give the user running planning_core write permission on that directory, or "
            "move the file to one it may write",
            leave_no_files=True,
        )
    return _Target(path)


def _check_header(path: str) -> None:
    """Refuse, from its first bytes and before SQLite reads it, a file that is not a SQLite
    database or carries another application's id.

    :raises NotADatabaseError: for junk, or a file cut short of SQLite's 100-byte header.
    :raises ForeignStoreError: for another application's ``application_id``.
    """
    try:
        with open(path, "rb") as file:
            header = file.read(100)
    except OSError as exc:
        raise StoreUnavailableError(
            f"cannot read {path} ({exc.strerror}); check that this process may read the file"
        ) from exc
    if not header:
        return  # an empty file is an empty database: a new store, when it may be created
    if not header.startswith(_MAGIC):
        raise NotADatabaseError(
            f"{path} is not a SQLite database (it does not begin with SQLite's header); check "
            f"the path: a store is a file planning_core created. The file was not changed."
        )
    if len(header) < 100:
        raise NotADatabaseError(
            f"{path} is damaged: it ends inside SQLite's 100-byte header ({len(header)} bytes); "
            f"restore it from a backup. The file was not changed."
        )
    app_id = int.from_bytes(header[68:72], "big")
    if app_id not in (0, APPLICATION_ID):
        raise ForeignStoreError(
            f"{path} belongs to another application: its SQLite application_id is "
            f"{app_id:#010x}, planning_core's is {APPLICATION_ID:#010x}; name another file "
            f"for the store. The file was not changed."
        )


def _sqlite(uri: str, timeout: int) -> sqlite3.Connection:
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    try:
        conn.execute(f"PRAGMA busy_timeout = {timeout}")
    except BaseException:
        conn.close()
        raise
    return conn


def _probed(conn: sqlite3.Connection) -> sqlite3.Connection:
    """``conn`` once it has read the schema (the first read is where opening fails)."""
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except BaseException:
        conn.close()
        raise
    return conn


def _uri(path: str, mode: str, *, immutable: bool = False) -> str:
    """The file as a SQLite URI (``file:…?mode=…``); the path's special characters quoted."""
    if path == _IN_MEMORY:
        return "file::memory:"
    uri = f"{Path(path).absolute().as_uri()}?mode={mode}"
    return f"{uri}&immutable=1" if immutable else uri
