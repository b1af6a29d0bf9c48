"""``planning-core cases consult`` and ``cases show``: departments' answers at the command line."""

from __future__ import annotations

import json

import pytest
from _support.cli import install_plugins
from click.testing import CliRunner
from consultations.conftest import parallel_permit, with_departments
from consultations.test_walk import _to_consultation

from planning_core.cli import cli
from planning_core.markers import hookimpl
from planning_core.permits import PermitType
from planning_core.plugins import Hooks
from planning_core.registry import Registry
from planning_core.storage import Store
from planning_core.testing import Bureau, CaseFactory, ManualClock
from planning_core.workflow import Organisation, Silence, reference_organisation


class _City:
    @hookimpl
    def planning_core_register_permit_types(self, registry: Registry[PermitType]) -> None:
        registry.add("PARALLEL", parallel_permit(Silence.DEEMED_CONSENT))

    @hookimpl
    def planning_core_organisation(self, bureau: str) -> Organisation:
        return with_departments(reference_organisation())


@pytest.fixture
def silence() -> Silence:
    return Silence.DEEMED_CONSENT


@pytest.fixture
def pc_store(pc_sqlite_store: Store) -> Store:
    return pc_sqlite_store


@pytest.fixture(autouse=True)
def _the_city_on_the_command_line(pc_hooks: Hooks, monkeypatch: pytest.MonkeyPatch) -> None:
    install_plugins(monkeypatch, city=_City())


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_an_answer_is_recorded_and_the_file_shows_the_departments_apart(
    pc_bureau: Bureau, pc_cases: CaseFactory, pc_clock: ManualClock, pc_sqlite_url: str
) -> None:
    case = _to_consultation(pc_cases)
    number = pc_bureau.engine.load(case).case_number
    where = ("--store", pc_sqlite_url, "--at", pc_clock.now.isoformat())
    answered = json.loads(
        _run(
            "cases",
            "consult",
            number,
            "consult",
            "FIRE",
            "--answer",
            "agree_with_conditions",
            "--condition",
            "消防车道宽度不小于4米",
            "--actor",
            "fire.liaison",
            "--format",
            "json",
            *where,
        )
    )
    by_department = {line["department"]: line for line in answered}
    assert by_department["FIRE"]["answer"] == "agree_with_conditions"
    assert by_department["FIRE"]["conditions"] == ["消防车道宽度不小于4米"]
    assert by_department["TRANSPORT"]["answer"] is None  # still awaited

    pc_clock.advance(days=10)  # the transport bureau's 3 working days are long gone
    later = ("--store", pc_sqlite_url, "--at", pc_clock.now.isoformat())
    shown = _run("cases", "show", number, *later)
    assert "征求意见：" in shown
    [fire] = [line for line in shown.splitlines() if "市消防救援支队" in line]
    assert "有条件同意：消防车道宽度不小于4米" in fire
    [transport] = [line for line in shown.splitlines() if "市交通运输局" in line]
    assert "逾期" in transport and "未回复" in transport
    data = json.loads(_run("cases", "show", number, "--format", "json", *later))
    late = {c["department"]: c["late_days"] for c in data["consultations"]}
    assert late["TRANSPORT"] > 0 and late["FIRE"] == 0


def test_a_stranger_cannot_answer_for_a_department(
    pc_bureau: Bureau, pc_cases: CaseFactory, pc_clock: ManualClock, pc_sqlite_url: str
) -> None:
    case = _to_consultation(pc_cases)
    number = pc_bureau.engine.load(case).case_number
    result = CliRunner().invoke(
        cli,
        ["cases", "consult", number, "consult", "FIRE", "--answer", "agree",
         "--actor", "tr.liaison", "--store", pc_sqlite_url, "--at", pc_clock.now.isoformat()],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "FIRE" in result.stderr
