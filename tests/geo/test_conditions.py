"""conditions_for: the plots a site lies on, the strictest conditions, and the warnings."""

from __future__ import annotations

from decimal import Decimal

import pytest
from _support.geo import A01, feature, layer, line, plot, rect, two_plots
from hypothesis import given, settings
from hypothesis import strategies as st

from planning_core.errors import ValidationError
from planning_core.geo import (
    Catalogue,
    ConditionSettings,
    Indicator,
    LayerKind,
    WarningKind,
    build_catalogue,
    conditions_for,
)


def _catalogue(*extra: object) -> Catalogue:
    features = [*two_plots(), *extra]
    kinds = {f.kind for f in features}  # type: ignore[attr-defined]
    return build_catalogue([layer(k) for k in kinds], features)  # type: ignore[arg-type]


def _plot_conditions(
    values: dict[str, object], code: str
) -> set[tuple[str, str | None, Decimal, str]]:
    """A plot's own values as (indicator, edge, value, plot) tuples, read from its table row."""
    found = set()
    for key, value in values.items():
        if key.startswith("setback_"):
            found.add(("setback_min", key[8:], Decimal(str(value)), code))
        elif key != "land_use":
            found.add((key, None, Decimal(str(value)), code))
    return found


def _as_set(conditions: object) -> set[tuple[str, str | None, Decimal, str]]:
    return {(c.indicator.value, c.edge, c.value, c.plot_code) for c in conditions}  # type: ignore[attr-defined]


def test_a_site_inside_one_plot_gets_exactly_that_plots_conditions() -> None:
    found = conditions_for(rect(10, 10, 60, 50), _catalogue())
    assert [o.plot.code for o in found.overlaps] == ["A-01"]
    assert found.overlaps[0].area_m2 == pytest.approx(Decimal(3000), rel=Decimal("0.001"))
    assert found.overlaps[0].share == Decimal("1.0000")
    assert _as_set(found.conditions) == _plot_conditions(A01, "A-01")
    assert found.land_uses == ("R2",)
    assert found.warnings == ()


def test_a_site_across_two_plots_gets_the_stricter_of_each_and_a_boundary_warning() -> None:
    found = conditions_for(rect(60, 10, 80, 50), _catalogue())  # 40 m on each side of x = 100
    assert {o.plot.code for o in found.overlaps} == {"A-01", "A-02"}
    # Caps take the lower value, floors the higher, each traced to the plot that set it.
    assert _as_set(found.conditions) == {
        ("far_max", None, Decimal("2.0"), "A-01"),
        ("far_min", None, Decimal("1.0"), "A-01"),
        ("density_max", None, Decimal("0.35"), "A-01"),
        ("height_max", None, Decimal(45), "A-02"),
        ("green_min", None, Decimal("0.3"), "A-01"),
        ("setback_min", "road", Decimal(10), "A-01"),
        ("setback_min", "boundary", Decimal(6), "A-02"),
    }
    [warning] = found.warnings
    assert warning.kind is WarningKind.PLOT_BOUNDARY
    assert warning.refs == ("A-01", "A-02") or warning.refs == ("A-02", "A-01")
    assert "A-01" in warning.message and "A-02" in warning.message
    assert "R2" in warning.message and "B1" in warning.message  # mixed land use named


_VALUES = st.decimals(min_value=0, max_value=1, places=2)


@given(
    st.floats(5, 95),
    st.fixed_dictionaries({k: _VALUES for k in ("far_max", "far_min", "density_max", "green_min")}),
    st.fixed_dictionaries({k: _VALUES for k in ("far_max", "far_min", "density_max", "green_min")}),
)
@settings(max_examples=40, deadline=None)
def test_across_two_plots_each_condition_is_the_min_of_caps_and_max_of_floors(
    split: float, left: dict[str, Decimal], right: dict[str, Decimal]
) -> None:
    plots = [
        plot("L", rect(0, 0, 100, 100), land_use="R2", **{k: str(v) for k, v in left.items()}),
        plot("R", rect(100, 0, 100, 100), land_use="R2", **{k: str(v) for k, v in right.items()}),
    ]
    catalogue = build_catalogue([layer(LayerKind.REGULATORY_PLAN)], plots)
    found = conditions_for(rect(split, 20, 100, 40), catalogue)  # always crosses x = 100
    for name in left:
        indicator = Indicator(name)
        pick = min if indicator.bound.value == "max" else max
        condition = found.condition(indicator)
        assert condition is not None
        assert condition.value == pick(left[name], right[name])
        source = left if condition.plot_code == "L" else right
        assert source[name] == condition.value
    total = sum(o.area_m2 for o in found.overlaps)
    assert total == pytest.approx(found.site_area_m2, abs=Decimal("0.02"))
    assert found.site_area_m2 == pytest.approx(Decimal(4000), rel=Decimal("0.001"))


def test_a_site_that_only_touches_the_neighbour_is_inside_one_plot() -> None:
    found = conditions_for(rect(40, 10, 60, 50), _catalogue())  # its east edge is x = 100
    assert [o.plot.code for o in found.overlaps] == ["A-01"]
    assert not found.warned(WarningKind.PLOT_BOUNDARY)


def test_a_site_partly_outside_the_plan_is_warned() -> None:
    found = conditions_for(rect(150, 50, 100, 100), _catalogue())  # half beyond y = 100 and x = 200
    assert [o.plot.code for o in found.overlaps] == ["A-02"]
    assert found.uncovered_m2 == pytest.approx(Decimal(7500), rel=Decimal("0.001"))
    assert found.warned(WarningKind.OUTSIDE_PLAN)


