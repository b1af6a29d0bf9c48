"""The backend example in docs/storage.md runs as written and passes the conformance suite.

The example's three files are taken from the page's titled code blocks. Instead of
``pip install -e .`` the test "installs" the example with a ``.dist-info`` folder on
``PYTHONPATH`` holding the entry point its ``pyproject.toml`` declares, which is what
``importlib.metadata`` (and so planning_core's plugin manager) reads.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[3] / "docs" / "storage.md"


def _titled_blocks(text: str) -> dict[str, str]:
    found = re.findall(r'^```\w+ title="([^"]+)"\n(.*?)^```$', text, re.M | re.S)
    return dict(found)


@pytest.mark.slow
def test_the_backend_example_passes_the_conformance_suite(tmp_path: Path) -> None:
    files = _titled_blocks(DOCS.read_text(encoding="utf-8"))
    assert set(files) == {"pyproject.toml", "mycity_store.py", "test_mycity_store.py"}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    project = tomllib.loads(files["pyproject.toml"])["project"]
    dist_info = tmp_path / f"{project['name'].replace('-', '_')}-{project['version']}.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n"
    )
    points = project["entry-points"]["planning_core"]
    lines = "".join(f"{name} = {target}\n" for name, target in points.items())
    (dist_info / "entry_points.txt").write_text(f"[planning_core]\n{lines}")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_mycity_store.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"\b\d+ passed\b", result.stdout)
    assert "skipped" not in result.stdout  # the several-process tests ran too
