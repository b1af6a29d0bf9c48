"""Regulatory-plan plots (控规地块) and the indicators a plan fixes for each.

A regulatory detailed plan (控制性详细规划) divides land into plots, each with a code, a
land-use class (GB 50137 / the 2020 land-use classification: R2, B1, A33 …) and its
control indicators. Planning conditions (规划条件, 城乡规划法 art. 38) are drawn from them,
and a construction permit checks the scheme against them (art. 40).

Ratios (building density, green ratio) are fractions: 0.35 for 35 %. A plot read from a
layer's attribute table may give them as fractions or as ``"35%"``; both the English keys
below and the Chinese headings common in bureau files are read.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs
from shapely.geometry.base import BaseGeometry

from planning_core.errors import ValidationError
from planning_core.geo._layers import Feature

__all__ = ["Bound", "Indicator", "Plot", "Setback", "plots_from_features"]


class Bound(enum.Enum):
    """Whether an indicator caps a value or sets a floor; the strictest is min or max."""

    MAX = "max"
    MIN = "min"


class Indicator(enum.Enum):
    """A control indicator of a plot (控制指标)."""

    FAR_MAX = "far_max"
    FAR_MIN = "far_min"
    DENSITY_MAX = "density_max"
    HEIGHT_MAX = "height_max"
    GREEN_MIN = "green_min"
    SETBACK_MIN = "setback_min"

    @property
    def zh(self) -> str:
        """The indicator as a planning-conditions letter names it."""
        return _INDICATOR_ZH[self]

    @property
    def bound(self) -> Bound:
        """MAX for a cap (容积率上限, 限高), MIN for a floor (绿地率, 退线)."""
        return Bound.MAX if self.value.endswith("_max") else Bound.MIN

    @property
    def unit(self) -> str:
        """``m`` for heights and setbacks, ``%`` for ratios shown as percent, else empty."""
        return _INDICATOR_UNIT.get(self, "")


_INDICATOR_ZH = {
    Indicator.FAR_MAX: "容积率上限",
    Indicator.FAR_MIN: "容积率下限",
    Indicator.DENSITY_MAX: "建筑密度上限",
    Indicator.HEIGHT_MAX: "建筑限高",
    Indicator.GREEN_MIN: "绿地率下限",
    Indicator.SETBACK_MIN: "最小退线距离",
}
_INDICATOR_UNIT = {
    Indicator.DENSITY_MAX: "%",
    Indicator.GREEN_MIN: "%",
    Indicator.HEIGHT_MAX: "m",
    Indicator.SETBACK_MIN: "m",
}
_RATIOS = (Indicator.DENSITY_MAX, Indicator.GREEN_MIN)

#: Setback edges with their Chinese names; a plan may name others.
SETBACK_EDGES_ZH = {"road": "道路红线", "boundary": "用地边界", "river": "河道蓝线"}


@attrs.frozen
class Setback:
    """A minimum distance of buildings from an edge (退线): ``road`` 10 m, ``boundary`` 5 m."""

    edge: str
    metres: Decimal

    @property
    def edge_zh(self) -> str:
        """The edge in Chinese where known (退道路红线), else its key."""
        return SETBACK_EDGES_ZH.get(self.edge, self.edge)


def _setbacks(value: Iterable[Setback]) -> tuple[Setback, ...]:
    return tuple(sorted(value, key=lambda s: s.edge))


@attrs.frozen
class Plot:
    """One regulatory-plan plot and its indicators; an indicator the plan leaves open is None.

    :param code: the plot code (地块编号), unique in the plan.
    :param land_use: the land-use class code (用地性质).
    :param geometry: the plot boundary in CGCS2000 degrees.
    :param layer: the id of the layer it came from.
    """

    code: str
    land_use: str
    geometry: BaseGeometry = attrs.field(eq=False, repr=False)
    far_max: Decimal | None = None
    far_min: Decimal | None = None
    density_max: Decimal | None = None
    height_max: Decimal | None = None
    green_min: Decimal | None = None
    setbacks: tuple[Setback, ...] = attrs.field(default=(), converter=_setbacks)
    layer: str = ""

    def value(self, indicator: Indicator) -> Decimal | None:
        """The plot's value for a scalar indicator (not SETBACK_MIN, which is per edge)."""
        if indicator is Indicator.SETBACK_MIN:
            raise ValidationError("setbacks are per edge; read Plot.setbacks instead")
        value: Decimal | None = getattr(self, indicator.value)
        return value


