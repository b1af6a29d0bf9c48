"""``GeoRepository``: the base-data catalogue on any Store, through the records API.

Layers are records of ``geo.layer`` keyed by layer id; features are records of
``geo.<kind>`` (``geo.road``, ``geo.regulatory_plan`` …) keyed ``layer/feature``, with the
geometry as hex WKB (exact doubles, compact, read back in one vectorised call) and the
attributes as JSON. An import is one unit of work: a re-imported layer replaces its old
features, and a failed import leaves the catalogue as it was.

The store holds no spatial index today; :meth:`GeoRepository.load_catalogue` builds
shapely's STRtree in memory when the catalogue is loaded (see docs/geo.md for the R*Tree
and PostGIS tables a backend could add).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs
import cattrs
import numpy as np
import shapely

from planning_core.errors import NotFoundError
from planning_core.geo._catalogue import Catalogue, build_catalogue
from planning_core.geo._layers import Feature, Layer, LayerKind
from planning_core.serialization import dump, load, make_converter
from planning_core.storage import JSON, Store

__all__ = ["LAYER_COLLECTION", "GeoRepository"]

#: The collection of layer records.
LAYER_COLLECTION = "geo.layer"


class GeoRepository:
    """The base-data catalogue of one store.

    :param converter: the converter for layer records (default: the built-in rules).
    """

    def __init__(self, store: Store, converter: cattrs.Converter | None = None) -> None:
        self.store = store
        self.converter = converter or make_converter()

    def import_layer(self, layer: Layer, features: Sequence[Feature]) -> Layer:
        """Store ``layer`` and its ``features``, replacing a layer with the same id.

        :returns: the layer as stored, with its feature count.
        """
        stored = attrs.evolve(layer, feature_count=len(features))
        old = self._old_keys(layer.id)
        with self.store.unit_of_work() as uow:
            for collection, keys in old.items():
                uow.delete_records(collection, keys)
            uow.put_records(LAYER_COLLECTION, {layer.id: dump(self.converter, stored)})
            uow.put_records(layer.kind.collection, {f.key: _feature_doc(f) for f in features})
            uow.commit()
        return stored

    def layers(self) -> list[Layer]:
        """Every layer, by id."""
        return [load(self.converter, doc, Layer) for _, doc in self._layer_docs()]

    def layer(self, layer_id: str) -> Layer:
        """The layer ``layer_id``; an unknown id names the known ones."""
        doc = self.store.get_record(LAYER_COLLECTION, layer_id)
        if doc is None:
            known = ", ".join(key for key, _ in self._layer_docs()) or "none"
            raise NotFoundError(f"layer {layer_id!r} is not in the catalogue; layers: {known}")
        return load(self.converter, doc, Layer)

    def features(self, kind: LayerKind, layer_id: str | None = None) -> list[Feature]:
        """The features of ``kind`` (of one layer when ``layer_id`` is given)."""
        prefix = f"{layer_id}/" if layer_id is not None else ""
        records = self.store.list_records(kind.collection, prefix)
        return _features(kind, records)

    def load_catalogue(self, *, indexed: bool = True) -> Catalogue:
        """Every layer and feature, with the spatial index built (``indexed=False``: none)."""
        layers = self.layers()
        kinds = dict.fromkeys(layer.kind for layer in layers)
        features = [f for kind in kinds for f in self.features(kind)]
        return build_catalogue(layers, features, indexed=indexed)

    def _layer_docs(self) -> list[tuple[str, JSON]]:
        return self.store.list_records(LAYER_COLLECTION)

    def _old_keys(self, layer_id: str) -> dict[str, list[str]]:
        doc = self.store.get_record(LAYER_COLLECTION, layer_id)
        if doc is None:
            return {}
        collection = load(self.converter, doc, Layer).kind.collection
        keys = [key for key, _ in self.store.list_records(collection, f"{layer_id}/")]
        return {collection: keys} if keys else {}


def _feature_doc(feature: Feature) -> JSON:
    return {
        "id": feature.id,
        "layer": feature.layer,
        "geometry": shapely.to_wkb(feature.geometry, hex=True),
        "attributes": dict(feature.attributes),
    }


def _features(kind: LayerKind, records: Iterable[tuple[str, JSON]]) -> list[Feature]:
    docs = [doc for _, doc in records]
    geometries = shapely.from_wkb(np.array([d["geometry"] for d in docs], dtype=object))
    return [
        Feature(d["id"], d["layer"], kind, geometry, d.get("attributes", {}))
        for d, geometry in zip(docs, geometries, strict=True)
    ]
