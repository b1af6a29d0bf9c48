"""Site maps: a case's site with the plots, roads and pipelines around it, as SVG and GeoJSON.

The SVG is for the case file and for publishing the approved site plan (城乡规划法 art. 40);
the GeoJSON is the same selection for a host's web map. Drawing happens in the site's
Gauss–Krüger zone, so the scale bar is true in metres and north is up.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import attrs
import shapely
from shapely.geometry.base import BaseGeometry

from planning_core.geo._catalogue import Catalogue
from planning_core.geo._crs import project, projected_crs_for, search_degrees
from planning_core.geo._geojson import geometry_to_geojson
from planning_core.geo._layers import Feature, LayerKind

__all__ = ["MAP_KINDS", "SiteMap", "map_geojson", "render_svg", "site_map"]

#: What a site map shows by default, drawn in this order (the site on top).
MAP_KINDS = (LayerKind.REGULATORY_PLAN, LayerKind.BUILDING, LayerKind.ROAD, LayerKind.PIPELINE)

#: Fill colours by the first letter of the land-use class (after GB 50137's map colours).
_LAND_USE_FILL = {
    "R": "#fff2a8",
    "A": "#f5b2c8",
    "B": "#f28c8c",
    "M": "#c8a27a",
    "W": "#b79fd6",
    "S": "#d9d9d9",
    "U": "#9ec9e8",
    "G": "#a9d89a",
}
_STYLE = {
    LayerKind.ROAD: 'fill="#eeeeee" stroke="#d62728" stroke-width="1.5" stroke-dasharray="6 3"',
    LayerKind.PIPELINE: 'fill="none" stroke="#1f77b4" stroke-width="2"',
    LayerKind.BUILDING: 'fill="#8c8c8c" stroke="#555555" stroke-width="0.5"',
}
_SITE_STYLE = 'fill="#d62728" fill-opacity="0.15" stroke="#d62728" stroke-width="3"'


@attrs.frozen
class SiteMap:
    """A site and the features drawn around it.

    :param bounds: the drawn extent in the projected CRS (min x, min y, max x, max y).
    """

    site: BaseGeometry = attrs.field(eq=False, repr=False)
    crs: str
    bounds: tuple[float, float, float, float]
    features: tuple[Feature, ...]


def site_map(
    site: BaseGeometry,
    catalogue: Catalogue,
    *,
    margin_m: float = 30.0,
    kinds: Iterable[LayerKind] = MAP_KINDS,
) -> SiteMap:
    """Select what a map of ``site`` shows: ``kinds`` within ``margin_m`` metres of it."""
    crs = projected_crs_for(site)
    x0, y0, x1, y1 = project(site, crs).bounds
    bounds = (x0 - margin_m, y0 - margin_m, x1 + margin_m, y1 + margin_m)
    reach = search_degrees(site, margin_m * math.sqrt(2))
    chosen = [f for kind in kinds for f in catalogue.features_near(kind, site, reach)]
    return SiteMap(site, crs, bounds, tuple(chosen))


def render_svg(site_map: SiteMap, *, title: str = "", width: int = 800) -> str:
    """The map as a standalone SVG document (UTF-8 text, Chinese labels kept)."""
    x0, y0, x1, y1 = site_map.bounds
    scale = width / (x1 - x0)
    height = max(1, round((y1 - y0) * scale))
    view = _View(x0, y1, scale)
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 40}" '
        f'viewBox="0 0 {width} {height + 40}" font-family="sans-serif">',
        f"<title>{escape(title or '用地范围图')}</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    labels = []
    for feature in site_map.features:
        geometry = project(feature.geometry, site_map.crs)
        parts.append(_shape(geometry, view, _style(feature), feature))
        if feature.kind is LayerKind.REGULATORY_PLAN:
            labels.append(_label(feature, geometry, view))
    parts.append(_shape(project(site_map.site, site_map.crs), view, _SITE_STYLE, None))
    parts += labels
    parts += _furniture(width, height, scale, title)
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def map_geojson(
    site_map: SiteMap, site_properties: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The site and the selected features as one GeoJSON FeatureCollection (degrees)."""
    features = [
        {
            "type": "Feature",
            "id": "site",
            "geometry": geometry_to_geojson(site_map.site),
            "properties": {"layer_kind": "site", **dict(site_properties or {})},
        }
    ]
    features += [
        {
            "type": "Feature",
            "id": f.key,
            "geometry": geometry_to_geojson(f.geometry),
            "properties": {"layer_kind": f.kind.value, "layer": f.layer, **f.attributes},
        }
        for f in site_map.features
    ]
    return {"type": "FeatureCollection", "features": features}