#: Attribute headings read for each plot field, English first, then common Chinese ones.
_ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("code", "plot_code", "地块编号", "编号"),
    "land_use": ("land_use", "用地性质", "用地代码"),
    "far_max": ("far_max", "容积率上限", "容积率"),
    "far_min": ("far_min", "容积率下限"),
    "density_max": ("density_max", "建筑密度", "建筑密度上限"),
    "height_max": ("height_max", "建筑限高", "限高"),
    "green_min": ("green_min", "绿地率", "绿地率下限"),
}
_SETBACK_PREFIXES = ("setback_", "退线_")


def plots_from_features(features: Iterable[Feature]) -> tuple[Plot, ...]:
    """The plots of a regulatory-plan layer's features.

    :raises ValidationError: listing every bad feature and field at once, and every plot
        code used twice.
    """
    plots: list[Plot] = []
    problems: list[str] = []
    for feature in features:
        plot, found = _plot(feature)
        problems += found
        if plot is not None:
            plots.append(plot)
    counts = Counter((plot.layer, plot.code) for plot in plots)
    problems += [
        f"plot code {code!r} is used {n} times in layer {layer!r}; give each plot its own code"
        for (layer, code), n in counts.items()
        if n > 1
    ]
    if problems:
        raise ValidationError(
            f"the regulatory plan has {len(problems)} problem(s); fix each one below", problems
        )
    return tuple(plots)


def _plot(feature: Feature) -> tuple[Plot | None, list[str]]:
    where = f"feature {feature.key}"
    attributes = feature.attributes
    problems: list[str] = []
    values: dict[str, Any] = {}
    for field, aliases in _ALIASES.items():
        raw = next((attributes[a] for a in aliases if attributes.get(a) not in (None, "")), None)
        if field in ("code", "land_use"):
            if raw is None:
                problems.append(f"{where}: {field} ({aliases[-1]}) is missing")
            values[field] = str(raw) if raw is not None else ""
            continue
        number, problem = _indicator(raw, Indicator(field))
        if problem:
            problems.append(f"{where}: {field} {problem}")
        values[field] = number
    setbacks, found = _setbacks_of(attributes, where)
    problems += found
    if feature.geometry.geom_type not in ("Polygon", "MultiPolygon"):
        problems.append(f"{where}: a plot is a Polygon, not a {feature.geometry.geom_type}")
    if problems:
        return None, problems
    return Plot(geometry=feature.geometry, setbacks=setbacks, layer=feature.layer, **values), []


def _indicator(raw: object, indicator: Indicator) -> tuple[Decimal | None, str | None]:
    if raw is None:
        return None, None
    percent = isinstance(raw, str) and raw.strip().endswith("%")
    number = _decimal(raw.strip().rstrip("%") if isinstance(raw, str) else raw)
    if number is None or number < 0:
        return None, f"{raw!r} is not a non-negative number"
    if percent:
        number = number / 100
    if indicator in _RATIOS and number > 1:
        return None, f"{raw!r} is over 1; give a ratio as a fraction (0.35) or as '35%'"
    return number, None


def _setbacks_of(attributes: Mapping[str, Any], where: str) -> tuple[list[Setback], list[str]]:
    setbacks, problems = [], []
    for key, raw in attributes.items():
        prefix = next((p for p in _SETBACK_PREFIXES if key.startswith(p)), None)
        if prefix is None or raw in (None, ""):
            continue
        edge = key[len(prefix) :]
        number = _decimal(raw)
        if number is None or number < 0 or not edge:
            problems.append(f"{where}: {key} {raw!r} is not a distance in metres")
            continue
        setbacks.append(Setback(edge, number))
    return setbacks, problems


def _decimal(raw: object) -> Decimal | None:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
        return None
    try:
        number = Decimal(str(raw).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None
