"""A report as a list of blocks, and the two ways it is written out: Markdown and HTML.

Sections are built once as headings, paragraphs, tables and figures; Markdown and HTML are
two renderings of the same blocks, so the two documents never disagree on a figure. HTML is
one self-contained page (UTF-8, ``lang="zh-CN"``, a little CSS, the charts as inline SVG);
every text is escaped. Markdown leaves the figures out: it is the text a bureau pastes.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TypeAlias

import attrs

__all__ = ["Block", "Figure", "Heading", "Paragraph", "Table", "to_html", "to_markdown"]


@attrs.frozen
class Heading:
    """A heading; level 1 is the title."""

    level: int
    text: str


@attrs.frozen
class Paragraph:
    """A paragraph of running text."""

    text: str


@attrs.frozen
class Table:
    """A table: a header row and rows of cells; numbers are right-aligned."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric_from: int = 1


@attrs.frozen
class Figure:
    """A chart as SVG text, with its caption."""

    svg: str
    caption: str


Block: TypeAlias = Heading | Paragraph | Table | Figure


def to_markdown(blocks: Sequence[Block]) -> str:
    """The blocks as Markdown (figures left out)."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            out += [f"{'#' * block.level} {block.text}", ""]
        elif isinstance(block, Paragraph):
            out += [block.text, ""]
        elif isinstance(block, Table):
            out += [*_markdown_table(block), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _markdown_table(table: Table) -> list[str]:
    def row(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    align = ["---:" if i >= table.numeric_from else "---" for i in range(len(table.headers))]
    return [row(table.headers), "| " + " | ".join(align) + " |", *(row(r) for r in table.rows)]


_STYLE = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "SimHei",
  "PingFang SC", sans-serif; max-width: 60em; margin: 2em auto; padding: 0 1em;
  line-height: 1.7; color: #222; }
h1 { text-align: center; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #999; padding: 0.2em 0.6em; }
th { background: #eee; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1.5em 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { text-align: center; color: #555; }
"""


def to_html(blocks: Sequence[Block], title: str) -> str:
    """The blocks as one self-contained HTML5 page."""
    body: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            level = min(max(block.level, 1), 6)
            body.append(f"<h{level}>{html.escape(block.text)}</h{level}>")
        elif isinstance(block, Paragraph):
            body.append(f"<p>{html.escape(block.text)}</p>")
        elif isinstance(block, Table):
            body.append(_html_table(block))
        else:
            body.append(
                f"<figure>{inline_svg(block.svg)}"
                f"<figcaption>{html.escape(block.caption)}</figcaption></figure>"
            )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def _html_table(table: Table) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in table.headers)
    rows = []
    for cells in table.rows:
        tds = "".join(
            f'<td class="n">{html.escape(c)}</td>'
            if i >= table.numeric_from
            else f"<td>{html.escape(c)}</td>"
            for i, c in enumerate(cells)
        )
        rows.append(f"<tr>{tds}</tr>")
    return (
        f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n"
        + "\n".join(rows)
        + "\n</tbody>\n</table>"
    )


def inline_svg(svg: str) -> str:
    """An SVG document as an element to put inside HTML: without its XML prolog."""
    start = svg.find("<svg")
    return svg[start:].strip() if start >= 0 else svg
