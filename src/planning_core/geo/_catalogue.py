"""The loaded base-data catalogue: every layer's features and plots, with a spatial index.

``conditions_for`` must answer while an applicant waits at the window, over a city's whole
regulatory plan. A linear scan tests every plot; shapely's ``STRtree`` (a packed R-tree,
built once when the catalogue is loaded) narrows the test to the few plots whose boxes
overlap the site's. ``Catalogue.without_index()`` keeps the scan, for the benchmark that
measures the difference.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Generic, TypeVar

import attrs
import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

from planning_core.geo._layers import Feature, Layer, LayerKind
from planning_core.geo._plots import Plot, plots_from_features

__all__ = ["Catalogue", "build_catalogue"]

T = TypeVar("T", Feature, Plot)


@attrs.frozen(eq=False)
class _Index(Generic[T]):
    """Items, their geometries as one array, and the R-tree over them (None: scan)."""

    items: tuple[T, ...]
    geometries: npt.NDArray[np.object_]
    tree: shapely.STRtree | None

    @classmethod
    def of(cls, items: Sequence[T], indexed: bool) -> _Index[T]:
        geometries = np.array([item.geometry for item in items], dtype=object)
        tree = shapely.STRtree(geometries) if indexed and len(items) else None
        return cls(tuple(items), geometries, tree)

    def scanning(self) -> _Index[T]:
        return _Index(self.items, self.geometries, None)

    def intersecting(self, geometry: BaseGeometry) -> list[T]:
        if not self.items:
            return []
        if self.tree is not None:
            hits = self.tree.query(geometry, predicate="intersects")
        else:
            hits = np.nonzero(shapely.intersects(self.geometries, geometry))[0]
        return [self.items[i] for i in sorted(int(i) for i in hits)]

    def within(self, geometry: BaseGeometry, degrees: float) -> list[T]:
        if not self.items:
            return []
        if self.tree is not None:
            hits = self.tree.query(geometry, predicate="dwithin", distance=degrees)
        else:
            hits = np.nonzero(shapely.dwithin(self.geometries, geometry, degrees))[0]
        return [self.items[i] for i in sorted(int(i) for i in hits)]


@attrs.frozen(eq=False)
class Catalogue:
    """Layers, features by kind, and the regulatory plan's plots, each kind indexed.

    Build it with :func:`build_catalogue` (or ``GeoRepository.load_catalogue()``).
    """

    layers: tuple[Layer, ...]
    _features: Mapping[LayerKind, _Index[Feature]]
    _plots: _Index[Plot]
    indexed: bool = True
    _reach: Mapping[LayerKind, float] = attrs.field(factory=dict)

    @property
    def plots(self) -> tuple[Plot, ...]:
        """Every regulatory-plan plot, in layer and feature order."""
        return self._plots.items

    def features(self, kind: LayerKind) -> tuple[Feature, ...]:
        """Every feature of ``kind``."""
        index = self._features.get(kind)
        return index.items if index is not None else ()

    def plots_intersecting(self, geometry: BaseGeometry) -> list[Plot]:
        """Plots whose area meets ``geometry`` (touching included), in catalogue order."""
        return self._plots.intersecting(geometry)

    def features_intersecting(self, kind: LayerKind, geometry: BaseGeometry) -> list[Feature]:
        """Features of ``kind`` that meet ``geometry``."""
        index = self._features.get(kind)
        return index.intersecting(geometry) if index is not None else []

    def features_near(
        self, kind: LayerKind, geometry: BaseGeometry, degrees: float
    ) -> list[Feature]:
        """Features of ``kind`` within ``degrees`` of ``geometry`` (a coarse first cut)."""
        index = self._features.get(kind)
        return index.within(geometry, degrees) if index is not None else []

    def reach_m(self, kind: LayerKind) -> float:
        """The largest ``protection_m`` attribute among features of ``kind`` (0 if none)."""
        return self._reach.get(kind, 0.0)

    def without_index(self) -> Catalogue:
        """The same catalogue answering every query by a linear scan (for benchmarks)."""
        return Catalogue(
            self.layers,
            {kind: index.scanning() for kind, index in self._features.items()},
            self._plots.scanning(),
            indexed=False,
            reach=self._reach,
        )


def build_catalogue(
    layers: Iterable[Layer], features: Iterable[Feature], *, indexed: bool = True
) -> Catalogue:
    """Index ``features`` by kind and read the plots of every regulatory-plan layer.

    :raises ValidationError: listing every plot whose attributes cannot be read.
    """
    by_kind: dict[LayerKind, list[Feature]] = {}
    for feature in features:
        by_kind.setdefault(feature.kind, []).append(feature)
    plots = plots_from_features(by_kind.get(LayerKind.REGULATORY_PLAN, ()))
    return Catalogue(
        tuple(layers),
        {kind: _Index.of(items, indexed) for kind, items in by_kind.items()},
        _Index.of(plots, indexed),
        indexed=indexed,
        reach={kind: _reach(items) for kind, items in by_kind.items()},
    )


def _reach(features: Sequence[Feature]) -> float:
    """How far any feature's protection distance (``protection_m``, metres) reaches."""
    values = [
        float(v)
        for f in features
        if isinstance(v := f.attributes.get("protection_m"), int | float)
        and not isinstance(v, bool)
    ]
    return max(values, default=0.0)
