"""GeoJSON in and out, and the site: a polygon in CGCS2000 degrees, checked once on entry.

GeoJSON (RFC 7946) is longitude–latitude; CGCS2000 and WGS 84 differ by centimetres, well
under a 1:500 map's drawing accuracy, so GeoJSON coordinates are taken as CGCS2000 unless
the caller names another CRS (a survey's Gauss–Krüger zone, for instance).

Coordinates are checked before shapely sees them: every position is two or three numbers
(JSON numbers, not text, which shapely would quietly convert), finite, nested as deep as
the geometry type says. A site is checked for what makes a later area or overlap wrong
without an error: a self-intersecting ring, an empty polygon, and coordinates that cannot
be CGCS2000 degrees (metres from a projected survey, or latitude given first).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from planning_core.errors import ValidationError
from planning_core.geo._crs import CGCS2000, to_cgcs2000

__all__ = [
    "geometry_from_geojson",
    "geometry_to_geojson",
    "site_from_geojson",
    "site_problems",
]

#: Longitudes and latitudes a CGCS2000 site in China can have (with its seas).
_LON = (73.0, 136.0)
_LAT = (3.0, 54.0)
_AREAL = ("Polygon", "MultiPolygon")
#: How many lists of positions each geometry type's ``coordinates`` nests (0: a position).
_NESTING = {
    "Point": 0,
    "MultiPoint": 1,
    "LineString": 1,
    "MultiLineString": 2,
    "Polygon": 2,
    "MultiPolygon": 3,
}


def geometry_from_geojson(data: object, crs: str = CGCS2000) -> BaseGeometry:
    """A shapely geometry from a GeoJSON geometry object, in CGCS2000 degrees.

    :param crs: the CRS the coordinates are in; they are transformed into CGCS2000.
    :raises ValidationError: naming what is malformed.
    """
    if not isinstance(data, Mapping) or not isinstance(data.get("type"), str):
        raise ValidationError(
            f"expected a GeoJSON geometry object with a 'type', got {_short(data)}"
        )
    _check_coordinates(data)
    try:
        geometry = shape(dict(data))
    except (AttributeError, KeyError, TypeError, ValueError, IndexError) as exc:
        raise ValidationError(
            f"GeoJSON {data.get('type')} is malformed ({exc}); check its 'coordinates'"
        ) from None
    except shapely.errors.GEOSException as exc:
        raise ValidationError(f"GeoJSON {data.get('type')} is malformed ({exc})") from None
    return to_cgcs2000(geometry, crs)


def geometry_to_geojson(geometry: BaseGeometry) -> dict[str, Any]:
    """A GeoJSON geometry object (plain lists, ready for ``json.dumps``)."""
    plain: dict[str, Any] = _plain(mapping(geometry))
    return plain


def site_from_geojson(data: object, crs: str = CGCS2000) -> BaseGeometry:
    """A site polygon from GeoJSON: a geometry, a Feature, or a one-feature collection.

    :raises ValidationError: listing every problem (see :func:`site_problems`).
    """
    geometry = geometry_from_geojson(_unwrap(data), crs)
    problems = site_problems(geometry)
    if problems:
        raise ValidationError(
            f"the site has {len(problems)} problem(s); fix each one below", problems
        )
    return geometry


def site_problems(geometry: BaseGeometry) -> list[str]:
    """What stops ``geometry`` being a site: wrong type, empty, invalid, not degrees."""
    if geometry.geom_type not in _AREAL:
        return [f"a site is a Polygon or MultiPolygon, not a {geometry.geom_type}"]
    if geometry.is_empty:
        return ["the site polygon is empty; give its boundary ring"]
    problems = []
    if not geometry.is_valid:
        problems.append(
            f"the site boundary is not a valid polygon ({shapely.is_valid_reason(geometry)}); "
            f"redraw it without self-intersections"
        )
    west, south, east, north = geometry.bounds
    if not (_LON[0] <= west and east <= _LON[1] and _LAT[0] <= south and north <= _LAT[1]):
        problems.append(
            f"coordinates ({west:.6g}, {south:.6g})–({east:.6g}, {north:.6g}) are not CGCS2000 "
            f"longitude, latitude in China; give degrees, longitude first, or name the CRS"
        )
    return problems


def _check_coordinates(data: Mapping[str, Any]) -> None:
    """Every position of ``data`` (a geometry, a collection's parts) is numbers, finite,
    nested as its type says; walked with a stack, so no input can exhaust recursion.

    :raises ValidationError: naming the geometry type and the path of the first bad value
        (``coordinates[0][3]``).
    """
    stack: list[tuple[Mapping[str, Any], str]] = [(data, "")]
    while stack:
        geometry, where = stack.pop()
        kind = geometry.get("type")
        if kind == "GeometryCollection":
            parts = geometry.get("geometries")
            if not isinstance(parts, list):
                raise ValidationError(
                    f"GeoJSON {where}GeometryCollection needs a 'geometries' list"
                )
            for index, part in enumerate(parts):
                if not isinstance(part, Mapping) or not isinstance(part.get("type"), str):
                    raise ValidationError(
                        f"GeoJSON {where}geometries[{index}] is not a geometry: {_short(part)}"
                    )
                stack.append((part, f"{where}geometries[{index}] "))
            continue
        nesting = _NESTING.get(str(kind))
        if nesting is None:
            known = ", ".join([*_NESTING, "GeometryCollection"])
            raise ValidationError(f"GeoJSON type {kind!r} is not a geometry; use one of {known}")
        _check_positions(geometry.get("coordinates"), nesting, f"{where}{kind}")


def _check_positions(coordinates: object, nesting: int, kind: str) -> None:
    lists: list[tuple[object, int, tuple[int, ...]]] = [(coordinates, nesting, ())]
    while lists:
        value, depth, path = lists.pop()
        if depth == 0:
            _check_position(value, kind, path)
            continue
        if not isinstance(value, list | tuple):
            raise ValidationError(
                f"GeoJSON {kind} coordinates{_path(path)} must be a list, not {_short(value)}"
            )
        if depth == 1:
            for index, position in enumerate(value):
                _check_position(position, kind, (*path, index))
        else:
            lists.extend((item, depth - 1, (*path, i)) for i, item in enumerate(value))


def _check_position(position: object, kind: str, path: tuple[int, ...]) -> None:
    if isinstance(position, list | tuple) and 2 <= len(position) <= 3:
        for number in position:
            if isinstance(number, bool) or not isinstance(number, int | float):
                break
            try:
                finite = math.isfinite(number)
            except OverflowError:  # an integer too large for a float
                finite = False
            if not finite:
                break
        else:
            return
        raise ValidationError(
            f"GeoJSON {kind} coordinates{_path(path)} is {_short(position)}: a coordinate "
            f"must be a finite number (not text)"
        )
    raise ValidationError(
        f"GeoJSON {kind} coordinates{_path(path)} must be a position [x, y] (two or three "
        f"numbers), not {_short(position)}"
    )


def _path(path: tuple[int, ...]) -> str:
    return "".join(f"[{i}]" for i in path)


def _unwrap(data: object) -> object:
    """The geometry inside a Feature or a one-feature FeatureCollection."""
    if not isinstance(data, Mapping):
        return data
    if data.get("type") == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list) or len(features) != 1:
            count = len(features) if isinstance(features, list) else 0
            raise ValidationError(
                f"a site file holds exactly one feature, this one holds {count}; "
                f"keep the site's boundary only"
            )
        return _unwrap(features[0])
    if data.get("type") == "Feature":
        return data.get("geometry")
    return data


def _plain(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _short(data: object) -> str:
    text = repr(data)
    return text if len(text) <= 60 else text[:57] + "..."
