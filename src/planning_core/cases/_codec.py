"""Events to stored documents and back, through the one converter, with upcasting.

A stored document is the envelope described in :mod:`planning_core.cases._events`. Reading
runs the upcasters for every schema version between the document's and the code's, on a copy:
the stored document, and so its hash, is never changed.
"""

from __future__ import annotations

import copy
from typing import Any

import cattrs
import pendulum

from planning_core.cases import _events as ev
from planning_core.cases._catalogue import EVENT_TYPES, kind_of
from planning_core.cases._history import seal
from planning_core.cases._state import RecordedEvent
from planning_core.errors import StorageError
from planning_core.serialization import load, parse_instant

__all__ = ["decode", "encode"]


def encode(
    converter: cattrs.Converter,
    case_id: str,
    seq: int,
    at: pendulum.DateTime,
    actor: str | None,
    event: ev.Event,
    prev_hash: str,
) -> tuple[dict[str, Any], RecordedEvent]:
    """The sealed document for one new event, and the event as recorded."""
    doc = {
        "schema": ev.EVENT_SCHEMA_VERSION,
        "type": kind_of(event).name,
        "case_id": case_id,
        "seq": seq,
        "at": at.isoformat(),  # aware: the engine parsed it (as the converter would write it)
        "actor": actor,
        "data": converter.unstructure(event),
    }
    sealed = seal(doc, prev_hash)
    recorded = RecordedEvent(
        case_id, seq, at, actor, event, ev.EVENT_SCHEMA_VERSION, prev_hash, sealed["hash"]
    )
    return sealed, recorded


def decode(converter: cattrs.Converter, doc: dict[str, Any]) -> RecordedEvent:
    """A stored document as a recorded event, upcast to the current schema."""
    type_name = doc.get("type")
    cls = EVENT_TYPES.get(str(type_name))
    if cls is None:
        raise StorageError(
            f"event {doc.get('seq')} of case {doc.get('case_id')!r} has unknown type "
            f"{type_name!r}; is a plugin that defines it missing?"
        )
    schema = int(doc.get("schema", 1))
    if schema > ev.EVENT_SCHEMA_VERSION:
        raise StorageError(
            f"event {doc.get('seq')} of case {doc.get('case_id')!r} has schema {schema}, "
            f"newer than this planning_core ({ev.EVENT_SCHEMA_VERSION}); upgrade planning_core"
        )
    data = copy.deepcopy(doc.get("data", {}))
    for version in range(schema, ev.EVENT_SCHEMA_VERSION):
        upcaster = ev.UPCASTERS.get((str(type_name), version))
        if upcaster is not None:
            data = upcaster(data)
    event = load(converter, data, cls)
    return RecordedEvent(
        case_id=str(doc["case_id"]),
        seq=int(doc["seq"]),
        at=parse_instant(str(doc["at"])),
        actor=doc.get("actor"),
        event=event,
        schema=schema,
        prev_hash=str(doc.get("prev_hash", "")),
        hash=str(doc.get("hash", "")),
    )
