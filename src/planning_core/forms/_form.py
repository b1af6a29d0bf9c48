"""``FormDefinition`` (the blank form of one permit type) and ``Form`` (a filled-in one).

The 2019 reform (国办发〔2019〕11号) asks for "one form" (一张表单) per stage: each permit
type declares its application form once, as typed fields. ``validate`` reads submitted
JSON and reports every problem at once, each with its field path
(``… @ $.applicant.id_number``), so an applicant corrects the form in one go; and
``json_schema`` gives a host's web front end the same form to render.

Checks across fields (a use period's end after its start) are plain functions in
``checks``; they run after the fields, on the values that parsed.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeAlias

import attrs

from planning_core.errors import ValidationError
from planning_core.forms._fields import Field, Party

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

__all__ = ["SCHEMA_DIALECT", "Form", "FormCheck", "FormDefinition"]

#: The JSON Schema dialect the exported schemas use.
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

#: A check across fields: the parsed values in, problems (``message @ $.path``) out.
FormCheck: TypeAlias = Callable[[Mapping[str, Any]], list[str]]


def _fields(value: Iterable[Field]) -> tuple[Field, ...]:
    return tuple(value)


def _checks(value: Iterable[FormCheck]) -> tuple[FormCheck, ...]:
    return tuple(value)


@attrs.frozen
class FormDefinition:
    """The application form of one permit type.

    :param permit_type: the permit type code it belongs to (``"CONSTRUCTION"``).
    :param title: the form's title (建设工程规划许可申请表).
    :param fields: the fields in the order the form prints them.
    :param checks: checks across fields, run on the values that parsed.
    :param version: raised when the fields change, so a stored form says which it filled.
    :raises ValidationError: for duplicate field names or an empty form.
    """

    permit_type: str
    title: str
    fields: tuple[Field, ...] = attrs.field(converter=_fields)
    checks: tuple[FormCheck, ...] = attrs.field(default=(), converter=_checks, eq=False)
    version: int = 1

    def __attrs_post_init__(self) -> None:
        problems = [
            f"field {name!r} is declared {n} times; give each field its own name"
            for name, n in Counter(f.name for f in self.fields).items()
            if n > 1
        ]
        if not self.fields:
            problems.append("the form has no fields")
        if problems:
            raise ValidationError(f"form {self.title!r} is malformed", problems)

    def field(self, name: str) -> Field:
        """The field called ``name``."""
        for field in self.fields:
            if field.name == name:
                return field
        raise ValidationError(f"form {self.title!r} has no field {name!r}")

    def validate(self, data: object) -> Form:
        """Read submitted JSON into a :class:`Form`.

        :raises ValidationError: listing every problem as ``message @ $.path``.
        """
        if not isinstance(data, Mapping):
            raise ValidationError(
                f"{self.title}: a form is a JSON object, not {type(data).__name__}"
            )
        problems: list[str] = []
        known = {f.name for f in self.fields}
        problems += [f"unknown field {k!r}; remove it @ $.{k}" for k in data if k not in known]
        values: dict[str, Any] = {}
        for field in self.fields:
            value = data.get(field.name)
            if value is None:
                if field.required:
                    problems.append(f"{field.label} is required; fill it in @ $.{field.name}")
                continue
            parsed = field.parse(value, f"$.{field.name}", problems)
            if parsed is not None:
                values[field.name] = parsed
        for check in self.checks:
            problems += check(values)
        if problems:
            raise ValidationError(
                f"{self.title}: {len(problems)} problem(s); correct each one below", problems
            )
        return Form(self.permit_type, self.version, values, copy.deepcopy(dict(data)))

    def json_schema(self) -> dict[str, Any]:
        """The form as a JSON Schema (draft 2020-12) for a web front end.

        The schema checks shapes, ranges and patterns; check characters, site geometry and
        the checks across fields are for :meth:`validate`, which a host still calls.
        """
        return {
            "$schema": SCHEMA_DIALECT,
            "$id": f"urn:planning-core:form:{self.permit_type}:{self.version}",
            "title": self.title,
            "type": "object",
            "properties": {f.name: f.schema() for f in self.fields},
            "required": [f.name for f in self.fields if f.required],
            "additionalProperties": False,
        }


def _frozen(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value))


@attrs.frozen
class Form:
    """A validated application form.

    :param values: each filled-in field's typed value (``Decimal``, ``pendulum.Date``,
        :class:`Party`, a shapely geometry for the site …); a field left out is absent.
    :param data: the JSON as submitted, for storing with the case.
    """

    permit_type: str
    version: int
    values: Mapping[str, Any] = attrs.field(converter=_frozen, eq=False)
    data: Mapping[str, Any] = attrs.field(converter=_frozen, eq=False)

    def get(self, name: str, default: Any = None) -> Any:
        """The typed value of field ``name``, or ``default`` when it was left out."""
        return self.values.get(name, default)

    @property
    def applicant(self) -> Party | None:
        """The applicant, when the form has an ``applicant`` field."""
        value = self.values.get("applicant")
        return value if isinstance(value, Party) else None

    @property
    def site(self) -> BaseGeometry | None:
        """The site polygon (CGCS2000 degrees), when the form has a ``site`` field."""
        value = self.values.get("site")
        if value is None:  # no site field, or none given: no need for shapely
            return None
        from shapely.geometry.base import BaseGeometry  # there is a value: SiteField read it

        return value if isinstance(value, BaseGeometry) else None

    def to_record(self) -> dict[str, Any]:
        """The stored form: its permit type, form version and the submitted JSON."""
        return {"permit_type": self.permit_type, "version": self.version, "data": dict(self.data)}
