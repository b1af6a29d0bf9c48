"""The example on docs/reports.md runs as it stands and prints what it says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PAGE = Path(__file__).resolve().parents[2] / "docs" / "reports.md"


def test_the_reports_page_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    [block] = re.findall(r"^```python\n(.*?)^```", PAGE.read_text(encoding="utf-8"), re.M | re.S)
    exec(compile(block, "reports.md", "exec"), {})
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "3 3 100.0"
    assert lines[1].startswith("2026年3月1日至2026年3月31日，共收件3件")
    assert lines[2] == "['c1', 'c2', 'c3']"
    assert (
        lines[3].startswith("若村镇审核员岗位的办理时限改为1个工作日")
        and "将有3件转为红灯" in lines[3]
    )
