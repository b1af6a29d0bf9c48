"""``planning-core demo``: a fresh store each run, one language, the output convention."""

from __future__ import annotations

import json
import re
import sqlite3
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from planning_core.cli import cli
from planning_core.cli._demo import STAGES, run_demo
from planning_core.storage import open_store

#: Modules of the optional extras (pdf, charts, geo, gis, web): a core-only install has none.
EXTRA_MODULES = (
    "fpdf",
    "segno",
    "cryptography",
    "matplotlib",
    "shapely",
    "pyproj",
    "pyogrio",
    "litestar",
    "uvicorn",
    "jinja2",
)


def _demo(*args: str) -> Result:
    result = CliRunner().invoke(cli, ["demo", *args])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result


def _cases(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        (count,) = conn.execute("SELECT count(*) FROM cases").fetchone()
    finally:
        conn.close()
    return int(count)


def test_a_second_run_starts_from_a_fresh_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    first = json.loads(_demo("--format", "json").stdout)
    db = tmp_path / "planning-core.db"
    assert db.exists() and _cases(db) == len(first["cases"]) == 7
    second = json.loads(_demo("--format", "json").stdout)
    # the same case numbers and the same first certificate: nothing carried over
    assert second == first
    assert second["certificates"] == ["建字第2026-0001号"] and second["red"] == 2
    assert _cases(db) == 7  # the store is left behind for planning-core serve


def test_with_store_the_demo_continues_that_store(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'mine.db'}"
    first = json.loads(_demo("--store", url, "--format", "json").stdout)
    second = json.loads(_demo("--store", url, "--format", "json").stdout)
    assert second["certificates"] == ["建字第2026-0002号"]
    assert not set(first["cases"]) & set(second["cases"])
    assert _cases(tmp_path / "mine.db") == 14


def test_a_bureaus_own_planning_core_db_is_never_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "planning-core.db"
    _demo("--store", f"sqlite:///{db}")  # cases the default run did not write (no mark)
    before = db.read_bytes()
    result = CliRunner().invoke(cli, ["demo"])
    assert result.exit_code == 2
    assert "holds cases the demo did not write" in result.stderr
    assert "--store sqlite:///demo.db" in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert db.read_bytes() == before


def test_an_empty_store_file_is_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    open_store("sqlite:///planning-core.db").close()
    data = json.loads(_demo("--format", "json").stdout)
    assert data["store"] == "sqlite:///planning-core.db" and len(data["cases"]) == 7


def test_the_timeline_is_chinese_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    out = _demo("--store", "memory://").stdout
    assert "作出许可决定：准予许可" in out and "approved" not in out
    assert "承诺办结期限：绿灯 → 黄灯" in out and "committed" not in out
    assert "环节“处务会”" in out and "division_meeting" not in out
    for line in out.splitlines():
        if "查询密码：" in line:  # the password is letters and digits
            continue
        # numbers (TS-2026-JS-00001, A2026-00001) are the only Latin letters left
        numbers = r"TS-\d{4}-[A-Z]{2}-\d{5}|\bA\d{4}-\d{5}"
        words = set(re.findall(r"[A-Za-z]+", re.sub(numbers, "", line)))
        assert not words, line


@pytest.mark.parametrize(("lang", "said"), [("zh", "演示数据存于 memory://"), ("en", "demo store")])
def test_its_own_status_line_is_on_stderr_in_the_chosen_language(lang: str, said: str) -> None:
    result = CliRunner().invoke(cli, ["--lang", lang, "demo", "--store", "memory://"])
    assert result.exit_code == 0
    assert said in result.stderr and said not in result.stdout


def test_json_and_out(tmp_path: Path) -> None:
    out = tmp_path / "day.json"
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    result = _demo("--store", url, "--format", "json", "--out", str(out))
    assert result.stdout == ""
    assert f"wrote {out}" in result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00", data["day"])
    assert [Path(p).name for p in data["documents"]] == [
        f"{data['cases'][5]}-acceptance_notice.pdf",
        f"{data['cases'][0]}-approval_decision.pdf",
        f"{data['cases'][0]}-certificate.pdf",
    ]
    assert all(Path(p).exists() for p in data["documents"]) and data["skipped"] == []
    text_out = tmp_path / "day.txt"
    again = _demo("--store", "memory://", "--out", str(text_out))
    assert again.stdout == "" and "超期督办看板" in text_out.read_text(encoding="utf-8")


def test_without_the_pdf_extra_the_documents_are_skipped_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(sys.modules, "fpdf", None)  # fpdf2 not installed
    for name in [m for m in sys.modules if m.startswith("planning_core.documents")]:
        monkeypatch.delitem(sys.modules, name)
    result = CliRunner().invoke(cli, ["--lang", "en", "demo", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["skipped"] == [{"part": "documents", "extra": "pdf"}] and data["documents"] == []
    skipped = [line for line in result.stderr.splitlines() if "skipped" in line]
    assert skipped == [
        "skipped the day's PDF documents: they need the 'pdf' extra, "
        'pip install "planning-core[pdf]"'
    ]
    assert not (tmp_path / "planning-core.db.documents").exists()
    assert "当日文书" not in _demo("--store", "memory://").stdout


def test_the_demo_runs_without_any_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for module in EXTRA_MODULES:
        monkeypatch.setitem(sys.modules, module, None)
    for name in [m for m in sys.modules if m.startswith("planning_core.documents")]:
        monkeypatch.delitem(sys.modules, name)
    result = CliRunner().invoke(cli, ["demo", "--format", "json"])
    assert result.exit_code == 0, result.output + repr(result.exception)
    assert json.loads(result.stdout)["red"] == 2


def test_the_progress_callback_moves_through_every_stage() -> None:
    from planning_core import make_hooks
    from planning_core.bureau import open_bureau

    calls: list[tuple[int, int]] = []
    engine = open_bureau(hooks=make_hooks(entry_points=False), store="memory://").engine
    day = run_demo(engine, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(n, STAGES) for n in range(1, STAGES + 1)]
    assert day.red == 2 and day.text.startswith("唐山市城乡规划局 演示")
