"""Base data, planning conditions and maps: the spatial heart of a planning permit.

The base-data catalogue (layers of topography, roads, pipelines, plans, land, buildings and
key-project files) stored through the Store contract; CGCS2000 (EPSG:4490) and its
Gauss–Krüger zones through pyproj, geometry through shapely 2; regulatory-plan plots
(控规地块); ``conditions_for(site)`` (规划条件, 城乡规划法 art. 38); the compliance check of
a scheme against them (art. 40); and site maps as SVG and GeoJSON. See docs/geo.md.

The room needs the ``geo`` extra (shapely, pyproj and numpy): without it, importing the
room raises :class:`~planning_core.errors.MissingExtraError` naming the extra, instead of a
``ModuleNotFoundError`` from deep inside. Shapefile and GeoPackage import also needs the
``gis`` extra (pyogrio), checked when a file is read.
"""

from planning_core import _extras

for _module in ("shapely", "pyproj", "numpy"):
    _extras.import_extra(
        _module, "geo", "planning_core.geo (base data, planning conditions, site maps)"
    )
del _module

from planning_core.geo._catalogue import Catalogue, build_catalogue
from planning_core.geo._compliance import (
    CHECKLIST_RULES,
    ChecklistHint,
    ComplianceReport,
    RuleResult,
    RuleStatus,
    Scheme,
    check_scheme,
    prefill_checklist,
)
from planning_core.geo._conditions import (
    Condition,
    ConditionSettings,
    PlotOverlap,
    SiteConditions,
    SiteWarning,
    WarningKind,
    conditions_for,
)
from planning_core.geo._crs import (
    CGCS2000,
    area_m2,
    distance_m,
    gauss_kruger_crs,
    gauss_kruger_zone,
    project,
    projected_crs_for,
    to_cgcs2000,
)
from planning_core.geo._geojson import (
    geometry_from_geojson,
    geometry_to_geojson,
    site_from_geojson,
    site_problems,
)
from planning_core.geo._import import SourceFeatures, import_layer_file, read_features
from planning_core.geo._layers import Feature, Layer, LayerKind, parse_scale
from planning_core.geo._map import MAP_KINDS, SiteMap, map_geojson, render_svg, site_map
from planning_core.geo._numbers import fmt as format_number
from planning_core.geo._plots import Bound, Indicator, Plot, Setback, plots_from_features
from planning_core.geo._repository import LAYER_COLLECTION, GeoRepository

__all__ = [
    "CGCS2000",
    "CHECKLIST_RULES",
    "LAYER_COLLECTION",
    "MAP_KINDS",
    "Bound",
    "Catalogue",
    "ChecklistHint",
    "ComplianceReport",
    "Condition",
    "ConditionSettings",
    "Feature",
    "GeoRepository",
    "Indicator",
    "Layer",
    "LayerKind",
    "Plot",
    "PlotOverlap",
    "RuleResult",
    "RuleStatus",
    "Scheme",
    "Setback",
    "SiteConditions",
    "SiteMap",
    "SiteWarning",
    "SourceFeatures",
    "WarningKind",
    "area_m2",
    "build_catalogue",
    "check_scheme",
    "conditions_for",
    "distance_m",
    "format_number",
    "gauss_kruger_crs",
    "gauss_kruger_zone",
    "geometry_from_geojson",
    "geometry_to_geojson",
    "import_layer_file",
    "map_geojson",
    "parse_scale",
    "plots_from_features",
    "prefill_checklist",
    "project",
    "projected_crs_for",
    "read_features",
    "render_svg",
    "site_from_geojson",
    "site_map",
    "site_problems",
    "to_cgcs2000",
]
