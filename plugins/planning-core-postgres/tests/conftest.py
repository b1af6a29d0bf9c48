"""Fixtures for tests that need a PostgreSQL server, each test in a schema of its own.

* ``PLANNING_CORE_TEST_POSTGRES``: the server's URL (default
  ``postgresql://postgres@127.0.0.1:5432/test``).
* When no server answers, the tests are skipped with the reason; with
  ``PLANNING_CORE_REQUIRE_POSTGRES=1`` (as ``.ci/run`` sets) they fail instead, so CI cannot
  pass without having run them.

``postgres_schema_url`` creates a fresh schema named ``pc_test_<random>``, gives its store URL
(``…?schema=pc_test_…``) and drops the schema with everything in it afterwards, so tests
never see each other's rows and several test runs can share one database.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql

DEFAULT_TEST_URL = "postgresql://postgres@127.0.0.1:5432/test"


def with_schema(url: str, schema: str) -> str:
    """``url`` with ``?schema=`` set to ``schema`` (other options kept)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "schema"]
    return urlunsplit(parts._replace(query=urlencode([*query, ("schema", schema)])))


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    """The test server's URL, after checking that it answers (skip or fail when not)."""
    url = os.environ.get("PLANNING_CORE_TEST_POSTGRES", DEFAULT_TEST_URL)
    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            conn.execute("SELECT 1")
    except psycopg.OperationalError as exc:
        detail = " ".join(str(exc).split())
        reason = (
            f"no PostgreSQL server answers at {url} ({detail}); start one or set "
            f"PLANNING_CORE_TEST_POSTGRES to its URL"
        )
        if os.environ.get("PLANNING_CORE_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PLANNING_CORE_REQUIRE_POSTGRES=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    return url


@pytest.fixture
def postgres_schema_url(postgres_server_url: str) -> Iterator[str]:
    """A store URL on a new, empty schema of its own; the schema is dropped afterwards."""
    schema = f"pc_test_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(postgres_server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    try:
        yield with_schema(postgres_server_url, schema)
    finally:
        with psycopg.connect(postgres_server_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))
