"""The window's errors: each a ``planning_core.errors`` class, so hosts catch them as usual."""

from __future__ import annotations

from planning_core.errors import ConflictError, PermissionDeniedError

__all__ = ["QueryLockedError", "QueryRefusedError", "SlotFullError"]

#: The one message for an unknown case number and a wrong password alike, so that the
#: answer never tells a caller which case numbers exist.
REFUSED_MESSAGE = (
    "the case number or the query password is wrong; check both against the receipt "
    "(立案回执) and try again (after 5 wrong attempts in 15 minutes the number is locked "
    "for 15 minutes)"
)


class QueryRefusedError(PermissionDeniedError):
    """The case number or the query password is wrong (deliberately not saying which)."""

    def __init__(self) -> None:
        super().__init__(REFUSED_MESSAGE)


class QueryLockedError(PermissionDeniedError):
    """Too many wrong attempts on this case number: queries are refused for a while.

    :param until: the instant (ISO 8601) from which queries are answered again.
    """

    def __init__(self, case_number: str, until: str) -> None:
        self.until = until
        super().__init__(
            f"too many wrong attempts on case number {case_number!r}: queries are refused "
            f"until {until}; try again then with the password on the receipt"
        )


class SlotFullError(ConflictError):
    """The appointment slot (or the chosen counter in it) has no place left."""
