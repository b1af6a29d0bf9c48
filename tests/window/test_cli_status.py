"""``planning-core status`` without a terminal, and with ``--client``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from planning_core.cli import cli

AT = "2026-03-02T09:00:00+08:00"
LATER = "2026-03-02T10:00:00+08:00"
MATERIALS = [
    "application",
    "land_documents",
    "land_permit",
    "design_scheme",
    "construction_drawings",
]


@pytest.fixture
def store(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'bureau.db'}"


def _run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input)


def _receipt(tmp_path: Path, store: str) -> tuple[str, str]:
    application = {
        "permit_type": "CONSTRUCTION",
        "applicant": "唐山某置业有限公司",
        "project": "某小区1号楼",
        "materials": MATERIALS,
    }
    file = tmp_path / "application.json"
    file.write_text(json.dumps(application, ensure_ascii=False), encoding="utf-8")
    result = _run("intake", str(file), "--json", "--at", AT, "--store", store)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    return str(data["case_number"]), str(data["password"])


@pytest.mark.parametrize("piped", [True, False])
def test_status_without_a_terminal_or_password_stdin_is_one_line_exit_2(
    tmp_path: Path, store: str, piped: bool
) -> None:
    """Before: ``GetPassWarning … Aborted!`` (the runner's standard input is no terminal)."""
    number, password = _receipt(tmp_path, store)
    typed = password + "\n" if piped else None
    result = _run("status", number, "--at", LATER, "--store", store, input=typed)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("planning-core: error: ")
    assert "--password-stdin" in result.stderr and "terminal" in result.stderr
    assert "Aborted" not in result.output and password not in result.output


def test_status_throttles_per_client(tmp_path: Path, store: str) -> None:
    number, password = _receipt(tmp_path, store)

    def status(client: str, typed: str) -> Result:
        return _run(
            "status", number, "--password-stdin", "--client", client,
            "--at", LATER, "--store", store, input=typed + "\n",
        )  # fmt: skip

    for _ in range(5):
        assert status("203.0.113.7", "WRONGPASS").exit_code == 2
    locked = status("203.0.113.7", password)
    assert locked.exit_code == 2 and "too many wrong attempts from this client" in locked.stderr
    owner = status("198.51.100.20", password)
    assert owner.exit_code == 0, owner.output
    assert "办理阶段：审查中" in owner.output
    local = _run(
        "status", number, "--password-stdin", "--at", LATER, "--store", store,
        input=password + "\n",
    )  # fmt: skip
    assert local.exit_code == 0, local.output  # the default key, local, is its own client
