"""The content hash of a definition: SHA-256 of its steps and edges in canonical JSON.

Built with ``attrs.asdict`` (enums by value) rather than the plugin-configured converter,
so that a plugin teaching the converter a new spelling cannot change a stored hash.
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Sequence

import attrs

from planning_core.workflow._model import Edge, Step

__all__ = ["content_hash"]


def _plain(instance: object, field: object, value: object) -> object:
    return value.value if isinstance(value, enum.Enum) else value


def content_hash(steps: Sequence[Step], edges: Sequence[Edge]) -> str:
    """Hex SHA-256 over the steps and edges, in their order; names and ids included."""
    document = {
        "steps": [attrs.asdict(s, value_serializer=_plain) for s in steps],
        "edges": [attrs.asdict(e, value_serializer=_plain) for e in edges],
    }
    text = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
