"""docs/forms.md: its example runs and prints exactly what the page shows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PAGE = Path(__file__).resolve().parents[2] / "docs" / "forms.md"


def test_the_example_prints_what_the_page_shows(capsys: pytest.CaptureFixture[str]) -> None:
    text = PAGE.read_text(encoding="utf-8")
    match = re.search(r"^```python\n(.*?)^```\n\n.*?^```\n(.*?)^```", text, re.M | re.S)
    assert match, "the page needs a python example followed by its printed output"
    exec(compile(match.group(1), str(PAGE), "exec"), {})
    assert capsys.readouterr().out == match.group(2)
