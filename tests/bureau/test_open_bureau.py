"""The composition root: one bureau wired from its file, its plugins and the defaults."""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction
from pathlib import Path

import attrs
import jsonschema
import pendulum
import pytest

from planning_core import hookimpl
from planning_core.bureau import (
    BureauConfig,
    bureau_config_from_data,
    open_bureau,
    read_bureau_config,
    staffing_problems,
)
from planning_core.cases import EngineSettings
from planning_core.errors import ConfigurationError, NotFoundError, ValidationError
from planning_core.permits import permit_catalogue
from planning_core.plugins import Hooks, make_hooks
from planning_core.registry import Registry
from planning_core.timing import (
    CalendarSpec,
    NamedDay,
    ShareThresholdPolicy,
    ThreeLevelPolicy,
    ThresholdPolicy,
)
from planning_core.window import Application
from planning_core.workflow import (
    ORGANISATION_SCHEMA,
    Organisation,
    organisation_from_data,
    organisation_to_data,
    read_organisation,
    reference_organisation,
)

CLOSED = dt.date(2026, 3, 4)  # a Wednesday the city closes


class _City:
    """A city's plugin: a calendar with a local day off, its region and its staff."""

    def __init__(self, organisation: Organisation | None = None) -> None:
        self.staff = organisation

    @hookimpl
    def planning_core_register_calendars(self, registry: Registry[CalendarSpec]) -> None:
        closure = NamedDay(CLOSED, "市政府统一停止办公")
        registry.add("CN-city", attrs.evolve(registry.get("CN"), closures=(closure,)))

    @hookimpl
    def planning_core_default_region(self, bureau: str) -> str:
        return "CN-city"

    @hookimpl
    def planning_core_organisation(self, bureau: str) -> Organisation | None:
        return self.staff


def _city_hooks(organisation: Organisation | None = None) -> Hooks:
    hooks = make_hooks(entry_points=False)
    hooks.register(_City(organisation), name="city")
    return hooks


def _small_organisation() -> Organisation:
    """The reference organisation with its people renamed: a bureau's own staff."""
    org = reference_organisation()
    actors = tuple(attrs.evolve(a, name=f"本局{a.name}") for a in org.actors)
    return attrs.evolve(org, actors=actors)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# -- defaults and hooks=None -----------------------------------------------------------------


def test_without_anything_the_bureau_runs_the_builtins_on_the_national_calendar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with open_bureau() as bureau:
        assert bureau.region == "CN"
        assert bureau.store.url == "sqlite:///planning-core.db"
        assert bureau.organisation == reference_organisation()
        assert set(bureau.permit_types.keys()) == set(permit_catalogue().keys())
    assert (tmp_path / "planning-core.db").exists()


def test_hooks_none_means_the_builtins_only_even_with_a_plugin_somewhere() -> None:
    city = _city_hooks()
    assert open_bureau(store="memory://", hooks=city).region == "CN-city"
    assert open_bureau(store="memory://").region == "CN"


# -- what plugins supply -----------------------------------------------------------------------


def test_a_plugin_supplies_the_region_and_the_organisation() -> None:
    staff = _small_organisation()
    bureau = open_bureau(store="memory://", hooks=_city_hooks(staff))
    assert bureau.region == "CN-city"
    assert not bureau.calendar.is_working_day(CLOSED)
    assert bureau.organisation is staff


def test_the_configuration_wins_over_the_plugins(tmp_path: Path) -> None:
    org_file = tmp_path / "org.json"
    org_file.write_text(json.dumps(organisation_to_data(_small_organisation())), "utf-8")
    config = BureauConfig(region="CN", organisation=org_file)
    bureau = open_bureau(config, store="memory://", hooks=_city_hooks(reference_organisation()))
    assert bureau.region == "CN"
    assert bureau.organisation == _small_organisation()


def test_the_intake_counts_the_pickup_date_on_the_citys_calendar() -> None:
    """The same complete application, on the day before the city's day off: the city's
    expected pickup date is one working day later than the national one."""
    at = pendulum.datetime(2026, 3, 3, 9, tz="Asia/Shanghai")
    pickups = []
    for hooks in (None, _city_hooks()):
        bureau = open_bureau(store="memory://", hooks=hooks)
        materials = tuple(m.code for m in bureau.permit_types.get("CONSTRUCTION").materials)
        application = Application("CONSTRUCTION", "某公司", "某楼", materials)
        receipt = bureau.window.intake(application, bureau.actor("WINDOW_CLERK"), at)
        assert receipt.accepted
        pickups.append(receipt.expected_pickup)
    national, city = pickups
    assert national is not None and city is not None
    city_calendar = open_bureau(store="memory://", hooks=_city_hooks()).calendar
    assert city == city_calendar.add_working_days(national, 1)


