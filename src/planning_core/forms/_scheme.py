"""The scheme figures of a construction application form, for the compliance check."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from planning_core._extras import import_extra
from planning_core.errors import ValidationError
from planning_core.forms._form import Form

if TYPE_CHECKING:
    from planning_core.geo import Scheme

__all__ = ["scheme_from_form"]

_SETBACK_FIELDS = {"setback_road": "road", "setback_boundary": "boundary"}


def scheme_from_form(form: Form) -> Scheme:
    """The :class:`~planning_core.geo.Scheme` a form declares (land area, floor area …).

    The green area is taken from the form, or else computed from the green ratio.

    :raises ValidationError: when the form has no land area.
    """
    import_extra("planning_core.geo", "geo", "the compliance check of a scheme")
    from planning_core.geo import Scheme, Setback

    land_area = form.get("land_area")
    if not isinstance(land_area, Decimal):
        raise ValidationError(f"the {form.permit_type} form has no land area; no scheme to check")
    green = form.get("green_area")
    ratio = form.get("green_ratio")
    if green is None and isinstance(ratio, Decimal):
        green = land_area * ratio
    setbacks = tuple(
        Setback(edge, value)
        for name, edge in _SETBACK_FIELDS.items()
        if isinstance(value := form.get(name), Decimal)
    )
    return Scheme(
        land_area=land_area,
        total_floor_area=form.get("total_floor_area"),
        footprint_area=form.get("footprint_area"),
        height=form.get("height"),
        green_area=green,
        setbacks=setbacks,
        land_use=form.get("land_use"),
    )
