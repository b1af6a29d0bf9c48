"""The supervision board (电子监察): red and yellow cases and steps, by division and post.

The page reloads itself (``<meta http-equiv="refresh">``, no JavaScript) every
:attr:`WebSettings.board_refresh_seconds`; other systems poll ``GET /api/v1/board``. The
board shows the lights the sweep recorded, so a supervisor (or a scheduler through
``POST /api/v1/sweep``) runs the sweep and the board turns.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, Router, get, post

from planning_core.bureau import Bureau
from planning_core.errors import PermissionDeniedError
from planning_core.web._auth import check_csrf, door_of, require_staff
from planning_core.web._render import html
from planning_core.web._views import BoardView, board_view, may_supervise
from planning_core.workflow import Actor

__all__ = ["board_router", "require_supervisor"]


def require_supervisor(bureau: Bureau, actor: Actor) -> None:
    """:raises PermissionDeniedError: unless ``actor`` may see the board."""
    if not may_supervise(bureau, actor):
        raise PermissionDeniedError(
            f"{actor.name} ({actor.id}) may not see the supervision board: division heads, "
            f"leaders and the supervision division only"
        )


@get("/")
async def board(request: Request[Any, Any, Any]) -> Response[str]:
    """The board page."""
    door = door_of(request)

    def work(b: Bureau) -> BoardView:
        require_supervisor(b, require_staff(request))
        return board_view(b, door.now())

    view = await door.run(work)
    return html(
        request,
        "board.html",
        title="电子监察",
        board=view,
        refresh=door.settings.board_refresh_seconds,
    )


@post("/sweep", status_code=200)
async def sweep(request: Request[Any, Any, Any]) -> Response[str]:
    """Run the sweep now (record the lights that changed), then back to the board."""
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    door = door_of(request)

    def work(b: Bureau) -> None:
        require_supervisor(b, require_staff(request))
        check_csrf(request, fields)
        b.engine.sweep(door.now())

    await door.run(work)
    return Response("", status_code=303, headers={"Location": "/board"})


board_router = Router(path="/board", route_handlers=[board, sweep])
