"""Site maps: a case's site with the plots, roads and pipelines around it, as SVG and GeoJSON.

The SVG is for the case file and for publishing the approved site plan (城乡规划法 art. 40);
the GeoJSON is the same selection for a host's web map. Drawing happens in the site's
Gauss–Krüger zone, so the scale bar is true in metres and north is up.
"""

from __future__ import annotations

import math
import unicodedata
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

#: Land-use classes by their first letter (GB 50137-2011's major classes) with the fill
#: colours of its map colour table.
_LAND_USE = {
    "R": ("#fff2a8", "居住用地"),
    "A": ("#f5b2c8", "公共管理与公共服务设施用地"),
    "B": ("#f28c8c", "商业服务业设施用地"),
    "M": ("#c8a27a", "工业用地"),
    "W": ("#b79fd6", "物流仓储用地"),
    "S": ("#d9d9d9", "道路与交通设施用地"),
    "U": ("#9ec9e8", "公用设施用地"),
    "G": ("#a9d89a", "绿地与广场用地"),
}
_OTHER_LAND_USE = ("#f4f4f4", "其他用地")

#: Pipeline kinds with the words that name them in an attribute table or a feature's name,
#: their Chinese name and their colour on a pipeline map (CJJ 61: 给水 blue, 排水 brown,
#: 燃气 pink, 热力 orange, 电力 red, 通信 green).
_PIPELINES = (
    ("gas", ("gas", "燃气", "天然气", "煤气"), "燃气", "#e64980"),
    ("water", ("water", "给水", "供水", "自来水", "上水"), "给水", "#1c7ed6"),
    ("drainage", ("drain", "sewer", "storm", "排水", "雨水", "污水", "下水"), "排水", "#8b5a2b"),
    ("heat", ("heat", "热力", "供热", "暖"), "热力", "#f08c00"),
    ("power", ("power", "electric", "电力", "供电", "电缆"), "电力", "#e03131"),
    ("telecom", ("telecom", "communication", "通信", "电信", "通讯"), "通信", "#2f9e44"),
)
_OTHER_PIPELINE = ("other", (), "其他", "#495057")
#: The attribute names a pipeline table gives its kind under.
_PIPELINE_TYPE_KEYS = ("type", "pipe_type", "kind", "管线类型", "管线种类", "类型", "类别")

_ROAD_STYLE = 'fill="#eeeeee" stroke="#d62728" stroke-width="1.5" stroke-dasharray="6 3"'
_BUILDING_STYLE = 'fill="#8c8c8c" stroke="#555555" stroke-width="0.5"'
_OTHER_STYLE = 'fill="none" stroke="#777777" stroke-width="1"'
_SITE_STYLE = 'fill="#d62728" fill-opacity="0.15" stroke="#d62728" stroke-width="3"'

#: Fonts for the map's text, the CJK ones first, so the viewer draws the Chinese labels.
_FONTS = "Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Zen Hei, Microsoft YaHei, sans-serif"
_LABEL_SIZE = 12
_HALO = 'stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"'


@attrs.frozen
class _Entry:
    """One legend line: a swatch drawn like the features it stands for, and its words."""

    text: str
    style: str
    line: bool = False


_SITE_ENTRY = _Entry("用地范围（本案）", _SITE_STYLE)


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
    """The map as a standalone SVG document (UTF-8 text, Chinese labels kept).

    What lies partly outside the drawn extent is cut at its edge (the shapes are clipped to
    the view, and the view is a clip path as well), every label is placed inside the map
    and nudged off the labels already placed, and a legend under the map names each kind of
    thing drawn: the site, the land-use classes present, buildings, road red lines and each
    kind of pipeline (燃气 is pink, 给水 blue …, after CJJ 61's colours), so a reviewer can
    tell a gas main from a water main without the layer table.
    """
    x0, y0, x1, y1 = site_map.bounds
    scale = width / (x1 - x0)
    height = max(1, round((y1 - y0) * scale))
    view = _View(x0, y1, scale)
    pad = 6 / scale  # clipped shapes end just outside the view, so no false edge is drawn
    frame = (x0 - pad, y0 - pad, x1 + pad, y1 + pad)
    shapes: list[str] = []
    labels = _Labels(width, height)
    legend = _Legend()
    for feature in site_map.features:
        projected = project(feature.geometry, site_map.crs)
        visible = shapely.clip_by_rect(projected, x0, y0, x1, y1)
        if _hidden(visible):
            continue  # near enough to be selected, but nothing of it falls in the view
        style, entry = _style(feature)
        legend.add(entry)
        shapes.append(_shape(shapely.clip_by_rect(projected, *frame), view, style, feature))
        text = _label_text(feature)
        if text:
            labels.place(text, visible, view, feature.kind)
    legend.add(_SITE_ENTRY)
    shapes.append(_shape(project(site_map.site, site_map.crs), view, _SITE_STYLE, None))
    legend_svg, legend_height = legend.render(width, height + 8)
    total = height + 8 + legend_height + 40
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{total}" '
        f'viewBox="0 0 {width} {total}" font-family="{_FONTS}">',
        f"<title>{escape(title or '用地范围图')}</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        f'<defs><clipPath id="map-view"><rect x="0" y="0" width="{width}" height="{height}"/>'
        "</clipPath></defs>",
        '<g clip-path="url(#map-view)">',
        *shapes,
        "</g>",
        f'<rect x="0.5" y="0.5" width="{width - 1}" height="{height - 1}" fill="none" '
        'stroke="#333333" stroke-width="1"/>',
        *labels.svg,
        *legend_svg,
        *_furniture(width, height, total, scale, title),
        "</svg>",
    ]
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


