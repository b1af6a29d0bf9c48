"""Errors as a page or a JSON problem document (RFC 9457), never a traceback.

A :class:`~planning_core.errors.PlanningError` already says what went wrong and what to do;
this module picks its HTTP status, and answers a page for the browser pages and
``application/problem+json`` under ``/api/``. Anything unexpected is logged on the server
(its type and the request's path, no body, no query string, no headers) and answered with a
plain "something went wrong" and status 500.
"""

from __future__ import annotations

import logging
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from planning_core.errors import (
    ConflictError,
    InvalidStateError,
    NotFoundError,
    PermissionDeniedError,
    PlanningError,
    ValidationError,
)
from planning_core.web._credentials import LoginLockedError, LoginRefusedError
from planning_core.window import QueryLockedError, QueryRefusedError, SlotFullError

__all__ = [
    "CsrfError",
    "NotSignedInError",
    "handle_error",
    "problem_status",
    "public_message",
]

_log = logging.getLogger("planning_core.web")


class NotSignedInError(PermissionDeniedError):
    """The request needs a signed-in person (a page) or a system token (the API)."""


class CsrfError(PermissionDeniedError):
    """A form came without the token of the session (or visitor) it claims to come from."""


_TITLES = {
    400: "请求有误",
    401: "请先登录",
    403: "无权办理",
    404: "未找到",
    405: "不支持的请求方式",
    409: "当前状态不允许此操作",
    429: "尝试次数过多，请稍后再试",
    500: "系统出错",
}


def problem_status(exc: BaseException) -> int:
    """The HTTP status of an error."""
    if isinstance(exc, HTTPException):
        return exc.status_code
    table: list[tuple[type[BaseException], int]] = [
        (QueryLockedError, 429),
        (LoginLockedError, 429),
        (NotSignedInError, 401),
        (PermissionDeniedError, 403),
        (NotFoundError, 404),
        (SlotFullError, 409),
        (ConflictError, 409),
        (InvalidStateError, 409),
        (ValidationError, 400),
        (PlanningError, 400),
    ]
    return next((status for kind, status in table if isinstance(exc, kind)), 500)


def public_message(exc: BaseException) -> str:
    """What the page or the problem's ``detail`` says: Chinese for the public refusals."""
    if isinstance(exc, QueryLockedError):
        return f"查询尝试次数过多，请于 {exc.until} 后再试。"
    if isinstance(exc, QueryRefusedError):
        return "案件编号或查询密码不正确，请核对立案回执后重试。"
    if isinstance(exc, LoginRefusedError | LoginLockedError):
        return str(exc)
    if isinstance(exc, CsrfError):
        return "表单已过期或来源不明，请返回刷新页面后重新提交。"
    if isinstance(exc, NotSignedInError):
        return "请先登录。"
    if isinstance(exc, SlotFullError):
        return "该时段已约满，请选择其他时段。"
    if isinstance(exc, PlanningError):
        return str(exc)
    if isinstance(exc, HTTPException):
        return str(exc.detail)
    return "系统出错，请稍后再试；问题已记录。"


def handle_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """The one exception handler of the app: a problem document or an error page."""
    status = problem_status(exc)
    if status == HTTP_500_INTERNAL_SERVER_ERROR:
        _log.error(
            "unexpected %s on %s %s",
            type(exc).__name__,
            request.method,
            request.url.path,
            exc_info=exc,
        )
    detail = public_message(exc)
    title = _TITLES.get(status, "请求未能完成")
    if request.url.path.startswith("/api/"):
        problem = {
            "type": "about:blank",
            "title": title,
            "status": status,
            "detail": detail,
            "instance": request.url.path,
        }
        return Response(problem, status_code=status, media_type="application/problem+json")
    if isinstance(exc, NotSignedInError) and request.method == "GET":
        return Response("", status_code=303, headers={"Location": "/staff/login"})
    from planning_core.web._render import render_page

    html = render_page(request, "error.html", title=title, status=status, detail=detail)
    return Response(html, status_code=status, media_type=MediaType.HTML)
