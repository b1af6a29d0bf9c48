"""The field kinds an application form is made of.

Each field parses its own value (``parse``) and describes itself in JSON Schema
(``schema``), so the validator and the schema a web front end renders come from one
declaration and cannot drift. ``parse`` never raises on bad input: it appends every problem
it finds, as ``message @ $.path`` (the shape cattrs uses), and returns the typed value or
None. (Reading a site needs the ``geo`` extra; without it :class:`SiteField` raises
:class:`~planning_core.errors.MissingExtraError`, a setup problem, not a bad value.)

A field kind is any object with ``name``, ``label``, ``required``, ``parse`` and
``schema`` (the :class:`Field` protocol); a plugin may bring its own.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

import attrs
import pendulum

from planning_core._extras import import_extra
from planning_core.errors import ValidationError
from planning_core.forms._identifiers import (
    normalise_identifier,
    resident_id_problem,
    uscc_problem,
)
from planning_core.serialization import parse_date

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

__all__ = [
    "ChoiceField",
    "DateField",
    "Field",
    "FlagField",
    "NumberField",
    "Party",
    "PartyField",
    "PartyKind",
    "SiteField",
    "TextField",
]


class Field(Protocol):
    """What a form needs of a field kind."""

    @property
    def name(self) -> str:
        """The JSON key (ASCII, snake_case)."""

    @property
    def label(self) -> str:
        """The label printed on the form (申请人, 用地面积)."""

    @property
    def required(self) -> bool:
        """False when the field may be left out."""

    def parse(self, value: object, path: str, problems: list[str]) -> Any:
        """The typed value of ``value``, or None after appending its problems."""

    def schema(self) -> dict[str, Any]:
        """The field's JSON Schema (draft 2020-12)."""


def _name(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not re.fullmatch(r"[a-z][a-z0-9_]*", value or ""):
        raise ValidationError(f"field name {value!r} must be snake_case ASCII, like 'land_area'")


def _problem(problems: list[str], path: str, message: str) -> None:
    problems.append(f"{message} @ {path}")


@attrs.frozen
class TextField:
    """Free text, trimmed; ``pattern`` (a regular expression) must match all of it."""

    name: str = attrs.field(validator=_name)
    label: str
    required: bool = True
    max_length: int = 200
    pattern: str | None = None
    hint: str = ""

    def parse(self, value: object, path: str, problems: list[str]) -> str | None:
        if not isinstance(value, str):
            _problem(problems, path, f"{self.label}: expected text, got {_kind(value)}")
            return None
        text = value.strip()
        if not text:
            _problem(problems, path, f"{self.label} is empty; fill it in")
        elif len(text) > self.max_length:
            _problem(problems, path, f"{self.label} is over {self.max_length} characters")
        elif self.pattern is not None and not re.fullmatch(self.pattern, text):
            _problem(problems, path, f"{self.label} {text!r} has the wrong form; {self.hint}")
        else:
            return text
        return None

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "type": "string",
            "title": self.label,
            "minLength": 1,
            "maxLength": self.max_length,
        }
        if self.pattern is not None:
            schema["pattern"] = f"^(?:{self.pattern})$"
        if self.hint:
            schema["description"] = self.hint
        return schema


@attrs.frozen
class NumberField:
    """A JSON number, kept as ``Decimal`` (written as it was sent, never rounded by float).

    :param minimum: the smallest value allowed; ``exclusive_minimum`` makes it a strict bound.
    :param unit: shown after the label (m², m, or empty for a ratio).
    """

    name: str = attrs.field(validator=_name)
    label: str
    unit: str = ""
    required: bool = True
    minimum: Decimal | None = Decimal(0)
    exclusive_minimum: bool = False
    maximum: Decimal | None = None
    integer: bool = False

    def parse(self, value: object, path: str, problems: list[str]) -> Decimal | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            _problem(problems, path, f"{self.label}: expected a number, got {_kind(value)}")
            return None
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if not number.is_finite():
            _problem(problems, path, f"{self.label}: {value!r} is not a number")
        elif self.integer and number != number.to_integral_value():
            _problem(problems, path, f"{self.label}: {value!r} is not a whole number")
        elif (problem := self._range_problem(number)) is not None:
            _problem(problems, path, problem)
        else:
            return number
        return None

    def _range_problem(self, number: Decimal) -> str | None:
        low, unit = self.minimum, f" {self.unit}" if self.unit else ""
        if low is not None and (number <= low if self.exclusive_minimum else number < low):
            word = "more than" if self.exclusive_minimum else "at least"
            return f"{self.label} is {number}{unit}; it must be {word} {low}{unit}"
        if self.maximum is not None and number > self.maximum:
            return f"{self.label} is {number}{unit}; it must be at most {self.maximum}{unit}"
        return None

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "type": "integer" if self.integer else "number",
            "title": f"{self.label}（{self.unit}）" if self.unit else self.label,
        }
        if self.minimum is not None:
            key = "exclusiveMinimum" if self.exclusive_minimum else "minimum"
            schema[key] = _json_number(self.minimum)
        if self.maximum is not None:
            schema["maximum"] = _json_number(self.maximum)
        return schema