# -- the bureau file ---------------------------------------------------------------------------


def test_a_bureau_file_names_everything(tmp_path: Path) -> None:
    org = tmp_path / "staff.toml"
    _write(
        org,
        """
[[divisions]]
code = "WINDOW"
name = "窗口"

[[divisions]]
code = "BOARD"
name = "局领导"

[[posts]]
code = "WINDOW_CLERK"
name = "窗口收件员"
division = "WINDOW"

[[posts]]
code = "CERTIFICATE_CLERK"
name = "发证员"
division = "WINDOW"

[[posts]]
code = "HEAD"
name = "局长"
division = "BOARD"
authority = "bureau_head"
time_limit = { days = 3 }

[[actors]]
id = "a1"
name = "王芳"
posts = ["WINDOW_CLERK", "CERTIFICATE_CLERK"]

[[actors]]
id = "a2"
name = "赵局长"
posts = ["HEAD"]
""",
    )
    file = _write(
        tmp_path / "bureau.toml",
        """
name = "某市城乡规划局"
region = "CN-city"
store = "sqlite:///data/bureau.db"
organisation = "staff.toml"

[light_policy]
kind = "three_level"
remind_within = 2
follow_up_days = 4

[engine]
window_post = "WINDOW_CLERK"
""",
    )
    config = read_bureau_config(file)
    assert config.name == "某市城乡规划局"
    assert config.store == f"sqlite:///{tmp_path / 'data' / 'bureau.db'}"
    assert config.organisation == tmp_path / "staff.toml"
    assert config.light_policy == ThreeLevelPolicy(remind_within=2, follow_up_days=4)
    staff = read_organisation(config.organisation)
    assert [a.name for a in staff.actors] == ["王芳", "赵局长"]
    assert staff.post("HEAD").time_limit is not None
    assert staff.post("HEAD").time_limit.days == 3


@pytest.mark.parametrize(
    ("data", "named"),
    [
        ({"regoin": "CN"}, "regoin"),
        ({"light_policy": {"kind": "purple"}}, "purple"),
        ({"light_policy": {"yellow_within": "3"}}, "yellow_within"),
        ({"light_policy": {"yellow_within": 3, "red_within": 1}}, "light_policy.red_within"),
        ({"light_policy": {"kind": "share", "share": "1/0"}}, "share"),
        ({"light_policy": {"kind": "share", "share": 1.5}}, "share"),
        ({"light_policy": {"kind": "share", "share": [1, 5]}}, "light_policy.share"),
        ({"light_policy": {"kind": "share", "at_least": "1"}}, "light_policy.at_least"),
        ({"light_policy": {"kind": "share", "yellow_within": 3}}, "light_policy.yellow_within"),
        ({"engine": {"window": "X"}}, "engine.window"),
        ({"store": ""}, "store"),
    ],
)
def test_a_bad_bureau_file_is_refused_naming_the_key(data: dict[str, object], named: str) -> None:
    with pytest.raises(ValidationError, match=named):
        bureau_config_from_data(data)


def test_a_missing_or_malformed_bureau_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="no bureau file"):
        read_bureau_config(tmp_path / "absent.toml")
    bad = tmp_path / "bad.toml"
    bad.write_bytes("name = '某局'".encode("gbk"))
    with pytest.raises(ValidationError, match="not UTF-8"):
        read_bureau_config(bad)
    _write(bad, "name = ")
    with pytest.raises(ValidationError, match="not TOML"):
        read_bureau_config(bad)


@pytest.mark.parametrize(
    ("table", "policy"),
    [
        ({"kind": "share"}, ShareThresholdPolicy()),
        ({"kind": "share", "share": "1/4", "at_least": 2}, ShareThresholdPolicy(Fraction(1, 4), 2)),
        ({"kind": "share", "share": 0.25}, ShareThresholdPolicy(Fraction(1, 4))),
        ({"kind": "threshold", "yellow_within": 3}, ThresholdPolicy(yellow_within=3)),
        ({"yellow_within": 2}, ThresholdPolicy(yellow_within=2)),  # files before `share`
        ({}, ThresholdPolicy(yellow_within=3)),
    ],
)
def test_the_light_policy_table_names_its_kind(
    table: dict[str, object], policy: ShareThresholdPolicy | ThresholdPolicy
) -> None:
    assert bureau_config_from_data({"light_policy": table}).light_policy == policy


