"""Every ``python`` block of the pages below runs as it stands, so the docs cannot rot."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
PAGES = ["quickstart.md", "cases.md"]


def _blocks(page: str) -> list[str]:
    text = (DOCS / page).read_text(encoding="utf-8")
    return re.findall(r"^```python\n(.*?)^```", text, re.M | re.S)


@pytest.mark.parametrize("page", PAGES)
def test_the_page_has_examples(page: str) -> None:
    assert _blocks(page)


@pytest.mark.parametrize(("page", "index"), [(p, i) for p in PAGES for i in range(len(_blocks(p)))])
def test_example_runs(page: str, index: int, capsys: pytest.CaptureFixture[str]) -> None:
    exec(compile(_blocks(page)[index], f"{page}[{index}]", "exec"), {})
    if page == "cases.md":
        assert capsys.readouterr().out.strip() == "乡字第2026-0001号"
