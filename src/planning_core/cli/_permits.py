"""``planning-core permits``: the published limits table (对外公布各类业务的办结时限)."""

from __future__ import annotations

import json
import unicodedata

import click

from planning_core.cli._base import CliContext, pass_context
from planning_core.permits import PublishedLimit, permit_catalogue, published_limits

__all__ = ["permits", "table"]


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@pass_context
def permits(obj: CliContext, as_json: bool) -> None:
    """The published time limits of every permit type (办结时限公示)."""
    rows = published_limits(permit_catalogue(obj.hooks))
    if as_json:
        click.echo(json.dumps([_row_json(r) for r in rows], ensure_ascii=False, indent=2))
        return
    header = ["代码", "业务名称", "法定时限", "承诺时限", "可延长", "证件", "最长流程", "依据"]
    body = [
        [
            r.code,
            r.name_zh,
            r.statutory_limit.zh,
            r.committed_limit.zh,
            r.extension.zh if r.extension is not None else "不可延长",
            r.certificate_prefix,
            f"{r.worst_case_days}个工作日",
            r.legal_basis,
        ]
        for r in rows
    ]
    click.echo(table(header, body))


def _row_json(row: PublishedLimit) -> dict[str, object]:
    return {
        "code": row.code,
        "name_zh": row.name_zh,
        "name_en": row.name_en,
        "legal_basis": row.legal_basis,
        "statutory_limit": str(row.statutory_limit),
        "statutory_limit_zh": row.statutory_limit.zh,
        "committed_limit": str(row.committed_limit),
        "committed_limit_zh": row.committed_limit.zh,
        "extension": None if row.extension is None else str(row.extension),
        "certificate_prefix": row.certificate_prefix,
        "worst_case_working_days": row.worst_case_days,
    }


def table(header: list[str], rows: list[list[str]]) -> str:
    """Columns padded by display width, so Chinese (two columns a character) lines up."""
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(_pad(cell, w) for cell, w in zip(r, widths, strict=True)) for r in [header, *rows]
    ]
    return "\n".join(line.rstrip() for line in lines)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
