"""Reading the records ``conservation check`` asks the rules about (JSON).

A file holds one record or a list of them. Each names what it is under ``record`` (not
``kind``, which trips and equipment use for their own field), and the other fields are the
record's own::

    {"record": "meal", "meal_id": "J-7", "host": "办公室", "on": "2026-05-12",
     "guests": 12, "companions": 4, "cost": "1180.00"}

Records: ``trip``, ``requisition``, ``claim``, ``meal``, ``equipment``.
"""

from __future__ import annotations

from typing import Any, TypeAlias

import cattrs

from planning_core.conservation._consumables import Requisition
from planning_core.conservation._equipment import EquipmentItem
from planning_core.conservation._funds import ReceptionMeal, TravelClaim
from planning_core.conservation._vehicles import TripRequest
from planning_core.errors import PlanningError, ValidationError
from planning_core.serialization import dump, load

__all__ = ["CHECK_KINDS", "CheckRecord", "dump_check_record", "load_check_records"]

CheckRecord: TypeAlias = TripRequest | Requisition | TravelClaim | ReceptionMeal | EquipmentItem

#: The ``record`` written in a check file, and the record type it names.
CHECK_KINDS: dict[str, type[CheckRecord]] = {
    "trip": TripRequest,
    "requisition": Requisition,
    "claim": TravelClaim,
    "meal": ReceptionMeal,
    "equipment": EquipmentItem,
}


def load_check_records(converter: cattrs.Converter, data: Any) -> list[CheckRecord]:
    """Records from the parsed JSON of a check file; every problem reported at once.

    :raises ValidationError: listing each bad entry by its position.
    """
    entries = data if isinstance(data, list) else [data]
    if not entries:
        raise ValidationError("the check file holds an empty list; give at least one record")
    records: list[CheckRecord] = []
    problems: list[str] = []
    for index, entry in enumerate(entries):
        try:
            records.append(_one(converter, entry))
        except ValidationError as exc:
            problems.extend(f"record {index + 1}: {p}" for p in exc.problems or [str(exc)])
        except PlanningError as exc:
            problems.append(f"record {index + 1}: {exc}")
    if problems:
        raise ValidationError(
            f"{len(problems)} problem(s) in the check file; fix each one below", problems
        )
    return records


def dump_check_record(converter: cattrs.Converter, record: CheckRecord) -> dict[str, Any]:
    """The JSON form of a record, with its ``record`` name: what :func:`load_check_records`
    reads."""
    name = next(name for name, cls in CHECK_KINDS.items() if isinstance(record, cls))
    return {"record": name, **dump(converter, record)}


def _one(converter: cattrs.Converter, entry: Any) -> CheckRecord:
    if not isinstance(entry, dict):
        raise ValidationError(f"each record must be a JSON object, not {entry!r}")
    fields = dict(entry)
    name = fields.pop("record", None)
    if not isinstance(name, str) or name not in CHECK_KINDS:
        known = ", ".join(CHECK_KINDS)
        raise ValidationError(f'"record": {name!r} is not one of: {known}')
    return load(converter, fields, CHECK_KINDS[name])
