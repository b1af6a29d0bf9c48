"""``planning-core permits``: the published limits table (对外公布各类业务的办结时限)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import click

from planning_core.cli._base import CliContext, pass_context
from planning_core.cli._output import Output, output_options
from planning_core.permits import PublishedLimit, permit_catalogue, published_limits
from planning_core.serialization import dump, make_converter

__all__ = ["permits", "table"]

_HEADER = ["代码", "业务名称", "法定时限", "承诺时限", "可延长", "证件", "最长流程", "依据"]


@click.command()
@output_options(csv=True)
@pass_context
def permits(obj: CliContext, output: Output) -> None:
    """The published time limits of every permit type (办结时限公示)."""
    rows = published_limits(permit_catalogue(obj.hooks))
    converter = make_converter(obj.hooks)
    body = [_cells(r) for r in rows]
    output.emit(
        text=lambda: table(_HEADER, body),
        data=lambda: [dump(converter, r) for r in rows],
        table=lambda: (_HEADER, body),
    )


def _cells(r: PublishedLimit) -> list[str]:
    return [
        r.code,
        r.name_zh,
        r.statutory_limit.zh,
        r.committed_limit.zh,
        r.extension.zh if r.extension is not None else "不可延长",
        r.certificate_prefix,
        f"{r.worst_case_days}个工作日",
        r.legal_basis,
    ]


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
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
