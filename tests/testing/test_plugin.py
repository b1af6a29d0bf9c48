"""The pytest plugin as a user's suite meets it: found through ``pytest11``, fixtures that
work in a fresh directory, the ini option, and no pytest or hypothesis at run time."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from importlib import metadata
from pathlib import Path

from planning_core.cases import Engine
from planning_core.plugins import Hooks
from planning_core.storage import MemoryStore, Store
from planning_core.testing import Bureau, CaseFactory, ManualClock


def _run_pytest(folder: Path, *args: str, env: dict[str, str] | None = None) -> str:
    environment = {k: v for k, v in os.environ.items() if k != "PLANNING_CORE_LOAD_PLUGINS"}
    environment.update(env or {})
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=folder,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_the_plugin_is_registered_through_pytest11() -> None:
    found = [ep for ep in metadata.entry_points(group="pytest11") if ep.name == "planning_core"]
    assert [ep.value for ep in found] == ["planning_core.testing.plugin"]


def test_a_fresh_suite_gets_every_fixture_without_a_conftest(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\nplanning_core_plugins =\n", encoding="utf-8")
    (tmp_path / "test_host.py").write_text(
        textwrap.dedent(
            """
            from planning_core.cases import CaseStatus

            def test_bureau(pc_bureau, pc_cases, pc_walk, pc_clock):
                case_id = pc_cases.accepted("CONSTRUCTION")
                walk = pc_walk(case_id, {"division_meeting": ["RETURN", "APPROVE"]})
                assert walk.steps.count("review") == 2
                assert walk.state.status is CaseStatus.AWAITING_DECISION
                assert pc_bureau.store.get_case(case_id).case_number == "2026-000001"

            def test_sqlite(pc_sqlite_store, pc_sqlite_url, tmp_path):
                assert pc_sqlite_store.url == pc_sqlite_url
                assert str(tmp_path) in pc_sqlite_url

            def test_more_bureaus(pc_make_bureau):
                one, two = pc_make_bureau(), pc_make_bureau("sqlite", region="weekdays")
                assert one.store is not two.store and two.engine.region == "weekdays"
            """
        ),
        encoding="utf-8",
    )
    assert "3 passed" in _run_pytest(tmp_path)


def test_the_ini_option_chooses_the_plugins_unless_the_environment_does(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\nplanning_core_plugins = alpha,beta\n", encoding="utf-8"
    )
    (tmp_path / "test_env.py").write_text(
        "import os\n\ndef test_env(pc_hooks):\n"
        "    loaded = [i.name for i in pc_hooks.describe() if not i.builtin]\n"
        "    assert loaded == [], loaded\n"
        "    assert os.environ.get('PLANNING_CORE_LOAD_PLUGINS') == os.environ.get('EXPECTED')\n",
        encoding="utf-8",
    )
    # the ini option names no installed plugin, so none loads; the environment is untouched
    assert "1 passed" in _run_pytest(tmp_path, env={})
    chosen = {"EXPECTED": "gamma", "PLANNING_CORE_LOAD_PLUGINS": "gamma"}
    assert "1 passed" in _run_pytest(tmp_path, env=chosen)


def test_this_suite_loads_no_installed_plugin(pc_hooks: Hooks) -> None:
    assert [info.name for info in pc_hooks.describe() if not info.builtin] == []


def test_the_package_imports_neither_pytest_nor_hypothesis() -> None:
    code = (
        "import sys, planning_core.testing\n"
        "loaded = {'pytest', '_pytest', 'hypothesis'} & set(sys.modules)\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_plugin_module_imports_no_hypothesis() -> None:
    code = "import sys, planning_core.testing.plugin\nassert 'hypothesis' not in sys.modules\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_fixtures_fit_together(
    pc_bureau: Bureau,
    pc_store: Store,
    pc_clock: ManualClock,
    pc_cases: CaseFactory,
    pc_memory_store: Store,
) -> None:
    assert isinstance(pc_store, MemoryStore) and pc_bureau.store is pc_store
    assert pc_memory_store is pc_store
    assert pc_cases.bureau is pc_bureau and pc_cases.clock is pc_clock
    assert pc_clock.calendar is pc_bureau.calendar
    assert pc_clock.is_working_day and pc_clock.now.hour == 9
    assert isinstance(pc_bureau.engine, Engine)