def _pipeline_kind(feature: Feature) -> tuple[str, tuple[str, ...], str, str]:
    """The pipeline's kind from its type attribute, else from its name; else "other"."""
    words = [str(feature.attributes.get(k, "")) for k in _PIPELINE_TYPE_KEYS]
    for text in [*words, feature.label]:
        lowered = text.strip().lower()
        if not lowered:
            continue
        for kind in _PIPELINES:
            if any(word in lowered for word in kind[1]):
                return kind
    return _OTHER_PIPELINE


def _style(feature: Feature) -> tuple[str, _Entry]:
    """The feature's SVG style and the legend line it needs."""
    if feature.kind is LayerKind.REGULATORY_PLAN:
        code = _land_use(feature)[:1].upper()
        fill, name = _LAND_USE.get(code, _OTHER_LAND_USE)
        style = f'fill="{fill}" stroke="#333333" stroke-width="1"'
        return style, _Entry(f"{code} {name}" if code in _LAND_USE else name, style)
    if feature.kind is LayerKind.PIPELINE:
        _, _, name, colour = _pipeline_kind(feature)
        style = f'fill="none" stroke="{colour}" stroke-width="2.5"'
        return style, _Entry(f"{name}管线", style, line=True)
    if feature.kind is LayerKind.ROAD:
        return _ROAD_STYLE, _Entry("道路红线", _ROAD_STYLE)
    if feature.kind is LayerKind.BUILDING:
        return _BUILDING_STYLE, _Entry("建筑物", _BUILDING_STYLE)
    return _OTHER_STYLE, _Entry(feature.kind.zh, _OTHER_STYLE, line=True)


def _land_use(feature: Feature) -> str:
    return str(feature.attributes.get("land_use", feature.attributes.get("用地性质", "")))


def _hidden(geometry: BaseGeometry) -> bool:
    """Nothing to see: empty, or only a boundary touching the view's edge."""
    if geometry.is_empty:
        return True
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return bool(geometry.area <= 0)
    if geometry.geom_type in ("LineString", "MultiLineString"):
        return bool(geometry.length <= 0)
    return False


def _label_text(feature: Feature) -> str:
    """What a feature is called on the map: plots by code and class, roads and pipelines by
    name (a pipeline's kind added when its name does not say it); buildings go unnamed."""
    if feature.kind is LayerKind.REGULATORY_PLAN:
        return f"{feature.label} {_land_use(feature)}".strip()
    if feature.kind is LayerKind.ROAD:
        return feature.label if feature.label != feature.id else f"道路 {feature.id}"
    if feature.kind is LayerKind.PIPELINE:
        _, _, kind, _ = _pipeline_kind(feature)
        name = feature.label if feature.label != feature.id else f"{feature.id}"
        text = name if kind in name else f"{kind} {name}"
        size = feature.attributes.get("diameter", feature.attributes.get("管径"))
        return f"{text} DN{size}" if isinstance(size, int | float | str) and str(size) else text
    return ""


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


def _text_width(text: str, size: float) -> float:
    """A generous width of ``text`` at ``size`` px: a full em for each wide (CJK) character,
    0.62 em for the others (wider than DejaVu Sans' digits and most letters)."""
    wide = sum(1 for ch in text if unicodedata.east_asian_width(ch) in ("W", "F"))
    return (wide + 0.62 * (len(text) - wide)) * size


