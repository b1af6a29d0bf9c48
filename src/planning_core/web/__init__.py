"""The bureau on the web: an ASGI application over one bureau (``pip install
"planning-core[web]"``).

``create_app(bureau)`` builds the Litestar app: public pages (报建须知, the progress query,
appointments, the certificate check), staff pages (login, my work, intake, the case page and
its actions), the supervision board and the JSON API under ``/api/v1``. ``planning-core
serve`` runs it with uvicorn. Staff passwords, sessions and system tokens live in the
bureau's store (:class:`StaffCredentials`). See docs/web.md.

Without the ``web`` extra (Litestar, Jinja2; uvicorn for ``serve``), importing the room
raises :class:`~planning_core.errors.MissingExtraError` naming the extra.
"""

from planning_core import _extras

for _module in ("litestar", "jinja2"):
    _extras.import_extra(_module, "web", "planning_core.web (the web door)")
del _module

from planning_core.web._app import SECURITY_HEADERS, create_app
from planning_core.web._credentials import (
    LoginLockedError,
    LoginPolicy,
    LoginRefusedError,
    Session,
    StaffCredentials,
    SystemToken,
)
from planning_core.web._door import WebSettings, wall_clock
from planning_core.web._errors import CsrfError, NotSignedInError

__all__ = [
    "SECURITY_HEADERS",
    "CsrfError",
    "LoginLockedError",
    "LoginPolicy",
    "LoginRefusedError",
    "NotSignedInError",
    "Session",
    "StaffCredentials",
    "SystemToken",
    "WebSettings",
    "create_app",
    "wall_clock",
]
