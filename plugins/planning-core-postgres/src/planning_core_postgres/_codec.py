"""What PostgreSQL cannot hold, caught before a statement is sent.

PostgreSQL's text cannot contain the NUL character, and its ``json`` type refuses ``NaN``
and ``Infinity`` (which Python's ``json`` writes by default). Both are checked here, so the
caller gets a :class:`ValidationError` that names the value instead of a driver error in the
middle of a transaction.
"""

from __future__ import annotations

import json

from planning_core.errors import ValidationError
from planning_core.storage import JSON

__all__ = ["check_text", "encode", "storable"]


def encode(doc: JSON, what: str) -> str:
    """``doc`` as JSON text, Chinese kept as written.

    :param what: names the document in the error ("record rural.village/甲村").
    :raises TypeError: for a value JSON cannot hold (as ``json.dumps`` does).
    :raises ValidationError: for NaN or an infinity.
    """
    try:
        return json.dumps(doc, ensure_ascii=False, allow_nan=False)
    except ValueError as exc:
        raise ValidationError(
            f"{what} holds a number JSON cannot write ({exc}); store NaN or infinity as "
            f"null or a string"
        ) from exc


def check_text(value: str, what: str) -> None:
    """Refuse a string with a NUL character, which PostgreSQL text cannot hold."""
    if "\x00" in value:
        raise ValidationError(
            f"{what} {value!r} contains the NUL character (\\x00), which PostgreSQL cannot "
            f"store; remove it"
        )


def storable(*values: str) -> bool:
    """Whether every value could be stored at all (a lookup of one that cannot finds nothing)."""
    return not any("\x00" in value for value in values)
