"""The JSON API, ``/api/v1``: the same operations as the pages, for hosts and other systems.

Public operations (the limits, the progress query, appointments, the certificate check) need
no token; staff operations take ``Authorization: Bearer <token>`` of a system token
(``planning-core staff token NAME --actor ID``), and the actor the token names is who acts:
its posts and authority decide, as for a person at the pages. Bodies and answers are the
library's own attrs models; the OpenAPI document (``/api/v1/openapi.json``) is generated
from them. Errors are RFC 9457 problem documents.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import attrs
import pendulum
from litestar import Request, Router, get, post
from litestar.params import Body, PathParameter

from planning_core.bureau import (
    Bureau,
    ConsultationItem,
    FollowUpItem,
    late_consultations,
    open_follow_ups,
)
from planning_core.errors import NotFoundError
from planning_core.web._auth import api_actor, client_address, door_of
from planning_core.web._board import require_supervisor
from planning_core.web._consultations import (
    OpinionAnswer,
    OpinionRequest,
    RatingAnswer,
    RatingRequest,
    record_opinion,
)
from planning_core.web._public import free_slots, own_appointment
from planning_core.web._views import (
    ActionRequest,
    ActionResult,
    BoardView,
    CaseView,
    InboxItem,
    board_view,
    case_view,
    inbox_of,
    perform,
)
from planning_core.window import (
    Application,
    AppointmentCard,
    PublicStatus,
    PublishedPermit,
    Receipt,
    Slot,
    published_permits,
)

FromPath = Annotated[str, PathParameter()]

__all__ = [
    "AppointmentChange",
    "BookingRequest",
    "CertificateCheck",
    "StatusQuery",
    "SweepResult",
    "api_router",
]


@attrs.frozen
class StatusQuery:
    """The progress query: the case number and query password from the receipt."""

    case_number: str
    password: str


@attrs.frozen
class BookingRequest:
    """A booking: the slot's start (ISO 8601 with offset) and who comes about what."""

    start: dt.datetime
    applicant: str
    topic: str
    contact: str | None = None
    case_number: str | None = None


@attrs.frozen
class AppointmentChange:
    """Reschedule (``start`` given) or cancel an appointment: the name it was booked under."""

    applicant: str
    start: dt.datetime | None = None
    reason: str = ""


@attrs.frozen
class CertificateCheck:
    """Whether a certificate number is registered and valid (``valid``, ``void``, ``unknown``)."""

    number: str
    status: str
    permit_type: str | None = None
    issued_on: dt.date | None = None


@attrs.frozen
class SweepResult:
    """How many lights the sweep recorded."""

    at: dt.datetime
    changes: int


@get("/permits")
async def permits(request: Request[Any, Any, Any]) -> list[PublishedPermit]:
    """Published time limits and materials per permit type (报建须知)."""
    return list(await door_of(request).run(lambda b: published_permits(b.permit_types)))


@post("/status", status_code=200)
async def status(
    request: Request[Any, Any, Any], data: Annotated[StatusQuery, Body()]
) -> PublicStatus:
    """The public progress query, throttled by the caller's address."""
    door = door_of(request)
    client = client_address(request)
    return await door.run(
        lambda b: b.window.public_status(data.case_number, data.password, door.now(), client=client)
    )


@get("/appointments/slots")
async def slots(request: Request[Any, Any, Any]) -> list[Slot]:
    """The slots with a place left on the next working days."""
    door = door_of(request)
    return await door.run(lambda b: free_slots(b, door.now()))


@post("/appointments", status_code=201)
async def book(
    request: Request[Any, Any, Any], data: Annotated[BookingRequest, Body()]
) -> AppointmentCard:
    """Book a consultation; the answer is the appointment card."""
    door = door_of(request)
    return await door.run(
        lambda b: b.window.appointments.book(
            pendulum.instance(data.start),
            applicant=data.applicant,
            topic=data.topic,
            at=door.now(),
            contact=data.contact,
            case_number=data.case_number,
        )
    )


@post("/appointments/{number:str}/reschedule", status_code=200)
async def reschedule(
    request: Request[Any, Any, Any], number: FromPath, data: Annotated[AppointmentChange, Body()]
) -> AppointmentCard:
    """Move an appointment (``start`` required), keeping its number."""
    door = door_of(request)

    def work(b: Bureau) -> AppointmentCard:
        own = own_appointment(b, number, data.applicant)
        if data.start is None:
            from planning_core.errors import ValidationError

            raise ValidationError("give the new slot's start")
        return b.window.appointments.reschedule(
            own.number, pendulum.instance(data.start), at=door.now()
        )

    return await door.run(work)


@post("/appointments/{number:str}/cancel", status_code=200)
async def cancel(
    request: Request[Any, Any, Any], number: FromPath, data: Annotated[AppointmentChange, Body()]
) -> dict[str, str]:
    """Cancel an appointment."""
    door = door_of(request)

    def work(b: Bureau) -> dict[str, str]:
        own = own_appointment(b, number, data.applicant)
        done = b.window.appointments.cancel(own.number, at=door.now(), reason=data.reason)
        return {"number": done.number, "status": done.status}

    return await door.run(work)


