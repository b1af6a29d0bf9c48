"""``planning-core ratings``: the applicant rates at the command line, the bureau follows up."""

from __future__ import annotations

import csv
import io
import json

import pytest
from _support.cli import install_plugins
from click.testing import CliRunner
from ratings.test_ratings import _delivered

from planning_core.cli import cli
from planning_core.markers import hookimpl
from planning_core.permits import PermitType
from planning_core.plugins import Hooks
from planning_core.registry import Registry
from planning_core.storage import Store
from planning_core.testing import Bureau, CaseFactory, ManualClock, sample_permit_type


class _City:
    @hookimpl
    def planning_core_register_permit_types(self, registry: Registry[PermitType]) -> None:
        registry.add("TEST", sample_permit_type())


@pytest.fixture
def pc_store(pc_sqlite_store: Store) -> Store:
    return pc_sqlite_store


@pytest.fixture(autouse=True)
def _the_city_on_the_command_line(pc_hooks: Hooks, monkeypatch: pytest.MonkeyPatch) -> None:
    install_plugins(monkeypatch, city=_City())


def _run(*args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin)
    return result.exit_code, result.stdout + result.stderr


def test_a_bad_rating_is_given_followed_up_and_counted(
    pc_bureau: Bureau, pc_cases: CaseFactory, pc_clock: ManualClock, pc_sqlite_url: str
) -> None:
    receipt = _delivered(pc_bureau, pc_cases, pc_clock)
    at = pc_clock.now.isoformat()
    where = ("--store", pc_sqlite_url, "--at", at)
    code, out = _run(
        "ratings", "rate", receipt.case_number, "--score", "1", "--reason", "guide_unclear",
        "--password-stdin", "--format", "json", *where, stdin=receipt.password + "\n",
    )  # fmt: skip
    assert code == 0, out
    rating = json.loads(out)
    assert rating["score"] == 1 and rating["follow_up"]["post"] == "SUPERVISION_INSPECTOR"
    assert rating["rated_at"].endswith("+08:00")

    code, out = _run("ratings", "rate", receipt.case_number, "--score", "5", "--password-stdin",
                     *where, stdin=receipt.password + "\n")  # fmt: skip
    assert code == 2 and "一事一评" in out  # once per case

    code, out = _run("ratings", "follow-up", receipt.case_number, "verify", "--note", "属实",
                     "--actor", "zheng.wei", *where)  # fmt: skip
    assert code == 0, out
    assert "下一步：整改" in out

    code, out = _run("ratings", "list", "--format", "csv", *where)
    [row] = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    assert row["案件编号"] == receipt.case_number and row["评价"] == "非常不满意"

    code, out = _run("ratings", "stats", "--format", "json", *where)
    figures = json.loads(out)
    assert (figures["count"], figures["bad"], figures["followed_up"]) == (1, 1, 0)
    code, out = _run("ratings", "stats", *where)
    assert "差评 1 件" in out


def test_a_wrong_password_is_refused_in_one_line(
    pc_bureau: Bureau, pc_cases: CaseFactory, pc_clock: ManualClock, pc_sqlite_url: str
) -> None:
    receipt = _delivered(pc_bureau, pc_cases, pc_clock)
    code, out = _run(
        "ratings", "rate", receipt.case_number, "--score", "5", "--password-stdin",
        "--store", pc_sqlite_url, "--at", pc_clock.now.isoformat(), stdin="WRONG-PASS-00\n",
    )  # fmt: skip
    assert code == 2
    assert len(out.strip().splitlines()) == 1
