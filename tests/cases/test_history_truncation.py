"""Events removed from the end of a history break no link: the row's head names them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from planning_core.bureau import open_bureau
from planning_core.cases import Head
from planning_core.cases._history import GENESIS, seal, verify_chain
from planning_core.cli import cli


def _chain(n: int) -> list[tuple[int, dict[str, object]]]:
    prev, docs = GENESIS, []
    for seq in range(1, n + 1):
        doc = seal({"seq": seq, "type": "StepCompleted", "data": {"意见": f"同意{seq}"}}, prev)
        prev = str(doc["hash"])
        docs.append((seq, dict(doc)))
    return docs


def _head(docs: list[tuple[int, dict[str, object]]]) -> Head:
    return Head(docs[-1][0], str(docs[-1][1]["hash"])) if docs else Head(0, GENESIS)


@given(n=st.integers(1, 30), data=st.data())
def test_removing_the_last_events_is_named_against_the_row(n: int, data: st.DataObject) -> None:
    docs = _chain(n)
    removed = data.draw(st.integers(1, n), label="removed")
    report = verify_chain("c", docs[: n - removed], _head(docs))
    assert not report.ok
    first = n - removed + 1
    span = f"event {n}" if removed == 1 else f"events {first}..{n}"
    assert report.problems == (
        f"{span} missing: the case row records {n} event(s), the history ends at {n - removed} "
        f"(events removed from the end)",
    )


@given(n=st.integers(1, 30))
def test_an_intact_history_matches_its_row(n: int) -> None:
    docs = _chain(n)
    assert verify_chain("c", docs, _head(docs)).ok


def test_a_row_whose_head_hash_was_edited_does_not_match() -> None:
    docs = _chain(4)
    report = verify_chain("c", docs, Head(4, "f" * 64))
    assert not report.ok
    assert report.problems[0].startswith("head does not match: the case row records event 4")


def test_a_row_behind_its_history_is_named() -> None:
    docs = _chain(4)
    report = verify_chain("c", docs, _head(docs[:3]))
    assert report.problems == (
        "the case row records 3 event(s), the history has 4: the row is behind its history "
        "(edited, or written by a damaged store)",
    )


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's store, built once (with the built-ins only, as every test here sees)."""
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PLANNING_CORE_LOAD_PLUGINS", "")
        result = CliRunner().invoke(cli, ["demo", "--store", f"sqlite:///{db}"])
    assert result.exit_code == 0, result.output
    return db


def _copy(src: Path, dst: Path) -> Path:
    source = sqlite3.connect(src)
    target = sqlite3.connect(dst)
    source.backup(target)
    source.close()
    target.close()
    return dst


def _drop_last(db: Path, case_number: str, count: int) -> tuple[str, int]:
    conn = sqlite3.connect(db)
    case_id, last = conn.execute(
        "SELECT case_id, last_seq FROM cases WHERE case_number = ?", (case_number,)
    ).fetchone()
    conn.execute("DELETE FROM events WHERE case_id = ? AND seq > ?", (case_id, last - count))
    conn.commit()
    conn.close()
    return case_id, last


@pytest.mark.parametrize("count", [1, 2])
def test_deleting_the_last_events_is_named_by_verify_history_and_the_cli(
    demo_db: Path, tmp_path: Path, count: int
) -> None:
    db = _copy(demo_db, tmp_path / "cut.db")
    case_id, last = _drop_last(db, "2026-000001", count)
    url = f"sqlite:///{db}"
    span = f"event {last}" if count == 1 else f"events {last - 1}..{last}"
    with open_bureau(store=url) as bureau:
        report = bureau.engine.verify_history(case_id)
    assert not report.ok
    assert report.problems[0].startswith(f"{span} missing: the case row records {last} event(s)")
    result = CliRunner().invoke(cli, ["cases", "verify", "2026-000001", "--store", url])
    assert result.exit_code == 1
    assert "history does NOT verify" in result.stdout
    assert f"{span} missing" in result.stdout


def test_a_deleted_row_is_named(demo_db: Path, tmp_path: Path) -> None:
    db = _copy(demo_db, tmp_path / "norow.db")
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA foreign_keys = OFF")
    (case_id,) = conn.execute(
        "SELECT case_id FROM cases WHERE case_number = '2026-000001'"
    ).fetchone()
    conn.execute("DELETE FROM work_items WHERE case_id = ?", (case_id,))
    conn.execute("DELETE FROM cases WHERE case_id = ?", (case_id,))
    conn.commit()
    conn.close()
    with open_bureau(store=f"sqlite:///{db}") as bureau:
        report = bureau.engine.verify_history(case_id)
    assert not report.ok and report.problems[-1].startswith("the case row is missing")