def test_without_a_light_policy_table_every_permit_type_gets_the_default() -> None:
    bureau = open_bureau(BureauConfig(), store="memory://")
    chosen = {bureau.engine.policy(code) for code, _ in bureau.permit_types.items()}
    assert chosen == {ShareThresholdPolicy()}


def test_the_light_policy_of_the_file_colours_every_permit_type() -> None:
    policy = ThresholdPolicy(yellow_within=1)
    bureau = open_bureau(BureauConfig(light_policy=policy), store="memory://")
    assert {bureau.engine.policy(code) for code, _ in bureau.permit_types.items()} == {policy}


# -- staffing: a step nobody can do is refused before the bureau opens -----------------------------


def test_a_step_whose_post_nobody_holds_is_refused_naming_step_and_post(tmp_path: Path) -> None:
    org = reference_organisation()
    actors = tuple(a for a in org.actors if "CONSTRUCTION_REVIEWER" not in a.posts)
    short = attrs.evolve(org, actors=actors)
    url = f"sqlite:///{tmp_path / 'never.db'}"
    with pytest.raises(ConfigurationError) as caught:
        open_bureau(organisation=short, store=url)
    message = str(caught.value)
    assert "CONSTRUCTION_REVIEWER" in message
    assert "permit type 'CONSTRUCTION', step" in message
    assert not (tmp_path / "never.db").exists()


def test_the_engines_own_posts_must_be_staffed_too() -> None:
    settings = EngineSettings(window_post="NO_SUCH_POST")
    problems = staffing_problems(reference_organisation(), permit_catalogue(), settings)
    assert problems == [
        "the engine's window post: post 'NO_SUCH_POST' is not in the organisation; "
        "add it or fix the code"
    ]
    assert staffing_problems(reference_organisation(), permit_catalogue(), EngineSettings()) == []


# -- the organisation file -------------------------------------------------------------------------


def test_the_organisation_file_round_trips_and_fits_its_schema() -> None:
    data = organisation_to_data(reference_organisation())
    jsonschema.Draft202012Validator.check_schema(ORGANISATION_SCHEMA)
    jsonschema.validate(data, ORGANISATION_SCHEMA)
    assert organisation_from_data(json.loads(json.dumps(data))) == reference_organisation()


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"divisions": [], "posts": [{"code": "P", "name": "p"}]}, "$.posts[0].division"),
        (
            {
                "divisions": [{"code": "D", "name": "d"}],
                "posts": [{"code": "P", "name": "p", "division": "D", "authority": "boss"}],
            },
            "$.posts[0].authority",
        ),
    ],
)
def test_a_malformed_organisation_names_the_path(data: dict[str, object], path: str) -> None:
    with pytest.raises(ValidationError) as caught:
        organisation_from_data(data)
    assert path in str(caught.value) + " ".join(caught.value.problems)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, ORGANISATION_SCHEMA)


def test_an_organisation_with_an_unknown_post_is_refused() -> None:
    data = organisation_to_data(reference_organisation())
    data["actors"].append({"id": "x", "name": "某人", "posts": ["NO_SUCH_POST"]})
    with pytest.raises(ValidationError, match="NO_SUCH_POST"):
        organisation_from_data(data)


def test_the_bureau_file_sets_the_engine_cache_bound(tmp_path: Path) -> None:
    from planning_core.bureau import read_bureau_config
    from planning_core.cases import DEFAULT_CACHE_SIZE

    file = tmp_path / "bureau.toml"
    file.write_text("[engine]\ncache_size = 250\n", encoding="utf-8")
    assert open_bureau(file, store="memory://").engine.cache_size == 250
    assert open_bureau(store="memory://").engine.cache_size == DEFAULT_CACHE_SIZE
    file.write_text("[engine]\ncache_size = -3\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"engine\.cache_size must be a whole number >= 0"):
        read_bureau_config(file)


def test_the_bureau_file_sets_the_sweeps_batch(tmp_path: Path) -> None:
    from planning_core.bureau import read_bureau_config
    from planning_core.cases import DEFAULT_SWEEP_BATCH

    file = tmp_path / "bureau.toml"
    file.write_text("[engine]\nsweep_batch = 50\n", encoding="utf-8")
    assert open_bureau(file, store="memory://").engine.sweep_batch == 50
    assert open_bureau(store="memory://").engine.sweep_batch == DEFAULT_SWEEP_BATCH
    for bad in ("0", "true", '"many"'):
        file.write_text(f"[engine]\nsweep_batch = {bad}\n", encoding="utf-8")
        with pytest.raises(
            ValidationError, match=r"engine\.sweep_batch must be a whole number >= 1"
        ):
            read_bureau_config(file)
