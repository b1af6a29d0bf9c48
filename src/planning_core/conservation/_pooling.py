"""Pooled commutes (统一接送): requests on the same route and time share one pick-up."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby

import attrs
import pendulum

from planning_core.conservation._fields import at_least_one, positive
from planning_core.conservation._vehicles import TripKind, TripRequest
from planning_core.errors import ValidationError

__all__ = ["SharedPickup", "pool_commutes"]


@attrs.frozen
class SharedPickup:
    """One car run serving several commute requests on one route.

    :param departure: the earliest requested departure of the group; the car leaves then.
    """

    origin: str
    destination: str
    departure: pendulum.DateTime
    request_ids: tuple[str, ...] = attrs.field(validator=at_least_one)
    passengers: int = attrs.field(validator=positive)


def pool_commutes(
    requests: Iterable[TripRequest], *, window_minutes: int = 15, seats: int = 4
) -> list[SharedPickup]:
    """Group commute requests into shared pick-ups.

    Requests go together when they share origin and destination and leave within
    ``window_minutes`` of the group's first departure, up to ``seats`` passengers per
    car. The grouping is greedy in departure order (ties by request id), so the same
    requests always give the same pick-ups. Business trips are not pooled.

    :raises ValidationError: when one request alone has more passengers than ``seats``,
        or the window is negative.
    """
    if window_minutes < 0 or seats < 1:
        raise ValidationError(
            f"pooling needs window_minutes >= 0 and seats >= 1, got {window_minutes} and {seats}"
        )
    commutes = [r for r in requests if r.kind is TripKind.COMMUTE]
    too_big = [r.request_id for r in commutes if r.passengers > seats]
    if too_big:
        raise ValidationError(
            f"requests {', '.join(too_big)} have more passengers than the {seats} seats of a "
            f"car; split them or raise the seat count"
        )
    ordered = sorted(commutes, key=lambda r: (r.origin, r.destination, r.departure, r.request_id))
    pickups: list[SharedPickup] = []
    for _, route in groupby(ordered, key=lambda r: (r.origin, r.destination)):
        pickups.extend(_pool_route(list(route), pendulum.duration(minutes=window_minutes), seats))
    return sorted(pickups, key=lambda p: (p.departure, p.origin, p.destination))


def _pool_route(
    route: list[TripRequest], window: pendulum.Duration, seats: int
) -> list[SharedPickup]:
    pickups: list[SharedPickup] = []
    group: list[TripRequest] = []
    for request in route:
        fits = (
            group
            and request.departure - group[0].departure <= window
            and sum(r.passengers for r in group) + request.passengers <= seats
        )
        if group and not fits:
            pickups.append(_pickup(group))
            group = []
        group.append(request)
    if group:
        pickups.append(_pickup(group))
    return pickups


def _pickup(group: list[TripRequest]) -> SharedPickup:
    first = group[0]
    return SharedPickup(
        origin=first.origin,
        destination=first.destination,
        departure=first.departure,
        request_ids=tuple(r.request_id for r in group),
        passengers=sum(r.passengers for r in group),
    )
