"""``conditions_for(site)``: the planning conditions (规划条件) a site's plots impose.

城乡规划法 art. 38 has the planning conditions drawn from the regulatory detailed plan. A
site inside one plot takes that plot's indicators. A site across several takes, for each
indicator, the strictest value any of them sets (the lowest cap, the highest floor), each
traced to the plot it came from, and is warned that it crosses a plot boundary: the plan
did not foresee the site, so the reviewer decides, and nothing is averaged silently.

Areas are measured in the site's Gauss–Krüger zone. Overlaps smaller than
``ConditionSettings.sliver_m2`` are drawing artefacts (a boundary digitised twice), not a
plot the site is on.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import attrs
import shapely
from shapely.geometry.base import BaseGeometry

from planning_core.errors import ValidationError
from planning_core.geo._catalogue import Catalogue
from planning_core.geo._crs import project, project_many, projected_crs_for, search_degrees
from planning_core.geo._geojson import geometry_to_geojson, site_problems
from planning_core.geo._layers import Feature, LayerKind
from planning_core.geo._numbers import area_decimal, fmt, fmt_percent
from planning_core.geo._plots import SETBACK_EDGES_ZH, Bound, Indicator, Plot

__all__ = [
    "Condition",
    "ConditionSettings",
    "PlotOverlap",
    "SiteConditions",
    "SiteWarning",
    "WarningKind",
    "conditions_for",
]


@attrs.frozen
class ConditionSettings:
    """Tolerances of :func:`conditions_for`; a city passes its own.

    :param sliver_m2: overlaps smaller than this (m²) are ignored as drawing artefacts.
    :param pipeline_protection_m: the protection distance (保护范围) of a pipeline feature
        that has no ``protection_m`` attribute.
    :param zone_width: 3- or 6-degree Gauss–Krüger zones for measuring.
    """

    sliver_m2: float = 1.0
    pipeline_protection_m: float = 5.0
    zone_width: int = 3


@attrs.frozen
class PlotOverlap:
    """A plot the site lies on, how much of the site lies on it, and that as a share."""

    plot: Plot
    area_m2: Decimal
    share: Decimal


@attrs.frozen
class Condition:
    """One planning condition and the plot it comes from.

    :param edge: for a setback, the edge it is measured from (``road``); else None.
    """

    indicator: Indicator
    value: Decimal
    plot_code: str
    edge: str | None = None

    @property
    def text(self) -> str:
        """The condition as a planning-conditions letter states it."""
        source = f"（地块 {self.plot_code}）"
        if self.indicator is Indicator.SETBACK_MIN:
            edge = SETBACK_EDGES_ZH.get(self.edge or "", self.edge)
            return f"退{edge} ≥ {fmt(self.value)} m{source}"
        sign = "≤" if self.indicator.bound is Bound.MAX else "≥"
        value = fmt_percent(self.value) if self.indicator.unit == "%" else fmt(self.value)
        unit = " m" if self.indicator.unit == "m" else ""
        return f"{self.indicator.zh} {sign} {value}{unit}{source}"


class WarningKind(enum.Enum):
    """Why a site needs the reviewer's attention beyond its conditions."""

    PLOT_BOUNDARY = "plot_boundary"
    OUTSIDE_PLAN = "outside_plan"
    ROAD_RED_LINE = "road_red_line"
    PIPELINE_BUFFER = "pipeline_buffer"


@attrs.frozen
class SiteWarning:
    """A warning with the plots or features it concerns."""

    kind: WarningKind
    message: str
    refs: tuple[str, ...] = ()


