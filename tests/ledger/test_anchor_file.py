"""The anchor file: what a host publishes comes back unchanged, and a damaged one is named."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planning_core.cases._history import canonical_json
from planning_core.errors import NotFoundError, ValidationError
from planning_core.ledger import ANCHOR_FORMAT, MERKLE_ALGORITHM, Anchor, case_leaf, read_anchor

ANCHOR = Anchor(
    at=pendulum.datetime(2026, 12, 4, 18, tz="Asia/Shanghai"),
    day=pendulum.date(2026, 12, 4),
    size=3,
    root="ab" * 32,
)


def test_the_file_round_trips_and_reads_as_the_issue_describes(tmp_path: Path) -> None:
    text = ANCHOR.to_json()
    assert json.loads(text) == {
        "format": ANCHOR_FORMAT,
        "at": "2026-12-04T18:00:00+08:00",
        "day": "2026-12-04",
        "size": 3,
        "root": "ab" * 32,
        "algorithm": MERKLE_ALGORITHM,
    }
    (tmp_path / "anchor.json").write_text(text, encoding="utf-8")
    assert read_anchor(tmp_path / "anchor.json") == ANCHOR
    assert ANCHOR.key == "2026-12-04T10:00:00.000000Z"


def test_a_leaf_is_canonical_json_a_verifier_can_rebuild() -> None:
    assert case_leaf("案-1", 7, "0f" * 32) == (
        '{"case_id":"案-1","head":"' + "0f" * 32 + '","seq":7}'
    ).encode("utf-8")


@given(st.text(), st.integers(min_value=0, max_value=10**12), st.text())
def test_the_leaf_is_exactly_the_canonical_form_of_its_three_values(
    case_id: str, seq: int, head: str
) -> None:
    expected = canonical_json({"case_id": case_id, "head": head, "seq": seq})
    assert case_leaf(case_id, seq, head) == expected


def test_an_anchor_needs_an_aware_instant() -> None:
    with pytest.raises(ValidationError, match="no time zone"):
        Anchor(at=pendulum.naive(2026, 12, 4), day=pendulum.date(2026, 12, 4), size=0, root="")


def _data(**changes: Any) -> dict[str, Any]:
    data = ANCHOR.to_data()
    for key, value in changes.items():
        if value is None:
            del data[key]
        else:
            data[key] = value
    return data


@pytest.mark.parametrize(
    ("data", "named"),
    [
        (_data(root="AB" * 32), "root 'ABAB"),
        (_data(root="ab"), "is not 64 lowercase hex digits"),
        (_data(size=-1), "size -1 is not a whole number >= 0"),
        (_data(size=True), "size True is not a whole number"),
        (_data(size="3"), "size '3' is not a whole number"),
        (_data(at="2026-12-04T18:00:00"), "at '2026-12-04T18:00:00' is not an ISO 8601 instant"),
        (_data(at="yesterday"), "at 'yesterday' is not an ISO 8601 instant"),
        (_data(day="2026-12-05"), "day 2026-12-05 is not the date of at 2026-12-04T18:00:00+08:00"),
        (_data(day="4.12.2026"), "day '4.12.2026' is not a date YYYY-MM-DD"),
        (_data(format="planning-core-anchor/9"), "format is 'planning-core-anchor/9'"),
        (_data(algorithm="sha1-naive"), "algorithm is 'sha1-naive'; this planning_core knows"),
        (_data(root=None, size=None), "missing size, root"),
        (_data(signature="x"), "unknown field signature"),
        ([1, 2], "it is a JSON list, not an object"),
    ],
)
def test_a_malformed_anchor_is_one_line_naming_what_is_wrong(data: Any, named: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Anchor.from_data(data, "anchor file 'a.json'")
    message = str(caught.value)
    assert named in message
    assert "\n" not in message
    assert message.startswith("anchor file 'a.json' is not a planning_core anchor: ")
    assert message.endswith("give the file `planning-core ledger anchor` wrote, unchanged")


def test_every_problem_is_named_at_once() -> None:
    with pytest.raises(ValidationError) as caught:
        Anchor.from_data(_data(size=-1, root="x", extra=1))
    assert all(part in str(caught.value) for part in ("unknown field extra", "size -1", "root 'x'"))


def test_a_file_that_is_not_json_or_not_there(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(
        ValidationError, match=r"anchor file .*a.json' is not .*: its text is not JSON"
    ):
        read_anchor(tmp_path / "a.json")
    (tmp_path / "b.json").write_bytes(b"\xff\xfe")
    with pytest.raises(ValidationError, match="is not UTF-8"):
        read_anchor(tmp_path / "b.json")
    with pytest.raises(NotFoundError, match="no anchor file"):
        read_anchor(tmp_path / "missing.json")