@attrs.frozen
class ChoiceField:
    """One of a fixed list of values, each with its label: ``(("allocation", "划拨"), …)``."""

    name: str = attrs.field(validator=_name)
    label: str
    options: tuple[tuple[str, str], ...]
    required: bool = True

    def parse(self, value: object, path: str, problems: list[str]) -> str | None:
        values = [v for v, _ in self.options]
        if value not in values:
            choices = ", ".join(f"{v} ({label})" for v, label in self.options)
            _problem(problems, path, f"{self.label}: {value!r} is not one of {choices}")
            return None
        return str(value)

    def schema(self) -> dict[str, Any]:
        return {
            "title": self.label,
            "enum": [v for v, _ in self.options],
            "oneOf": [{"const": v, "title": label} for v, label in self.options],
        }


@attrs.frozen
class FlagField:
    """Yes or no (是/否), as JSON ``true`` or ``false``: what a workflow condition reads,
    such as ``major_project`` (重大建设项目, decided by the bureau meeting)."""

    name: str = attrs.field(validator=_name)
    label: str
    required: bool = False

    def parse(self, value: object, path: str, problems: list[str]) -> bool | None:
        if not isinstance(value, bool):
            _problem(problems, path, f"{self.label}: expected true or false, got {_kind(value)}")
            return None
        return value

    def schema(self) -> dict[str, Any]:
        return {"type": "boolean", "title": self.label}


@attrs.frozen
class DateField:
    """A calendar date written ``YYYY-MM-DD``, kept as ``pendulum.Date``."""

    name: str = attrs.field(validator=_name)
    label: str
    required: bool = True

    def parse(self, value: object, path: str, problems: list[str]) -> pendulum.Date | None:
        if not isinstance(value, str):
            _problem(
                problems, path, f"{self.label}: expected a date YYYY-MM-DD, got {_kind(value)}"
            )
            return None
        try:
            return parse_date(value)
        except ValidationError as exc:
            _problem(problems, path, f"{self.label}: {exc}")
            return None

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "date", "title": self.label}


class PartyKind(enum.Enum):
    """An applicant is an organisation (统一社会信用代码) or a person (居民身份证号)."""

    ORGANISATION = "organisation"
    PERSON = "person"


@attrs.frozen
class Party:
    """An applicant or agent with a checked identifier."""

    kind: PartyKind
    name: str
    id_number: str
    phone: str | None = None


_PHONE = r"[0-9+\-() ]{5,20}"
_USCC_SET = "0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy"
_USCC_PATTERN = f"[{_USCC_SET}]{{2}}[0-9]{{6}}[{_USCC_SET}]{{10}}"
_ID_PATTERN = "[1-8][0-9]{16}[0-9Xx]"