@attrs.frozen
class SiteConditions:
    """What :func:`conditions_for` found for one site."""

    site: BaseGeometry = attrs.field(eq=False, repr=False)
    crs: str
    site_area_m2: Decimal
    overlaps: tuple[PlotOverlap, ...]
    conditions: tuple[Condition, ...]
    uncovered_m2: Decimal
    warnings: tuple[SiteWarning, ...]

    @property
    def land_uses(self) -> tuple[str, ...]:
        """The land-use classes of the plots the site lies on, each once, largest first."""
        return tuple(dict.fromkeys(o.plot.land_use for o in self.overlaps))

    def condition(self, indicator: Indicator, edge: str | None = None) -> Condition | None:
        """The condition for ``indicator`` (and setback ``edge``), or None when none applies."""
        for condition in self.conditions:
            if condition.indicator is indicator and condition.edge == edge:
                return condition
        return None

    def warned(self, kind: WarningKind) -> bool:
        """True when a warning of ``kind`` was given."""
        return any(w.kind is kind for w in self.warnings)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready data: numbers as strings, Chinese texts kept."""
        return {
            "crs": self.crs,
            "site_area_m2": str(self.site_area_m2),
            "uncovered_m2": str(self.uncovered_m2),
            "land_uses": list(self.land_uses),
            "overlaps": [
                {
                    "plot": o.plot.code,
                    "land_use": o.plot.land_use,
                    "area_m2": str(o.area_m2),
                    "share": str(o.share),
                }
                for o in self.overlaps
            ],
            "conditions": [
                {
                    "indicator": c.indicator.value,
                    "name": c.indicator.zh,
                    "value": str(c.value),
                    "edge": c.edge,
                    "plot": c.plot_code,
                    "text": c.text,
                }
                for c in self.conditions
            ],
            "warnings": [
                {"kind": w.kind.value, "message": w.message, "refs": list(w.refs)}
                for w in self.warnings
            ],
            "site": geometry_to_geojson(self.site),
        }


def conditions_for(
    site: BaseGeometry, catalogue: Catalogue, settings: ConditionSettings | None = None
) -> SiteConditions:
    """The plots ``site`` lies on, the planning conditions they impose, and the warnings.

    :param site: a polygon in CGCS2000 degrees (see ``site_from_geojson``).
    :raises ValidationError: when ``site`` is not a valid site polygon.
    """
    settings = settings or ConditionSettings()
    problems = site_problems(site)
    if problems:
        raise ValidationError(f"the site has {len(problems)} problem(s)", problems)
    crs = projected_crs_for(site, settings.zone_width)
    site_m = project(site, crs)
    overlaps, uncovered = _overlaps(site_m, catalogue.plots_intersecting(site), crs, settings)
    warnings = [
        *_plan_warnings(overlaps, uncovered, settings),
        *_road_warnings(site, site_m, catalogue, crs, settings),
        *_pipeline_warnings(site, site_m, catalogue, crs, settings),
    ]
    return SiteConditions(
        site=site,
        crs=crs,
        site_area_m2=area_decimal(site_m.area),
        overlaps=tuple(overlaps),
        conditions=_strictest([o.plot for o in overlaps]),
        uncovered_m2=area_decimal(uncovered),
        warnings=tuple(warnings),
    )


def _overlaps(
    site_m: BaseGeometry, plots: list[Plot], crs: str, settings: ConditionSettings
) -> tuple[list[PlotOverlap], float]:
    """Each plot's share of the site, and the area no plot covers (all in one zone)."""
    if not plots:
        return [], site_m.area
    pieces = shapely.intersection(project_many([p.geometry for p in plots], crs), site_m)
    areas = shapely.area(pieces)
    keep = areas >= settings.sliver_m2
    found = [
        PlotOverlap(plot, area_decimal(area), _share(area, site_m.area))
        for plot, area, kept in zip(plots, areas.tolist(), keep.tolist(), strict=True)
        if kept
    ]
    found.sort(key=lambda o: o.area_m2, reverse=True)
    covered = shapely.union_all(pieces[keep]).area if keep.any() else 0.0
    return found, max(site_m.area - covered, 0.0)


def _share(area: float, total: float) -> Decimal:
    return Decimal(repr(area / total)).quantize(Decimal("0.0001"))


