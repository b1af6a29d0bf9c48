"""What the fuzz suite feeds the doors: random bytes, random documents, and valid files
truncated or mutated byte by byte or value by value.

Imported as ``from fuzz._mutate import …`` (tests/ is on pytest's path). The size of a run
is the hypothesis profile's (registered here; tests/conftest.py loads the one
``HYPOTHESIS_PROFILE`` names): ``fuzz-ci`` by default, a bounded number of examples so the
suite adds seconds to CI; ``nightly`` when ``HYPOTHESIS_PROFILE=nightly`` is set
(docs/inputs.md).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
#: ``fuzz-ci``, the default: a bounded number of examples per door and kind of input, so
#: the whole suite adds seconds to CI; derandomized, so CI runs the same examples every
#: time (the nightly profile explores).
settings.register_profile(
    "fuzz-ci", max_examples=12, deadline=None, suppress_health_check=_HEALTH, derandomize=True
)
#: ``nightly`` (``HYPOTHESIS_PROFILE=nightly``): thousands, printing the blob that replays a
#: failure.
settings.register_profile(
    "nightly", max_examples=3_000, deadline=None, suppress_health_check=_HEALTH, print_blob=True
)
#: The settings every fuzz test runs with.
FUZZ = settings.get_profile(
    "nightly" if os.environ.get("HYPOTHESIS_PROFILE") == "nightly" else "fuzz-ci"
)

#: Values that have broken parsers before: quotes, brackets, overflowing and special
#: numbers, impossible dates, a BOM, characters outside the BMP, NUL, a long cell.
NASTY = [
    "", " ", '"', "'", ",", "\n", "\r\n", "[", "]", "{", "}", "\\", "\\u0000", "\\ud800",
    "1e309", "-1e309", "1e-400", "NaN", "Infinity", "-Infinity", "null", "true", "0", "-1",
    "9" * 25, "0.0000001", "1,234.5", "0001-01-01", "9999-12-31", "2026-13-45",
    "2026-03-02T09:00:00", "0001-01-01T00:00:00+08:00", "\ufeff", "𠀀", "乡镇03,,,乡镇总体规划",
    "x" * 40_000,
]  # fmt: skip
#: Byte sequences that are not UTF-8 text, or not text at all.
NASTY_BYTES = [
    b"\xff", b"\xfe\xff", b"\xef\xbb\xbf", b"\x00", b"\xc0\x80", b"\xed\xa0\x80",
    "示范点,乡镇".encode("gbk"), b"\x80\x80", b"\xf4\x90\x80\x80",
]  # fmt: skip

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
    | st.sampled_from(NASTY[:-1])
)


def json_values(keys: list[str]) -> st.SearchStrategy[Any]:
    """Any JSON value, its object keys often the sample's own (so values reach the fields)."""
    names = st.sampled_from(keys) if keys else st.text(max_size=10)
    return st.recursive(
        _SCALARS,
        lambda inner: (
            st.lists(inner, max_size=5)
            | st.dictionaries(names | st.text(max_size=10), inner, max_size=6)
        ),
        max_leaves=30,
    )


def keys_of(document: Any) -> list[str]:
    """Every object key in ``document``, sorted (walked with a stack)."""
    found: set[str] = set()
    stack = [document]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            found |= {str(k) for k in value}
            stack += list(value.values())
        elif isinstance(value, list):
            stack += value
    return sorted(found)


def _paths(document: Any) -> list[tuple[Any, ...]]:
    paths: list[tuple[Any, ...]] = []
    stack: list[tuple[tuple[Any, ...], Any]] = [((), document)]
    while stack:
        path, value = stack.pop()
        paths.append(path)
        if isinstance(value, dict):
            stack += [((*path, k), v) for k, v in value.items()]
        elif isinstance(value, list):
            stack += [((*path, i), v) for i, v in enumerate(value)]
    return sorted(paths, key=repr)


