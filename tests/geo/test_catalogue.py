"""The base-data catalogue on a store: import, list, replace, and read back exactly."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pendulum
import pytest
import shapely
from _support.geo import A01, ZONE, layer, plot, rect, two_plots
from shapely.geometry import mapping

from planning_core import open_store
from planning_core.errors import ConfigurationError, NotFoundError, ValidationError
from planning_core.geo import (
    LAYER_COLLECTION,
    GeoRepository,
    LayerKind,
    area_m2,
    conditions_for,
    geometry_to_geojson,
    import_layer_file,
    parse_scale,
    project,
)
from planning_core.plugins import Hooks
from planning_core.storage import Store

DAY = pendulum.Date(2024, 5, 1)


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, hooks: Hooks, tmp_path: Path) -> Store:
    url = "memory://" if request.param == "memory" else f"sqlite:///{tmp_path / 'geo.db'}"
    return open_store(url, hooks)


def _collection(features: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features, **extra}


def _plot_file(tmp_path: Path) -> Path:
    features = [
        {
            "type": "Feature",
            "id": f.id,
            "geometry": geometry_to_geojson(f.geometry),
            "properties": dict(f.attributes),
        }
        for f in two_plots()
    ]
    path = tmp_path / "控规.geojson"
    path.write_text(json.dumps(_collection(features), ensure_ascii=False), encoding="utf-8")
    return path


def test_a_layer_is_stored_and_read_back_exactly(store: Store) -> None:
    repository = GeoRepository(store)
    features = two_plots()
    stored = repository.import_layer(layer(LayerKind.REGULATORY_PLAN), features)
    assert stored.feature_count == 2
    assert repository.layers() == [stored]
    assert repository.layer(stored.id).survey_date == pendulum.Date(2024, 5, 1)
    back = repository.features(LayerKind.REGULATORY_PLAN)
    assert [f.key for f in back] == [f.key for f in features]
    for old, new in zip(features, back, strict=True):
        assert new.geometry.equals_exact(old.geometry, tolerance=0)  # WKB keeps every bit
        assert dict(new.attributes) == dict(old.attributes)
    catalogue = repository.load_catalogue()
    assert [p.code for p in catalogue.plots] == ["A-01", "A-02"]
    assert conditions_for(rect(10, 10, 20, 20), catalogue).overlaps[0].plot.code == "A-01"


def test_reimporting_a_layer_replaces_its_features(store: Store) -> None:
    repository = GeoRepository(store)
    repository.import_layer(layer(LayerKind.REGULATORY_PLAN), two_plots())
    repository.import_layer(
        layer(LayerKind.REGULATORY_PLAN), [plot("B-01", rect(0, 0, 50, 50), **A01)]
    )
    assert [f.id for f in repository.features(LayerKind.REGULATORY_PLAN)] == ["B-01"]
    assert repository.layers()[0].feature_count == 1


def test_an_unknown_layer_names_the_known_ones(store: Store) -> None:
    repository = GeoRepository(store)
    repository.import_layer(layer(LayerKind.ROAD), [])
    with pytest.raises(NotFoundError, match="road-test"):
        repository.layer("nothing")


def test_a_geojson_file_is_imported_as_one_layer(store: Store, tmp_path: Path) -> None:
    repository = GeoRepository(store)
    stored = import_layer_file(
        repository,
        _plot_file(tmp_path),
        LayerKind.REGULATORY_PLAN,
        source="市规划设计研究院",
        scale=parse_scale("1:1000"),
        survey_date=DAY,
        version="2024批复",
    )
    assert stored.id == "regulatory_plan-控规" and stored.scale == 1000
    assert stored.crs == "EPSG:4490" and stored.feature_count == 2
    assert store.get_record(LAYER_COLLECTION, stored.id) is not None
    assert len(repository.load_catalogue().plots) == 2


def test_projected_coordinates_are_brought_into_cgcs2000(store: Store, tmp_path: Path) -> None:
    # A survey delivers its plot in zone metres and says so with a legacy crs member.
    metres = project(rect(0, 0, 100, 50), ZONE)
    data = _collection(
        [
            {
                "type": "Feature",
                "id": "S1",
                "geometry": mapping(metres),
                "properties": {"code": "S1"},
            }
        ],
        crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4548"}},
    )
    path = tmp_path / "survey.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    stored = import_layer_file(GeoRepository(store), path, LayerKind.BUILDING, survey_date=DAY)
    assert stored.crs == "urn:ogc:def:crs:EPSG::4548"
    [building] = GeoRepository(store).features(LayerKind.BUILDING)
    assert building.geometry.bounds[0] == pytest.approx(118.16, abs=0.02)  # degrees now
    assert area_m2(building.geometry) == pytest.approx(5000, rel=1e-6)


def test_a_bad_file_lists_every_problem_and_stores_nothing(store: Store, tmp_path: Path) -> None:
    bow = {
        "type": "Polygon",
        "coordinates": [[[118, 39], [118.01, 39.01], [118.01, 39], [118, 39.01], [118, 39]]],
    }
    good = geometry_to_geojson(rect(0, 0, 10, 10))
    data = _collection(
        [
            {"type": "Feature", "id": 1, "geometry": bow, "properties": {"code": "X1"}},
            {"type": "Feature", "id": 2, "geometry": {"type": "Polygon"}, "properties": {}},
            {
                "type": "Feature",
                "id": 3,
                "geometry": good,
                "properties": {"code": "X3", "far_max": "lots"},
            },
            {
                "type": "Feature",
                "id": 3,
                "geometry": good,
                "properties": {"code": "X4", "land_use": "R2"},
            },
        ]
    )
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        import_layer_file(GeoRepository(store), path, LayerKind.REGULATORY_PLAN, survey_date=DAY)
    text = "\n".join(info.value.problems)
    assert "feature 2" in text and "Self-intersection" in text and "'3' is used 2 times" in text
    assert GeoRepository(store).layers() == []


def test_bad_plot_attributes_are_listed_before_anything_is_stored(
    store: Store, tmp_path: Path
) -> None:
    good = geometry_to_geojson(rect(0, 0, 10, 10))
    data = _collection(
        [
            {
                "type": "Feature",
                "id": "a",
                "geometry": good,
                "properties": {"code": "X3", "far_max": "lots"},
            },
            {
                "type": "Feature",
                "id": "b",
                "geometry": good,
                "properties": {"地块编号": "X4", "用地性质": "R2", "绿地率": "35%"},
            },
            {
                "type": "Feature",
                "id": "c",
                "geometry": good,
                "properties": {"code": "X5", "land_use": "R2", "green_min": 35},
            },
        ]
    )
    path = tmp_path / "plots.geojson"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        import_layer_file(GeoRepository(store), path, LayerKind.REGULATORY_PLAN, survey_date=DAY)
    problems = info.value.problems
    # a: no land use and a far_max that is no number; c: 35 is no ratio. b's "35%" is fine.
    assert [p.split(":")[0] for p in problems] == [
        "feature regulatory_plan-plots/a",
        "feature regulatory_plan-plots/a",
        "feature regulatory_plan-plots/c",
    ]
    assert "land_use" in problems[0] and "'lots'" in problems[1] and "over 1" in problems[2]
    assert GeoRepository(store).layers() == []


@pytest.mark.parametrize(("suffix", "driver"), [(".gpkg", "GPKG"), (".shp", "ESRI Shapefile")])
def test_a_geopackage_or_shapefile_is_read_through_pyogrio(
    store: Store, tmp_path: Path, suffix: str, driver: str
) -> None:
    raw = pytest.importorskip("pyogrio.raw")
    metres = [project(f.geometry, ZONE) for f in two_plots()]
    path = tmp_path / f"kg{suffix}"
    raw.write(
        path,
        np.array(shapely.to_wkb(metres), dtype=object),
        [
            np.array(["A-01", "A-02"], dtype=object),
            np.array(["R2", "B1"], dtype=object),
            np.array([2.0, 3.5]),
        ],
        ["code", "land_use", "far_max"],
        driver=driver,
        geometry_type="Polygon",
        crs=ZONE,
    )
    stored = import_layer_file(
        GeoRepository(store), path, LayerKind.REGULATORY_PLAN, survey_date=DAY
    )
    assert stored.feature_count == 2 and "4548" in stored.crs
    plots = GeoRepository(store).load_catalogue().plots
    assert [(p.code, p.land_use, str(p.far_max)) for p in plots] == [
        ("A-01", "R2", "2.0"),
        ("A-02", "B1", "3.5"),
    ]
    assert area_m2(plots[0].geometry) == pytest.approx(10_000, rel=1e-6)


def test_without_the_gis_extra_a_geopackage_asks_for_it(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyogrio", None)  # as if the extra were not installed
    path = tmp_path / "roads.shp"
    path.write_bytes(b"")
    with pytest.raises(ConfigurationError, match=r"planning-core\[gis\]"):
        import_layer_file(GeoRepository(store), path, LayerKind.ROAD, survey_date=DAY)


@pytest.mark.parametrize(
    ("text", "scale"), [("1:500", 500), ("1：2000", 2000), ("1:10,000", 10000), ("500", 500)]
)
def test_scales_are_read_as_printed(text: str, scale: int) -> None:
    assert parse_scale(text) == scale


def test_a_layer_kind_is_named_in_english_or_chinese() -> None:
    assert LayerKind.parse("道路红线") is LayerKind.ROAD
    assert LayerKind.parse("pipeline") is LayerKind.PIPELINE
    with pytest.raises(ValidationError, match="控制性详细规划"):
        LayerKind.parse("plans")
