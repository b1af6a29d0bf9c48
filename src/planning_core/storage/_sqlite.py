"""``sqlite:///path``: the embedded default store.

Settings and why:

* WAL journal, so readers never block the writer and a crash keeps committed data;
* ``synchronous=FULL`` by default (``?synchronous=NORMAL`` in the URL trades the last
  commits on power loss for speed; a process crash loses nothing either way);
* a busy timeout, so concurrent writers from several processes wait instead of failing;
* ``BEGIN IMMEDIATE`` for every write transaction, so two writers serialize at the start
  rather than failing at commit;
* foreign keys on.

The schema version lives in ``PRAGMA user_version``. Opening runs the forward migrations
the file lacks; a file written by a newer planning_core is refused before anything is
written to it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

from planning_core.errors import SchemaVersionError, StorageError, ValidationError
from planning_core.storage._contract import JSON, Store

__all__ = ["SQLiteStore"]

_SYNCHRONOUS = ("OFF", "NORMAL", "FULL", "EXTRA")


def _migrate_1(conn: sqlite3.Connection) -> None:
    """Version 1: the records table."""
    conn.execute(
        """
        CREATE TABLE records (
            collection TEXT NOT NULL,
            key        TEXT NOT NULL,
            doc        TEXT NOT NULL,
            PRIMARY KEY (collection, key)
        ) WITHOUT ROWID
        """
    )


#: Forward migrations, in order; entry i brings the schema from version i to i + 1.
MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (_migrate_1,)


class SQLiteStore(Store):
    """A store in one SQLite file.

    :param url: ``sqlite:///relative/path.db``, ``sqlite:////absolute/path.db``, with
        optional ``?synchronous=NORMAL`` and ``?busy_timeout_ms=N``.
    """

    SCHEMA_VERSION = len(MIGRATIONS)

    def __init__(self, url: str) -> None:
        self.url = url
        self.path, options = _parse_url(url)
        self._conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        try:
            self._configure(options)
            self._migrate()
        except BaseException:
            self._conn.close()
            raise

    # -- lifecycle ----------------------------------------------------------------------

    def schema_version(self) -> int:
        version: int = self._conn.execute("PRAGMA user_version").fetchone()[0]
        return version

    def close(self) -> None:
        self._conn.close()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: ``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on error."""
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    # -- records ------------------------------------------------------------------------

    def _put_records(self, collection: str, records: dict[str, JSON]) -> None:
        rows = [(collection, k, json.dumps(v, ensure_ascii=False)) for k, v in records.items()]
        with self.write() as conn:
            conn.executemany(
                "INSERT INTO records (collection, key, doc) VALUES (?, ?, ?) "
                "ON CONFLICT (collection, key) DO UPDATE SET doc = excluded.doc",
                rows,
            )

    def _get_record(self, collection: str, key: str) -> JSON | None:
        row = self._conn.execute(
            "SELECT doc FROM records WHERE collection = ? AND key = ?", (collection, key)
        ).fetchone()
        return None if row is None else _decode(row[0])

    def _list_records(self, collection: str, prefix: str) -> list[tuple[str, JSON]]:
        rows = self._conn.execute(
            "SELECT key, doc FROM records WHERE collection = ? AND substr(key, 1, ?) = ? "
            "ORDER BY key",
            (collection, len(prefix), prefix),
        ).fetchall()
        return [(key, _decode(doc)) for key, doc in rows]

    def _delete_records(self, collection: str, keys: list[str]) -> int:
        with self.write() as conn:
            cursor = conn.executemany(
                "DELETE FROM records WHERE collection = ? AND key = ?",
                [(collection, k) for k in keys],
            )
            return cursor.rowcount

    # -- setup --------------------------------------------------------------------------

    def _configure(self, options: dict[str, str]) -> None:
        timeout = options.get("busy_timeout_ms", "30000")
        sync = options.get("synchronous", "FULL").upper()
        if not timeout.isdigit():
            raise ValidationError(f"busy_timeout_ms={timeout!r} in {self.url!r} is not a number")
        if sync not in _SYNCHRONOUS:
            raise ValidationError(
                f"synchronous={sync!r} in {self.url!r}; use one of {', '.join(_SYNCHRONOUS)}"
            )
        conn = self._conn
        conn.execute(f"PRAGMA busy_timeout = {int(timeout)}")
        self._refuse_newer()
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute(f"PRAGMA synchronous = {sync}")
        conn.execute("PRAGMA foreign_keys = ON")

    def _refuse_newer(self) -> None:
        found = self.schema_version()
        if found > self.SCHEMA_VERSION:
            raise SchemaVersionError(
                f"{self.path} has schema version {found}, newer than this planning_core "
                f"understands ({self.SCHEMA_VERSION}); upgrade planning_core to open it. "
                f"The file was not changed."
            )

    def _migrate(self) -> None:
        with self.write() as conn:
            current: int = conn.execute("PRAGMA user_version").fetchone()[0]
            if current > self.SCHEMA_VERSION:  # another process upgraded it meanwhile
                raise SchemaVersionError(
                    f"{self.path} has schema version {current}, newer than "
                    f"{self.SCHEMA_VERSION}; upgrade planning_core"
                )
            for version in range(current, self.SCHEMA_VERSION):
                MIGRATIONS[version](conn)
                conn.execute(f"PRAGMA user_version = {version + 1}")


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
    unknown = set(options) - {"synchronous", "busy_timeout_ms"}
    if unknown:
        raise ValidationError(
            f"unknown option(s) {', '.join(sorted(unknown))} in {url!r}; "
            f"known: synchronous, busy_timeout_ms"
        )
    return path, options


def _decode(raw: str) -> JSON:
    try:
        value: JSON = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise StorageError(
            f"a stored record is not valid JSON ({exc}); the file is damaged"
        ) from exc
    return value
