"""The staff pages: log in and out, my work, intake, the case page and its actions.

Every POST checks the session's CSRF token; every action is the engine's command given with
the signed-in person and the door's instant (:func:`planning_core.web._views.perform`), so
the history shows who did what, and the engine refuses what the person's posts do not allow.
After an action the browser is sent back to the case page (post, redirect, get).
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, Router, get, post
from litestar.params import PathParameter, QueryParameter

from planning_core.bureau import Bureau
from planning_core.errors import PermissionDeniedError
from planning_core.web._auth import (
    check_csrf,
    door_of,
    end_session,
    require_staff,
    signed_in,
    start_session,
)
from planning_core.web._render import html
from planning_core.web._views import case_view, inbox_of, may_supervise, perform, request_from_form
from planning_core.window import Application, Receipt

FromPath = Annotated[str, PathParameter()]

__all__ = ["staff_router"]


def _redirect(location: str) -> Response[str]:
    return Response("", status_code=303, headers={"Location": location})


async def _fields(request: Request[Any, Any, Any]) -> tuple[dict[str, str], dict[str, list[str]]]:
    form = await request.form()
    fields: dict[str, str] = {}
    lists: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        if isinstance(value, str):
            fields.setdefault(key, value)
            lists.setdefault(key, []).append(value)
    return fields, lists


@get("/login")
async def login_form(request: Request[Any, Any, Any]) -> Response[str]:
    """The login form."""
    await door_of(request).run(lambda b: signed_in(request))
    return html(request, "login.html", title="工作人员登录")


@post("/login", status_code=200)
async def login(request: Request[Any, Any, Any]) -> Response[str]:
    """Check the password (with the lockout) and open a session."""
    fields, _ = await _fields(request)
    check_csrf(request, fields)
    door = door_of(request)
    session_id, _session = await door.run(
        lambda b: door.credentials.log_in(
            fields.get("actor_id", ""), fields.get("password", ""), door.now()
        )
    )
    response = _redirect("/staff")
    start_session(request, response, session_id)
    return response


@post("/logout", status_code=200)
async def logout(request: Request[Any, Any, Any]) -> Response[str]:
    """End the session."""
    fields, _ = await _fields(request)
    door = door_of(request)
    await door.run(lambda b: signed_in(request))
    check_csrf(request, fields)
    response = _redirect("/staff/login")
    await door.run(lambda b: end_session(request, response))
    return response


@get("/")
async def my_work(request: Request[Any, Any, Any]) -> Response[str]:
    """My work: the inbox of every post the person holds, soonest due first."""

    def work(b: Bureau) -> dict[str, Any]:
        actor = require_staff(request)
        posts = [b.organisation.post(p) for p in actor.posts]
        return {
            "items": inbox_of(b, actor),
            "posts": posts,
            "supervisor": may_supervise(b, actor),
            "window": b.settings.window_post in actor.posts,
        }

    context = await door_of(request).run(work)
    return html(request, "inbox.html", title="我的工作", **context)


@get("/intake")
async def intake_form(
    request: Request[Any, Any, Any], permit: Annotated[str | None, QueryParameter()] = None
) -> Response[str]:
    """The intake form (window clerks): choose the permit type, then tick its materials."""

    def work(b: Bureau) -> dict[str, Any]:
        actor = require_staff(request)
        if b.settings.window_post not in actor.posts:
            raise PermissionDeniedError(f"{actor.name} does not hold the window post")
        permits = b.permit_types.values()
        chosen = next((p for p in permits if p.code == permit), None)
        return {"permits": permits, "chosen": chosen}

    context = await door_of(request).run(work)
    return html(request, "intake.html", title="窗口收件", **context)


@post("/intake", status_code=200)
async def intake(request: Request[Any, Any, Any]) -> Response[str]:
    """Receive an application; the answer is the receipt with the query password."""
    fields, lists = await _fields(request)
    door = door_of(request)

    def work(b: Bureau) -> Receipt:
        actor = require_staff(request)
        check_csrf(request, fields)
        application = Application(
            fields.get("permit_type", ""),
            fields.get("applicant", ""),
            fields.get("project", ""),
            tuple(lists.get("materials", [])),
            contact=fields.get("contact") or None,
        )
        return b.window.intake(application, actor, door.now())

    receipt = await door.run(work)
    return html(request, "receipt.html", title="立案回执", receipt=receipt)


@get("/cases/{number:str}")
async def case_page(request: Request[Any, Any, Any], number: FromPath) -> Response[str]:
    """The case page: clocks, the workflow with its active steps, the history, the actions."""
    door = door_of(request)

    def work(b: Bureau) -> dict[str, Any]:
        actor = require_staff(request)
        view = case_view(b, actor, number, door.now())
        return {"case": view, "actor": actor}

    context = await door.run(work)
    return html(request, "case.html", title=f"案件 {number}", **context)


@post("/cases/{number:str}/act", status_code=200)
async def act(request: Request[Any, Any, Any], number: FromPath) -> Response[str]:
    """One action on the case (complete a step, decide, issue …), then back to the case."""
    fields, lists = await _fields(request)
    door = door_of(request)

    def work(b: Bureau) -> str:
        actor = require_staff(request)
        check_csrf(request, fields)
        result = perform(b, actor, number, request_from_form(fields, lists), door.now())
        return result.case_number

    case_number = await door.run(work)
    return _redirect(f"/staff/cases/{case_number}")


staff_router = Router(
    path="/staff",
    route_handlers=[login_form, login, logout, my_work, intake_form, intake, case_page, act],
)
