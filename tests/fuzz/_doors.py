"""Every door a file comes in by: the command that reads it, a valid sample, and the store
it works on.

Each door is one ``planning-core`` command reading one kind of file (its importer behind
it), with a valid sample file, the store the command works on filled with something first
(so "unchanged" means something), and the exit codes it may end with: 0, or 2 with one
error; a checker (``workflow validate``, ``forms validate``, ``bureau check``) also exits 1
with its verdict.

Imported as ``from fuzz._doors import …`` (tests/ is on pytest's path).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pendulum
from _support.forms import construction_form
from _support.geo import feature, rect, two_plots
from click.testing import CliRunner, Result
from fuzz._mutate import toml_text

from planning_core.bureau import open_bureau
from planning_core.cases import Accept, Submit
from planning_core.cli import cli
from planning_core.geo import LayerKind, geometry_to_geojson
from planning_core.permits import permit_catalogue
from planning_core.storage import open_store
from planning_core.workflow import definition_to_json, organisation_to_data, reference_organisation

AT = "2026-03-02T09:00:00+08:00"
TZ = "Asia/Shanghai"
DATA = Path(__file__).resolve().parent.parent


def run(args: list[str]) -> Result:
    """One ``planning-core`` invocation, exceptions kept (a traceback is a failed test)."""
    return CliRunner().invoke(cli, args)


def _features(features: list[Any]) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": f.id,
                "geometry": geometry_to_geojson(f.geometry),
                "properties": dict(f.attributes),
            }
            for f in features
        ],
    }


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1).encode("utf-8")


def _lines(path: Path, count: int) -> bytes:
    return "".join(path.read_text(encoding="utf-8-sig").splitlines(keepends=True)[:count]).encode()


@attrs.frozen
class Door:
    """One command reading one kind of file.

    :param file: the fuzzed file's name in the door's folder.
    :param sample: a valid file, which the command accepts (exit 0).
    :param kind: ``csv``, ``json`` or ``toml``: what random documents look like.
    :param args: the command line, given the door's folder and the store URL.
    :param seed: fills the door's folder and template store before any example.
    :param exits: the exit codes a run may end with.
    :param store: whether the command works on a store (then it must be unchanged after
        a refusal).
    """

    name: str
    file: str
    sample: bytes
    kind: str
    args: Callable[[Path, str], list[str]]
    seed: Callable[[Path, str], None] | None = None
    exits: frozenset[int] = frozenset({0, 2})
    store: bool = True


# -- seeds: what each store holds before the fuzzed file comes in -------------------------------


def _cli_seed(*args: str) -> Callable[[Path, str], None]:
    def seed(folder: Path, store: str) -> None:
        sample = next(folder.glob("sample-*"))
        result = run([a.replace("{sample}", str(sample)) for a in args] + ["--store", store])
        assert result.exit_code == 0, result.output

    return seed


def _cases(folder: Path, store: str) -> None:
    """Two construction cases: c1 received, c2 accepted (a what-if has a period to replay)."""
    with open_bureau(store=store) as bureau:
        engine = bureau.engine
        materials = tuple(m.code for m in engine.permit_type("CONSTRUCTION").materials)
        clerk = engine.organisation.actor("zhang.min")
        when = pendulum.parse(AT)
        for case_id in ("c1", "c2"):
            engine.execute(
                Submit(case_id, "CONSTRUCTION", "某公司", "某楼", materials, case_number=case_id),
                clerk,
                when,
            )
        engine.execute(Accept("c2"), clerk, when.add(hours=1))


def _plots(folder: Path, store: str) -> None:
    plots = folder / "plots.geojson"
    plots.write_bytes(_json(_features(two_plots())))
    road = feature(LayerKind.ROAD, "R1", rect(0, 100, 200, 30), {"name": "建设路"})
    roads = folder / "roads.geojson"
    roads.write_bytes(_json(_features([road])))
    for path, kind in ((plots, "regulatory_plan"), (roads, "road")):
        result = run(
            [
                "layers",
                "import",
                str(path),
                "--kind",
                kind,
                "--survey-date",
                "2024-05-01",
                "--store",
                store,
            ]
        )
        assert result.exit_code == 0, result.output


def _empty(folder: Path, store: str) -> None:
    with open_store(store):
        pass


def _bureau_file(organisation: str) -> Callable[[Path, str], None]:
    def seed(folder: Path, store: str) -> None:
        (folder / "bureau.toml").write_text(
            f'name = "测试规划局"\norganisation = "{organisation}"\n', encoding="utf-8"
        )

    return seed


def _organisation_sample(folder: Path, store: str) -> None:
    (folder / "organisation.json").write_bytes(ORGANISATION_JSON)


# -- samples ------------------------------------------------------------------------------------

ORGANISATION = organisation_to_data(reference_organisation())
ORGANISATION_JSON = _json(ORGANISATION)
RING = [[118.0, 39.0], [118.01, 39.0], [118.01, 39.01], [118.0, 39.01], [118.0, 39.0]]
LAYER = {
    "type": "FeatureCollection",
    "features": [
        {"type": "Feature", "id": "A-01", "properties": {"name": "一号地块", "far": 2.5},
         "geometry": {"type": "Polygon", "coordinates": [RING]}},
        {"type": "Feature", "id": "R-01", "properties": {"name": "建设路"},
         "geometry": {"type": "LineString", "coordinates": [[118.0, 39.02], [118.02, 39.02]]}},
    ],
}  # fmt: skip
BUREAU = """name = "唐山市城乡规划局"
region = "CN"
store = "sqlite:///bureau.db"
organisation = "organisation.json"

