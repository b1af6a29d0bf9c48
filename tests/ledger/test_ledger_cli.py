"""``planning-core ledger anchor|audit`` and ``cases verify CASE --anchor FILE``: exit 0 when
the histories match the published anchor, 1 naming each problem, 2 for a bad anchor file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _support.ledger import Attacker
from click.testing import CliRunner, Result

from planning_core.cli import cli
from planning_core.ledger import Anchor, read_anchor

EVENING = "2026-12-01T18:00:00+08:00"


@pytest.fixture(autouse=True)
def _builtins_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line loads installed plugins; these tests run the built-ins only."""
    monkeypatch.setenv("PLANNING_CORE_LOAD_PLUGINS", "")


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["--lang", "en", *args])


@pytest.fixture
def published(seeded: list[str], url: str, tmp_path: Path) -> Path:
    """The anchor of 2026-12-01, written to a file as a host would publish it."""
    out = tmp_path / "anchor-2026-12-01.json"
    result = run("ledger", "anchor", "--at", EVENING, "--out", str(out), "--store", url)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # the anchor went to the file; what was done, to stderr
    assert "anchor of 2026-12-01: 4 case(s), root " in result.stderr
    return out


def test_anchor_prints_the_json_without_out(seeded: list[str], url: str) -> None:
    result = run("ledger", "anchor", "--at", EVENING, "--store", url)
    assert result.exit_code == 0, result.output
    taken = Anchor.from_json(result.stdout)
    assert (taken.size, taken.day.isoformat()) == (4, "2026-12-01")
    assert json.loads(result.stdout)["format"] == "planning-core-anchor/1"


def test_untouched_cases_verify_and_the_audit_passes(
    published: Path, url: str, attacker: Attacker
) -> None:
    result = run("cases", "verify", "c-a", "--anchor", str(published), "--store", url)
    assert result.exit_code == 0, result.output
    assert "events intact" in result.stdout
    number = attacker.events("c-a")[0]["data"]["case_number"]
    assert f"{number}: events 1..3 match the anchor of 2026-12-01 (proof of 2 hashes)" in (
        result.stdout
    )
    audit = run("ledger", "audit", "--anchor", str(published), "--store", url)
    assert audit.exit_code == 0, audit.output
    assert audit.stdout.strip() == "anchor of 2026-12-01: all 4 anchored case(s) match"
    data = json.loads(
        run(
            "ledger", "audit", "--anchor", str(published), "--store", url, "--format", "json"
        ).stdout
    )
    assert (data["ok"], data["checked"], data["problems"]) == (True, 4, [])
    as_json = run("cases", "verify", "c-a", "--anchor", str(published), "--store", url,
                  "--format", "json")  # fmt: skip
    checked = json.loads(as_json.stdout)
    assert checked["ok"] is True and checked["anchor"]["day"] == "2026-12-01"
    assert checked["covered"] is True and checked["problems"] == []


def test_the_case_number_works_as_well(published: Path, url: str, attacker: Attacker) -> None:
    number = attacker.events("c-b")[0]["data"]["case_number"]
    result = run("cases", "verify", number, "--anchor", str(published), "--store", url)
    assert result.exit_code == 0, result.output
    assert f"{number}: events 1..3 match the anchor of 2026-12-01" in result.stdout


def test_a_rewritten_chain_passes_plain_verify_and_fails_against_the_anchor(
    published: Path, url: str, attacker: Attacker
) -> None:
    attacker.rewrite("c-a")
    plain = run("cases", "verify", "c-a", "--store", url)
    assert plain.exit_code == 0, plain.output  # chain and row are consistent
    result = run("cases", "verify", "c-a", "--anchor", str(published), "--store", url)
    assert result.exit_code == 1
    assert "does NOT verify against the anchor of 2026-12-01" in result.stdout
    assert "case c-a: events 1..3 differ from the history anchored on 2026-12-01" in (result.stdout)
    audit = run("ledger", "audit", "--anchor", str(published), "--store", url)
    assert audit.exit_code == 1
    assert "anchor of 2026-12-01: 1 problem(s)" in audit.stdout
    assert "case c-a: events 1..3 differ" in audit.stdout
    data = json.loads(
        run(
            "ledger", "audit", "--anchor", str(published), "--store", url, "--format", "json"
        ).stdout
    )
    assert data["ok"] is False and any("c-a" in p for p in data["problems"])


def test_a_dropped_case_is_named(published: Path, url: str, attacker: Attacker) -> None:
    attacker.drop("c-c")
    result = run("cases", "verify", "c-c", "--anchor", str(published), "--store", url)
    assert result.exit_code == 1
    assert "it is gone from the store (dropped)" in result.stdout
    audit = run("ledger", "audit", "--anchor", str(published), "--store", url)
    assert audit.exit_code == 1
    assert "case c-c: anchored on 2026-12-01 with 1 event(s), it is gone" in audit.stdout


def test_a_case_unknown_to_store_and_anchor_is_a_user_error(published: Path, url: str) -> None:
    result = run("cases", "verify", "nope", "--anchor", str(published), "--store", url)
    assert result.exit_code == 2
    assert "no case with id or number 'nope' in the store nor in the anchor" in result.stderr


@pytest.mark.parametrize("command", [("cases", "verify", "c-a"), ("ledger", "audit")])
def test_a_malformed_anchor_file_is_one_line_and_exit_2(
    published: Path, url: str, command: tuple[str, ...]
) -> None:
    data = json.loads(published.read_text(encoding="utf-8"))
    published.write_text(json.dumps({**data, "root": "not hex"}), encoding="utf-8")
    result = run(*command, "--anchor", str(published), "--store", url)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("planning-core: error: anchor file ")
    assert "root 'not hex' is not 64 lowercase hex digits" in result.stderr


def test_a_missing_anchor_file_is_one_line_and_exit_2(url: str, tmp_path: Path) -> None:
    result = run("ledger", "audit", "--anchor", str(tmp_path / "none.json"), "--store", url)
    assert result.exit_code == 2
    assert result.stderr.startswith("planning-core: error: no anchor file ")


def test_the_file_written_is_the_anchor_recorded(published: Path, url: str) -> None:
    from planning_core.bureau import open_bureau
    from planning_core.ledger import recorded_anchors

    with open_bureau(store=url) as bureau:
        assert recorded_anchors(bureau.store) == [read_anchor(published)]


def test_anchoring_a_store_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    result = run("ledger", "anchor", "--at", EVENING, "--store", f"sqlite:///{missing}")
    assert result.exit_code == 2
    assert result.stderr.startswith("planning-core: error: ")
    assert not missing.exists()
