"""CGCS2000 and its Gauss–Krüger zones: where areas and distances are measured.

Base data, sites and plots are kept in CGCS2000 geographic coordinates (EPSG:4490,
longitude then latitude, degrees), the national datum since 2008. Degrees are no unit for
an area, so every measurement projects first into the Gauss–Krüger zone of the thing
measured, as Chinese survey practice does: 3-degree zones for large-scale (1:500 to
1:2000) urban work, 6-degree zones for small scales. The EPSG codes used are the "CM"
variants (false easting 500 km, no zone number in front), so one zone's coordinates are
ordinary metres.

Transformations go through pyproj (PROJ), and coordinates through shapely's vectorised
``transform``: one call per geometry, not one per vertex.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

from planning_core.errors import ValidationError

__all__ = [
    "CGCS2000",
    "area_m2",
    "area_of_use",
    "area_problem",
    "distance_m",
    "gauss_kruger_crs",
    "gauss_kruger_zone",
    "project",
    "project_many",
    "projected_crs_for",
    "search_degrees",
    "to_cgcs2000",
]

#: CGCS2000 geographic coordinates: longitude, latitude in degrees.
CGCS2000 = "EPSG:4490"

#: EPSG code of the 3-degree "CM" zone with central meridian 75°E; the codes run on to 135°E.
_GK3_CM75 = 4534
#: EPSG code of the 6-degree "CM" zone with central meridian 75°E; the codes run on to 135°E.
_GK6_CM75 = 4502
#: Metres in one degree of latitude (and of longitude at the equator), rounded down, so a
#: search radius in degrees derived from it is never too small.
_METRES_PER_DEGREE = 110_000.0
#: The longitudes CGCS2000's Gauss–Krüger zones cover (China and its seas).
_WEST, _EAST = 73.5, 136.5
#: Degrees a file may reach past its CRS's area of use: a survey runs over a zone's edge.
_AREA_MARGIN = 0.5
#: China with its seas (west, south, east, north), in degrees: CGCS2000's own area. PROJ's
#: area of use for EPSG:4490 stops at 16.7°N, north of the Nansha islands.
_CHINA = (73.0, 3.0, 136.0, 54.0)


def gauss_kruger_zone(longitude: float, width: int = 3) -> int:
    """The Gauss–Krüger zone number of ``longitude`` for 3- or 6-degree zones.

    3-degree zones are centred on multiples of 3° (zone 39 on 117°E); 6-degree zones on
    3°, 9°, … (zone 20 on 117°E).

    :raises ValidationError: for another width or a longitude outside China's zones.
    """
    _check_width(width)
    _check_longitude(longitude)
    if width == 3:
        return math.floor(longitude / 3 + 0.5)
    return math.floor(longitude / 6) + 1


def gauss_kruger_crs(longitude: float, width: int = 3) -> str:
    """The CGCS2000 Gauss–Krüger CRS (``"EPSG:45xx"``) whose zone holds ``longitude``."""
    zone = gauss_kruger_zone(longitude, width)
    if width == 3:
        meridian = zone * 3
        return f"EPSG:{_GK3_CM75 + (meridian - 75) // 3}"
    meridian = zone * 6 - 3
    return f"EPSG:{_GK6_CM75 + (meridian - 75) // 6}"


def projected_crs_for(geometry: BaseGeometry, width: int = 3) -> str:
    """The Gauss–Krüger CRS of the zone holding ``geometry``'s centre (CGCS2000 degrees)."""
    return gauss_kruger_crs(_centre_longitude(geometry), width)


def project(geometry: BaseGeometry, crs: str) -> BaseGeometry:
    """``geometry`` from CGCS2000 degrees into ``crs`` (metres for a Gauss–Krüger zone)."""
    return _apply(geometry, _transformer(CGCS2000, crs))


def project_many(geometries: Sequence[BaseGeometry], crs: str) -> npt.NDArray[np.object_]:
    """Many geometries from CGCS2000 degrees into ``crs`` in one vectorised call."""
    array = np.asarray(geometries, dtype=object)
    if not len(array):
        return array
    moved: npt.NDArray[np.object_] = shapely.transform(array, _mover(_transformer(CGCS2000, crs)))
    return moved


def to_cgcs2000(geometry: BaseGeometry, crs: str) -> BaseGeometry:
    """``geometry`` from ``crs`` (a survey's projected zone, WGS 84 …) into CGCS2000 degrees."""
    if _same_crs(crs, CGCS2000):
        return geometry
    return _apply(geometry, _transformer(crs, CGCS2000))


def area_m2(geometry: BaseGeometry, crs: str | None = None) -> float:
    """The area in square metres of a geometry given in CGCS2000 degrees.

    :param crs: the projected CRS to measure in; by default the 3-degree zone of the
        geometry's centre.
    """
    return float(project(geometry, crs or projected_crs_for(geometry)).area)


def distance_m(a: BaseGeometry, b: BaseGeometry, crs: str | None = None) -> float:
    """The shortest distance in metres between two geometries in CGCS2000 degrees."""
    target = crs or projected_crs_for(a)
    return float(project(a, target).distance(project(b, target)))


