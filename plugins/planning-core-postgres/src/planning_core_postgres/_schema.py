"""The tables, their version, and the forward migrations that bring a schema up to date.

The version lives in the table ``schema_version`` (one row per applied migration), in the
store's own schema, and the table ``planning_core_store`` (:data:`MARKER_TABLE`, one row) says
the schema is planning_core's. Opening a store looks first, on plain reads, and writes nothing
when it refuses:

* a schema with the marker is ours: one written by a newer planning_core is refused with
  :class:`SchemaVersionError`;
* a missing or empty schema is a new store (refused with :class:`StoreNotFoundError` when the
  caller asked not to create one);
* a schema without the marker holding exactly the tables of a version of ours (written
  before there was a marker) is adopted: the marker is added with its next migration;
* anything else holds another application's tables: refused with :class:`ForeignStoreError`,
  nothing created.

When anything is to be written it runs in one transaction under an advisory lock, so several
application servers starting at once migrate the schema exactly once; the schema is looked
at again under the lock.

Text columns that are sorted or compared with Python's order (ids, keys, posts) use the
``"C"`` collation: byte order, which for UTF-8 is code point order, as SQLite and the
in-memory store sort. Documents are ``json`` (kept as written, checked by the server).
"""

from __future__ import annotations

from collections.abc import Callable

import psycopg
from psycopg import sql
from psycopg.rows import TupleRow

from planning_core.errors import ForeignStoreError, SchemaVersionError, StoreNotFoundError

__all__ = [
    "MARKER_TABLE",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "TABLES_AFTER",
    "ensure_schema",
    "read_version",
]

Connection = psycopg.Connection[TupleRow]


def _migrate_1(conn: Connection) -> None:
    """Version 1: the records table."""
    conn.execute(
        """
        CREATE TABLE records (
            collection text COLLATE "C" NOT NULL,
            key        text COLLATE "C" NOT NULL,
            doc        json NOT NULL,
            PRIMARY KEY (collection, key)
        )
        """
    )


def _migrate_2(conn: Connection) -> None:
    """Version 2: case histories, projections, the posts' work items, sequences.

    The two partial indexes (open cases by deadline and by wake time) carry ``case_id`` as
    their second column, so the overdue board and the sweep read them in order and stop at
    the limit without sorting.
    """
    for statement in _VERSION_2:
        conn.execute(statement)


_VERSION_2: tuple[sql.SQL, ...] = (
    sql.SQL(
        """
        CREATE TABLE cases (
            case_id     text COLLATE "C" NOT NULL,
            case_number text COLLATE "C",
            permit_type text NOT NULL,
            status      text NOT NULL,
            light       text NOT NULL,
            is_open     boolean NOT NULL,
            month       text NOT NULL,
            last_seq    integer NOT NULL,
            deadline_ts bigint,
            wake_ts     bigint,
            doc         json NOT NULL,
            CONSTRAINT cases_pkey PRIMARY KEY (case_id),
            CONSTRAINT cases_case_number_key UNIQUE (case_number)
        )
        """
    ),
    sql.SQL("CREATE INDEX cases_open_deadline ON cases (deadline_ts, case_id) WHERE is_open"),
    sql.SQL("CREATE INDEX cases_open_wake ON cases (wake_ts, case_id) WHERE is_open"),
    sql.SQL("CREATE INDEX cases_status ON cases (status, case_id)"),
    sql.SQL("CREATE INDEX cases_light ON cases (light, case_id)"),
    sql.SQL("CREATE INDEX cases_type_month ON cases (permit_type, month)"),
    sql.SQL(
        """
        CREATE TABLE events (
            case_id text COLLATE "C" NOT NULL REFERENCES cases (case_id),
            seq     integer NOT NULL,
            doc     json NOT NULL,
            CONSTRAINT events_pkey PRIMARY KEY (case_id, seq)
        )
        """
    ),
    sql.SQL(
        """
        CREATE TABLE work_items (
            case_id text COLLATE "C" NOT NULL REFERENCES cases (case_id),
            post    text COLLATE "C" NOT NULL,
            step_id text COLLATE "C" NOT NULL,
            due_ts  bigint NOT NULL,
            PRIMARY KEY (case_id, post, step_id)
        )
        """
    ),
    sql.SQL("CREATE INDEX work_items_post_due ON work_items (post, due_ts, case_id)"),
    sql.SQL(
        """
        CREATE TABLE sequences (
            name  text COLLATE "C" PRIMARY KEY,
            value bigint NOT NULL
        )
        """
    ),
)


def _migrate_3(conn: Connection) -> None:
    """Version 3: case snapshots (each case's folded state as of one event, replaced with
    every append, so a cold case is read as its snapshot and the events after it). Stores
    from before start with none: each case is folded from its history once, and its next
    append writes its snapshot."""
    conn.execute(
        """
        CREATE TABLE snapshots (
            case_id text COLLATE "C" NOT NULL REFERENCES cases (case_id),
            seq     integer NOT NULL,
            version text NOT NULL,
            doc     json NOT NULL,
            CONSTRAINT snapshots_pkey PRIMARY KEY (case_id)
        )
        """
    )


#: Forward migrations, in order; entry i brings the schema from version i to i + 1.
MIGRATIONS: tuple[Callable[[Connection], None], ...] = (_migrate_1, _migrate_2, _migrate_3)

#: The version this code writes.
SCHEMA_VERSION = len(MIGRATIONS)

#: The table that marks a schema as planning_core's (one row: the application's name).
MARKER_TABLE = "planning_core_store"

