"""Reading base data from files: GeoJSON always, Shapefile and GeoPackage through pyogrio.

GeoJSON is read with the standard library, through :mod:`planning_core.inputs` (UTF-8, at
most 256 MiB, nesting at most 64 deep, finite numbers), and every position is checked
(numbers, not text) before shapely sees it. Shapefile, GeoPackage and the other formats
GDAL knows are read through pyogrio (GDAL inside the wheel), an optional extra
(``pip install "planning-core[gis]"``) imported only when such a file is read, so a host
that never imports them does not carry GDAL.

Whatever the file's CRS (a survey's Gauss–Krüger zone, a legacy GeoJSON ``crs`` member),
features are transformed into CGCS2000 degrees on the way in; the layer records the CRS the
file was in. A feature outside that CRS's area of use (a longitude of 500, metres read as
degrees, latitude first) is refused. Every bad feature of a file is reported at once and
nothing is stored.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pendulum
import shapely
from shapely.geometry.base import BaseGeometry

from planning_core._extras import import_extra
from planning_core.errors import ValidationError
from planning_core.geo._crs import CGCS2000, area_problem, to_cgcs2000
from planning_core.geo._geojson import geometry_from_geojson
from planning_core.geo._layers import Feature, Layer, LayerKind
from planning_core.geo._plots import plots_from_features
from planning_core.geo._repository import GeoRepository
from planning_core.inputs import MAX_GEOJSON_BYTES, load_json, read_text, short

__all__ = ["SourceFeatures", "import_layer_file", "read_features"]

_GEOJSON_SUFFIXES = (".geojson", ".json")


@attrs.frozen
class SourceFeatures:
    """What a file holds: its CRS and its features as (id, geometry, attributes)."""

    crs: str
    rows: tuple[tuple[str, BaseGeometry, dict[str, Any]], ...]


def read_features(
    path: Path, *, crs: str | None = None, layer: str | None = None
) -> SourceFeatures:
    """Read a GeoJSON, Shapefile or GeoPackage file; geometries in CGCS2000 degrees.

    :param crs: the CRS of the coordinates when the file does not say (default CGCS2000).
    :param layer: the layer inside a GeoPackage (default: its first).
    :raises ValidationError: listing every unreadable feature.
    :raises MissingExtraError: for a Shapefile or GeoPackage without the ``gis`` extra.
    """
    if path.suffix.lower() in _GEOJSON_SUFFIXES:
        return _read_geojson(path, crs)
    return _read_ogr(path, crs, layer)


def import_layer_file(
    repository: GeoRepository,
    path: Path,
    kind: LayerKind,
    *,
    layer_id: str | None = None,
    name: str | None = None,
    source: str = "未注明",
    scale: int = 500,
    survey_date: pendulum.Date,
    version: str = "1",
    crs: str | None = None,
    gpkg_layer: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Layer:
    """Read ``path`` and store it as one layer of ``kind``: all features or none.

    A regulatory-plan layer's plots are checked (codes, land use, indicators) first.

    :param progress: called ``(done, 3)`` as the three stages (reading, checking, storing)
        finish, so a door can show a large file's import advancing.
    """
    step = progress or (lambda done, total: None)
    step(0, 3)
    found = read_features(path, crs=crs, layer=gpkg_layer)
    step(1, 3)
    layer = Layer(
        id=layer_id or f"{kind.value}-{path.stem}",
        kind=kind,
        name=name or path.stem,
        source=source,
        scale=scale,
        crs=found.crs,
        survey_date=survey_date,
        version=version,
    )
    features = [Feature(fid, layer.id, kind, geom, attrs_) for fid, geom, attrs_ in found.rows]
    if kind is LayerKind.REGULATORY_PLAN:
        plots_from_features(features)
    step(2, 3)
    stored = repository.import_layer(layer, features)
    step(3, 3)
    return stored


def _read_geojson(path: Path, crs: str | None) -> SourceFeatures:
    data = load_json(
        read_text(path, max_bytes=MAX_GEOJSON_BYTES),
        path.name,
        max_bytes=MAX_GEOJSON_BYTES,
        expect=dict,
    )
    if data.get("type") != "FeatureCollection":
        raise ValidationError(f"{path.name} is not a GeoJSON FeatureCollection")
    source_crs = crs or _named_crs(data) or CGCS2000
    features = data.get("features")
    if not isinstance(features, list):
        raise ValidationError(f"{path.name}: 'features' must be a list")
    rows, problems = [], []
    for number, feature in enumerate(features, start=1):
        try:
            rows.append(_geojson_row(feature, number, source_crs))
        except ValidationError as exc:
            problems.append(f"feature {number}: {exc}")
    return _checked(path, source_crs, rows, problems)


def _geojson_row(
    feature: object, number: int, crs: str
) -> tuple[str, BaseGeometry, dict[str, Any]]:
    if not isinstance(feature, Mapping) or feature.get("type") != "Feature":
        raise ValidationError("not a GeoJSON Feature")
    properties = feature.get("properties") or {}
    if not isinstance(properties, Mapping):
        raise ValidationError("'properties' must be an object")
    fid = feature.get("id", properties.get("id", number))
    if isinstance(fid, bool) or not isinstance(fid, str | int | float):
        raise ValidationError(f"'id' must be text or a number (RFC 7946), not {short(fid)}")
    geometry = geometry_from_geojson(feature.get("geometry"), crs)
    return str(fid), geometry, dict(properties)


def _named_crs(data: Mapping[str, Any]) -> str | None:
    """The legacy GeoJSON 2008 ``crs`` member (``urn:ogc:def:crs:EPSG::4548``), if any."""
    member = data.get("crs")
    if isinstance(member, Mapping) and isinstance(member.get("properties"), Mapping):
        name = member["properties"].get("name")
        if isinstance(name, str) and name:
            return name
    return None


def _read_ogr(path: Path, crs: str | None, layer: str | None) -> SourceFeatures:
    raw = _pyogrio().raw
    try:
        meta, fids, wkb, field_data = raw.read(path, layer=layer, return_fids=True)[:4]
    except Exception as exc:  # pyogrio raises its own DataSourceError / DataLayerError
        raise ValidationError(f"{path.name} cannot be read as a GIS file ({exc})") from None
    source_crs = crs or meta.get("crs") or CGCS2000
    names = list(meta.get("fields", []))
    geometries = shapely.from_wkb(wkb)
    columns = list(zip(names, field_data, strict=True))
    rows, problems = [], []
    for row, geometry in enumerate(geometries):
        attributes = {name: _json_value(column[row]) for name, column in columns}
        fid = str(fids[row]) if fids is not None else str(row + 1)
        if geometry is None:
            problems.append(f"feature {fid}: has no geometry")
            continue
        rows.append((fid, to_cgcs2000(geometry, source_crs), attributes))
    return _checked(path, source_crs, rows, problems)


def _checked(
    path: Path,
    crs: str,
    rows: Sequence[tuple[str, BaseGeometry, dict[str, Any]]],
    problems: list[str],
) -> SourceFeatures:
    for fid, geometry, _ in rows:
        outside = area_problem(geometry, crs)
        if geometry.is_empty:
            problems.append(f"feature {fid}: the geometry is empty")
        elif outside is not None:
            problems.append(f"feature {fid}: {outside}")
        elif not geometry.is_valid:
            problems.append(f"feature {fid}: {shapely.is_valid_reason(geometry)}")
    problems += [
        f"feature id {fid!r} is used {n} times; give each feature its own id"
        for fid, n in Counter(fid for fid, _, _ in rows).items()
        if n > 1
    ]
    if not rows and not problems:
        problems.append("the file holds no features")
    if problems:
        raise ValidationError(
            f"{path.name} has {len(problems)} problem(s); nothing was imported", problems
        )
    return SourceFeatures(crs, tuple(rows))


def _pyogrio() -> ModuleType:
    return import_extra("pyogrio", "gis", "reading a Shapefile or GeoPackage (GeoJSON does not)")


def _json_value(value: Any) -> Any:
    """A numpy cell as a JSON value: numbers, text, None for missing, dates as ISO text."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, bytes):
        return value.hex()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