@get("/certificates/{number:str}")
async def certificate(request: Request[Any, Any, Any], number: FromPath) -> CertificateCheck:
    """Check a certificate's number."""

    def work(b: Bureau) -> CertificateCheck:
        try:
            entry = b.window.certificates.get(number[:64])
        except NotFoundError:
            return CertificateCheck(number[:64], "unknown")
        return CertificateCheck(
            entry.number, entry.status, entry.permit_type, b.calendar.local_date(entry.issued_at)
        )

    return await door_of(request).run(work)


@get("/inbox")
async def inbox(request: Request[Any, Any, Any]) -> list[InboxItem]:
    """The token's actor's work, soonest due first."""
    return await door_of(request).run(lambda b: inbox_of(b, api_actor(request)))


@post("/intake", status_code=201)
async def intake(request: Request[Any, Any, Any], data: Annotated[Application, Body()]) -> Receipt:
    """Receive an application (the token's actor must hold the window post)."""
    door = door_of(request)
    return await door.run(lambda b: b.window.intake(data, api_actor(request), door.now()))


@get("/cases/{number:str}")
async def case(request: Request[Any, Any, Any], number: FromPath) -> CaseView:
    """A case as its page shows it, if the token's actor may read it."""
    door = door_of(request)
    return await door.run(lambda b: case_view(b, api_actor(request), number, door.now()))


@post("/cases/{number:str}/actions", status_code=200)
async def action(
    request: Request[Any, Any, Any], number: FromPath, data: Annotated[ActionRequest, Body()]
) -> ActionResult:
    """One action on a case, as the token's actor, at the door's instant."""
    door = door_of(request)
    return await door.run(lambda b: perform(b, api_actor(request), number, data, door.now()))


@get("/board")
async def board(request: Request[Any, Any, Any]) -> BoardView:
    """The supervision board (the token's actor must supervise)."""
    door = door_of(request)

    def work(b: Bureau) -> BoardView:
        require_supervisor(b, api_actor(request))
        return board_view(b, door.now())

    return await door.run(work)


@post("/sweep", status_code=200)
async def sweep(request: Request[Any, Any, Any]) -> SweepResult:
    """Record every light that changed by now (for a scheduler; a supervisor's token)."""
    door = door_of(request)

    def work(b: Bureau) -> SweepResult:
        require_supervisor(b, api_actor(request))
        now = door.now()
        return SweepResult(now, len(b.engine.sweep(now)))

    return await door.run(work)


@post("/cases/{number:str}/opinions", status_code=200)
async def opinion(
    request: Request[Any, Any, Any], number: FromPath, data: Annotated[OpinionRequest, Body()]
) -> OpinionAnswer:
    """A consulted department's answer (征求意见的回复), as the token's actor: the
    department's liaison, or the step's post for an answer that came on paper."""
    door = door_of(request)
    return await door.run(lambda b: record_opinion(b, api_actor(request), number, data, door.now()))


@post("/ratings", status_code=201)
async def rate(
    request: Request[Any, Any, Any], data: Annotated[RatingRequest, Body()]
) -> RatingAnswer:
    """The applicant rates the service of a case (好差评), once, with the receipt's number
    and password; throttled by the caller's address like the progress query."""
    door = door_of(request)
    client = client_address(request)

    def work(b: Bureau) -> RatingAnswer:
        rating = b.ratings.rate(
            data.case_number,
            data.password,
            data.score,
            data.reasons,
            data.comment,
            at=door.now(),
            client=client,
        )
        follow = rating.follow_up
        return RatingAnswer(
            rating.case_number,
            rating.score,
            rating.bad,
            None if follow is None else follow.post,
            None if follow is None else follow.clock.deadline_date(b.calendar),
        )

    return await door.run(work)


@get("/consultations/late")
async def consultations_late(request: Request[Any, Any, Any]) -> list[ConsultationItem]:
    """Other departments past their limit to answer, the latest first (a supervisor's token)."""
    door = door_of(request)

    def work(b: Bureau) -> list[ConsultationItem]:
        require_supervisor(b, api_actor(request))
        return list(late_consultations(b, door.now()))

    return await door.run(work)


@get("/follow-ups")
async def follow_ups(request: Request[Any, Any, Any]) -> list[FollowUpItem]:
    """Follow-ups of bad ratings whose light is red or yellow (a supervisor's token)."""
    door = door_of(request)

    def work(b: Bureau) -> list[FollowUpItem]:
        require_supervisor(b, api_actor(request))
        return list(open_follow_ups(b, door.now()))

    return await door.run(work)


api_router = Router(
    path="/api/v1",
    route_handlers=[
        permits,
        status,
        slots,
        book,
        reschedule,
        cancel,
        certificate,
        inbox,
        intake,
        case,
        action,
        board,
        sweep,
        opinion,
        rate,
        consultations_late,
        follow_ups,
    ],
)