def test_a_site_outside_every_plot_has_no_conditions() -> None:
    found = conditions_for(rect(500, 500, 20, 20), _catalogue())
    assert found.overlaps == () and found.conditions == ()
    assert [w.kind for w in found.warnings] == [WarningKind.OUTSIDE_PLAN]


def test_touching_and_entering_a_road_red_line_are_warned() -> None:
    road = feature(LayerKind.ROAD, "R1", rect(0, 100, 200, 30), {"name": "建设路"})
    catalogue = _catalogue(road)
    touching = conditions_for(rect(10, 50, 50, 50), catalogue)  # north edge on y = 100
    assert [w.kind for w in touching.warnings] == [WarningKind.ROAD_RED_LINE]
    assert "触及" in touching.warnings[0].message and "建设路" in touching.warnings[0].message
    entering = conditions_for(rect(10, 60, 50, 50), catalogue)  # 10 m into the road
    road_warning = next(w for w in entering.warnings if w.kind is WarningKind.ROAD_RED_LINE)
    assert "进入" in road_warning.message and "500 m²" in road_warning.message
    clear = conditions_for(rect(10, 10, 50, 50), catalogue)
    assert not clear.warned(WarningKind.ROAD_RED_LINE)


def test_a_pipeline_protection_buffer_is_measured_in_metres() -> None:
    gas = feature(
        LayerKind.PIPELINE, "G1", line((80, -10), (80, 110)), {"name": "燃气管", "protection_m": 10}
    )
    water = feature(LayerKind.PIPELINE, "W1", line((5, -10), (5, 110)), {"name": "给水管"})
    catalogue = _catalogue(gas, water)
    near = conditions_for(rect(20, 20, 52, 30), catalogue)  # 8 m from gas, 15 m from water
    [warning] = [w for w in near.warnings if w.kind is WarningKind.PIPELINE_BUFFER]
    assert warning.refs == ("pipeline-test/G1",)
    assert "8 m" in warning.message and "10 m 保护范围" in warning.message
    far = conditions_for(rect(20, 20, 48, 30), catalogue)  # 12 m from gas
    assert not far.warned(WarningKind.PIPELINE_BUFFER)
    default = conditions_for(rect(8, 20, 10, 10), catalogue)  # 3 m from water, default 5 m
    assert [w.refs for w in default.warnings] == [("pipeline-test/W1",)]
    wider = conditions_for(
        rect(8, 20, 10, 10), catalogue, ConditionSettings(pipeline_protection_m=2)
    )
    assert not wider.warned(WarningKind.PIPELINE_BUFFER)


def test_slivers_below_the_tolerance_are_not_plots_the_site_is_on() -> None:
    found = conditions_for(rect(40, 10, 60.005, 50), _catalogue())  # 0.25 m² over the line
    assert [o.plot.code for o in found.overlaps] == ["A-01"]
    strict = conditions_for(
        rect(40, 10, 60.005, 50), _catalogue(), ConditionSettings(sliver_m2=0.1)
    )
    assert len(strict.overlaps) == 2


def test_a_site_must_be_a_valid_polygon_in_degrees() -> None:
    with pytest.raises(ValidationError, match="Polygon"):
        conditions_for(line((0, 0), (10, 10)), _catalogue())


def test_the_json_form_keeps_chinese_and_numbers_as_text() -> None:
    data = conditions_for(rect(60, 10, 80, 50), _catalogue()).to_json()
    assert data["crs"] == "EPSG:4548"
    assert {c["plot"] for c in data["conditions"]} == {"A-01", "A-02"}
    assert data["warnings"][0]["kind"] == "plot_boundary"
    assert data["site"]["type"] == "Polygon"
    assert isinstance(data["site_area_m2"], str)


@st.composite
def _sites(draw: st.DrawFn) -> object:
    x = draw(st.floats(-50, 950))
    y = draw(st.floats(-50, 950))
    return rect(x, y, draw(st.floats(1, 150)), draw(st.floats(1, 150)))


def _grid() -> Catalogue:
    """A 10 × 10 grid of 100 m plots with alternating indicators, roads and a pipeline."""
    plots = [
        plot(
            f"P{i}-{j}",
            rect(i * 100, j * 100, 100, 100),
            land_use="R2" if (i + j) % 2 else "B1",
            far_max=1 + (i * j) % 4,
            height_max=20 + 5 * ((i + j) % 7),
            setback_road=5 + i % 3,
        )
        for i in range(10)
        for j in range(10)
    ]
    roads = [feature(LayerKind.ROAD, f"R{k}", rect(k * 300 - 5, 0, 10, 1000), {}) for k in range(4)]
    pipes = [feature(LayerKind.PIPELINE, "G", line((0, 505), (1000, 505)), {"protection_m": 8})]
    features = [*plots, *roads, *pipes]
    kinds = {f.kind for f in features}
    return build_catalogue([layer(k) for k in kinds], features)


_GRID = _grid()


@given(_sites())
@settings(max_examples=60, deadline=None)
def test_the_index_and_a_full_scan_give_the_same_answer(site: object) -> None:
    indexed = conditions_for(site, _GRID)  # type: ignore[arg-type]
    scanned = conditions_for(site, _GRID.without_index())  # type: ignore[arg-type]
    assert indexed == scanned
    assert indexed.site_area_m2 >= sum(o.area_m2 for o in indexed.overlaps) - Decimal("0.05")
