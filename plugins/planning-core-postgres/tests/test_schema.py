"""Schema versions and migrations: created once, upgraded forward, a newer one left alone."""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from _plugins import PLUGINS
from planning_core_postgres import MIGRATIONS, SCHEMA_VERSION, PostgresStore, parse_url
from planning_core_postgres._schema import MARKER_TABLE, read_version
from psycopg import sql
from psycopg.rows import TupleRow

from planning_core import SchemaVersionError, StorageError, open_store
from planning_core.plugins import make_hooks
from planning_core.storage import Store

Connection = psycopg.Connection[TupleRow]


@pytest.fixture
def conn(postgres_schema_url: str) -> Iterator[Connection]:
    """A plain connection to the test's schema, to look behind the store's back."""
    settings = parse_url(postgres_schema_url)
    with psycopg.connect(settings.conninfo, autocommit=True, options=settings.options) as c:
        yield c


def _schema_of(url: str) -> str:
    return parse_url(url).schema


def _snapshot(conn: Connection, schema: str) -> list[tuple[Any, ...]]:
    """Every table of ``schema`` and every row of its version table."""
    tables = conn.execute(
        "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = %s ORDER BY 1", (schema,)
    ).fetchall()
    versions = conn.execute("SELECT version, migration FROM schema_version ORDER BY 1").fetchall()
    return [*tables, *versions]


def test_the_plugin_is_found_through_its_entry_point() -> None:
    hooks = make_hooks()
    infos = {info.name: info for info in hooks.describe()}
    assert infos["postgres"].distribution == "planning-core-postgres"
    assert infos["postgres"].hooks == ("planning_core_register_storage_backends",)
    blocked = make_hooks(env={"PLANNING_CORE_BLOCK_PLUGINS": "postgres"})
    assert "postgres" not in {info.name for info in blocked.describe()}


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_both_schemes_open_a_postgres_store(postgres_schema_url: str, scheme: str) -> None:
    url = scheme + postgres_schema_url.removeprefix("postgresql")
    with open_store(url, PLUGINS) as store:
        assert isinstance(store, PostgresStore)
        assert store.url == url
        assert store.schema_version() == SCHEMA_VERSION == Store.SCHEMA_VERSION


def test_a_new_schema_gets_every_migration_once(postgres_schema_url: str, conn: Connection) -> None:
    for _ in range(2):
        with open_store(postgres_schema_url, PLUGINS) as store:
            store.put_records("c", {"k": {"v": 1}})
    rows = conn.execute("SELECT version, migration FROM schema_version ORDER BY 1").fetchall()
    assert rows == [(i + 1, m.__name__) for i, m in enumerate(MIGRATIONS)]


def test_a_missing_schema_is_created(postgres_server_url: str) -> None:
    schema = f"pc_test_new_{uuid.uuid4().hex[:12]}"
    url = f"{postgres_server_url}?schema={schema}"
    try:
        with open_store(url, PLUGINS) as store:
            store.put_records("c", {"k": {"名": "唐山"}})
            assert store.get_record("c", "k") == {"名": "唐山"}
    finally:
        with psycopg.connect(postgres_server_url, autocommit=True) as admin:
            drop = sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE")
            admin.execute(drop.format(sql.Identifier(schema)))


def test_an_older_schema_is_migrated_forward_keeping_its_rows(
    postgres_schema_url: str, conn: Connection
) -> None:
    with conn.transaction():
        conn.execute(
            "CREATE TABLE schema_version (version integer PRIMARY KEY, migration text NOT NULL, "
            "applied_at timestamptz NOT NULL DEFAULT now())"
        )
        MIGRATIONS[0](conn)
        conn.execute("INSERT INTO schema_version (version, migration) VALUES (1, '_migrate_1')")
        conn.execute("""INSERT INTO records VALUES ('rural.village', '甲村', '{"n": 1}')""")
    with open_store(postgres_schema_url, PLUGINS) as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert store.get_record("rural.village", "甲村") == {"n": 1}
        assert store.get_case("case-1") is None


def test_a_newer_schema_is_refused_and_left_untouched(
    postgres_schema_url: str, conn: Connection
) -> None:
    schema = _schema_of(postgres_schema_url)
    conn.execute(
        "CREATE TABLE schema_version (version integer PRIMARY KEY, migration text NOT NULL)"
    )
    conn.execute(f"CREATE TABLE {MARKER_TABLE} (application text PRIMARY KEY)")  # ours, later
    conn.execute("INSERT INTO schema_version VALUES (%s, 'from the future')", (SCHEMA_VERSION + 1,))
    before = _snapshot(conn, schema)
    with pytest.raises(SchemaVersionError, match="newer than this planning_core") as caught:
        open_store(postgres_schema_url, PLUGINS)
    assert "Nothing was changed" in str(caught.value)
    assert _snapshot(conn, schema) == before
    assert read_version(conn, schema) == SCHEMA_VERSION + 1


def test_a_schema_holding_someone_elses_tables_is_refused(
    postgres_schema_url: str, conn: Connection
) -> None:
    conn.execute("CREATE TABLE records (anything integer)")
    with pytest.raises(StorageError, match="name another schema"):
        open_store(postgres_schema_url, PLUGINS)
    assert read_version(conn, _schema_of(postgres_schema_url)) == 0
    assert conn.execute("SELECT to_regclass('schema_version')").fetchone() == (None,)


def test_an_unreachable_server_is_a_storage_error_naming_it() -> None:
    refused = r"127\.0\.0\.1:1/test.*Connection refused.*check that the server runs"
    with pytest.raises(StorageError, match=refused) as caught:
        open_store("postgresql://planner:hunter2@127.0.0.1:1/test?connect_timeout=2", PLUGINS)
    assert "hunter2" not in str(caught.value)


_OPEN_AND_PRINT_VERSION = (
    "import sys; from planning_core import open_store; "
    "from planning_core.bureau import installed_plugins; "
    "store = open_store(sys.argv[1], installed_plugins()); "
    "print(store.schema_version()); store.close()"
)


@pytest.mark.slow
def test_servers_starting_together_migrate_once(postgres_schema_url: str, conn: Connection) -> None:
    servers = [
        subprocess.Popen(
            [sys.executable, "-c", _OPEN_AND_PRINT_VERSION, postgres_schema_url],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outputs = [server.communicate(timeout=60)[0] for server in servers]
    assert [server.returncode for server in servers] == [0] * 4
    assert [int(out) for out in outputs] == [SCHEMA_VERSION] * 4
    count = conn.execute("SELECT count(*) FROM schema_version").fetchone()
    assert count == (SCHEMA_VERSION,)