class _Labels:
    """Labels placed inside the map, each nudged off those already placed."""

    def __init__(self, width: int, height: int) -> None:
        self.width = width
        self.height = height
        self.boxes: list[tuple[float, float, float, float]] = []
        self.svg: list[str] = []

    def place(self, text: str, geometry: BaseGeometry, view: _View, kind: LayerKind) -> None:
        anchor = _anchor(geometry)
        x, y = (float(n) for n in view.point(anchor.x, anchor.y).split())
        size = _LABEL_SIZE
        half = _text_width(text, size) / 2
        if half * 2 > self.width - 8:
            return  # a name longer than the map is left to the GeoJSON and the legend
        x = min(max(x, half + 4), self.width - half - 4)
        y += size * 0.35  # the anchor at the middle of the text, not at its baseline
        for dy in (0, -1.3, 1.3, -2.6, 2.6, -3.9, 3.9):
            top = min(max(y + dy * size - size, 4), self.height - size - 4)
            box = (x - half, top, x + half, top + size * 1.2)
            if not any(_overlap(box, other) for other in self.boxes):
                break
        else:
            top = min(max(y - size, 4), self.height - size - 4)
            box = (x - half, top, x + half, top + size * 1.2)
        self.boxes.append(box)
        colour = {LayerKind.ROAD: "#a61e1e", LayerKind.PIPELINE: "#212529"}.get(kind, "#000000")
        self.svg.append(
            f'<text x="{x:.2f}" y="{top + size:.2f}" font-size="{size}" text-anchor="middle" '
            f'fill="{colour}" {_HALO} data-kind="{kind.value}">{escape(text)}</text>'
        )


def _anchor(geometry: BaseGeometry) -> Any:
    """A point on the geometry to hang its label on: a line's middle, a polygon's inside."""
    if geometry.geom_type in ("LineString", "MultiLineString"):
        longest = max(shapely.get_parts(geometry), key=lambda part: part.length)
        return longest.interpolate(0.5, normalized=True)
    return geometry.representative_point()


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


class _Legend:
    """The legend under the map: one line per kind of thing drawn, in the order first met."""

    def __init__(self) -> None:
        self.entries: list[_Entry] = []

    def add(self, entry: _Entry) -> None:
        if all(e.text != entry.text for e in self.entries):
            self.entries.append(entry)

    def render(self, width: int, top: int) -> tuple[list[str], int]:
        """The legend's SVG elements from ``top`` down, and the height they take."""
        size, row, swatch = 12, 20, 28
        parts = [f'<text x="8" y="{top + size}" font-size="{size}" font-weight="bold">图例</text>']
        x, y = 8 + _text_width("图例", size) + 12, top
        for entry in self.entries:
            needed = swatch + 6 + _text_width(entry.text, size) + 18
            if x + needed > width - 8 and x > 60:
                x, y = 60.0, y + row
            if entry.line:
                mark = f'<path d="M {x:.1f} {y + 7} L {x + swatch:.1f} {y + 7}" {entry.style}/>'
            else:
                mark = f'<rect x="{x:.1f}" y="{y + 1}" width="{swatch}" height="12" {entry.style}/>'
            parts.append(mark)
            parts.append(
                f'<text x="{x + swatch + 6:.1f}" y="{y + size}" font-size="{size}">'
                f"{escape(entry.text)}</text>"
            )
            x += needed
        return parts, y - top + row


def _furniture(width: int, height: int, total: int, scale: float, title: str) -> list[str]:
    """Scale bar and north arrow on the map, the title at the foot."""
    metres = _round_length(width / scale / 5)
    bar = metres * scale
    return [
        f'<g transform="translate(10 {height - 20})">'
        f'<rect x="0" y="0" width="{bar:.2f}" height="6" fill="#000000" stroke="#ffffff"/>'
        f'<text x="{bar + 6:.2f}" y="7" font-size="12" {_HALO}>{metres:g} m</text></g>',
        f'<g transform="translate({width - 28} 8)">'
        '<path d="M 8 0 L 16 22 L 8 17 L 0 22 Z" fill="#000000" stroke="#ffffff"/>'
        f'<text x="8" y="36" font-size="12" text-anchor="middle" {_HALO}>N</text></g>',
        f'<text x="{width / 2:.0f}" y="{total - 12}" font-size="14" text-anchor="middle">'
        f"{escape(title)}</text>",
    ]


def _round_length(metres: float) -> float:
    """A length of 1, 2 or 5 times a power of ten, at most ``metres``."""
    power = 10.0 ** math.floor(math.log10(max(metres, 1e-9)))
    return max(float(step * power) for step in (1, 2, 5) if step * power <= metres)