@attrs.frozen
class _View:
    """Projected metres to SVG pixels: origin at the top-left corner, y downwards."""

    left: float
    top: float
    scale: float

    def point(self, x: float, y: float) -> str:
        return f"{(x - self.left) * self.scale:.2f} {(self.top - y) * self.scale:.2f}"


def _style(feature: Feature) -> str:
    if feature.kind is LayerKind.REGULATORY_PLAN:
        land_use = str(feature.attributes.get("land_use", feature.attributes.get("用地性质", "")))
        fill = _LAND_USE_FILL.get(land_use[:1].upper(), "#f4f4f4")
        return f'fill="{fill}" stroke="#333333" stroke-width="1"'
    return _STYLE.get(feature.kind, 'fill="none" stroke="#777777" stroke-width="1"')


def _shape(geometry: BaseGeometry, view: _View, style: str, feature: Feature | None) -> str:
    path = " ".join(_path(part, view) for part in shapely.get_parts(geometry))
    ident = f" data-feature={quoteattr(feature.key)}" if feature is not None else ' id="site"'
    return f'<path{ident} d="{path}" fill-rule="evenodd" {style}/>'


def _path(geometry: BaseGeometry, view: _View) -> str:
    if geometry.geom_type == "Polygon":
        rings = [geometry.exterior, *geometry.interiors]  # type: ignore[attr-defined]
        return " ".join(_line(ring.coords, view) + " Z" for ring in rings)
    if geometry.geom_type in ("LineString", "LinearRing"):
        return _line(geometry.coords, view)
    if geometry.geom_type == "Point":
        x, y = view.point(geometry.x, geometry.y).split()  # type: ignore[attr-defined]
        return f"M {float(x) - 3:.2f} {y} a 3 3 0 1 0 6 0 a 3 3 0 1 0 -6 0"
    return ""


def _line(coords: Iterable[tuple[float, ...]], view: _View) -> str:
    points = [view.point(c[0], c[1]) for c in coords]
    return "M " + " L ".join(points) if points else ""


def _label(feature: Feature, geometry: BaseGeometry, view: _View) -> str:
    spot = geometry.representative_point()
    x, y = view.point(spot.x, spot.y).split()
    land_use = feature.attributes.get("land_use", feature.attributes.get("用地性质", ""))
    text = escape(f"{feature.label} {land_use}".strip())
    return f'<text x="{x}" y="{y}" font-size="12" text-anchor="middle">{text}</text>'


def _furniture(width: int, height: int, scale: float, title: str) -> list[str]:
    """Scale bar, north arrow and title under the map."""
    metres = _round_length(width / scale / 5)
    bar = metres * scale
    return [
        f'<g transform="translate(10 {height + 12})">'
        f'<rect x="0" y="0" width="{bar:.2f}" height="6" fill="#000000"/>'
        f'<text x="{bar + 6:.2f}" y="7" font-size="12">{metres:g} m</text></g>',
        f'<g transform="translate({width - 24} 8)">'
        '<path d="M 8 0 L 16 22 L 8 17 L 0 22 Z" fill="#000000"/>'
        '<text x="8" y="36" font-size="12" text-anchor="middle">N</text></g>',
        f'<text x="{width / 2:.0f}" y="{height + 30}" font-size="14" text-anchor="middle">'
        f"{escape(title)}</text>",
    ]


def _round_length(metres: float) -> float:
    """A length of 1, 2 or 5 times a power of ten, at most ``metres``."""
    power = 10.0 ** math.floor(math.log10(max(metres, 1e-9)))
    return max(float(step * power) for step in (1, 2, 5) if step * power <= metres)
