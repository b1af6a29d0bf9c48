"""planning-core layers / conditions / check-scheme / map / forms, on an SQLite file."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pendulum
import pytest
from _support.forms import construction_form
from _support.geo import feature, rect, two_plots
from click.testing import CliRunner, Result

from planning_core.bureau import open_bureau
from planning_core.cases import Submit
from planning_core.cli import cli
from planning_core.geo import LayerKind, geometry_to_geojson


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


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


@pytest.fixture
def store(tmp_path: Path) -> str:
    """A store with the two hand-built plots and a road north of them."""
    url = f"sqlite:///{tmp_path / 'bureau.db'}"
    plots = _write(tmp_path / "plots.geojson", _features(two_plots()))
    road = feature(LayerKind.ROAD, "R1", rect(0, 100, 200, 30), {"name": "建设路"})
    roads = _write(tmp_path / "roads.geojson", _features([road]))
    result = _run(
        "layers",
        "import",
        str(plots),
        "--kind",
        "regulatory_plan",
        "--survey-date",
        "2024-05-01",
        "--source",
        "市规划院",
        "--scale",
        "1:1000",
        "--id",
        "kg-2024",
        "--store",
        url,
    )
    assert result.exit_code == 0, result.output
    assert "kg-2024，2 个要素" in result.output
    result = _run(
        "layers",
        "import",
        str(roads),
        "--kind",
        "road",
        "--survey-date",
        "2024-06-01",
        "--store",
        url,
    )
    assert result.exit_code == 0, result.output
    return url


def test_layers_list_shows_each_layers_provenance(store: str) -> None:
    text = _run("layers", "list", "--store", store).output
    assert (
        "kg-2024\t控制性详细规划\tplots\t市规划院\t1:1000\tEPSG:4490\t2024-05-01\tv1\t2 个要素"
        in text
    )
    data = json.loads(_run("layers", "list", "--json", "--store", store).output)
    assert [layer["id"] for layer in data] == ["kg-2024", "road-roads"]
    assert data[1]["kind"] == "road" and data[1]["survey_date"] == "2024-06-01"


def test_conditions_of_a_site_across_two_plots(store: str, tmp_path: Path) -> None:
    site = _write(tmp_path / "site.geojson", geometry_to_geojson(rect(60, 10, 80, 50)))
    text = _run("conditions", str(site), "--store", store).output
    assert "用地面积 4000 m²" in text
    assert "建筑限高 ≤ 45 m（地块 A-02）" in text and "容积率上限 ≤ 2（地块 A-01）" in text
    assert "用地跨越 2 个控规地块" in text
    data = json.loads(_run("conditions", str(site), "--json", "--store", store).output)
    assert {o["plot"] for o in data["overlaps"]} == {"A-01", "A-02"}


def test_check_scheme_exits_1_when_a_rule_fails_and_shows_both_numbers(
    store: str, tmp_path: Path
) -> None:
    scheme: dict[str, Any] = {
        "site": geometry_to_geojson(rect(10, 10, 60, 50)),
        "land_area": 3000,
        "total_floor_area": 6000,
        "footprint_area": 1000,
        "height": 54,
        "green_area": 950,
        "setbacks": {"road": 10, "boundary": 5},
        "land_use": "R2",
    }
    ok = _run("check-scheme", str(_write(tmp_path / "ok.json", scheme)), "--store", store)
    assert ok.exit_code == 0, ok.output
    assert "结论（供承办人确认）：符合" in ok.output
    over = _write(tmp_path / "over.json", {**scheme, "total_floor_area": 6001})
    result = _run("check-scheme", str(over), "--store", store)
    assert result.exit_code == 1
    assert "✗ 不符合 计容建筑面积：计容建筑面积 6001 m² 超过允许的 6000 m²" in result.output
    data = json.loads(_run("check-scheme", str(over), "--json", "--store", store).output)
    far = next(r for r in data["check"]["results"] if r["rule"] == "far_max")
    assert (far["actual"], far["limit"], far["status"]) == ("6001", "6000.0", "fail")


def test_a_bad_scheme_file_is_one_error_line(store: str, tmp_path: Path) -> None:
    bad = _write(tmp_path / "bad.json", {"land_area": 3000})
    result = CliRunner().invoke(cli, ["check-scheme", str(bad), "--store", store])
    assert result.exit_code == 2 and "needs a 'site'" in result.stderr


def _receive_case(store: str, case_id: str) -> None:
    """A case received at the window, so a form can be stored as its own."""
    with open_bureau(store=store) as bureau:
        engine = bureau.engine
        materials = tuple(m.code for m in engine.permit_type("CONSTRUCTION").materials)
        clerk = engine.organisation.actor("zhang.min")
        submit = Submit(
            case_id, "CONSTRUCTION", "某置业公司", "凤凰新城", materials, case_number=case_id
        )
        engine.execute(submit, clerk, pendulum.datetime(2026, 3, 2, 9, tz="Asia/Shanghai"))


def test_map_draws_the_site_from_the_cases_stored_form(store: str, tmp_path: Path) -> None:
    _receive_case(store, "c1")
    form = _write(tmp_path / "form.json", construction_form())
    stored = _run("forms", "validate", "CONSTRUCTION", str(form), "--case", "c1", "--store", store)
    assert stored.exit_code == 0 and "已存为案件 c1 的申请表" in stored.output
    out, geojson = tmp_path / "c1.svg", tmp_path / "c1.geojson"
    result = _run("map", "c1", "--out", str(out), "--geojson", str(geojson), "--store", store)
    assert result.exit_code == 0, result.output
    root = ET.fromstring(out.read_bytes())
    assert "凤凰新城住宅小区一期 用地范围图（案件 c1）" in "".join(root.itertext())
    collection = json.loads(geojson.read_text(encoding="utf-8"))
    assert collection["features"][0]["properties"]["project_name"] == "凤凰新城住宅小区一期"
    assert {"kg-2024/A-01", "road-roads/R1"} <= {f["id"] for f in collection["features"]}


def test_map_of_a_case_without_a_form_is_one_error_line(store: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["map", "c404", "--out", str(tmp_path / "x.svg"), "--store", store]
    )
    assert result.exit_code == 2 and "no application form" in result.stderr


def test_forms_validate_lists_every_problem_and_exits_1(tmp_path: Path) -> None:
    bad = _write(tmp_path / "bad.json", construction_form(land_area=0, height="高", colour="红"))
    result = _run("forms", "validate", "CONSTRUCTION", str(bad))
    assert result.exit_code == 1
    assert result.output.startswith("3 problem(s):")
    assert "@ $.land_area" in result.output and "@ $.height" in result.output


def test_forms_schema_and_list(tmp_path: Path) -> None:
    schema = json.loads(_run("forms", "schema", "RURAL_CONSTRUCTION").output)
    assert schema["title"] == "乡村建设规划许可申请表"
    assert "CONSTRUCTION\tv1\t建设工程规划许可申请表" in _run("forms", "list").output


def test_the_cli_offers_every_layer_kind() -> None:
    from planning_core.cli._geo import _KINDS

    assert [kind.value for kind in LayerKind] == _KINDS


def test_layers_list_as_csv_and_json_to_a_file(store: str, tmp_path: Path) -> None:
    import csv
    import io

    table = _run("layers", "list", "--format", "csv", "--store", store)
    header, *rows = list(csv.reader(io.StringIO(table.stdout)))
    assert header == [
        "图层编号",
        "类型",
        "名称",
        "来源",
        "比例尺",
        "坐标系",
        "测绘日期",
        "版本",
        "要素数",
    ]
    assert rows[0] == ["kg-2024", "控制性详细规划", "plots", "市规划院", "1:1000", "EPSG:4490",
                       "2024-05-01", "v1", "2"]  # fmt: skip
    out = tmp_path / "layers.json"
    written = _run("layers", "list", "--format", "json", "--out", str(out), "--store", store)
    assert written.exit_code == 0 and written.stdout == ""
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data == json.loads(_run("layers", "list", "--json", "--store", store).stdout)


def test_layers_import_reports_its_stages_and_gives_json(tmp_path: Path) -> None:
    from planning_core.geo import GeoRepository, import_layer_file
    from planning_core.storage import open_store

    plots = _write(tmp_path / "plots.geojson", _features(two_plots()))
    calls: list[tuple[int, int]] = []
    with open_store(f"sqlite:///{tmp_path / 'a.db'}") as opened:
        import_layer_file(
            GeoRepository(opened),
            plots,
            LayerKind.REGULATORY_PLAN,
            survey_date=pendulum.Date(2024, 5, 1),
            progress=lambda done, total: calls.append((done, total)),
        )
    assert calls == [(0, 3), (1, 3), (2, 3), (3, 3)]
    url = f"sqlite:///{tmp_path / 'b.db'}"
    args = ["layers", "import", str(plots), "--kind", "regulatory_plan"]
    result = _run(*args, "--survey-date", "2024-05-01", "--format", "json", "--store", url)
    data = json.loads(result.stdout)
    assert (data["id"], data["kind"], data["survey_date"]) == (
        "regulatory_plan-plots",
        "regulatory_plan",
        "2024-05-01",
    )


def test_check_scheme_json_still_exits_1_on_a_failure(store: str, tmp_path: Path) -> None:
    scheme = {"site": geometry_to_geojson(rect(10, 10, 60, 50)), "land_area": 3000,
              "total_floor_area": 6001}  # fmt: skip
    path = _write(tmp_path / "over.json", scheme)
    result = _run("check-scheme", str(path), "--format", "json", "--store", store)
    assert result.exit_code == 1
    assert {"conditions", "check"} == set(json.loads(result.stdout))


def test_map_as_geojson_on_stdout(store: str, tmp_path: Path) -> None:
    _receive_case(store, "c1")
    form = _write(tmp_path / "form.json", construction_form())
    _run("forms", "validate", "CONSTRUCTION", str(form), "--case", "c1", "--store", store)
    result = _run("map", "c1", "--format", "json", "--store", store)
    assert result.exit_code == 0, result.output
    collection = json.loads(result.stdout)
    assert collection["type"] == "FeatureCollection"
    svg = _run("map", "c1", "--store", store)
    assert ET.fromstring(svg.stdout.encode()).tag.endswith("svg")


def test_without_the_geo_extra_each_command_says_so_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    for name in [m for m in sys.modules if m.startswith("planning_core.geo")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "shapely", None)
    site = _write(tmp_path / "site.geojson", {"type": "Point", "coordinates": [118, 39]})
    url = f"sqlite:///{tmp_path / 'x.db'}"
    for args in (["layers", "list"], ["conditions", str(site)], ["map", "c1"]):
        result = CliRunner().invoke(cli, [*args, "--store", url])
        assert result.exit_code == 2, (args, result.output)
        assert result.stderr.count("\n") == 1
        assert 'pip install "planning-core[geo]"' in result.stderr
