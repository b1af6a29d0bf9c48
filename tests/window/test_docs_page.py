"""docs/window.md: the example runs and prints what the page says it prints."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_the_example_runs_and_prints_receipt_status_and_card(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (DOCS / "window.md").read_text(encoding="utf-8")
    example = re.findall(r"^```python\n(.*?)^```", text, re.M | re.S)[0]
    monkeypatch.chdir(tmp_path)
    exec(example, {})
    out = capsys.readouterr().out
    for expected in ("立案回执", "预取件日期：2026年3月23日", "办理阶段：审查中", "预约接待卡"):
        assert expected in out
    assert (tmp_path / "planning-core.db").exists()
