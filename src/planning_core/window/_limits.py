"""The published limits for the bureau's website: every permit type with its limits and materials.

:func:`planning_core.permits.published_limits` gives the limits; the window adds what an
applicant needs to prepare (the materials list, required and optional), and writes the
table as JSON (for the site's scripts) and as Markdown (for its pages).
"""

from __future__ import annotations

import json

import attrs
import cattrs

from planning_core.permits import Material, PermitType, PublishedLimit, published_limits
from planning_core.registry import Registry
from planning_core.serialization import dump, make_converter

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


def limits_json(catalogue: Registry[PermitType], converter: cattrs.Converter | None = None) -> str:
    """The table as JSON text (UTF-8, Chinese kept as is).

    Each row is the :class:`~planning_core.permits.PublishedLimit` as the library's
    converter writes it (a limit is ``{"days": 20, "unit": "working_days"}``, the shape
    ``planning-core permits --format json`` gives too), with the certificate's name and the
    materials added.

    :param converter: the converter to write with (default: the built-in rules).
    """
    chosen = converter if converter is not None else make_converter()
    return json.dumps(
        [_json(chosen, p) for p in published_permits(catalogue)], ensure_ascii=False, indent=2
    )


def _json(converter: cattrs.Converter, permit: PublishedPermit) -> dict[str, object]:
    row: dict[str, object] = dump(converter, permit.limit)
    row["certificate"] = permit.certificate
    row["materials"] = [
        {"code": m.code, "name": m.name, "required": m.required} for m in permit.materials
    ]
    return row


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
