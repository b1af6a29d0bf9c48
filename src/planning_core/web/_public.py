"""The public pages: 报建须知, the progress query, appointments and the certificate check.

They need no login and no JavaScript: plain forms, posted, answered with a page. Every form
carries the visitor's CSRF token. The progress query is the window's own
(:meth:`~planning_core.window.Window.public_status`), with the caller's address as the
throttling key, so the lockout and the "unknown number answered like a wrong password" rule
hold here exactly as at the counter. Changing an appointment needs its number and the name
it was booked under: numbers run in sequence and are easy to guess.
"""

from __future__ import annotations

import hmac
from typing import Any

import pendulum
from litestar import Request, Response, Router, get, post

from planning_core.bureau import Bureau
from planning_core.errors import NotFoundError
from planning_core.web._auth import check_csrf, client_address, door_of
from planning_core.web._render import html
from planning_core.window import APPOINTMENTS, Appointment, Slot, published_permits

__all__ = ["free_slots", "own_appointment", "public_router"]

#: How many working days ahead the booking page offers.
_DAYS_SHOWN = 5


def free_slots(bureau: Bureau, now: pendulum.DateTime) -> list[Slot]:
    """Slots with a place left on the next working days (from tomorrow)."""
    book = bureau.window.appointments
    day = bureau.calendar.local_date(now)
    found: list[Slot] = []
    shown = 0
    for _ in range(_DAYS_SHOWN * 3):
        day = day.add(days=1)
        if not bureau.calendar.is_working_day(day):
            continue
        found += [s for s in book.slots(day) if s.places_left > 0 and s.start > now]
        shown += 1
        if shown == _DAYS_SHOWN:
            break
    return found


def own_appointment(bureau: Bureau, number: str, applicant: str) -> Appointment:
    """The appointment ``number`` if it was booked under ``applicant``.

    :raises NotFoundError: for an unknown number or another name, alike.
    """
    data = bureau.store.get_record(APPOINTMENTS, number.strip()[:32])
    booked = "" if data is None else str(data.get("applicant", ""))
    if data is None or not hmac.compare_digest(booked.encode(), applicant.strip().encode()):
        raise NotFoundError("没有找到该预约：请核对预约号和预约人姓名")
    return bureau.window.appointments.get(number.strip())


async def _form(request: Request[Any, Any, Any]) -> dict[str, str]:
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    check_csrf(request, fields)
    return fields


@get("/", sync_to_thread=False)
def home(request: Request[Any, Any, Any]) -> Response[str]:
    """The front page: what the public can do here."""
    return html(request, "home.html", title="首页")


@get("/limits")
async def limits(request: Request[Any, Any, Any]) -> Response[str]:
    """报建须知: time limits and materials per permit type, as published."""
    permits = await door_of(request).run(lambda b: published_permits(b.permit_types))
    return html(request, "limits.html", title="报建须知", permits=permits)


@get("/status", sync_to_thread=False)
def status_form(request: Request[Any, Any, Any]) -> Response[str]:
    """The progress query form."""
    return html(request, "status.html", title="办件进度查询", result=None)


@post("/status", status_code=200)
async def status_query(request: Request[Any, Any, Any]) -> Response[str]:
    """The progress query: the case number and the query password from the receipt."""
    form = await _form(request)
    door = door_of(request)
    client = client_address(request)
    result = await door.run(
        lambda b: b.window.public_status(
            form.get("case_number", ""), form.get("password", ""), door.now(), client=client
        )
    )
    return html(request, "status.html", title="办件进度查询", result=result)


@get("/appointments")
async def booking_form(request: Request[Any, Any, Any]) -> Response[str]:
    """The booking form: the free slots of the next working days."""
    door = door_of(request)
    slots = await door.run(lambda b: free_slots(b, door.now()))
    return html(request, "book.html", title="预约咨询", slots=slots)


@post("/appointments", status_code=200)
async def book(request: Request[Any, Any, Any]) -> Response[str]:
    """Book a slot; the answer is the appointment card."""
    form = await _form(request)
    door = door_of(request)
    card = await door.run(
        lambda b: b.window.appointments.book(
            form.get("start", ""),
            applicant=form.get("applicant", ""),
            topic=form.get("topic", ""),
            at=door.now(),
            contact=form.get("contact") or None,
            case_number=form.get("case_number") or None,
        )
    )
    return html(request, "card.html", title="预约接待卡", card=card, moved=False)


@get("/appointments/change")
async def change_form(request: Request[Any, Any, Any]) -> Response[str]:
    """The form to reschedule or cancel an appointment."""
    door = door_of(request)
    slots = await door.run(lambda b: free_slots(b, door.now()))
    return html(request, "change.html", title="改约或取消预约", slots=slots)


@post("/appointments/reschedule", status_code=200)
async def reschedule(request: Request[Any, Any, Any]) -> Response[str]:
    """Move an appointment to another slot, keeping its number."""
    form = await _form(request)
    door = door_of(request)

    def work(b: Bureau) -> Any:
        own = own_appointment(b, form.get("number", ""), form.get("applicant", ""))
        return b.window.appointments.reschedule(own.number, form.get("start", ""), at=door.now())

    card = await door.run(work)
    return html(request, "card.html", title="预约接待卡（已改约）", card=card, moved=True)


@post("/appointments/cancel", status_code=200)
async def cancel(request: Request[Any, Any, Any]) -> Response[str]:
    """Cancel an appointment."""
    form = await _form(request)
    door = door_of(request)

    def work(b: Bureau) -> Appointment:
        own = own_appointment(b, form.get("number", ""), form.get("applicant", ""))
        return b.window.appointments.cancel(
            own.number, at=door.now(), reason=form.get("reason", "")
        )

    cancelled = await door.run(work)
    return html(request, "cancelled.html", title="预约已取消", appointment=cancelled)


@get("/certificates", sync_to_thread=False)
def certificate_form(request: Request[Any, Any, Any]) -> Response[str]:
    """The certificate check form."""
    return html(request, "certificate.html", title="证书真伪查验", number=None, entry=None)


@post("/certificates", status_code=200)
async def certificate_check(request: Request[Any, Any, Any]) -> Response[str]:
    """Whether a certificate number is registered, and valid or void."""
    form = await _form(request)
    number = form.get("number", "").strip()[:64]

    def work(b: Bureau) -> Any:
        try:
            return b.window.certificates.get(number)
        except NotFoundError:
            return None

    entry = await door_of(request).run(work)
    return html(request, "certificate.html", title="证书真伪查验", number=number, entry=entry)


public_router = Router(
    path="/",
    route_handlers=[
        home,
        limits,
        status_form,
        status_query,
        booking_form,
        book,
        change_form,
        reschedule,
        cancel,
        certificate_form,
        certificate_check,
    ],
)
