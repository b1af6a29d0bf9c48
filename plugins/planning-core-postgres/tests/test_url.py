"""Reading store URLs: no server needed."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from planning_core_postgres import DEFAULT_SCHEMA, parse_url
from planning_core_postgres._url import redact

from planning_core import ValidationError


def test_the_store_options_are_taken_out_and_libpq_options_kept() -> None:
    settings = parse_url(
        "postgresql://planner:secret@db:5433/bureau?schema=tangshan&sslmode=require"
        "&pool_min_size=2&pool_max_size=8&pool_timeout=2.5"
    )
    assert settings.conninfo == "postgresql://planner:secret@db:5433/bureau?sslmode=require"
    assert settings.schema == "tangshan"
    assert settings.options == "-c search_path=tangshan"
    assert (settings.pool_min_size, settings.pool_max_size, settings.pool_timeout) == (2, 8, 2.5)


def test_defaults_and_the_other_spellings() -> None:
    for url in ("postgres://db/bureau", "postgresql+psycopg://db/bureau"):
        settings = parse_url(url)
        assert settings.conninfo == "postgresql://db/bureau"
        assert settings.schema == DEFAULT_SCHEMA
        assert (settings.pool_min_size, settings.pool_max_size) == (1, 10)


def test_server_options_of_the_url_are_kept_beside_the_search_path() -> None:
    settings = parse_url("postgresql://db/x?options=-c%20statement_timeout%3D5000&schema=s1")
    assert settings.options == "-c statement_timeout=5000 -c search_path=s1"


def test_every_bad_option_is_reported_at_once() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_url("postgresql://db/x?schema=Bad-Name&pool_min_size=0&pool_timeout=soon")
    assert len(caught.value.problems) == 3
    message = str(caught.value)
    assert "schema='Bad-Name'" in message
    assert "pool_min_size='0'" in message
    assert "pool_timeout='soon'" in message


def test_a_pool_smaller_than_its_minimum_is_refused() -> None:
    with pytest.raises(ValidationError, match="pool_min_size=5 is larger than pool_max_size=2"):
        parse_url("postgresql://db/x?pool_min_size=5&pool_max_size=2")


def test_another_scheme_is_refused_and_the_password_never_shown() -> None:
    with pytest.raises(ValidationError, match="not a PostgreSQL URL") as caught:
        parse_url("mysql://planner:hunter2@db/x")
    assert "hunter2" not in str(caught.value)
    assert redact("postgresql://a:pw@h/d") == "postgresql://a:***@h/d"
    assert redact("postgresql://a@h/d") == "postgresql://a@h/d"


@given(st.from_regex(r"[a-z_][a-z0-9_]{0,62}", fullmatch=True))
def test_every_plain_schema_name_is_accepted(schema: str) -> None:
    assert parse_url(f"postgresql://db/x?schema={schema}").schema == schema


@pytest.mark.parametrize(
    "schema",
    ["", "Bureau", "bureau-1", "1bureau", "规划局", "a;DROP SCHEMA public", "a b", 'a"b', "x" * 64],
)
def test_schema_names_that_would_need_quoting_are_refused(schema: str) -> None:
    with pytest.raises(ValidationError, match="schema="):
        parse_url(f"postgresql://db/x?schema={quote(schema, safe='')}")