@attrs.frozen
class PartyField:
    """An applicant (申请人) or agent: kind, name, identifier, phone.

    The identifier must be a valid 统一社会信用代码 for an organisation and a valid 18-digit
    居民身份证号 for a person; the JSON Schema carries their patterns, the check characters
    only the validator can check.
    """

    name: str = attrs.field(validator=_name)
    label: str
    required: bool = True

    def parse(self, value: object, path: str, problems: list[str]) -> Party | None:
        if not isinstance(value, Mapping):
            _problem(problems, path, f"{self.label}: expected an object, got {_kind(value)}")
            return None
        before = len(problems)
        _unknown(value, ("kind", "name", "id_number", "phone"), path, problems)
        kind_field = ChoiceField("kind", f"{self.label}类型", _PARTY_KINDS)
        kind = _required(value, kind_field, path, problems)
        name = _required(
            value, TextField("name", f"{self.label}名称", max_length=100), path, problems
        )
        id_number = self._identifier(value.get("id_number"), kind, f"{path}.id_number", problems)
        phone = None
        if value.get("phone") is not None:
            phone = TextField("phone", "联系电话", pattern=_PHONE, hint="digits, +, - only").parse(
                value["phone"], f"{path}.phone", problems
            )
        if len(problems) > before or kind is None or name is None or id_number is None:
            return None
        return Party(PartyKind(kind), name, id_number, phone)

    def _identifier(
        self, value: object, kind: str | None, path: str, problems: list[str]
    ) -> str | None:
        if not isinstance(value, str) or not value.strip():
            _problem(problems, path, f"{self.label}证件号码 is missing; give it")
            return None
        code = normalise_identifier(value)
        if kind is None:
            return code
        problem = uscc_problem(code) if kind == "organisation" else resident_id_problem(code)
        if problem is not None:
            _problem(problems, path, problem)
            return None
        return code

    def schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "title": self.label,
            "properties": {
                "kind": ChoiceField("kind", f"{self.label}类型", _PARTY_KINDS).schema(),
                "name": TextField("name", f"{self.label}名称", max_length=100).schema(),
                "id_number": {
                    "type": "string",
                    "title": "统一社会信用代码或居民身份证号",
                },
                "phone": {"type": "string", "title": "联系电话", "pattern": f"^{_PHONE}$"},
            },
            "required": ["kind", "name", "id_number"],
            "additionalProperties": False,
            "allOf": [
                _if_kind("organisation", _USCC_PATTERN),
                _if_kind("person", _ID_PATTERN),
            ],
        }


_PARTY_KINDS = (("organisation", "单位"), ("person", "个人"))


@attrs.frozen
class SiteField:
    """The site (用地范围) as a GeoJSON Polygon or MultiPolygon in CGCS2000 longitude–latitude."""

    name: str = attrs.field(validator=_name)
    label: str
    required: bool = True

    def parse(self, value: object, path: str, problems: list[str]) -> BaseGeometry | None:
        # Imported here: shapely and pyproj load only when a site is read, not with every
        # plugin manager (the forms are a built-in plugin); without the geo extra, reading a
        # site says in one line which extra to install.
        import_extra("planning_core.geo", "geo", f"the form's site field {self.label!r}")
        from planning_core.geo import geometry_from_geojson, site_problems

        try:
            geometry = geometry_from_geojson(value)
        except ValidationError as exc:
            _problem(problems, path, f"{self.label}: {exc}")
            return None
        found = site_problems(geometry)
        for problem in found:
            _problem(problems, path, f"{self.label}: {problem}")
        return None if found else geometry

    def schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "title": self.label,
            "description": "GeoJSON Polygon or MultiPolygon, CGCS2000 (EPSG:4490) lon/lat",
            "properties": {
                "type": {"enum": ["Polygon", "MultiPolygon"]},
                "coordinates": {"type": "array", "minItems": 1},
            },
            "required": ["type", "coordinates"],
        }


def _required(
    data: Mapping[str, Any], field: TextField | ChoiceField, path: str, problems: list[str]
) -> str | None:
    if data.get(field.name) is None:
        _problem(problems, f"{path}.{field.name}", f"{field.label} is missing; fill it in")
        return None
    return field.parse(data[field.name], f"{path}.{field.name}", problems)


def _unknown(
    data: Mapping[str, Any], known: tuple[str, ...], path: str, problems: list[str]
) -> None:
    for key in data:
        if key not in known:
            _problem(problems, f"{path}.{key}", f"unknown field {key!r}; remove it")


def _if_kind(kind: str, pattern: str) -> dict[str, Any]:
    return {
        "if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
        "then": {"properties": {"id_number": {"pattern": f"^{pattern}$"}}},
    }


def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    names = {bool: "true/false", int: "a number", float: "a number", str: "text"}
    names |= {list: "a list", dict: "an object"}
    return names.get(type(value), type(value).__name__)
