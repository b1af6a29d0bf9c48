"""Site maps: the site with the plots, roads and pipelines around it, as SVG and GeoJSON."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from _support.geo import feature, layer, line, rect, two_plots
from hypothesis import given, settings
from hypothesis import strategies as st

from planning_core.geo import (
    LayerKind,
    build_catalogue,
    geometry_from_geojson,
    map_geojson,
    render_svg,
    site_map,
)

SVG = "{http://www.w3.org/2000/svg}"


def _catalogue():  # type: ignore[no-untyped-def]
    features = [
        *two_plots(),
        feature(LayerKind.ROAD, "R1", rect(0, 100, 200, 30), {"name": "建设路"}),
        feature(LayerKind.PIPELINE, "G1", line((80, -10), (80, 110)), {"name": "燃气管"}),
        feature(LayerKind.BUILDING, "far", rect(2000, 2000, 20, 20), {"name": "远处的楼"}),
    ]
    return build_catalogue([layer(k) for k in {f.kind for f in features}], features)


def test_the_map_shows_what_is_near_the_site_and_nothing_far() -> None:
    chosen = site_map(rect(10, 10, 60, 50), _catalogue(), margin_m=50)
    keys = {f.key for f in chosen.features}
    assert keys == {
        "regulatory_plan-test/A-01",
        "regulatory_plan-test/A-02",
        "road-test/R1",
        "pipeline-test/G1",
    }
    assert chosen.crs == "EPSG:4548"
    x0, y0, x1, y1 = chosen.bounds
    assert (x1 - x0, y1 - y0) == pytest.approx((160.0, 150.0))  # the site and 50 m around


def test_the_svg_is_well_formed_with_site_labels_title_and_scale() -> None:
    chosen = site_map(rect(10, 10, 60, 50), _catalogue(), margin_m=50)
    text = render_svg(chosen, title="凤凰新城 <一期> 用地范围图")
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title").text == "凤凰新城 <一期> 用地范围图"  # type: ignore[union-attr]
    paths = list(root.iter(f"{SVG}path"))
    assert [p.get("id") for p in paths].count("site") == 1
    drawn = {p.get("data-feature") for p in paths} - {None}
    assert drawn == {f.key for f in chosen.features}
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert "A-01 R2" in labels and "A-02 B1" in labels and "N" in labels
    assert any(re.fullmatch(r"\d+ m", label or "") for label in labels)


@given(st.floats(-200, 200), st.floats(-200, 200), st.floats(5, 300), st.floats(5, 300))
@settings(max_examples=30, deadline=None)
def test_every_point_of_the_site_lies_inside_the_picture(
    x: float, y: float, width: float, height: float
) -> None:
    chosen = site_map(rect(x, y, width, height), _catalogue(), margin_m=20)
    root = ET.fromstring(render_svg(chosen).encode("utf-8"))
    frame = root.find(f"{SVG}rect")
    assert frame is not None
    w, h = float(frame.get("width", 0)), float(frame.get("height", 0))
    site = next(p for p in root.iter(f"{SVG}path") if p.get("id") == "site")
    numbers = [float(n) for n in re.findall(r"-?\d+\.\d+", site.get("d", ""))]
    xs, ys = numbers[0::2], numbers[1::2]
    assert min(xs) > 0 and max(xs) < w and min(ys) > 0 and max(ys) < h


def test_the_geojson_export_holds_the_site_and_the_same_features() -> None:
    site = rect(10, 10, 60, 50)
    chosen = site_map(site, _catalogue(), margin_m=50)
    collection = map_geojson(chosen, {"case": "2026-000001", "project_name": "凤凰新城"})
    json.dumps(collection, ensure_ascii=False)
    first, *rest = collection["features"]
    assert first["properties"] == {
        "layer_kind": "site",
        "case": "2026-000001",
        "project_name": "凤凰新城",
    }
    assert geometry_from_geojson(first["geometry"]).equals(site)
    assert {f["id"] for f in rest} == {f.key for f in chosen.features}
    road = next(f for f in rest if f["id"] == "road-test/R1")
    assert road["properties"]["name"] == "建设路" and road["properties"]["layer_kind"] == "road"


def test_pipelines_are_told_apart_by_kind_from_their_type_or_their_name() -> None:
    features = [
        *two_plots(),
        feature(LayerKind.PIPELINE, "G1", line((80, -10), (80, 110)), {"name": "燃气管"}),
        feature(
            LayerKind.PIPELINE, "W1", line((20, -10), (20, 110)), {"name": "DN200", "type": "water"}
        ),
        feature(LayerKind.PIPELINE, "X1", line((40, -10), (40, 110)), {}),
    ]
    catalogue = build_catalogue([layer(k) for k in {f.kind for f in features}], features)
    root = ET.fromstring(render_svg(site_map(rect(10, 10, 60, 50), catalogue)).encode("utf-8"))
    strokes = {p.get("data-feature"): p.get("stroke") for p in root.iter(f"{SVG}path")}
    gas, water, other = (strokes[f"pipeline-test/{i}"] for i in ("G1", "W1", "X1"))
    assert len({gas, water, other}) == 3
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert "燃气管" in labels and "给水 DN200" in labels and "其他 X1" in labels
    assert {"燃气管线", "给水管线", "其他管线", "图例"} <= set(labels)
