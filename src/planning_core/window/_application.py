"""The application as it arrives at the window, and its check against the materials list.

Two kinds of problem are kept apart on purpose. An application the window cannot even
register (an unknown permit type, no applicant, a material code that is not on the list)
is refused with a :class:`~planning_core.errors.ValidationError` naming every problem, and
nothing is stored. A *missing* required material is not such a problem: the law has the
window register the application and give the one-time notice (一次告知) of everything
missing, so :func:`check_materials` returns what is missing and intake records it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

import attrs

from planning_core.errors import ValidationError
from planning_core.materials import MaterialUpload
from planning_core.permits import Material, PermitType
from planning_core.registry import Registry

__all__ = ["Application", "MaterialCheck", "check_application"]


def _codes(value: str | Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _uploads(value: Iterable[MaterialUpload]) -> tuple[MaterialUpload, ...]:
    return tuple(value)


@attrs.frozen
class Application:
    """An application handed in at the window (报建).

    :param permit_type: the permit type code (``"CONSTRUCTION"``).
    :param applicant: the applicant's name (a company or a person).
    :param project: the project's name.
    :param materials: codes of the materials handed in (as the permit type lists them).
    :param contact: the registered contact (a phone number or the host's account id): the
        person who may later see the case's full history through the host system.
    :param files: files carried by the materials (see ``planning_core.materials``).
    :param form: the permit type's application form (表格) as JSON data, when the host
        collects it: intake validates it (every bad field at once) and stores it with the
        case (see :mod:`planning_core.forms`).
    """

    permit_type: str
    applicant: str
    project: str
    materials: tuple[str, ...] = attrs.field(default=(), converter=_codes)
    contact: str | None = None
    form: dict[str, Any] | None = None
    #: the files handed in with the materials (PDF scans, drawings, the site as GeoJSON);
    #: checked by content and stored in the window's blob store before anything is recorded
    files: tuple[MaterialUpload, ...] = attrs.field(default=(), converter=_uploads)


@attrs.frozen
class MaterialCheck:
    """What the window found: the permit type, what was handed in, what is missing."""

    permit: PermitType
    received: tuple[Material, ...]
    missing: tuple[Material, ...]

    @property
    def complete(self) -> bool:
        """True when every required material was handed in."""
        return not self.missing


def check_application(application: Application, catalogue: Registry[PermitType]) -> MaterialCheck:
    """Check ``application`` against its permit type's materials list.

    :raises ValidationError: listing every problem that stops the window registering it.
    """
    problems = []
    permit = (
        catalogue.get(application.permit_type) if application.permit_type in catalogue else None
    )
    if permit is None:
        known = ", ".join(catalogue.keys())
        problems.append(
            f"permit_type {application.permit_type!r} is not offered; use one of: {known}"
        )
    for name in ("applicant", "project"):
        value = getattr(application, name)
        if not isinstance(value, str):
            problems.append(f"{name} must be text, not {type(value).__name__} {value!r}")
        elif not value.strip():
            problems.append(f"{name} is empty; give the {name}'s name")
    problems += [
        f"material {code!r} is listed {n} times; list each material once"
        for code, n in Counter(application.materials).items()
        if n > 1
    ]
    if permit is not None:
        known_codes = {m.code for m in permit.materials}
        problems += [
            f"material {code!r} is not on the list for {permit.code} ({permit.name_zh}); "
            f"use one of: {', '.join(m.code for m in permit.materials)}"
            for code in dict.fromkeys(application.materials)
            if code not in known_codes
        ]
    if problems or permit is None:
        raise ValidationError(
            f"the application cannot be registered ({len(problems)} problem(s)); "
            f"fix each one below",
            problems,
        )
    return _split(permit, application.materials)


def _split(permit: PermitType, handed_in: tuple[str, ...]) -> MaterialCheck:
    given = set(handed_in)
    received = tuple(m for m in permit.materials if m.code in given)
    missing = tuple(m for m in permit.required_materials if m.code not in given)
    return MaterialCheck(permit, received, missing)
