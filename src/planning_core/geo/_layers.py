"""The base-data catalogue's values: layers of the bureau's base databases and their features.

The seed's bureau keeps topographic maps, roads, underground pipelines, master, regulatory
and detailed plans, urban land, buildings and key-project review files. Each import is one
:class:`Layer` with what a reviewer must know before trusting it (source, scale, CRS,
survey date, version); its :class:`Feature` values carry a geometry in CGCS2000 degrees and
the attributes the file had.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs
import pendulum
from shapely.geometry.base import BaseGeometry

from planning_core.errors import ValidationError

__all__ = ["Feature", "Layer", "LayerKind", "parse_scale"]


class LayerKind(enum.Enum):
    """The kinds of base data (基础数据库) a layer can hold; the value names its collection."""

    TOPOGRAPHY = "topography"
    ROAD = "road"
    PIPELINE = "pipeline"
    MASTER_PLAN = "master_plan"
    REGULATORY_PLAN = "regulatory_plan"
    DETAILED_PLAN = "detailed_plan"
    URBAN_LAND = "urban_land"
    BUILDING = "building"
    KEY_PROJECT = "key_project"

    @property
    def zh(self) -> str:
        """The kind as the bureau names it (地形图, 道路红线 …)."""
        return _KIND_ZH[self]

    @property
    def collection(self) -> str:
        """The store collection holding this kind's features (``geo.road`` …)."""
        return f"geo.{self.value}"

    @classmethod
    def parse(cls, text: str) -> LayerKind:
        """The kind named by its value (``road``) or its Chinese name (道路红线).

        :raises ValidationError: naming every kind there is.
        """
        for kind in cls:
            if text in (kind.value, kind.zh):
                return kind
        known = ", ".join(f"{k.value} ({k.zh})" for k in cls)
        raise ValidationError(f"layer kind {text!r} is unknown; use one of: {known}")


_KIND_ZH = {
    LayerKind.TOPOGRAPHY: "地形图",
    LayerKind.ROAD: "道路红线",
    LayerKind.PIPELINE: "地下管线",
    LayerKind.MASTER_PLAN: "总体规划",
    LayerKind.REGULATORY_PLAN: "控制性详细规划",
    LayerKind.DETAILED_PLAN: "修建性详细规划",
    LayerKind.URBAN_LAND: "城市用地",
    LayerKind.BUILDING: "建筑物",
    LayerKind.KEY_PROJECT: "重点项目审查档案",
}


def _text(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"layer {attribute.name} must be a non-empty text, not {value!r}")


def _key(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    _text(instance, attribute, value)
    if "/" in value or not value.isprintable():
        raise ValidationError(
            f"{attribute.name} {value!r} may not contain '/' or control characters; "
            f"it is part of a record key"
        )


def _positive(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValidationError(f"layer {attribute.name} must be a positive integer, not {value!r}")


@attrs.frozen
class Layer:
    """One imported layer of base data.

    :param id: the layer's key in the catalogue (``regulatory-plan-2024``); re-importing a
        layer with the same id replaces its features.
    :param kind: which base database it belongs to.
    :param name: what the bureau calls it (高新区控制性详细规划).
    :param source: who produced it (测绘院, 规划设计研究院).
    :param scale: the map scale's denominator (500 for 1:500).
    :param crs: the CRS the source file was in; features are stored in CGCS2000 degrees.
    :param survey_date: when it was surveyed or approved (测量日期 / 批复日期).
    :param version: the producer's version or the approval number.
    :param feature_count: how many features the import stored.
    """

    id: str = attrs.field(validator=_key)
    kind: LayerKind
    name: str = attrs.field(validator=_text)
    source: str = attrs.field(validator=_text)
    scale: int = attrs.field(validator=_positive)
    crs: str = attrs.field(validator=_text)
    survey_date: pendulum.Date
    version: str = attrs.field(validator=_text)
    feature_count: int = 0

    @property
    def scale_text(self) -> str:
        """The scale as printed on a map (1:500)."""
        return f"1:{self.scale}"


def _attributes(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value))


@attrs.frozen
class Feature:
    """One feature of a layer: a geometry in CGCS2000 degrees and its attributes.

    :param id: unique within the layer (the file's id, or its position).
    :param layer: the id of its layer.
    :param kind: its layer's kind.
    :param geometry: a shapely geometry, longitude–latitude.
    :param attributes: the source's attribute table row (JSON values).
    """

    id: str = attrs.field(validator=_key)
    layer: str
    kind: LayerKind
    geometry: BaseGeometry = attrs.field(eq=False)
    attributes: Mapping[str, Any] = attrs.field(factory=dict, converter=_attributes, eq=False)

    @property
    def key(self) -> str:
        """The feature's record key: ``layer/id``."""
        return f"{self.layer}/{self.id}"

    @property
    def label(self) -> str:
        """A name for messages and maps: the ``name`` or ``code`` attribute, else the id."""
        for key in ("name", "code", "名称", "编号"):
            value = self.attributes.get(key)
            if isinstance(value, str) and value.strip():
                return value
        return self.id


def parse_scale(text: str | int) -> int:
    """A scale's denominator from ``1:500``, ``1：500`` or ``500``.

    :raises ValidationError: quoting the text.
    """
    if isinstance(text, int) and not isinstance(text, bool) and text > 0:
        return text
    raw = str(text).replace("：", ":").replace(",", "").strip()
    number = raw.split(":", 1)[1] if raw.startswith("1:") else raw
    if not number.isdigit() or int(number) == 0:
        raise ValidationError(f"scale {text!r} is not a map scale; write it as 1:500")
    return int(number)
