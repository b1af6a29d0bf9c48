"""``planning-core report``: stats, annual and what-if on the demo's SQLite file."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import html5lib
import pytest
from click.testing import CliRunner
from rich.progress import Progress

from planning_core.cli import cli
from planning_core.cli._base import CliContext
from planning_core.cli._cases import open_engine
from planning_core.cli._output import ProgressBar
from planning_core.reports import approval_statistics, statistics_data

PERIOD = ["--from", "2026-10-01", "--to", "2026-11-30"]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    path = tmp_path_factory.mktemp("cli") / "demo.db"
    url = f"sqlite:///{path}"
    # built before the autouse fixture that hides installed city plugins: hide them here too
    result = CliRunner().invoke(
        cli, ["demo", "--store", url], env={"PLANNING_CORE_LOAD_PLUGINS": ""}
    )
    assert result.exit_code == 0, result.output
    return url, path


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_stats_as_json_are_the_librarys_figures(store: tuple[str, Path]) -> None:
    url, _ = store
    data = json.loads(_run("report", "stats", *PERIOD, "--format", "json", "--store", url))

    engine = open_engine(CliContext(), url)
    expected = statistics_data(
        approval_statistics(engine, dt.date(2026, 10, 1), dt.date(2026, 11, 30))
    )
    engine.store.close()
    assert data == json.loads(json.dumps(expected))
    assert data["counts"]["received"] > 0


def test_stats_as_markdown_open_with_the_chinese_sentences(store: tuple[str, Path]) -> None:
    url, _ = store
    text = _run("report", "stats", *PERIOD, "--store", url)
    assert text.startswith("# 审批业务统计（2026年10月1日至2026年11月30日）")
    assert "2026年10月1日至2026年11月30日，共收件" in text
    assert "## 电子监察：分处室亮灯情况" in text


def test_annual_writes_a_valid_html_page(store: tuple[str, Path], tmp_path: Path) -> None:
    url, _ = store
    out = tmp_path / "2026.html"
    args = ["report", "annual", "--year", "2026", "--format", "html", "--out", str(out)]
    result = CliRunner().invoke(cli, [*args, "--store", url])
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and f"wrote {out}" in result.stderr
    tree = html5lib.HTMLParser(strict=True).parse(out.read_text(encoding="utf-8"))
    assert len(tree.findall(".//{http://www.w3.org/2000/svg}svg")) == 2  # no consumption: no third
    text = _run("report", "annual", "--year", "2026", "--store", url)
    assert "### （三）城乡规划电子政务审批管理模式" in text


def test_annual_as_json_is_the_converters_shape(store: tuple[str, Path]) -> None:
    url, _ = store
    data = json.loads(
        _run("report", "annual", "--year", "2026", "--format", "json", "--store", url)
    )
    assert data["year"] == 2026
    assert data["period"] == {"start": "2026-01-01", "end": "2026-12-31", "zone": "Asia/Shanghai"}
    assert data["approval"]["counts"]["issued"] == 1


def test_out_writes_the_report_and_nothing_to_stdout(
    store: tuple[str, Path], tmp_path: Path
) -> None:
    url, _ = store
    for fmt, name in (("markdown", "stats.md"), ("json", "stats.json")):
        out = tmp_path / name
        args = ["report", "stats", *PERIOD, "--format", fmt, "--out", str(out), "--store", url]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        assert result.stdout == "" and f"wrote {out}" in result.stderr
        assert out.read_text(encoding="utf-8") == _run(*args[:-4], "--store", url)


def test_the_old_json_flag_is_an_alias_of_format_json(store: tuple[str, Path]) -> None:
    url, _ = store
    assert _run("report", "stats", *PERIOD, "--json", "--store", url) == _run(
        "report", "stats", *PERIOD, "--format", "json", "--store", url
    )


def test_a_missing_store_is_exit_2_and_creates_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'typo.db'}"
    result = CliRunner().invoke(cli, ["report", "stats", *PERIOD, "--store", url])
    assert result.exit_code == 2 and "no store at" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_what_if_reports_and_leaves_the_file_alone(store: tuple[str, Path], tmp_path: Path) -> None:
    url, path = store
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    change = tmp_path / "change.json"
    change.write_text(
        json.dumps(
            [{"kind": "committed_limit", "permit_type": "CONSTRUCTION", "limit": "20个工作日"}],
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    text = _run("report", "what-if", "--change", str(change), *PERIOD, "--store", url)
    assert "# 规则变更模拟（what-if）" in text and "承诺时限改为20个工作日" in text
    data = json.loads(
        _run(
            "report",
            "what-if",
            "--change",
            str(change),
            *PERIOD,
            "--format",
            "json",
            "--store",
            url,
        )
    )
    assert data["on_time_after"]["committed_on_time"] > data["on_time_before"]["committed_on_time"]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_bad_input_is_one_line_and_exit_status_2(store: tuple[str, Path], tmp_path: Path) -> None:
    url, _ = store
    backwards = CliRunner().invoke(
        cli, ["report", "stats", "--from", "2026-12-01", "--to", "2026-11-30", "--store", url]
    )
    assert backwards.exit_code == 2 and "before it starts" in backwards.output
    change = tmp_path / "bad.json"
    change.write_text('[{"kind": "post_limit", "post": "NOBODY", "limit": 2}, {"kind": "x"}]')
    bad = CliRunner().invoke(
        cli, ["report", "what-if", "--change", str(change), *PERIOD, "--store", url]
    )
    assert bad.exit_code == 2
    assert "2 problem(s)" in bad.output and "NOBODY" in bad.output and "'x'" in bad.output


def test_the_progress_bar_starts_a_new_bar_for_each_phase() -> None:
    with Progress(disable=True) as progress:
        bar = ProgressBar(progress, ("读取", "模拟"))
        for done in range(1, 4):
            bar(done, 3)
        for done in range(1, 3):
            bar(done, 2)
        tasks = progress.tasks
    assert [(t.description, t.completed, t.total) for t in tasks] == [
        ("读取", 3, 3),
        ("模拟", 2, 2),
    ]
