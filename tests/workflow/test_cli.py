"""planning-core workflow list | show | validate | check."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from planning_core.cli import cli
from planning_core.permits import permit_catalogue
from planning_core.plugins import Hooks
from planning_core.workflow import definition_from_json, definition_to_json, mermaid_ids


def _run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def construction_json(hooks: Hooks) -> dict[str, Any]:
    return definition_to_json(permit_catalogue(hooks).get("CONSTRUCTION").workflow)


def _write(tmp_path: Path, data: dict[str, Any]) -> str:
    path = tmp_path / "workflow.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def _problem_lines(output: str, node: str) -> list[str]:
    return [line for line in output.splitlines() if f"'{node}'" in line]


def test_list_shows_every_permit_type(hooks: Hooks) -> None:
    result = _run("workflow", "list")
    assert result.exit_code == 0, result.output
    for permit in permit_catalogue(hooks).values():
        assert permit.code in result.output
        assert permit.workflow.content_hash[:12] in result.output


def test_show_mermaid_fits_the_grammar(hooks: Hooks, mermaid_grammar: Callable[[str], Any]) -> None:
    result = _run(
        "workflow", "show", "CONSTRUCTION", "--format", "mermaid", "--light", "review=red"
    )
    assert result.exit_code == 0, result.output
    chart = mermaid_grammar(result.output)
    definition = permit_catalogue(hooks).get("CONSTRUCTION").workflow
    assert set(chart.nodes) == set(mermaid_ids(definition).values())
    assert chart.classes["light_red"] == {"s_review"}


def test_show_json_reads_back(hooks: Hooks) -> None:
    result = _run("workflow", "show", "LAND_USE", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "用地规划处" not in result.output  # posts are codes; names come from the organisation
    assert "建设用地规划许可证审批流程" in result.output
    assert definition_from_json(json.loads(result.output)) == (
        permit_catalogue(hooks).get("LAND_USE").workflow
    )


def test_show_dot() -> None:
    result = _run("workflow", "show", "VERIFICATION", "--format", "dot")
    assert result.exit_code == 0, result.output
    assert result.output.startswith('digraph "VERIFICATION" {')


def test_show_unknown_type_or_bad_light_is_a_user_error() -> None:
    result = _run("workflow", "show", "NOPE")
    assert result.exit_code == 2 and "unknown permit type 'NOPE'" in result.stderr
    result = _run("workflow", "show", "CONSTRUCTION", "--light", "review")
    assert result.exit_code == 2 and "STEP=LIGHT" in result.stderr


def test_validate_accepts_a_sound_file(tmp_path: Path, construction_json: dict[str, Any]) -> None:
    file = _write(tmp_path, construction_json)
    result = _run("--lang", "en", "workflow", "validate", file)
    assert result.exit_code == 0, result.output
    assert "is valid" in result.output and "worst case 13 working days" in result.output
    zh = _run("--lang", "zh", "workflow", "validate", file)
    assert "有效" in zh.output and "最长 13个工作日" in zh.output and "is valid" not in zh.output
    data = json.loads(_run("workflow", "validate", file, "--format", "json").stdout)
    assert data["valid"] is True and data["worst_case_days"] == 13 and data["problems"] == []


def test_validate_json_lists_the_problems_with_exit_1(
    tmp_path: Path, construction_json: dict[str, Any]
) -> None:
    construction_json["edges"].append({"source": "review", "target": "nowhere"})
    result = _run("workflow", "validate", _write(tmp_path, construction_json), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["valid"] is False and any("nowhere" in p for p in data["problems"])


def test_a_definition_written_before_the_limit_rename_still_validates(
    tmp_path: Path, construction_json: dict[str, Any]
) -> None:
    """Files that give a step's limit as ``{"value": …}`` (before ``TimeLimit.days``) load."""
    for node in construction_json["nodes"]:
        if node.get("time_limit") is not None:
            node["time_limit"] = {"value": node["time_limit"].pop("days"), **node["time_limit"]}
    assert '"value"' in json.dumps(construction_json)
    result = _run("workflow", "validate", _write(tmp_path, construction_json), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["worst_case_days"] == 13


def test_list_json_and_csv(hooks: Hooks) -> None:
    data = json.loads(_run("workflow", "list", "--format", "json").stdout)
    construction = next(row for row in data if row["permit_type"] == "CONSTRUCTION")
    assert (
        construction["content_hash"]
        == permit_catalogue(hooks).get("CONSTRUCTION").workflow.content_hash
    )
    table = _run("workflow", "list", "--format", "csv").stdout
    rows = list(csv.reader(io.StringIO(table)))
    assert rows[0] == ["代码", "流程", "版本", "步骤", "会议", "会签", "最长", "内容哈希"]
    assert len(rows) == 1 + len(data)


def test_show_out_writes_the_file(tmp_path: Path) -> None:
    out = tmp_path / "flow.json"
    result = _run("workflow", "show", "CONSTRUCTION", "--format", "json", "--out", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    data = json.loads(out.read_text(encoding="utf-8"))
    limits = [n["time_limit"] for n in data["nodes"] if n.get("time_limit")]
    assert limits and all(set(limit) == {"days", "unit"} for limit in limits)


def test_validate_names_a_dead_end(tmp_path: Path, construction_json: dict[str, Any]) -> None:
    data = construction_json
    data["nodes"].append(
        {
            "id": "stuck",
            "name": "无出口的审核",
            "kind": "task",
            "post": "CONSTRUCTION_REVIEWER",
            "time_limit": {"value": 1, "unit": "working_days"},
            "actions": ["approve"],
        }
    )
    data["edges"].append(
        {"source": "review", "target": "stuck", "action": "approve", "condition": "major_project"}
    )
    result = _run("workflow", "validate", _write(tmp_path, data))
    assert result.exit_code == 1
    assert any("dead end" in line for line in _problem_lines(result.output, "stuck"))


def test_validate_names_each_step_of_a_forward_cycle(
    tmp_path: Path, construction_json: dict[str, Any]
) -> None:
    data = construction_json
    data["edges"].append(
        {"source": "leader", "target": "accept", "action": "approve", "condition": "major_project"}
    )
    result = _run("workflow", "validate", _write(tmp_path, data))
    assert result.exit_code == 1
    (cycle,) = [line for line in result.output.splitlines() if "forward cycle" in line]
    for node in ("accept", "review", "countersign", "division_meeting", "leader"):
        assert f"'{node}'" in cycle


def test_validate_names_a_join_without_its_split(
    tmp_path: Path, construction_json: dict[str, Any]
) -> None:
    data = construction_json
    data["nodes"] = [n for n in data["nodes"] if n["id"] != "countersign"]
    data["edges"] = [e for e in data["edges"] if "countersign" not in (e["source"], e["target"])]
    data["edges"].append({"source": "review", "target": "cs_planning", "action": "approve"})
    data["edges"].append(
        {
            "source": "review",
            "target": "cs_legal",
            "action": "approve",
            "condition": "major_project",
        }
    )
    result = _run("workflow", "validate", _write(tmp_path, data))
    assert result.exit_code == 1
    assert any(
        "'countersign', which is not a step" in line
        for line in _problem_lines(result.output, "countersign_done")
    )


def test_validate_names_a_join_its_split_does_not_dominate(
    tmp_path: Path, construction_json: dict[str, Any]
) -> None:
    data = construction_json
    data["edges"].append(
        {
            "source": "review",
            "target": "cs_legal",
            "action": "approve",
            "condition": "major_project",
        }
    )
    result = _run("workflow", "validate", _write(tmp_path, data))
    assert result.exit_code == 1
    lines = _problem_lines(result.output, "countersign_done")
    assert any("without passing its SPLIT 'countersign'" in line for line in lines)


def test_validate_reports_unregistered_conditions_and_bad_fields(
    tmp_path: Path, construction_json: dict[str, Any]
) -> None:
    data = construction_json
    for edge in data["edges"]:
        if edge["condition"] == "major_project":
            edge["condition"] = "mayor_says_so"
    result = _run("workflow", "validate", _write(tmp_path, data))
    assert result.exit_code == 1 and "'mayor_says_so' is not registered" in result.output
    data["nodes"][0]["kind"] = "party"
    result = _run("workflow", "validate", _write(tmp_path, data))
    assert result.exit_code == 1 and "$.nodes[0].kind" in result.output


def test_validate_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = _run("workflow", "validate", str(tmp_path / "none.json"))
    assert result.exit_code == 2


def test_check_every_reference_workflow_fits() -> None:
    result = _run("--lang", "en", "workflow", "check")
    assert result.exit_code == 0, result.output
    assert result.output.count(": fits;") == 6
    assert "critical path: start → accept → review" in result.output


def test_check_a_named_type() -> None:
    result = _run("--lang", "en", "workflow", "check", "RURAL_CONSTRUCTION")
    assert result.exit_code == 0
    assert result.output.startswith("RURAL_CONSTRUCTION 乡村建设规划许可证 v1: fits")
    zh = _run("--lang", "zh", "workflow", "check", "RURAL_CONSTRUCTION")
    assert zh.output.startswith("RURAL_CONSTRUCTION 乡村建设规划许可证 v1：符合；最长 ")
    data = json.loads(_run("workflow", "check", "RURAL_CONSTRUCTION", "--format", "json").stdout)
    assert data[0]["fits"] is True and set(data[0]["statutory_limit"]) == {"days", "unit"}
    assert data[0]["worst_case"]["steps"][0] == "start"
