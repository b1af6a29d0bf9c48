"""Pages from Jinja2 templates (autoescaped), with what every page shows.

The templates live in ``planning_core/web/templates``; each page gets the bureau's name,
the signed-in person (if any) and the CSRF token its forms carry.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import jinja2
from litestar import MediaType, Request, Response

from planning_core.timing import Light
from planning_core.web._auth import csrf_token, door_of, set_visitor_cookie

__all__ = ["html", "render_page"]

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("planning_core.web", "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
)

_LIGHT_ZH = {light.value: light.zh for light in Light}


def _day(value: Any) -> str:
    """A date or an instant as ``2026年11月26日`` (instants in the bureau's zone)."""
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        value = value.astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    return f"{value.year}年{value.month}月{value.day}日"


def _when(value: Any) -> str:
    """An instant as ``2026-11-26 09:30`` in Beijing time."""
    if value is None:
        return "—"
    local = value.astimezone(dt.timezone(dt.timedelta(hours=8)))
    return f"{local:%Y-%m-%d %H:%M}"


_ENV.filters["day"] = _day
_ENV.filters["when"] = _when
_ENV.filters["light_zh"] = lambda value: _LIGHT_ZH.get(str(value), str(value))


def render_page(request: Request[Any, Any, Any], template: str, **context: Any) -> str:
    """The HTML of ``template`` with the page's common context."""
    door = door_of(request)
    staff = request.state.get("staff")
    common = {
        "bureau_name": door.bureau.name or "城乡规划局",
        "staff": None if staff is None else staff[1],
        "csrf": csrf_token(request),
        "path": request.url.path,
    }
    return _ENV.get_template(template).render(**common, **context)


def html(
    request: Request[Any, Any, Any], template: str, status: int = 200, **context: Any
) -> Response[str]:
    """A page response."""
    response = Response(
        render_page(request, template, **context), status_code=status, media_type=MediaType.HTML
    )
    set_visitor_cookie(request, response)
    return response
