"""The SQLite schema: planning_core's application id, the forward migrations, and what a
file holds (its mark, its version, its tables) to tell a store of ours from another
application's database.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable

__all__ = ["APPLICATION_ID", "MIGRATIONS"]

#: ``PRAGMA application_id`` of every planning_core SQLite file: "PLNC" in ASCII. A file
#: with another id belongs to another application and is refused, unchanged.
APPLICATION_ID = 0x504C4E43


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


def _migrate_2(conn: sqlite3.Connection) -> None:
    """Version 2: case histories, projections, the posts' work items, sequences."""
    _run_script(
        conn,
        """
        CREATE TABLE cases (
            case_id     TEXT PRIMARY KEY,
            case_number TEXT UNIQUE,
            permit_type TEXT NOT NULL,
            status      TEXT NOT NULL,
            light       TEXT NOT NULL,
            is_open     INTEGER NOT NULL,
            month       TEXT NOT NULL,
            last_seq    INTEGER NOT NULL,
            deadline_ts INTEGER,
            wake_ts     INTEGER,
            doc         TEXT NOT NULL
        );
        CREATE INDEX cases_open_deadline ON cases (deadline_ts) WHERE is_open = 1;
        CREATE INDEX cases_open_wake ON cases (wake_ts) WHERE is_open = 1;
        CREATE INDEX cases_status ON cases (status);
        CREATE INDEX cases_light ON cases (light);
        CREATE INDEX cases_type_month ON cases (permit_type, month);
        CREATE TABLE events (
            case_id TEXT NOT NULL REFERENCES cases (case_id),
            seq     INTEGER NOT NULL,
            doc     TEXT NOT NULL,
            PRIMARY KEY (case_id, seq)
        ) WITHOUT ROWID;
        CREATE TABLE work_items (
            case_id TEXT NOT NULL REFERENCES cases (case_id),
            post    TEXT NOT NULL,
            step_id TEXT NOT NULL,
            due_ts  INTEGER NOT NULL,
            PRIMARY KEY (case_id, post, step_id)
        ) WITHOUT ROWID;
        CREATE INDEX work_items_post_due ON work_items (post, due_ts, case_id);
        CREATE TABLE sequences (
            name  TEXT PRIMARY KEY,
            value INTEGER NOT NULL
        ) WITHOUT ROWID;
        """,
    )


def _migrate_3(conn: sqlite3.Connection) -> None:
    """Version 3: fewer pages written per append (each is a frame the commit must sync).

    * Events move to a rowid table: version 2 kept them in a WITHOUT ROWID table keyed by
      (case_id, seq), where every append landed mid-tree and page splits made each commit
      write almost four pages of events; now rows go to the end and a small unique index
      finds a case's history in order.
    * A case row carries its work items (``cases.work``, JSON), so reading a case needs no
      second query and an append knows what to change without one; ``work_items`` keeps one
      entry per item only for the inboxes, keyed (post, due_ts, case_id, step_id): one
      B-tree instead of a table and an index.
    """
    _run_script(
        conn,
        """
        CREATE TABLE events_v3 (
            id      INTEGER PRIMARY KEY,
            case_id TEXT NOT NULL REFERENCES cases (case_id),
            seq     INTEGER NOT NULL,
            doc     TEXT NOT NULL,
            UNIQUE (case_id, seq)
        );
        INSERT INTO events_v3 (case_id, seq, doc)
            SELECT case_id, seq, doc FROM events ORDER BY case_id, seq;
        DROP TABLE events;
        ALTER TABLE events_v3 RENAME TO events;
        ALTER TABLE cases ADD COLUMN work TEXT NOT NULL DEFAULT '[]';
        UPDATE cases SET work = (
            SELECT json_group_array(json_array(post, step_id, due_ts))
            FROM (SELECT post, step_id, due_ts FROM work_items w
                  WHERE w.case_id = cases.case_id ORDER BY post, step_id)
        ) WHERE EXISTS (SELECT 1 FROM work_items w WHERE w.case_id = cases.case_id);
        CREATE TABLE work_items_v3 (
            post    TEXT NOT NULL,
            due_ts  INTEGER NOT NULL,
            case_id TEXT NOT NULL REFERENCES cases (case_id),
            step_id TEXT NOT NULL,
            PRIMARY KEY (post, due_ts, case_id, step_id)
        ) WITHOUT ROWID;
        INSERT INTO work_items_v3 (post, due_ts, case_id, step_id)
            SELECT post, due_ts, case_id, step_id FROM work_items;
        DROP TABLE work_items;
        ALTER TABLE work_items_v3 RENAME TO work_items
        """,
    )


def _migrate_4(conn: sqlite3.Connection) -> None:
    """Version 4: case snapshots, and the sweep's index in the order it pages through.

    * ``snapshots`` keeps each case's folded state as of one event (replaced with every
      append), so a cold case is read as its snapshot and the events after it. A rowid
      table: the document is a few kilobytes, and replacing it rewrites its row in place
      without touching the key's index. Stores from before start with none: each case is
      folded from its history once, and its next append writes its snapshot.
    * ``cases_open_wake`` gains ``case_id``, so a sweep reading its work a batch at a time
      (``waking(after=…)``) walks the index from where the last batch ended, without sorting.
    """
    _run_script(
        conn,
        """
        CREATE TABLE snapshots (
            case_id TEXT PRIMARY KEY REFERENCES cases (case_id),
            seq     INTEGER NOT NULL,
            version TEXT NOT NULL,
            doc     TEXT NOT NULL
        );
        DROP INDEX cases_open_wake;
        CREATE INDEX cases_open_wake ON cases (wake_ts, case_id) WHERE is_open = 1
        """,
    )


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run ``;``-separated DDL inside the open transaction (``executescript`` would commit)."""
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


#: Forward migrations, in order; entry i brings the schema from version i to i + 1.
MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _migrate_1,
    _migrate_2,
    _migrate_3,
    _migrate_4,
)


def _inspect(conn: sqlite3.Connection) -> tuple[int, int, frozenset[str]]:
    """(application id, user version, the names of its tables, views and triggers), read
    through SQLite (so what the write-ahead log holds counts). The names are read only for a
    file without planning_core's mark."""
    app_id: int = conn.execute("PRAGMA application_id").fetchone()[0]
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    if app_id == APPLICATION_ID:
        return app_id, version, frozenset()
    return app_id, version, _objects(conn)


def _objects(conn: sqlite3.Connection) -> frozenset[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view', 'trigger') "
        "AND name NOT LIKE 'sqlite!_%' ESCAPE '!'"
    ).fetchall()
    return frozenset(name for (name,) in rows)


@functools.cache
def _tables_after(version: int) -> frozenset[str]:
    """The tables planning_core's own migrations leave at ``version``: found by running
    them on an empty database, so this cannot drift from :data:`MIGRATIONS`."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for migrate in MIGRATIONS[:version]:
            migrate(conn)
        return _objects(conn)
    finally:
        conn.close()
