"""The pictures' sample data: a site among plots, named roads, a gas and a water main.

Drawn in local metres like ``_support.geo`` (the CGCS2000 zone on 117°E, near Tangshan).
Some features run far past any map of the site (a plot 600 m long, a road and a pipeline
crossing the district), so a map that does not clip draws off its canvas.
"""

from __future__ import annotations

from _support.geo import feature, layer, line, plot, rect, two_plots
from shapely.geometry.base import BaseGeometry

from planning_core.geo import Catalogue, LayerKind, build_catalogue

#: The case's site, on plot A-01 next to 建设路.
SITE = rect(10, 10, 60, 50)


def site_catalogue() -> Catalogue:
    """Plots, buildings, two named roads and two named pipelines around :data:`SITE`."""
    features = [
        *two_plots(),
        plot("A-03", rect(-600, -400, 1400, 380), land_use="G1"),
        plot("A-04", rect(0, 130, 200, 400), land_use="A33"),
        feature(LayerKind.ROAD, "R1", rect(-800, 100, 1800, 30), {"name": "建设路"}),
        feature(LayerKind.ROAD, "R2", rect(-40, -500, 20, 1200), {"名称": "学院南路"}),
        feature(
            LayerKind.PIPELINE,
            "G1",
            line((80, -900), (80, 1200)),
            {"name": "建设路燃气中压管", "type": "gas", "管径": 300},
        ),
        feature(
            LayerKind.PIPELINE,
            "W1",
            line((-900, 106), (1500, 106)),
            {"name": "建设路给水干管", "管线类型": "给水"},
        ),
        feature(LayerKind.BUILDING, "B1", rect(88, 30, 24, 40), {"name": "商业楼"}),
    ]
    return build_catalogue([layer(k) for k in {f.kind for f in features}], features)


def site() -> BaseGeometry:
    return SITE
