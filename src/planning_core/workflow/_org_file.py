"""The organisation file: a bureau's divisions, posts and people, as TOML or JSON.

A bureau keeps its staff list in a file beside its bureau configuration, so the same
library runs any bureau without code. The format, one table per kind::

    [[divisions]]
    code = "WINDOW"
    name = "行政审批服务窗口"

    [[posts]]
    code = "WINDOW_CLERK"
    name = "窗口收件员"
    division = "WINDOW"
    authority = "staff"            # staff | division_head | deputy_head | bureau_head
                                   # | government_head (本级人民政府负责人, art. 42 para. 2)
    duties = "收件、受理、一次性告知、发件"
    time_limit = { days = 1, unit = "working_days" }   # optional

    [[actors]]
    id = "w01"
    name = "王芳"
    posts = ["WINDOW_CLERK"]

:data:`ORGANISATION_SCHEMA` describes it as JSON Schema (for editors and other systems);
:func:`organisation_from_data` structures it with the one converter and then checks the
whole organisation (unknown divisions and posts, duplicate codes), naming every problem.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from planning_core.errors import NotFoundError, ValidationError
from planning_core.inputs import MAX_CONFIG_BYTES, load_json, load_toml, read_text
from planning_core.serialization import load, make_converter
from planning_core.workflow._organisation import Organisation

__all__ = [
    "ORGANISATION_SCHEMA",
    "organisation_from_data",
    "organisation_to_data",
    "read_organisation",
]

_CODE = {"type": "string", "minLength": 1}

#: The organisation file's format as JSON Schema (draft 2020-12).
ORGANISATION_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "planning_core organisation (机构、岗位与人员)",
    "type": "object",
    "required": ["divisions", "posts"],
    "additionalProperties": False,
    "properties": {
        "divisions": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "name"],
                "additionalProperties": False,
                "properties": {
                    "code": _CODE,
                    "name": _CODE,
                    "external": {"type": "boolean"},
                    "liaison": {"type": "string"},
                },
            },
        },
        "posts": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "name", "division"],
                "additionalProperties": False,
                "properties": {
                    "code": _CODE,
                    "name": _CODE,
                    "division": _CODE,
                    "authority": {
                        "enum": [
                            "staff",
                            "division_head",
                            "deputy_head",
                            "bureau_head",
                            "government_head",
                        ],
                        "default": "staff",
                    },
                    "duties": {"type": "string", "default": ""},
                    "time_limit": {
                        "type": ["object", "null"],
                        # ``value`` is the former name of ``days``, still read.
                        "oneOf": [{"required": ["days"]}, {"required": ["value"]}],
                        "additionalProperties": False,
                        "properties": {
                            "days": {"type": "integer", "minimum": 0},
                            "value": {"type": "integer", "minimum": 0},
                            "unit": {
                                "enum": ["working_days", "natural_days"],
                                "default": "working_days",
                            },
                        },
                    },
                },
            },
        },
        "actors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "name", "posts"],
                "additionalProperties": False,
                "properties": {
                    "id": _CODE,
                    "name": _CODE,
                    "posts": {"type": "array", "items": _CODE, "minItems": 1},
                },
            },
        },
    },
}


def organisation_from_data(data: object) -> Organisation:
    """Build an organisation from the file's data (a parsed TOML or JSON document).

    :raises ValidationError: naming every problem, with its path (``$.posts[2].division``)
        or, once the shapes are right, every unknown reference and duplicate code.
    """
    if not isinstance(data, dict):
        raise ValidationError(
            f"an organisation file holds a table with divisions, posts and actors, not "
            f"{type(data).__name__}; see ORGANISATION_SCHEMA"
        )
    return load(make_converter(), data, Organisation)


def organisation_to_data(organisation: Organisation) -> dict[str, Any]:
    """The organisation as the file's data (what :func:`organisation_from_data` reads)."""
    data: dict[str, Any] = make_converter().unstructure(organisation)
    for post in data["posts"]:
        if post.get("time_limit") is None:
            post.pop("time_limit", None)
    return data


def read_organisation(path: str | Path) -> Organisation:
    """Read an organisation file: ``.toml`` or ``.json``, UTF-8, at most 1 MiB
    (:mod:`planning_core.inputs`).

    :raises NotFoundError: when the file does not exist.
    :raises ValidationError: when it is not UTF-8, not TOML/JSON, or not an organisation.
    """
    file = Path(path)
    what = f"organisation file {str(file)!r}"
    try:
        text = read_text(file, what, max_bytes=MAX_CONFIG_BYTES)
    except NotFoundError:
        raise NotFoundError(f"no organisation file at {str(file)!r}") from None
    if file.suffix.lower() == ".json":
        data = load_json(text, what, max_bytes=MAX_CONFIG_BYTES, expect=dict)
    else:
        data = load_toml(text, what)
    try:
        return organisation_from_data(data)
    except ValidationError as exc:
        raise ValidationError(f"{what}: {exc}") from exc
