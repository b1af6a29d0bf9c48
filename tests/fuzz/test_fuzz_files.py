"""Fuzzing every door a file comes in by (issue #20).

For each door (a ``planning-core`` command and the importer behind it): random bytes,
random documents of the door's format, its valid sample truncated, and its sample mutated
byte by byte or value by value. The only acceptable outcomes are success (exit 0), the
command's own verdict (exit 1, for a checker), or a refusal: exit 2 with one error line on
stderr (the problems, if any, indented below it) and no traceback; and after a refusal the
store is exactly as it was.
"""

from __future__ import annotations

import csv
import io
import json
import tomllib
from typing import Any

import pytest
from fuzz._doors import DOORS, Door, Prepared, dump, run
from fuzz._mutate import (
    FUZZ,
    TOML_EXTRA,
    json_text,
    json_values,
    keys_of,
    mutated_bytes,
    mutated_document,
    random_bytes,
    random_csv,
    toml_text,
    truncated,
)
from hypothesis import example, given
from hypothesis import strategies as st

PREFIX = "planning-core: error: "

_IDS = [door.name for door in DOORS]


def _parsed(door: Door) -> Any:
    if door.kind == "toml":
        return tomllib.loads(door.sample.decode("utf-8"))
    return json.loads(door.sample)


def documents(door: Door) -> st.SearchStrategy[bytes]:
    """Random documents of the door's format, many shaped like its sample."""
    if door.kind == "csv":
        rows = list(csv.reader(io.StringIO(door.sample.decode("utf-8-sig"))))
        cells = sorted({cell for row in rows[1:] for cell in row})
        return random_csv(door.sample.decode("utf-8-sig").splitlines()[0], cells)
    sample = _parsed(door)
    if door.kind == "toml":
        return mutated_document(sample, TOML_EXTRA).map(toml_text)
    return json_values(keys_of(sample)).map(json_text) | mutated_document(sample).map(json_text)


def check(prepared: Prepared, data: bytes) -> None:
    """Run the door on ``data``; the outcome must be one of the acceptable ones."""
    door = prepared.door
    (prepared.folder / door.file).write_bytes(data)
    store = prepared.fresh_store()
    result = run(door.args(prepared.folder, store))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(
            f"{door.name}: {type(result.exception).__name__} instead of an error line"
        ) from result.exception
    assert result.exit_code in door.exits, (result.exit_code, result.output)
    if result.exit_code == 2:
        first, *rest = result.stderr.splitlines() or [""]
        assert first.startswith(PREFIX), result.stderr
        assert all(line.startswith("  ") for line in rest), result.stderr
    elif result.exit_code == 0:
        assert not result.stderr.startswith(PREFIX), result.stderr
    if result.exit_code != 0 and door.store:
        assert dump(prepared.work) == prepared.before, f"{door.name} changed the store"


def test_there_is_a_door_for_every_importer() -> None:
    assert len(DOORS) == len(set(_IDS))
    assert {door.kind for door in DOORS} == {"csv", "json", "toml"}


@pytest.mark.parametrize("name", _IDS)
def test_every_sample_is_accepted(doors: dict[str, Prepared], name: str) -> None:
    """The mutations start from a file the door takes: otherwise they test nothing."""
    prepared = doors[name]
    (prepared.folder / prepared.door.file).write_bytes(prepared.door.sample)
    result = run(prepared.door.args(prepared.folder, prepared.fresh_store()))
    assert result.exit_code == 0, (result.output, result.exception)


@pytest.mark.parametrize("name", _IDS)
@FUZZ
@given(data=random_bytes())
@example(data=b"")
@example(data=b"\xef\xbb\xbf")
@example(data="示范点,乡镇".encode("gbk"))
def test_random_bytes(doors: dict[str, Prepared], name: str, data: bytes) -> None:
    check(doors[name], data)


@pytest.mark.parametrize("name", _IDS)
@FUZZ
@given(draw=st.data())
def test_random_documents(doors: dict[str, Prepared], name: str, draw: st.DataObject) -> None:
    prepared = doors[name]
    check(prepared, draw.draw(documents(prepared.door), label="document"))


@pytest.mark.parametrize("name", _IDS)
@FUZZ
@given(draw=st.data())
def test_truncated_samples(doors: dict[str, Prepared], name: str, draw: st.DataObject) -> None:
    prepared = doors[name]
    check(prepared, draw.draw(truncated(prepared.door.sample), label="truncated"))


@pytest.mark.parametrize("name", _IDS)
@FUZZ
@given(draw=st.data())
def test_mutated_samples(doors: dict[str, Prepared], name: str, draw: st.DataObject) -> None:
    prepared = doors[name]
    check(prepared, draw.draw(mutated_bytes(prepared.door.sample), label="mutated"))
