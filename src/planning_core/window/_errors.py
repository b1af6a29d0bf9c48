"""The window's errors: each a ``planning_core.errors`` class, so hosts catch them as usual.

The query errors take their whole message from the caller: the lockout builds it from the
:class:`~planning_core.window.LockoutPolicy` in force, so a bureau that sets three attempts
an hour never tells its applicants "5 attempts … 15 minutes".
"""

from __future__ import annotations

from planning_core.errors import ConflictError, PermissionDeniedError

__all__ = ["QueryLockedError", "QueryRefusedError", "SlotFullError"]


class QueryRefusedError(PermissionDeniedError):
    """The case number or the query password (or the contact) is wrong, deliberately not
    saying which: an unknown number and a wrong password get this same error and message.

    :param message: the whole message, with the throttle in force in words.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)


class QueryLockedError(PermissionDeniedError):
    """This client must wait before it may query again (too many wrong attempts from it, or
    on the number it asks about); it says until when.

    :param until: the instant (ISO 8601) from which this client's query is answered again.
    :param message: the whole message, built from the policy in force.
    """

    def __init__(self, until: str, message: str) -> None:
        self.until = until
        super().__init__(message)


class SlotFullError(ConflictError):
    """The appointment slot (or the chosen counter in it) has no place left."""