#: The relations each version's migrations leave (before the marker existed), by version:
#: a schema without the marker holding exactly these is an older store of ours.
TABLES_AFTER: dict[int, frozenset[str]] = {
    1: frozenset({"schema_version", "records"}),
    2: frozenset({"schema_version", "records", "cases", "events", "work_items", "sequences"}),
    3: frozenset(
        {"schema_version", "records", "cases", "events", "work_items", "sequences", "snapshots"}
    ),
}


def read_version(conn: Connection, schema: str) -> int:
    """The schema's version: 0 when it (or its version table) does not exist yet."""
    found = conn.execute(
        "SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = %s AND tablename = 'schema_version'",
        (schema,),
    ).fetchone()
    if found is None:
        return 0
    row = conn.execute(
        sql.SQL("SELECT coalesce(max(version), 0) FROM {}").format(
            sql.Identifier(schema, "schema_version")
        )
    ).fetchone()
    return int(row[0]) if row else 0


def ensure_schema(conn: Connection, schema: str, where: str, *, create: bool = True) -> int:
    """Bring ``schema`` to :data:`SCHEMA_VERSION`, or refuse it untouched (see the module).

    :param conn: an autocommit connection whose ``search_path`` is ``schema``.
    :param where: the redacted URL, for messages.
    :param create: whether a missing or empty schema may become a new store.
    :returns: the version found before migrating.
    :raises ForeignStoreError: for a schema holding tables planning_core did not create.
    :raises StoreNotFoundError: for a missing or empty schema when ``create`` is False.
    :raises SchemaVersionError: for a schema written by a newer planning_core.
    """
    relations, found = _look(conn, schema)
    marked = _classify(relations, found, schema, where, create=create)
    if marked and found == SCHEMA_VERSION:
        return found
    with conn.transaction():
        conn.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
            (f"planning_core_postgres:{schema}",),
        )
        relations, found = _look(conn, schema)  # another server may have migrated meanwhile
        marked = _classify(relations, found, schema, where, create=create)
        if found < SCHEMA_VERSION or not marked:
            _create_version_table(conn, schema)
            _run_migrations(conn, schema, found, where)
            if not marked:
                _mark(conn, schema)
    return found


def _look(conn: Connection, schema: str) -> tuple[frozenset[str], int]:
    """The names of the schema's tables, views and sequences (none when it does not exist),
    and its version."""
    rows = conn.execute(
        "SELECT c.relname FROM pg_catalog.pg_class c "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')",
        (schema,),
    ).fetchall()
    relations = frozenset(name for (name,) in rows)
    return relations, read_version(conn, schema) if "schema_version" in relations else 0


def _classify(
    relations: frozenset[str], found: int, schema: str, where: str, *, create: bool
) -> bool:
    """Whether the schema carries the marker; refuses what may not be opened (see the
    module's text)."""
    if MARKER_TABLE in relations:
        if found > SCHEMA_VERSION:
            raise SchemaVersionError(
                f"schema {schema!r} at {where} has schema version {found}, newer than this "
                f"planning_core understands ({SCHEMA_VERSION}); upgrade planning-core-postgres "
                f"to open it. Nothing was changed."
            )
        return True
    if not relations:
        if not create:
            raise StoreNotFoundError(
                f"no store in schema {schema!r} at {where}: the schema is missing or empty; "
                f"check the URL's ?schema=, or run a command that writes (open_store(..., "
                f"create=True)) to create the store. Nothing was created."
            )
        return False
    if TABLES_AFTER.get(found) == relations:
        return False  # a store of ours from before the marker: adopted
    strange = sorted(relations - TABLES_AFTER.get(min(found, SCHEMA_VERSION), frozenset()))
    shown = ", ".join(strange[:5]) + (" …" if len(strange) > 5 else "")
    raise ForeignStoreError(
        f"schema {schema!r} at {where} holds tables planning_core did not create "
        f"({shown or 'a version table of another kind'}), and not its marker table "
        f"{MARKER_TABLE}: it belongs to another application; name another schema with "
        f"?schema=NAME. Nothing was changed."
    )


def _create_version_table(conn: Connection, schema: str) -> None:
    conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
    conn.execute(
        sql.SQL(
            "CREATE TABLE IF NOT EXISTS {} (version integer PRIMARY KEY, "
            "migration text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"
        ).format(sql.Identifier(schema, "schema_version"))
    )


def _mark(conn: Connection, schema: str) -> None:
    """Mark the schema as planning_core's, in the transaction that creates or adopts it."""
    table = sql.Identifier(schema, MARKER_TABLE)
    conn.execute(
        sql.SQL(
            "CREATE TABLE {} (application text PRIMARY KEY CHECK (application = 'planning_core'), "
            "marked_at timestamptz NOT NULL DEFAULT now())"
        ).format(table)
    )
    conn.execute(sql.SQL("INSERT INTO {} (application) VALUES ('planning_core')").format(table))


def _run_migrations(conn: Connection, schema: str, found: int, where: str) -> None:
    for version in range(found, SCHEMA_VERSION):
        migration = MIGRATIONS[version]
        try:
            migration(conn)
        except psycopg.errors.DuplicateTable as exc:
            raise ForeignStoreError(
                f"schema {schema!r} at {where} already holds a table that planning_core did "
                f"not create ({exc.diag.message_primary}); name another schema with "
                f"?schema=NAME. Nothing was changed."
            ) from exc
        conn.execute(
            sql.SQL("INSERT INTO {} (version, migration) VALUES (%s, %s)").format(
                sql.Identifier(schema, "schema_version")
            ),
            (version + 1, migration.__name__),
        )
