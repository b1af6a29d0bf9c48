"""Published limits with materials, as JSON and Markdown for the bureau's website."""

from __future__ import annotations

import json

import attrs
from _support.engine import sample_permit

from planning_core import hookimpl, make_hooks
from planning_core.permits import PermitType, permit_catalogue
from planning_core.plugins import Hooks
from planning_core.registry import Registry
from planning_core.window import limits_json, limits_markdown


def test_json_lists_every_permit_type_with_limits_and_materials(hooks: Hooks) -> None:
    catalogue = permit_catalogue(hooks)
    rows = json.loads(limits_json(catalogue))
    assert [r["code"] for r in rows] == catalogue.keys()
    for row in rows:
        permit = catalogue.get(row["code"])
        assert row["statutory_limit"]["days"] == permit.statutory_limit.days
        assert row["committed_limit"]["days"] == permit.committed_limit.days
        assert row["committed_limit"]["days"] <= row["statutory_limit"]["days"]
        assert row["certificate"] == permit.certificate.name
        assert [(m["code"], m["name"], m["required"]) for m in row["materials"]] == [
            (m.code, m.name, m.required) for m in permit.materials
        ]
    assert "建设工程规划许可申请表" in limits_json(catalogue)  # not \\u-escaped


def test_markdown_has_a_row_and_a_materials_list_per_permit_type(hooks: Hooks) -> None:
    catalogue = permit_catalogue(hooks)
    text = limits_markdown(catalogue)
    rows = [line for line in text.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) == 1 + len(catalogue)
    for permit in catalogue.values():
        assert f"## {permit.name_zh}" in text
        assert f"{permit.committed_limit.zh} |" in text
        for material in permit.materials:
            suffix = "" if material.required else "（如有）"
            assert f". {material.name}{suffix}\n" in text


class _OddNames:
    @hookimpl
    def planning_core_register_permit_types(self, registry: Registry[PermitType]) -> None:
        registry.add(
            "TEST", attrs.evolve(sample_permit(), name_zh="测试|许可", legal_basis="第一条\n第二条")
        )


def test_table_cells_are_escaped() -> None:
    hooks = make_hooks(entry_points=False)
    hooks.register(_OddNames(), name="odd-names")
    text = limits_markdown(permit_catalogue(hooks))
    row = next(line for line in text.splitlines() if line.startswith("| 测试"))
    assert row.replace("\\|", "").count("|") == 7  # six cells
    assert "第一条 第二条" in row
