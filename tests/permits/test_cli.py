"""planning-core permits [--json] and a failing workflow check."""

from __future__ import annotations

import json
import types

import attrs
import pytest
from _support.cli import install_plugins
from click.testing import CliRunner

from planning_core import hookimpl
from planning_core.cli import cli
from planning_core.permits import PermitType, reference_permit_types
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
        assert row["statutory_limit"] == {"days": 20, "unit": "working_days"}
        assert row["committed_limit"] == {
            "days": permit.committed_limit.days,
            "unit": "working_days",
        }
        assert row["extension"] == {"days": 10, "unit": "working_days"}
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

    install_plugins(monkeypatch, **{"strict-city": plugin})


def test_check_exits_1_naming_the_path_that_does_not_fit(strict_city: None) -> None:
    result = CliRunner().invoke(cli, ["workflow", "check", "CONSTRUCTION"])
    assert result.exit_code == 1, result.output
    assert "DOES NOT FIT" in result.output
    assert "exceeds the committed limit of 12 working days by 1 working day(s)" in result.output
    assert "bureau_meeting" in result.output
