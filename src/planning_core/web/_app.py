"""The application factory: one bureau behind an ASGI app, mountable in a host's own.

``create_app(bureau)`` returns a Litestar application (any ASGI server runs it; a host mounts
it under a path of its own app). Litestar was chosen because it reads attrs classes
natively: the API's bodies and answers are the library's own attrs models, validated and
documented in the OpenAPI schema without a second model layer (FastAPI would need pydantic
copies of every model; Starlette has no schema generation at all).
"""

from __future__ import annotations

from pathlib import Path

from litestar import Litestar
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.static_files import create_static_files_router
from litestar.types import Message, Scope

from planning_core.bureau import Bureau
from planning_core.web._api import api_router
from planning_core.web._board import board_router
from planning_core.web._door import Clock, Door, WebSettings, wall_clock
from planning_core.web._errors import handle_error
from planning_core.web._public import public_router
from planning_core.web._staff import staff_router

__all__ = ["SECURITY_HEADERS", "create_app"]

#: Sent with every answer: no framing, no sniffing, no referrer, no scripts from elsewhere.
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        b"frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    (b"cache-control", b"no-store"),
)


async def _security_headers(message: Message, scope: Scope) -> None:
    """Add :data:`SECURITY_HEADERS` to every HTTP answer, error pages and 404s included."""
    if message["type"] == "http.response.start":
        headers = list(message.get("headers", []))
        present = {bytes(name).lower() for name, _ in headers}
        headers += [(k, v) for k, v in SECURITY_HEADERS if k not in present]
        message["headers"] = headers


def create_app(
    bureau: Bureau,
    *,
    clock: Clock | None = None,
    settings: WebSettings | None = None,
    debug: bool = False,
) -> Litestar:
    """The web door of ``bureau``: public pages, staff pages, the board and ``/api/v1``.

    :param bureau: the bureau, opened by the host (``open_bureau``); the app does not close
        it.
    :param clock: the door's clock (default: the wall clock in Asia/Shanghai); tests and
        demonstrations pass their own.
    :param settings: cookies, proxy trust, the board's refresh, the login lockout.
    :param debug: never in production; errors are still pages, not tracebacks.
    """
    door = Door(bureau, clock or wall_clock, settings or WebSettings())
    static = create_static_files_router(
        path="/static", directories=[Path(__file__).parent / "static"], name="static"
    )
    app = Litestar(
        route_handlers=[public_router, staff_router, board_router, api_router, static],
        exception_handlers={Exception: handle_error},
        before_send=[_security_headers],
        openapi_config=OpenAPIConfig(
            title="planning_core web API",
            version="1",
            path="/api/v1/schema",
            render_plugins=[JsonRenderPlugin(path="/openapi.json")],
        ),
        debug=debug,
        logging_config=None,
    )
    app.state.door = door
    return app