def search_degrees(geometry: BaseGeometry, metres: float) -> float:
    """A radius in degrees that covers at least ``metres`` everywhere on ``geometry``.

    For a coarse index query before the exact test in metres: a degree of longitude
    shrinks with the cosine of the latitude, so the radius is taken at the far edge.
    """
    _, south, _, north = geometry.bounds
    latitude = min(max(abs(south), abs(north)), 89.0)
    return metres / (_METRES_PER_DEGREE * math.cos(math.radians(latitude)))


@functools.lru_cache(maxsize=64)
def area_of_use(crs: str) -> tuple[float, float, float, float]:
    """Where coordinates in ``crs`` can lie: (west, south, east, north) in degrees.

    PROJ's area of use of the CRS, widened by half a degree (a survey runs a little over
    its zone's edge); for CGCS2000 at least China with its seas; the whole world for a CRS
    PROJ gives no area for.

    :raises ValidationError: for an unknown CRS.
    """
    try:
        area = pyproj.CRS.from_user_input(crs).area_of_use
    except pyproj.exceptions.CRSError as exc:
        raise ValidationError(
            f"coordinate reference system {crs!r} is unknown ({exc}); give an EPSG code "
            f"such as 'EPSG:4490' or 'EPSG:4546'"
        ) from None
    if area is None or area.west > area.east:  # none known, or across the antimeridian
        west, south, east, north = -180.0, -90.0, 180.0, 90.0
    else:
        m = _AREA_MARGIN
        west, south, east, north = area.west - m, area.south - m, area.east + m, area.north + m
    if _same_crs(crs, CGCS2000):
        west, south = min(west, _CHINA[0]), min(south, _CHINA[1])
        east, north = max(east, _CHINA[2]), max(north, _CHINA[3])
    return max(west, -180.0), max(south, -90.0), min(east, 180.0), min(north, 90.0)


def area_problem(geometry: BaseGeometry, crs: str) -> str | None:
    """Why ``geometry`` (already in CGCS2000 degrees) cannot have come from ``crs``, or None.

    A longitude of 500, metres read as degrees, or latitude given first all land outside
    the CRS's area of use (:func:`area_of_use`), or are not finite once transformed.
    """
    if geometry.is_empty:
        return None
    west, south, east, north = geometry.bounds
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        return (
            f"its coordinates cannot be coordinates in {crs} (they transform to no place on "
            f"Earth); name the file's CRS"
        )
    w, s, e, n = area_of_use(crs)
    if w <= west and east <= e and s <= south and north <= n:
        return None
    return (
        f"it lies at ({west:.6g}, {south:.6g})–({east:.6g}, {north:.6g}) in degrees, outside "
        f"the area of use of {crs} ({w:g}° to {e:g}° east, {s:g}° to {n:g}° north); are the "
        f"coordinates in another CRS, or latitude first?"
    )


@functools.lru_cache(maxsize=64)
def _transformer(source: str, target: str) -> pyproj.Transformer:
    """One transformer per pair of CRSs: building one reads PROJ's database, a use does not."""
    try:
        return pyproj.Transformer.from_crs(source, target, always_xy=True)
    except pyproj.exceptions.CRSError as exc:
        raise ValidationError(
            f"coordinate reference system {source!r} or {target!r} is unknown ({exc}); "
            f"give an EPSG code such as 'EPSG:4490' or 'EPSG:4546'"
        ) from None


@functools.lru_cache(maxsize=64)
def _same_crs(a: str, b: str) -> bool:
    try:
        return bool(pyproj.CRS.from_user_input(a) == pyproj.CRS.from_user_input(b))
    except pyproj.exceptions.CRSError as exc:
        raise ValidationError(
            f"coordinate reference system {a!r} is unknown ({exc}); give an EPSG code "
            f"such as 'EPSG:4490' or 'EPSG:4546'"
        ) from None


def _apply(geometry: BaseGeometry, transformer: pyproj.Transformer) -> BaseGeometry:
    return shapely.transform(geometry, _mover(transformer))


def _mover(
    transformer: pyproj.Transformer,
) -> Callable[[npt.NDArray[np.float64]], npt.NDArray[np.float64]]:
    def move(coords: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack((x, y))

    return move


def _centre_longitude(geometry: BaseGeometry) -> float:
    if geometry.is_empty:
        raise ValidationError("an empty geometry has no place to measure; give coordinates")
    west, _, east, _ = geometry.bounds
    return (west + east) / 2


def _check_width(width: int) -> None:
    if width not in (3, 6):
        raise ValidationError(f"Gauss–Krüger zone width {width!r} is not 3 or 6 degrees")


def _check_longitude(longitude: float) -> None:
    if not _WEST <= longitude < _EAST:
        raise ValidationError(
            f"longitude {longitude!r} is outside CGCS2000's Gauss–Krüger zones "
            f"({_WEST}°E to below {_EAST}°E); are the coordinates projected, or latitude first?"
        )
