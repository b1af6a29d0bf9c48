"""The command line running Tangshan's bureau from a bureau file: its calendar, its staff."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import attrs
from click.testing import CliRunner
from planning_core_tangshan import TANGSHAN_CLOSURES, TANGSHAN_REGION

from planning_core import open_store
from planning_core.cli import cli
from planning_core.permits import PermitType
from planning_core.plugins import Hooks
from planning_core.registry import Registry
from planning_core.timing import calendar_for
from planning_core.workflow import organisation_to_data, reference_organisation

#: The Monday before the city's own day off (the closure is Tuesday 2026-07-28).
MONDAY = "2026-07-27T09:00:00+08:00"


def _bureau_file(folder: Path, region: str) -> Path:
    folder.mkdir()
    staff = reference_organisation()
    staff = attrs.evolve(
        staff, actors=tuple(attrs.evolve(a, name=f"唐山{a.name}") for a in staff.actors)
    )
    (folder / "staff.json").write_text(
        json.dumps(organisation_to_data(staff), ensure_ascii=False), encoding="utf-8"
    )
    file = folder / "bureau.toml"
    file.write_text(
        f'name = "唐山市城乡规划局"\nregion = "{region}"\nstore = "sqlite:///bureau.db"\n'
        f'organisation = "staff.json"\n',
        encoding="utf-8",
    )
    return file


def _intake(bureau: Path, application: Path) -> dict[str, object]:
    result = CliRunner().invoke(
        cli, ["--bureau", str(bureau), "intake", str(application), "--json", "--at", MONDAY]
    )
    assert result.exit_code == 0, result.output
    receipt: dict[str, object] = json.loads(result.output)
    return receipt


def test_intake_counts_the_pickup_date_on_the_citys_calendar(
    tmp_path: Path, pc_permit_types: Registry[PermitType], pc_hooks: Hooks
) -> None:
    assert TANGSHAN_CLOSURES[0].date.isoformat() == "2026-07-28"
    materials = [m.code for m in pc_permit_types.get("CONSTRUCTION").required_materials]
    application = tmp_path / "application.json"
    application.write_text(
        json.dumps(
            {
                "permit_type": "CONSTRUCTION",
                "applicant": "唐山某置业有限公司",
                "project": "某小区1号楼",
                "materials": materials,
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    city = _intake(_bureau_file(tmp_path / "city", TANGSHAN_REGION), application)
    national = _intake(_bureau_file(tmp_path / "national", "CN"), application)
    assert city["accepted"] and national["accepted"]
    city_calendar = calendar_for(TANGSHAN_REGION, hooks=pc_hooks)
    national_day = dt.date.fromisoformat(str(national["expected_pickup"]))
    assert str(city["expected_pickup"]) == str(city_calendar.add_working_days(national_day, 1))
    assert (tmp_path / "city" / "bureau.db").exists()


def test_cases_inbox_lists_the_bureaus_own_posts_and_people(tmp_path: Path) -> None:
    bureau = _bureau_file(tmp_path / "city", TANGSHAN_REGION)
    open_store(f"sqlite:///{tmp_path / 'city' / 'bureau.db'}").close()  # reads never create
    result = CliRunner().invoke(cli, ["--bureau", str(bureau), "cases", "inbox"])
    assert result.exit_code == 0, result.output
    assert "窗口受理员 (WINDOW_CLERK) [唐山张敏" in result.output
    assert "唐山" in result.output.splitlines()[-1]


def test_bureau_check_accepts_the_file_and_names_the_citys_calendar(tmp_path: Path) -> None:
    bureau = _bureau_file(tmp_path / "city", TANGSHAN_REGION)
    result = CliRunner().invoke(cli, ["bureau", "check", str(bureau)])
    assert result.exit_code == 0, result.output
    assert "日历 CN-tangshan" in result.output
