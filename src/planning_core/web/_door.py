"""The web door's shared parts: the bureau, its lock, the clock and the settings.

Every request reaches the bureau through one :class:`Door`. The engine and the SQLite store
are synchronous and hold one connection, so every call into them runs under the door's lock
(handlers run in worker threads, never on the event loop): one request at a time touches
the store, which is what SQLite does anyway. The clock is a callable, injected, so tests and
demonstrations fix the time; the core itself never reads it.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import anyio.to_thread
import attrs
import pendulum

from planning_core.bureau import Bureau
from planning_core.web._credentials import LoginPolicy, StaffCredentials

__all__ = ["SECRET", "Clock", "Door", "WebSettings", "wall_clock"]

#: The store record (collection ``web.settings``, key ``secret``) of the signing key.
SECRET = "web.settings"

Clock = Callable[[], pendulum.DateTime]
T = TypeVar("T")


def wall_clock() -> pendulum.DateTime:
    """The time now in the bureau's zone: the web door's only default use of the wall clock."""
    return pendulum.now("Asia/Shanghai")


@attrs.frozen
class WebSettings:
    """What a host sets for the web door.

    :param secure_cookies: send cookies only over HTTPS (leave on behind TLS; ``serve`` on
        loopback turns it off).
    :param trust_forwarded: take the caller's address from ``X-Forwarded-For`` (only behind a
        proxy that sets it); otherwise the socket's peer is the throttling key.
    :param board_refresh_seconds: how often the supervision board reloads itself.
    :param login: the staff login lockout and session length.
    :param secret: the key that signs cookies; None keeps a random one in the store, so it
        survives restarts and every server of a shared store agrees.
    """

    secure_cookies: bool = True
    trust_forwarded: bool = False
    board_refresh_seconds: int = 30
    login: LoginPolicy = attrs.field(factory=LoginPolicy)
    secret: bytes | None = None


class Door:
    """One bureau behind the web: what every handler reaches through ``app.state.door``."""

    def __init__(self, bureau: Bureau, clock: Clock, settings: WebSettings) -> None:
        self.bureau = bureau
        self.clock = clock
        self.settings = settings
        self.credentials = StaffCredentials(bureau.store, bureau.organisation, settings.login)
        self._lock = threading.RLock()
        self.secret = settings.secret or self._stored_secret()

    @contextmanager
    def held(self) -> Iterator[Bureau]:
        """The bureau, for one request's work, with nobody else in the store meanwhile."""
        with self._lock:
            yield self.bureau

    async def run(self, work: Callable[[Bureau], T]) -> T:
        """Run ``work`` on the bureau in a worker thread, with the door held."""

        def held() -> T:
            with self.held() as bureau:
                return work(bureau)

        return await anyio.to_thread.run_sync(held)

    def now(self) -> pendulum.DateTime:
        """The door's clock, read once per request."""
        return self.clock()

    def _stored_secret(self) -> bytes:
        with self._lock:
            found = self.bureau.store.get_record(SECRET, "secret")
            if found is None:
                found = {"hex": secrets.token_hex(32)}
                self.bureau.store.put_records(SECRET, {"secret": found})
            return bytes.fromhex(str(found["hex"]))
