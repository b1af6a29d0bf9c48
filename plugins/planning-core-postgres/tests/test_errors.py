"""PostgreSQL's failures as the Store contract names them, and the schemas a store refuses.

A schema holding another application's tables is refused with nothing created; a missing or
empty one is not created when the caller asked not to; a read-only server reads and refuses
writes; a database that does not exist is named; every psycopg error becomes the
``StorageError`` subclass that says what it means.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import psycopg
import pytest
from _plugins import PLUGINS
from planning_core_postgres import parse_url
from planning_core_postgres._errors import connect_error, storage_error
from planning_core_postgres._schema import MARKER_TABLE, MIGRATIONS, TABLES_AFTER
from psycopg import errors, sql
from psycopg.rows import TupleRow

from planning_core import (
    ForeignStoreError,
    NotADatabaseError,
    ReadOnlyStoreError,
    StorageError,
    StorageFullError,
    StoreBusyError,
    StoreNotFoundError,
    StoreUnavailableError,
    open_store,
)

Connection = psycopg.Connection[TupleRow]


@pytest.fixture
def conn(postgres_schema_url: str) -> Iterator[Connection]:
    """A plain connection to the test's schema, to look behind the store's back."""
    settings = parse_url(postgres_schema_url)
    with psycopg.connect(settings.conninfo, autocommit=True, options=settings.options) as c:
        yield c


def _relations(conn: Connection, schema: str) -> list[str]:
    rows = conn.execute(
        "SELECT c.relname FROM pg_catalog.pg_class c "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s ORDER BY 1",
        (schema,),
    ).fetchall()
    return [name for (name,) in rows]


def test_a_new_store_is_marked_and_the_marker_is_all_it_adds(
    postgres_schema_url: str, conn: Connection
) -> None:
    with open_store(postgres_schema_url, PLUGINS):
        pass
    tables = conn.execute(
        "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema()"
    ).fetchall()
    assert {name for (name,) in tables} == TABLES_AFTER[len(MIGRATIONS)] | {MARKER_TABLE}
    assert conn.execute(f"SELECT application FROM {MARKER_TABLE}").fetchall() == [
        ("planning_core",)
    ]


def test_another_applications_schema_is_refused_with_nothing_created(
    postgres_schema_url: str, conn: Connection
) -> None:
    schema = parse_url(postgres_schema_url).schema
    conn.execute("CREATE TABLE customers (id integer PRIMARY KEY, name text)")
    conn.execute("INSERT INTO customers VALUES (1, '唐山钢铁')")
    before = _relations(conn, schema)
    for create in (True, False):
        with pytest.raises(ForeignStoreError, match=r"did not create \(customers") as caught:
            open_store(postgres_schema_url, PLUGINS, create=create)
        assert "name another schema" in str(caught.value)
    assert _relations(conn, schema) == before
    assert conn.execute("SELECT name FROM customers").fetchall() == [("唐山钢铁",)]


def test_a_store_of_ours_from_before_the_marker_is_adopted(
    postgres_schema_url: str, conn: Connection
) -> None:
    with conn.transaction():
        conn.execute(
            "CREATE TABLE schema_version (version integer PRIMARY KEY, migration text NOT NULL, "
            "applied_at timestamptz NOT NULL DEFAULT now())"
        )
        for version, migration in enumerate(MIGRATIONS, start=1):
            migration(conn)
            conn.execute(
                "INSERT INTO schema_version (version, migration) VALUES (%s, %s)",
                (version, migration.__name__),
            )
        conn.execute("""INSERT INTO records VALUES ('c', 'k', '{"old": true}')""")
    with open_store(postgres_schema_url, PLUGINS, create=False) as store:
        assert store.get_record("c", "k") == {"old": True}
    assert conn.execute(f"SELECT count(*) FROM {MARKER_TABLE}").fetchone() == (1,)


def test_create_false_on_an_empty_schema_creates_nothing(
    postgres_schema_url: str, conn: Connection
) -> None:
    schema = parse_url(postgres_schema_url).schema
    with pytest.raises(StoreNotFoundError, match="the schema is missing or empty") as caught:
        open_store(postgres_schema_url, PLUGINS, create=False)
    assert "Nothing was created" in str(caught.value)
    assert _relations(conn, schema) == []


def test_create_false_on_a_missing_schema_creates_nothing(postgres_server_url: str) -> None:
    schema = f"pc_test_none_{uuid.uuid4().hex[:12]}"
    with pytest.raises(StoreNotFoundError, match=schema):
        open_store(f"{postgres_server_url}?schema={schema}", PLUGINS, create=False)
    with psycopg.connect(postgres_server_url) as admin:
        found = admin.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,))
        assert found.fetchone() is None


def test_a_database_that_does_not_exist_is_named(postgres_server_url: str) -> None:
    parts = postgres_server_url.rsplit("/", 1)
    missing = f"{parts[0]}/pc_no_such_database_{uuid.uuid4().hex[:8]}"
    with pytest.raises(StoreNotFoundError, match="the database does not exist"):
        open_store(missing, PLUGINS)


def test_a_read_only_server_reads_and_refuses_writes(postgres_schema_url: str) -> None:
    with open_store(postgres_schema_url, PLUGINS) as store:
        store.put_records("c", {"k": {"v": 1}})
    read_only = f"{postgres_schema_url}&options={quote('-c default_transaction_read_only=on')}"
    with open_store(read_only, PLUGINS) as store:
        assert store.get_record("c", "k") == {"v": 1}
        with pytest.raises(ReadOnlyStoreError, match="refuses writes") as caught:
            store.put_records("c", {"k": {"v": 2}})
        assert "default_transaction_read_only" in str(caught.value)
        assert store.get_record("c", "k") == {"v": 1}  # the store stays usable for reads


def test_a_read_only_server_cannot_create_a_store(postgres_schema_url: str) -> None:
    read_only = f"{postgres_schema_url}&options={quote('-c default_transaction_read_only=on')}"
    with pytest.raises(ReadOnlyStoreError):
        open_store(read_only, PLUGINS)


@pytest.mark.parametrize(
    ("error", "expected", "words"),
    [
        (errors.DiskFull("could not extend file"), StorageFullError, "no room left"),
        (errors.ReadOnlySqlTransaction("read-only"), ReadOnlyStoreError, "refuses writes"),
        (errors.InvalidCatalogName("no db"), StoreNotFoundError, "does not exist"),
        (errors.DataCorrupted("bad page"), NotADatabaseError, "damaged data"),
        (errors.InsufficientPrivilege("denied"), StoreUnavailableError, "lacks a privilege"),
        (errors.LockNotAvailable("lock"), StoreBusyError, "LockNotAvailable"),
        (errors.AdminShutdown("bye"), StoreUnavailableError, "check that the server runs"),
        (psycopg.OperationalError("server closed"), StoreUnavailableError, "server closed"),
        (errors.DivisionByZero("x"), StorageError, "refused the write: DivisionByZero"),
    ],
)
def test_each_driver_error_becomes_the_storage_error_it_means(
    error: psycopg.Error, expected: type[StorageError], words: str
) -> None:
    where = "postgresql://planner:***@db:5432/bureau"
    translated: Any = storage_error(error, where, "writing to")
    assert type(translated) is expected
    assert words in str(translated) and where in str(translated)


def test_a_refused_connection_is_unavailable_not_missing() -> None:
    refused = psycopg.OperationalError("connection refused")
    assert type(connect_error(refused, "postgresql://db/x")) is StoreUnavailableError


def test_a_schema_that_exists_but_is_not_ours_is_never_dropped_or_changed(
    postgres_schema_url: str, conn: Connection
) -> None:
    """Adoption needs exactly our tables: one more table of our names is not enough."""
    schema = parse_url(postgres_schema_url).schema
    conn.execute("CREATE TABLE records (collection text, key text, doc json)")
    conn.execute("CREATE TABLE schema_version (version integer PRIMARY KEY, migration text)")
    conn.execute("INSERT INTO schema_version VALUES (1, 'theirs')")
    conn.execute("CREATE TABLE invoices (id integer)")
    before = _relations(conn, schema)
    with pytest.raises(ForeignStoreError, match="invoices"):
        open_store(postgres_schema_url, PLUGINS)
    assert _relations(conn, schema) == before
    assert conn.execute(sql.SQL("SELECT count(*) FROM schema_version")).fetchone() == (1,)
