"""Hand-built plots, roads, pipelines and sites for the geo and forms tests.

Shapes are drawn in metres in the CGCS2000 3-degree Gauss–Krüger zone on 117°E
(EPSG:4548), near Tangshan, and turned into CGCS2000 degrees, as a survey would deliver
them: so a test knows every area by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pendulum
from shapely.geometry import LineString, box
from shapely.geometry.base import BaseGeometry

from planning_core.geo import Feature, Layer, LayerKind, to_cgcs2000

ZONE = "EPSG:4548"
#: The local origin of the drawings, in zone metres (about 118.17°E, 39.64°N).
ORIGIN = (600_000.0, 4_390_000.0)


def rect(x: float, y: float, width: float, height: float) -> BaseGeometry:
    """A rectangle drawn in local metres, returned in CGCS2000 degrees."""
    x0, y0 = ORIGIN[0] + x, ORIGIN[1] + y
    return to_cgcs2000(box(x0, y0, x0 + width, y0 + height), ZONE)


def line(*points: tuple[float, float]) -> BaseGeometry:
    """A line drawn in local metres, returned in CGCS2000 degrees."""
    return to_cgcs2000(LineString([(ORIGIN[0] + x, ORIGIN[1] + y) for x, y in points]), ZONE)


def layer(kind: LayerKind, layer_id: str | None = None) -> Layer:
    return Layer(
        id=layer_id or f"{kind.value}-test",
        kind=kind,
        name=f"测试{kind.zh}",
        source="测试测绘院",
        scale=500,
        crs=ZONE,
        survey_date=pendulum.Date(2024, 5, 1),
        version="2024-01",
    )


def feature(
    kind: LayerKind, fid: str, geometry: BaseGeometry, attributes: Mapping[str, Any]
) -> Feature:
    return Feature(fid, f"{kind.value}-test", kind, geometry, dict(attributes))


def plot(fid: str, geometry: BaseGeometry, **attributes: Any) -> Feature:
    """A regulatory-plan plot feature; attributes as a plan's table gives them."""
    return feature(LayerKind.REGULATORY_PLAN, fid, geometry, {"code": fid, **attributes})


#: Two neighbouring plots, 100 m × 100 m each: A-01 on x 0–100, A-02 on x 100–200.
A01 = dict(
    land_use="R2",
    far_max=2.0,
    far_min=1.0,
    density_max=0.35,
    height_max=60,
    green_min=0.30,
    setback_road=10,
    setback_boundary=5,
)
A02 = dict(
    land_use="B1",
    far_max=3.5,
    density_max=0.45,
    height_max=45,
    green_min=0.25,
    setback_road=8,
    setback_boundary=6,
)


def two_plots() -> list[Feature]:
    return [plot("A-01", rect(0, 0, 100, 100), **A01), plot("A-02", rect(100, 0, 100, 100), **A02)]
