from __future__ import annotations

import json
import types

import pytest
from click.testing import CliRunner

from planning_core import PluginError, hookimpl, make_hooks, open_store
from planning_core.cli import cli
from planning_core.errors import ConfigurationError
from planning_core.plugins import Hooks, builtin_plugins
from planning_core.registry import Registry
from planning_core.storage import MemoryStore


class _ScratchBackend:
    @hookimpl
    def planning_core_register_storage_backends(self, registry: Registry[object]) -> None:
        registry.add("scratch", MemoryStore)


class _Broken:
    @hookimpl
    def planning_core_register_storage_backends(self, registry: Registry[object]) -> None:
        raise RuntimeError("the city's database is down")


def test_throwaway_plugin_hook_results_are_seen(hooks: Hooks) -> None:
    hooks.register(_ScratchBackend(), name="scratch-plugin")
    store = open_store("scratch://", hooks)
    assert isinstance(store, MemoryStore)
    store.put_records("c", {"k": {"v": 1}})
    assert store.get_record("c", "k") == {"v": 1}


def test_plugin_raising_inside_hook_surfaces_as_plugin_error(hooks: Hooks) -> None:
    hooks.register(_Broken(), name="broken-city")
    with pytest.raises(PluginError) as info:
        open_store("memory://", hooks)
    assert info.value.plugin == "broken-city"
    assert info.value.hook == "planning_core_register_storage_backends"
    assert "broken-city" in str(info.value)
    assert "the city's database is down" in str(info.value)
    assert isinstance(info.value.__cause__, RuntimeError)


def test_misspelled_hook_is_rejected_at_load(hooks: Hooks) -> None:
    class Typo:
        @hookimpl
        def planning_core_register_storage_backend(self, registry: object) -> None: ...

    with pytest.raises(PluginError) as info:
        hooks.register(Typo(), name="typo-plugin")
    assert info.value.plugin == "typo-plugin"


def test_plugin_cannot_silently_override_a_builtin(hooks: Hooks) -> None:
    class Clash:
        @hookimpl
        def planning_core_register_storage_backends(self, registry: Registry[object]) -> None:
            registry.add("sqlite", MemoryStore)

    hooks.register(Clash(), name="clash")
    with pytest.raises(PluginError) as info:
        open_store("memory://", hooks)
    assert info.value.plugin == "clash"
    assert isinstance(info.value.__cause__, ConfigurationError)
    assert "'sqlite' is already registered" in str(info.value)


def test_plugin_may_replace_a_builtin_on_purpose(hooks: Hooks) -> None:
    class Replace:
        @hookimpl
        def planning_core_register_storage_backends(self, registry: Registry[object]) -> None:
            registry.add("sqlite", MemoryStore, replace=True)

    hooks.register(Replace(), name="replace")
    assert isinstance(open_store("sqlite:///never-created.db", hooks), MemoryStore)


def test_builtins_are_registered_and_marked(hooks: Hooks) -> None:
    infos = {info.name: info for info in hooks.describe()}
    for name in (module.__name__ for module in builtin_plugins()):
        assert infos[name].builtin
        assert infos[name].hooks, f"built-in {name} implements no hook"


def test_without_builtins_no_backend_is_known() -> None:
    bare = make_hooks(builtins=False, entry_points=False)
    with pytest.raises(LookupError, match="unknown storage backend 'memory'"):
        open_store("memory://", bare)


def _entry_point_module(name: str) -> types.ModuleType:
    module = types.ModuleType(name)

    @hookimpl
    def planning_core_register_storage_backends(registry: Registry[object]) -> None:
        registry.add(name, MemoryStore)

    module.planning_core_register_storage_backends = planning_core_register_storage_backends  # type: ignore[attr-defined]
    return module


class _FakeEntryPoint:
    def __init__(self, name: str) -> None:
        self.name = name
        self.dist = None

    def load(self) -> types.ModuleType:
        return _entry_point_module(self.name)


@pytest.fixture
def two_entry_points(monkeypatch: pytest.MonkeyPatch) -> None:
    import planning_core.plugins as plugins_module

    def fake_entry_points(group: str) -> list[_FakeEntryPoint]:
        assert group == "planning_core"
        return [_FakeEntryPoint("alpha"), _FakeEntryPoint("beta")]

    monkeypatch.setattr(plugins_module.metadata, "entry_points", fake_entry_points)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, {"alpha", "beta"}),
        ({"PLANNING_CORE_LOAD_PLUGINS": "beta"}, {"beta"}),
        ({"PLANNING_CORE_LOAD_PLUGINS": ""}, set()),
        ({"PLANNING_CORE_BLOCK_PLUGINS": "alpha"}, {"beta"}),
    ],
)
def test_entry_points_are_filtered_by_environment(
    two_entry_points: None, env: dict[str, str], expected: set[str]
) -> None:
    hooks = make_hooks(env=env)
    names = {info.name for info in hooks.describe() if not info.builtin}
    assert names == expected


def test_cli_plugins_json_names_builtins_and_their_hooks() -> None:
    result = CliRunner().invoke(cli, ["plugins", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    by_name = {entry["name"]: entry for entry in data}
    assert by_name["planning_core.storage._builtin"]["builtin"] is True
    assert by_name["planning_core.storage._builtin"]["hooks"] == [
        "planning_core_register_storage_backends"
    ]
    assert "planning_core_configure_converter" in by_name["planning_core.serialization"]["hooks"]
