"""The published limits for the bureau's website: every permit type with its limits and materials.

:func:`planning_core.permits.published_limits` gives the limits; the window adds what an
applicant needs to prepare (the materials list, required and optional), and writes the
table as JSON (for the site's scripts) and as Markdown (for its pages).
"""

from __future__ import annotations

import json

import attrs

from planning_core.permits import Material, PermitType, PublishedLimit, published_limits
from planning_core.registry import Registry

__all__ = ["PublishedPermit", "limits_json", "limits_markdown", "published_permits"]


@attrs.frozen
class PublishedPermit:
    """One permit type as the website shows it."""

    limit: PublishedLimit
    certificate: str
    materials: tuple[Material, ...]


def published_permits(catalogue: Registry[PermitType]) -> tuple[PublishedPermit, ...]:
    """Every permit type of ``catalogue`` with limits and materials, in registration order."""
    return tuple(
        PublishedPermit(
            row, catalogue.get(row.code).certificate.name, catalogue.get(row.code).materials
        )
        for row in published_limits(catalogue)
    )


def limits_json(catalogue: Registry[PermitType]) -> str:
    """The table as JSON text (UTF-8, Chinese kept as is)."""
    return json.dumps(
        [_json(p) for p in published_permits(catalogue)], ensure_ascii=False, indent=2
    )


def _json(permit: PublishedPermit) -> dict[str, object]:
    row = permit.limit
    return {
        "code": row.code,
        "name_zh": row.name_zh,
        "name_en": row.name_en,
        "legal_basis": row.legal_basis,
        "statutory_limit": {
            "days": row.statutory_limit.value,
            "unit": row.statutory_limit.unit.value,
            "zh": row.statutory_limit.zh,
        },
        "committed_limit": {
            "days": row.committed_limit.value,
            "unit": row.committed_limit.unit.value,
            "zh": row.committed_limit.zh,
        },
        "extension": None
        if row.extension is None
        else {
            "days": row.extension.value,
            "unit": row.extension.unit.value,
            "zh": row.extension.zh,
        },
        "certificate": permit.certificate,
        "materials": [
            {"code": m.code, "name": m.name, "required": m.required} for m in permit.materials
        ],
    }


def limits_markdown(catalogue: Registry[PermitType]) -> str:
    """The table as Markdown: one summary table, then each permit type's materials list."""
    lines = [
        "# 办理时限与申请材料公示",
        "",
        "| 事项 | 法定时限 | 承诺时限 | 可延长 | 证件 | 依据 |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    permits = published_permits(catalogue)
    for p in permits:
        row = p.limit
        extension = "不可延长" if row.extension is None else row.extension.zh
        lines.append(
            f"| {_cell(row.name_zh)} | {row.statutory_limit.zh} | {row.committed_limit.zh} | "
            f"{extension} | {_cell(p.certificate)} | {_cell(row.legal_basis)} |"
        )
    for p in permits:
        lines += ["", f"## {p.limit.name_zh}", ""]
        lines += [
            f"{i}. {_cell(m.name)}{'' if m.required else '（如有）'}"
            for i, m in enumerate(p.materials, 1)
        ]
    lines += ["", "时限以工作日计，不含法定节假日（《中华人民共和国行政许可法》第八十二条）。"]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")