[light_policy]
kind = "share"
share = "1/5"
at_least = 1

[engine]
window_post = "WINDOW_CLERK"
certificate_post = "CERTIFICATE_CLERK"
cache_size = 64
""".encode()
SCHEDULE = """region = "CN"
year = 2027
source = "test fixture, not the State Council's notice"

[[days_off]]
from = 2027-01-01
to = 2027-01-04
name = "元旦（测试）"

[[working_days]]
date = 2027-01-09
name = "元旦调休上班（测试）"
""".encode()
CHECKS = [
    {"record": "meal", "meal_id": "J-7", "host": "办公室", "on": "2026-05-12",
     "guests": 12, "companions": 4, "cost": "1180.00"},
    {"record": "trip", "request_id": "T-9", "requester": "张局长", "rank": "leader",
     "kind": "commute", "purpose": "上班", "departure": "2026-04-15T07:40:00+08:00",
     "origin": "家属院", "destination": "规划局"},
]  # fmt: skip
APPLICATION = {
    "permit_type": "CONSTRUCTION",
    "applicant": "唐山某置业有限公司",
    "project": "某小区1号楼",
    "materials": ["application", "land_documents"],
    "contact": "13800000000",
}
APPOINTMENTS = {
    "counters": [{"code": "9", "name": "9号窗口", "capacity": 3}],
    "hours": ["08:00-09:00", "13:30-17:00"],
    "slot_minutes": 30,
    "horizon_days": 30,
}
CHANGES = [
    {"kind": "post_limit", "post": "CONSTRUCTION_REVIEWER", "limit": "3个工作日"},
    {"kind": "committed_limit", "permit_type": "CONSTRUCTION", "limit": "8 working days"},
    {"kind": "light_policy", "policy": "share", "share": "1/4", "at_least": 2},
    {"kind": "light_policy", "policy": "threshold", "yellow_within": 1},
]
PERIOD = ["--from", "2026-03-01", "--to", "2026-03-31"]


def _workflow_sample() -> bytes:
    return _json(definition_to_json(permit_catalogue().get("CONSTRUCTION").workflow))


def _site() -> bytes:
    return _json(geometry_to_geojson(rect(60, 10, 80, 50)))


def _scheme() -> bytes:
    return _json(
        {
            "site": geometry_to_geojson(rect(10, 10, 60, 50)),
            "land_area": 3000,
            "total_floor_area": 6000,
            "footprint_area": 1000,
            "height": 54,
            "green_area": 950,
            "setbacks": {"road": 10, "boundary": 5},
            "land_use": "R2",
        }
    )


DOORS: tuple[Door, ...] = (
    Door(
        "rural-import",
        "places.csv",
        _lines(DATA / "rural" / "fixtures" / "seed_places.csv", 8),
        "csv",
        lambda d, s: ["rural", "import", str(d / "places.csv"), "--store", s],
        _cli_seed("rural", "import", "{sample}"),
    ),
    Door(
        "conservation-record",
        "consumption.csv",
        _lines(DATA / "conservation" / "data" / "consumption_2025_2026.csv", 8),
        "csv",
        lambda d, s: ["conservation", "record", str(d / "consumption.csv"), "--store", s],
        _cli_seed("conservation", "record", "{sample}"),
    ),
    Door(
        "conservation-check",
        "check.json",
        _json(CHECKS),
        "json",
        lambda d, s: ["conservation", "check", str(d / "check.json")],
        store=False,
    ),
    Door(
        "layers-import",
        "layer.geojson",
        _json(LAYER),
        "json",
        lambda d, s: [
            "layers",
            "import",
            str(d / "layer.geojson"),
            "--kind",
            "topography",
            "--survey-date",
            "2024-05-01",
            "--id",
            "fuzzed",
            "--store",
            s,
        ],
        _cli_seed(
            "layers",
            "import",
            "{sample}",
            "--kind",
            "road",
            "--survey-date",
            "2024-05-01",
            "--id",
            "base",
        ),
    ),
    Door(
        "conditions",
        "site.geojson",
        _site(),
        "json",
        lambda d, s: ["conditions", str(d / "site.geojson"), "--store", s],
        _plots,
    ),
    Door(
        "check-scheme",
        "scheme.json",
        _scheme(),
        "json",
        lambda d, s: ["check-scheme", str(d / "scheme.json"), "--store", s],
        _plots,
        exits=frozenset({0, 1, 2}),
    ),
    Door(
        "workflow-validate",
        "workflow.json",
        _workflow_sample(),
        "json",
        lambda d, s: ["workflow", "validate", str(d / "workflow.json")],
        exits=frozenset({0, 1, 2}),
        store=False,
    ),
    Door(
        "organisation-json",
        "organisation.json",
        ORGANISATION_JSON,
        "json",
        lambda d, s: ["bureau", "check", str(d / "bureau.toml")],
        _bureau_file("organisation.json"),
        exits=frozenset({0, 1, 2}),
        store=False,
    ),
    Door(
        "organisation-toml",
        "organisation.toml",
        toml_text(ORGANISATION),
        "toml",
        lambda d, s: ["bureau", "check", str(d / "bureau.toml")],
        _bureau_file("organisation.toml"),
        exits=frozenset({0, 1, 2}),
        store=False,
    ),
    Door(
        "bureau-file",
        "bureau.toml",
        BUREAU,
        "toml",
        lambda d, s: ["bureau", "check", str(d / "bureau.toml")],
        _organisation_sample,
        exits=frozenset({0, 1, 2}),
        store=False,
    ),
    Door(
        "holiday-schedule",
        "CN-2027.toml",
        SCHEDULE,
        "toml",
        lambda d, s: ["calendar", "2027-01-04", "--schedule", str(d / "CN-2027.toml")],
        store=False,
    ),
    Door(
        "forms-validate",
        "form.json",
        _json(construction_form()),
        "json",
        lambda d, s: [
            "forms",
            "validate",
            "CONSTRUCTION",
            str(d / "form.json"),
            "--case",
            "c1",
            "--store",
            s,
        ],
        _cases,
        exits=frozenset({0, 1, 2}),
    ),
    Door(
        "window-intake",
        "application.json",
        _json(APPLICATION),
        "json",
        lambda d, s: ["intake", str(d / "application.json"), "--at", AT, "--store", s],
        _cases,
    ),
    Door(
        "appointments-configure",
        "appointments.json",
        _json(APPOINTMENTS),
        "json",
        lambda d, s: ["appointments", "configure", str(d / "appointments.json"), "--store", s],
        _empty,
    ),
    Door(
        "what-if",
        "changes.json",
        _json(CHANGES),
        "json",
        lambda d, s: [
            "report",
            "what-if",
            "--change",
            str(d / "changes.json"),
            *PERIOD,
            "--store",
            s,
        ],
        _cases,
    ),
)


# -- the stores ---------------------------------------------------------------------------------


def dump(path: Path) -> list[str]:
    """Everything the SQLite store at ``path`` holds, as SQL (empty when there is none)."""
    if not path.exists():
        return []
    with sqlite3.connect(path) as connection:
        return list(connection.iterdump())


class Prepared:
    """A door's folder, its template store and what that store holds (a plain class, so
    hypothesis prints a failing example's door by name, not the whole store)."""

    def __init__(self, door: Door, folder: Path, template: Path, before: list[str]) -> None:
        self.door = door
        self.folder = folder
        self.template = template
        self.before = before
        self.runs = 0

    def __repr__(self) -> str:
        return f"<door {self.door.name}>"

    @property
    def work(self) -> Path:
        """The store of the current example."""
        return self.folder / f"work-{self.runs}.db"

    def fresh_store(self) -> str:
        """A new copy of the template store for one example: each starts from the same
        state, and none can see a file an earlier one still holds open."""
        for leftover in self.folder.glob(f"work-{self.runs}.db*"):
            leftover.unlink(missing_ok=True)
        self.runs += 1
        if self.template.exists():
            shutil.copyfile(self.template, self.work)
        return f"sqlite:///{self.work}"


def prepare(door: Door, base: Path) -> Prepared:
    """The door's folder with its fixed files, and its template store, seeded."""
    folder = base / door.name
    folder.mkdir(parents=True)
    (folder / f"sample-{door.file}").write_bytes(door.sample)
    template = folder / "template.db"
    if door.seed is not None:
        door.seed(folder, f"sqlite:///{template}")
    for leftover in (folder / "template.db-wal", folder / "template.db-shm"):
        assert not leftover.exists() or leftover.stat().st_size == 0, leftover
    return Prepared(door, folder, template, dump(template))
