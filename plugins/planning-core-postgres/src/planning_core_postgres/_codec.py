"""What PostgreSQL cannot hold, caught before a statement is sent.

PostgreSQL's text cannot contain the NUL character: it is checked here, so the caller gets a
:class:`ValidationError` that names the value instead of a driver error in the middle of a
transaction. (Its ``json`` type refuses ``NaN`` and ``Infinity`` too; documents are written
with :func:`planning_core.storage.document_text`, which refuses them for every backend.)
"""

from __future__ import annotations

from planning_core.errors import ValidationError

__all__ = ["check_text", "storable"]


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
