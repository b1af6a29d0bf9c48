"""planning-core permits [--json] and a failing workflow check."""

from __future__ import annotations

import json
import types

import attrs
import pytest
from click.testing import CliRunner

from planning_core import hookimpl
from planning_core.cli import cli
from planning_core.permits import PermitType, reference_permit_types
from planning_core.plugins import Hooks, make_hooks
from planning_core.registry import Registry
from planning_core.timing import TimeLimit


def test_permits_table_shows_the_published_limits() -> None:
    result = CliRunner().invoke(cli, ["permits"])
    assert result.exit_code == 0, result.output
    header, *rows = result.output.splitlines()
    assert header.split()[:5] == ["代码", "业务名称", "法定时限", "承诺时限", "可延长"]
    assert len(rows) == 6
    for permit in reference_permit_types():
        (row,) = [r for r in rows if r.startswith(permit.code + " ")]
        assert permit.name_zh in row and permit.committed_limit.zh in row
        assert permit.certificate.prefix in row


def test_permits_json() -> None:
    result = CliRunner().invoke(cli, ["permits", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    by_code = {row["code"]: row for row in data}
    for permit in reference_permit_types():
        row = by_code[permit.code]
        assert row["name_zh"] == permit.name_zh
        assert row["statutory_limit"] == "20 working days"
        assert row["committed_limit_zh"] == permit.committed_limit.zh
        assert row["extension"] == "10 working days"
    assert "选址意见书" in result.output  # ensure_ascii=False


@pytest.fixture
def strict_city(monkeypatch: pytest.MonkeyPatch) -> None:
    """A city that promises 12 working days for construction permits."""

    @hookimpl
    def planning_core_register_permit_types(registry: Registry[PermitType]) -> None:
        construction = registry.get("CONSTRUCTION")
        faster = attrs.evolve(construction, committed_limit=TimeLimit.working_days(12))
        registry.add("CONSTRUCTION", faster, replace=True)

    plugin = types.SimpleNamespace(
        planning_core_register_permit_types=planning_core_register_permit_types
    )

    def hooks_with_city() -> Hooks:
        hooks = make_hooks(entry_points=False)
        hooks.register(plugin, name="strict-city")
        return hooks

    monkeypatch.setattr("planning_core.cli._base.installed_plugins", hooks_with_city)


def test_check_exits_1_naming_the_path_that_does_not_fit(strict_city: None) -> None:
    result = CliRunner().invoke(cli, ["workflow", "check", "CONSTRUCTION"])
    assert result.exit_code == 1, result.output
    assert "DOES NOT FIT" in result.output
    assert "exceeds the committed limit 12个工作日 by 1" in result.output
    assert "bureau_meeting" in result.output
