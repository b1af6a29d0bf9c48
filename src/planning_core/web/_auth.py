"""Who is asking: the visitor, the signed-in person, or a system with a token.

* Every browser gets a signed visitor cookie; the CSRF token of its forms is an HMAC of it,
  so the public forms (booking, cancelling) are protected before anyone logs in.
* A signed-in person's cookie carries a random session id, signed with the door's secret;
  the session record (:mod:`planning_core.web._credentials`) holds the person's CSRF token,
  which every staff form carries and every staff POST checks.
* The API takes ``Authorization: Bearer <token>``; the token names the actor the system
  acts as, and that actor's posts and authority decide what it may do, as for a person.
* The caller's address (the socket's peer, or ``X-Forwarded-For`` behind a trusted proxy)
  is the public query's throttling key.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from typing import Any

from litestar import Request, Response

from planning_core.web._credentials import Session
from planning_core.web._door import Door
from planning_core.web._errors import CsrfError, NotSignedInError
from planning_core.workflow import Actor

__all__ = [
    "SESSION_COOKIE",
    "VISITOR_COOKIE",
    "api_actor",
    "check_csrf",
    "client_address",
    "csrf_token",
    "door_of",
    "end_session",
    "require_staff",
    "set_visitor_cookie",
    "signed_in",
    "start_session",
]

SESSION_COOKIE = "pc_session"
VISITOR_COOKIE = "pc_visitor"


def door_of(request: Request[Any, Any, Any]) -> Door:
    """The door the app was built over."""
    door: Door = request.app.state.door
    return door


def _sign(secret: bytes, value: str) -> str:
    mac = hmac.new(secret, value.encode(), hashlib.sha256).hexdigest()[:32]
    return f"{value}.{mac}"


def _unsign(secret: bytes, signed: str | None) -> str | None:
    if not signed or "." not in signed:
        return None
    value, _, mac = signed.rpartition(".")
    good = hmac.new(secret, value.encode(), hashlib.sha256).hexdigest()[:32]
    return value if hmac.compare_digest(good, mac) else None


def client_address(request: Request[Any, Any, Any]) -> str:
    """The caller's address: the public query's throttling key."""
    if door_of(request).settings.trust_forwarded:
        forwarded = request.headers.get("x-forwarded-for", "")
        first = forwarded.split(",")[0].strip()
        if first:
            return first[:128]
    client = request.client
    return client.host if client is not None else "unknown"


# -- visitors and CSRF -------------------------------------------------------------------------


def _visitor(request: Request[Any, Any, Any]) -> str:
    state = request.state
    if "visitor" not in state:
        found = _unsign(door_of(request).secret, request.cookies.get(VISITOR_COOKIE))
        if found is None:
            found = secrets.token_urlsafe(16)
            state["new_visitor"] = found
        state["visitor"] = found
    return str(state["visitor"])


def csrf_token(request: Request[Any, Any, Any]) -> str:
    """The token this request's forms carry: the session's, else the visitor's."""
    session: Session | None = request.state.get("session")
    if session is not None:
        return session.csrf
    mac = hmac.new(door_of(request).secret, f"csrf:{_visitor(request)}".encode(), hashlib.sha256)
    return mac.hexdigest()[:32]


def check_csrf(request: Request[Any, Any, Any], form: Mapping[str, Any]) -> None:
    """Refuse a form without the right token.

    :raises CsrfError: the token is missing or belongs to another session or visitor.
    """
    given = form.get("csrf")
    if not isinstance(given, str) or not hmac.compare_digest(given, csrf_token(request)):
        raise CsrfError("the form's CSRF token is missing or wrong")


def set_visitor_cookie(request: Request[Any, Any, Any], response: Response[Any]) -> None:
    """Give a new visitor its signed cookie (called after every request)."""
    new = request.state.get("new_visitor")
    if new:
        door = door_of(request)
        response.set_cookie(
            VISITOR_COOKIE,
            _sign(door.secret, new),
            httponly=True,
            samesite="lax",
            secure=door.settings.secure_cookies,
        )


# -- staff sessions ----------------------------------------------------------------------------


def signed_in(request: Request[Any, Any, Any]) -> tuple[Session, Actor] | None:
    """The signed-in person of this request, if any (call with the door held)."""
    state = request.state
    if "staff" in state:
        found: tuple[Session, Actor] | None = state["staff"]
        return found
    door = door_of(request)
    session_id = _unsign(door.secret, request.cookies.get(SESSION_COOKIE))
    session = None if session_id is None else door.credentials.session(session_id, door.now())
    result = None
    if session is not None:
        result = (session, door.bureau.organisation.actor(session.actor_id))
        state["session"] = session
    state["staff"] = result
    return result


def require_staff(request: Request[Any, Any, Any]) -> Actor:
    """The signed-in person.

    :raises NotSignedInError: nobody is signed in (pages redirect to the login page).
    """
    found = signed_in(request)
    if found is None:
        raise NotSignedInError("sign in first (/staff/login)")
    return found[1]


def start_session(
    request: Request[Any, Any, Any], response: Response[Any], session_id: str
) -> None:
    """Set the session cookie after a successful login."""
    door = door_of(request)
    response.set_cookie(
        SESSION_COOKIE,
        _sign(door.secret, session_id),
        httponly=True,
        samesite="lax",
        secure=door.settings.secure_cookies,
        max_age=door.settings.login.session_hours * 3600,
    )


def end_session(request: Request[Any, Any, Any], response: Response[Any]) -> None:
    """Forget the session in the store and in the browser."""
    door = door_of(request)
    session_id = _unsign(door.secret, request.cookies.get(SESSION_COOKIE))
    if session_id is not None:
        door.credentials.log_out(session_id)
    response.delete_cookie(SESSION_COOKIE)


# -- systems -----------------------------------------------------------------------------------


def api_actor(request: Request[Any, Any, Any]) -> Actor:
    """The actor a system's bearer token acts as (call with the door held).

    :raises NotSignedInError: no token, or an unknown one.
    """
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    door = door_of(request)
    found = door.credentials.token(token.strip()) if scheme.lower() == "bearer" else None
    if found is None:
        raise NotSignedInError("give a system token: Authorization: Bearer <token>")
    return door.bureau.organisation.actor(found.actor_id)