def _strictest(plots: list[Plot]) -> tuple[Condition, ...]:
    """For each indicator, the strictest value of any plot; ties go to the larger overlap."""
    conditions: list[Condition] = []
    for indicator in Indicator:
        if indicator is Indicator.SETBACK_MIN:
            continue
        found = [(v, p.code) for p in plots if (v := p.value(indicator)) is not None]
        if found:
            value, code = _pick(found, indicator.bound)
            conditions.append(Condition(indicator, value, code))
    edges = dict.fromkeys(s.edge for p in plots for s in p.setbacks)
    for edge in edges:
        found = [(s.metres, p.code) for p in plots for s in p.setbacks if s.edge == edge]
        value, code = _pick(found, Bound.MIN)
        conditions.append(Condition(Indicator.SETBACK_MIN, value, code, edge))
    return tuple(conditions)


def _pick(found: list[tuple[Decimal, str]], bound: Bound) -> tuple[Decimal, str]:
    strictest = min if bound is Bound.MAX else max
    best = strictest(value for value, _ in found)
    return next((value, code) for value, code in found if value == best)


def _plan_warnings(
    overlaps: list[PlotOverlap], uncovered: float, settings: ConditionSettings
) -> Iterable[SiteWarning]:
    if len(overlaps) > 1:
        parts = "，".join(
            f"{o.plot.code}（{o.plot.land_use}）{fmt(o.area_m2)} m²" for o in overlaps
        )
        uses = dict.fromkeys(o.plot.land_use for o in overlaps)
        mixed = f"；用地性质不一（{'、'.join(uses)}），须核定用地性质" if len(uses) > 1 else ""
        yield SiteWarning(
            WarningKind.PLOT_BOUNDARY,
            f"用地跨越 {len(overlaps)} 个控规地块：{parts}；各项指标按最严格者执行{mixed}",
            tuple(o.plot.code for o in overlaps),
        )
    if uncovered >= settings.sliver_m2:
        where = "全部" if not overlaps else f"有 {fmt(area_decimal(uncovered))} m²"
        yield SiteWarning(
            WarningKind.OUTSIDE_PLAN,
            f"用地{where}位于控规地块之外，该部分无规划条件可依，须另行核定",
        )


def _road_warnings(
    site: BaseGeometry,
    site_m: BaseGeometry,
    catalogue: Catalogue,
    crs: str,
    settings: ConditionSettings,
) -> Iterable[SiteWarning]:
    for road in catalogue.features_intersecting(LayerKind.ROAD, site):
        inside = site_m.intersection(project(road.geometry, crs)).area
        if inside >= settings.sliver_m2:
            message = f"用地进入道路红线（{road.label}）{fmt(area_decimal(inside))} m²"
        else:
            message = f"用地边界触及道路红线（{road.label}）"
        yield SiteWarning(WarningKind.ROAD_RED_LINE, message, (road.key,))


def _pipeline_warnings(
    site: BaseGeometry,
    site_m: BaseGeometry,
    catalogue: Catalogue,
    crs: str,
    settings: ConditionSettings,
) -> Iterable[SiteWarning]:
    reach = max(catalogue.reach_m(LayerKind.PIPELINE), settings.pipeline_protection_m)
    for pipe in catalogue.features_near(LayerKind.PIPELINE, site, search_degrees(site, reach)):
        protection = _protection(pipe, settings.pipeline_protection_m)
        distance = site_m.distance(project(pipe.geometry, crs))
        if distance < protection:
            yield SiteWarning(
                WarningKind.PIPELINE_BUFFER,
                f"用地距地下管线（{pipe.label}）{fmt(area_decimal(distance))} m，"
                f"进入其 {fmt(Decimal(repr(protection)))} m 保护范围",
                (pipe.key,),
            )


def _protection(feature: Feature, default: float) -> float:
    value = feature.attributes.get("protection_m")
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return float(value)
    return default