@st.composite
def mutated_document(
    draw: st.DrawFn, sample: Any, extra: st.SearchStrategy[Any] | None = None
) -> Any:
    """``sample`` (parsed JSON or TOML) with one to four values replaced, removed or added.

    Each edit picks any node of the tree: so a wrong type reaches a deep field, not only
    the top level, and the rest of the document stays valid enough to get that far.
    """
    document = copy.deepcopy(sample)
    values = json_values(keys_of(sample))
    if extra is not None:
        values = values | extra
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(_paths(document)))
        edit = draw(st.sampled_from(["replace", "replace", "remove", "add"]))
        value = draw(values)
        if not path:
            document = value
            continue
        parent = document
        for step in path[:-1]:
            parent = parent[step]
        if edit == "replace":
            parent[path[-1]] = value
        elif edit == "remove":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(keys_of(sample) or ["x"]))] = value
        else:
            parent.insert(path[-1], value)
    return document


@st.composite
def mutated_bytes(draw: st.DrawFn, sample: bytes) -> bytes:
    """``sample`` with one to six byte-level edits: a byte changed, a token or a non-UTF-8
    sequence inserted, a slice deleted or repeated."""
    data = bytearray(sample)
    tokens = st.sampled_from([t.encode() for t in NASTY[:-1]] + NASTY_BYTES)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        edit = draw(st.sampled_from(["byte", "insert", "delete", "repeat"]))
        if edit == "byte" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif edit == "insert":
            data[at:at] = draw(tokens | st.binary(min_size=1, max_size=4))
        elif edit == "delete":
            del data[at : at + draw(st.integers(1, 16))]
        else:
            data[at:at] = data[at : at + draw(st.integers(1, 64))]
    return bytes(data)


def truncated(sample: bytes) -> st.SearchStrategy[bytes]:
    """``sample`` cut anywhere (a download that stopped, a file half-saved)."""
    return st.integers(0, max(len(sample) - 1, 0)).map(lambda n: sample[:n])


def random_bytes() -> st.SearchStrategy[bytes]:
    """Anything at all: binary, or text in an encoding."""
    return st.binary(max_size=2_000) | st.text(max_size=300).map(
        lambda t: t.encode("utf-16")
    ) | st.text(max_size=300).map(lambda t: t.encode("gb18030"))  # fmt: skip


@st.composite
def random_csv(draw: st.DrawFn, header: str, cells: list[str]) -> bytes:
    """The sample's header, then rows of random cells joined raw: unbalanced quotes, rows
    too short or too long, long cells, blank lines."""
    pool = st.sampled_from(cells + NASTY) | st.text(max_size=12)
    rows = draw(st.lists(st.lists(pool, max_size=14), max_size=8))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return (header + ending + ending.join(",".join(row) for row in rows)).encode()


def json_text(value: Any) -> bytes:
    """``value`` as the JSON a tool would write (NaN kept: some tools write it)."""
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")


def toml_text(document: Any) -> bytes:
    """A mutated document as TOML: top-level keys as ``key = value`` lines, tables and
    arrays inline. ``None`` (which TOML lacks) is written as an empty string."""
    if not isinstance(document, dict):
        document = {"value": document}
    lines = [f"{_toml_key(k)} = {_toml(v)}" for k, v in document.items()]
    return "\n".join(lines).encode("utf-8", "surrogatepass")


def _toml_key(key: object) -> str:
    return json.dumps(str(key), ensure_ascii=False)


def _toml(value: Any) -> str:
    if value is None:
        return '""'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_toml_key(k)} = {_toml(v)}" for k, v in value.items()) + "}"
    return json.dumps(str(value), ensure_ascii=False)


#: TOML's own values a JSON document lacks: dates and times, some out of any sane range.
TOML_EXTRA = st.dates() | st.datetimes() | st.floats(allow_nan=True, allow_infinity=True)
