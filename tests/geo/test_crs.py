"""CGCS2000 and Gauss–Krüger zones: areas and distances in metres, checked by hand."""

from __future__ import annotations

import math

import pyproj
import pytest
from _support.geo import ORIGIN, ZONE, line, rect
from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import Point, Polygon, box

from planning_core.errors import ValidationError
from planning_core.geo import (
    CGCS2000,
    area_m2,
    distance_m,
    gauss_kruger_crs,
    gauss_kruger_zone,
    project,
    projected_crs_for,
    to_cgcs2000,
)


@pytest.mark.parametrize(
    ("longitude", "width", "zone", "crs", "meridian"),
    [
        (118.18, 3, 39, "EPSG:4548", 117),  # Tangshan
        (116.40, 3, 39, "EPSG:4548", 117),  # Beijing
        (113.26, 3, 38, "EPSG:4547", 114),  # Guangzhou
        (121.47, 3, 40, "EPSG:4549", 120),  # Shanghai
        (118.18, 6, 20, "EPSG:4509", 117),
        (87.62, 6, 15, "EPSG:4504", 87),  # Urumqi
    ],
)
def test_zones_and_their_epsg_codes(
    longitude: float, width: int, zone: int, crs: str, meridian: int
) -> None:
    assert gauss_kruger_zone(longitude, width) == zone
    assert gauss_kruger_crs(longitude, width) == crs
    name = pyproj.CRS.from_user_input(crs).name
    assert name.startswith("CGCS2000") and f"CM {meridian}E" in name


@given(st.floats(73.5, 136.49), st.sampled_from([3, 6]))
def test_a_longitude_lies_within_half_a_zone_of_its_meridian(longitude: float, width: int) -> None:
    crs = pyproj.CRS.from_user_input(gauss_kruger_crs(longitude, width))
    meridian = next(
        p.value for p in crs.coordinate_operation.params if p.name == "Longitude of natural origin"
    )
    assert abs(longitude - meridian) <= width / 2 + 1e-9


@pytest.mark.parametrize("longitude", [39.6, 10.0, 140.0])
def test_a_longitude_outside_chinas_zones_is_refused(longitude: float) -> None:
    with pytest.raises(ValidationError, match="latitude first"):
        gauss_kruger_zone(longitude)


def test_an_area_agrees_with_the_hand_calculation_in_the_projected_system() -> None:
    # A 120 m × 80 m plot drawn in zone metres: by hand, 120 × 80 = 9 600 m².
    assert projected_crs_for(rect(0, 0, 120, 80)) == ZONE
    assert area_m2(rect(0, 0, 120, 80)) == pytest.approx(9_600, rel=1e-3)
    # An L-shaped site: 100 × 60 less a 40 × 30 corner = 6 000 − 1 200 = 4 800 m² (shoelace).
    x0, y0 = ORIGIN
    ell = Polygon(
        [
            (x0, y0),
            (x0 + 100, y0),
            (x0 + 100, y0 + 30),
            (x0 + 60, y0 + 30),
            (x0 + 60, y0 + 60),
            (x0, y0 + 60),
        ]
    )
    assert area_m2(to_cgcs2000(ell, ZONE)) == pytest.approx(4_800, rel=1e-3)


def test_a_distance_agrees_with_pythagoras() -> None:
    a = to_cgcs2000(Point(ORIGIN), ZONE)
    b = to_cgcs2000(Point(ORIGIN[0] + 300, ORIGIN[1] + 400), ZONE)
    assert distance_m(a, b) == pytest.approx(500, rel=1e-3)
    assert distance_m(rect(0, 0, 10, 10), line((25, -5), (25, 20))) == pytest.approx(15, rel=1e-3)


_GEOD = pyproj.Geod(ellps="GRS80")  # CGCS2000's ellipsoid differs from GRS80 by 0.1 mm


@given(
    st.floats(74.0, 135.0),
    st.floats(18.0, 53.0),
    st.floats(0.0005, 0.02),
    st.floats(0.0005, 0.02),
)
def test_projected_areas_agree_with_the_ellipsoid_within_a_tenth_of_a_percent(
    lon: float, lat: float, width: float, height: float
) -> None:
    cell = box(lon, lat, lon + width, lat + height)
    geodesic, _ = _GEOD.geometry_area_perimeter(cell)
    assert area_m2(cell) == pytest.approx(abs(geodesic), rel=1e-3)


@given(st.floats(-3000, 3000), st.floats(-3000, 3000))
def test_projection_round_trips(x: float, y: float) -> None:
    here = rect(x, y, 50, 50)
    back = to_cgcs2000(project(here, ZONE), ZONE)
    assert back.equals_exact(here, tolerance=1e-9)


def test_an_unknown_crs_is_refused() -> None:
    with pytest.raises(ValidationError, match="EPSG:99999"):
        to_cgcs2000(Point(1, 1), "EPSG:99999")


def test_cgcs2000_is_left_alone() -> None:
    site = rect(0, 0, 10, 10)
    assert to_cgcs2000(site, CGCS2000) is site
    assert math.isclose(area_m2(site, ZONE), 100, rel_tol=1e-6)
