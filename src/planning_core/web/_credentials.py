"""Staff passwords, sessions and system tokens, kept in the bureau's own store.

The organisation (``bureau.organisation``) says who the people are and which posts they hold;
it says nothing about how they prove it. The web door keeps that beside the cases, in store
records, so a bureau has one thing to back up and a PostgreSQL bureau shares logins across
its servers with no extra table:

* ``web.staff_credentials``: per actor id, a scrypt hash (the window's ``hash_secret``,
  n=2**14, r=8, p=1, 16-byte salt): slow on purpose, so a stolen store does not give the
  passwords away.
* ``web.staff_lockout``: per actor id, failed logins in a row and the lock's end; after
  :attr:`LoginPolicy.attempts` failures the account is locked for
  :attr:`LoginPolicy.lock_minutes` whatever password comes, so guessing is slow.
* ``web.sessions``: per SHA-256 of a session id, who is signed in, the CSRF token and when
  the session ends. The cookie carries the id; the store only its digest, so a read of the
  store cannot be replayed as a cookie. Logging out deletes the record.
* ``web.system_tokens``: per token name, the SHA-256 of a 256-bit random token and the actor
  id the system acts as. A fast hash suits a random token (nothing to guess); the token
  itself is shown once, when it is made.

Nothing here reads the wall clock: every call takes its instant.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

import attrs
import pendulum

from planning_core.errors import NotFoundError, PermissionDeniedError, ValidationError
from planning_core.serialization import parse_instant
from planning_core.storage import Store
from planning_core.window import (
    ScryptParameters,
    decoy_record,
    hash_secret,
    secret_matches,
)
from planning_core.workflow import Organisation

__all__ = [
    "CREDENTIALS",
    "LOCKOUT",
    "SESSIONS",
    "TOKENS",
    "LoginLockedError",
    "LoginPolicy",
    "LoginRefusedError",
    "Session",
    "StaffCredentials",
    "SystemToken",
]

CREDENTIALS = "web.staff_credentials"
LOCKOUT = "web.staff_lockout"
SESSIONS = "web.sessions"
TOKENS = "web.system_tokens"

#: The cost of a staff password check: the interactive-login scrypt figures the window uses.
_PARAMETERS = ScryptParameters()
_MIN_PASSWORD = 10


class LoginRefusedError(PermissionDeniedError):
    """A wrong actor id or password (one message for both, so ids cannot be fished)."""


class LoginLockedError(PermissionDeniedError):
    """Too many failed logins in a row: the account waits until the lock ends."""


@attrs.frozen
class LoginPolicy:
    """How many failed logins lock an account, for how long, and how long a session lasts."""

    attempts: int = 5
    lock_minutes: int = 15
    session_hours: int = 10


@attrs.frozen
class Session:
    """A signed-in person: their actor id and the CSRF token every form of theirs carries."""

    actor_id: str
    csrf: str
    expires: pendulum.DateTime


@attrs.frozen
class SystemToken:
    """A system's API token: its name and the actor the system acts as."""

    name: str
    actor_id: str


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class StaffCredentials:
    """Staff logins, sessions and system tokens of one bureau's store."""

    def __init__(
        self, store: Store, organisation: Organisation, policy: LoginPolicy | None = None
    ) -> None:
        self.store = store
        self.organisation = organisation
        self.policy = policy or LoginPolicy()

    # -- passwords -------------------------------------------------------------------------------

    def set_password(self, actor_id: str, password: str) -> None:
        """Set (or replace) the password of ``actor_id`` and lift any lock.

        :raises NotFoundError: for a person the organisation does not have.
        :raises ValidationError: for a password shorter than 10 characters.
        """
        self.organisation.actor(actor_id)
        if not isinstance(password, str) or len(password) < _MIN_PASSWORD:
            raise ValidationError(f"a staff password needs at least {_MIN_PASSWORD} characters")
        record = hash_secret(password, _PARAMETERS)
        with self.store.unit_of_work() as uow:
            uow.put_records(CREDENTIALS, {actor_id: record})
            uow.delete_records(LOCKOUT, [actor_id])
            uow.commit()

    def has_password(self, actor_id: str) -> bool:
        """Whether ``actor_id`` can log in at all."""
        return self.store.get_record(CREDENTIALS, actor_id) is not None

    def log_in(self, actor_id: str, password: str, at: Any) -> tuple[str, Session]:
        """Check the password and open a session; returns the session id (for the cookie).

        :raises LoginLockedError: while the account is locked (the password is not checked).
        :raises LoginRefusedError: for an unknown person or a wrong password, alike.
        """
        moment = parse_instant(at)
        actor_id = actor_id.strip() if isinstance(actor_id, str) else ""
        known = any(a.id == actor_id for a in self.organisation.actors)
        lock = self.store.get_record(LOCKOUT, actor_id) if known else None
        until = None if not lock or not lock.get("until") else parse_instant(str(lock["until"]))
        if until is not None and moment < until:
            local = until.in_timezone("Asia/Shanghai")
            raise LoginLockedError(f"登录失败次数过多，账户已锁定至 {local:%H:%M}，请稍后再试")
        record = self.store.get_record(CREDENTIALS, actor_id) if known else None
        # an unknown person costs one check against a decoy, as a known one does
        target = record if record is not None else decoy_record(_PARAMETERS)
        ok = secret_matches(str(password), target)
        if record is None or not ok:
            if known:
                self._failed(actor_id, lock, moment)
            raise LoginRefusedError("用户名或密码不正确")
        session_id = secrets.token_urlsafe(32)
        session = Session(
            actor_id, secrets.token_urlsafe(24), moment.add(hours=self.policy.session_hours)
        )
        with self.store.unit_of_work() as uow:
            uow.delete_records(LOCKOUT, [actor_id])
            uow.put_records(
                SESSIONS,
                {
                    _digest(session_id): {
                        "actor_id": actor_id,
                        "csrf": session.csrf,
                        "expires": session.expires.isoformat(),
                    }
                },
            )
            uow.commit()
        return session_id, session

    def _failed(self, actor_id: str, lock: Any, moment: pendulum.DateTime) -> None:
        failures = int(lock.get("failures", 0)) + 1 if lock else 1
        record: dict[str, Any] = {"failures": failures, "until": None}
        if failures >= self.policy.attempts:
            record = {
                "failures": 0,
                "until": moment.add(minutes=self.policy.lock_minutes).isoformat(),
            }
        self.store.put_records(LOCKOUT, {actor_id: record})

    # -- sessions ---------------------------------------------------------------------------------

    def session(self, session_id: str, at: Any) -> Session | None:
        """The live session of ``session_id``, or None (unknown, ended, or its person gone)."""
        if not session_id:
            return None
        data = self.store.get_record(SESSIONS, _digest(session_id))
        if data is None:
            return None
        expires = parse_instant(str(data["expires"]))
        actor_id = str(data["actor_id"])
        if parse_instant(at) >= expires or not any(
            a.id == actor_id for a in self.organisation.actors
        ):
            return None
        return Session(actor_id, str(data["csrf"]), expires)

    def log_out(self, session_id: str) -> None:
        """End the session ``session_id`` (nothing happens for an unknown one)."""
        self.store.delete_records(SESSIONS, [_digest(session_id)])

    # -- system tokens ----------------------------------------------------------------------------

    def issue_token(self, name: str, actor_id: str) -> str:
        """Make the API token ``name`` for a system acting as ``actor_id``; returns it once.

        Issuing a name again replaces its token (the old one stops working).
        """
        if not isinstance(name, str) or not name.strip() or len(name) > 64:
            raise ValidationError("name the token (at most 64 characters), e.g. the system's name")
        self.organisation.actor(actor_id)
        token = f"pct_{secrets.token_urlsafe(32)}"
        self.store.put_records(
            TOKENS, {name.strip(): {"sha256": _digest(token), "actor_id": actor_id}}
        )
        return token

    def revoke_token(self, name: str) -> None:
        """Withdraw the token ``name``.

        :raises NotFoundError: for an unknown name.
        """
        if not self.store.delete_records(TOKENS, [name]):
            raise NotFoundError(f"no system token named {name!r}")

    def token(self, token: str) -> SystemToken | None:
        """The system a bearer token belongs to, or None."""
        digest = _digest(token)
        found = None
        for name, data in self.store.list_records(TOKENS):
            if hmac.compare_digest(str(data.get("sha256", "")), digest):
                found = SystemToken(name, str(data["actor_id"]))
        return found
