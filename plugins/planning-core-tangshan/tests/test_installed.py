"""The plugin as a host sees it once installed: listed, its permit type published."""

from __future__ import annotations

import json

from click.testing import CliRunner

from planning_core.cli import cli
from planning_core.plugins import Hooks


def test_the_plugin_is_found_through_its_entry_point(pc_hooks: Hooks) -> None:
    (info,) = [i for i in pc_hooks.describe() if i.name == "tangshan"]
    assert info.distribution == "planning-core-tangshan" and not info.builtin
    assert info.hooks == (
        "planning_core_case_number",
        "planning_core_default_region",
        "planning_core_forward_rating",
        "planning_core_organisation",
        "planning_core_register_calendars",
        "planning_core_register_conservation_rules",
        "planning_core_register_permit_types",
        "planning_core_request_opinion",
    )


def test_planning_core_plugins_lists_it() -> None:
    result = CliRunner().invoke(cli, ["plugins"])
    assert result.exit_code == 0, result.output
    assert "tangshan  (planning-core-tangshan 0.1.0)" in result.output


def test_planning_core_permits_publishes_the_local_permit_and_the_shorter_limit() -> None:
    result = CliRunner().invoke(cli, ["permits", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {row["code"]: row for row in json.loads(result.output)}
    assert rows["RURAL_NEW_RESIDENCE"]["name_zh"] == "农村新民居建设规划许可"
    assert rows["CONSTRUCTION"]["committed_limit"] == {"days": 10, "unit": "working_days"}
    assert rows["CONSTRUCTION"]["worst_case_days"] <= 10
    table = CliRunner().invoke(cli, ["permits"]).output
    assert "农村新民居建设规划许可" in table
