"""A case's application form, kept beside the case in the ``forms.case`` collection.

The engine's ``Submit`` carries the applicant's name and the project, not the form; the
form is a record keyed by case id. The window writes it in the same transaction as the
submission (``Engine.execute(…, records=case_form_records(case_id, form))``), so neither
exists without the other; ``planning-core map CASE`` reads the site from it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from planning_core._extras import import_extra
from planning_core.errors import NotFoundError, ValidationError
from planning_core.forms._catalogue import validate_form
from planning_core.forms._form import Form, FormDefinition
from planning_core.registry import Registry
from planning_core.storage import JSON, Store

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

__all__ = [
    "FORMS_COLLECTION",
    "case_form_records",
    "case_site",
    "load_case_form",
    "save_case_form",
]

#: The record collection of the forms of cases, keyed by case id.
FORMS_COLLECTION = "forms.case"


def case_form_records(case_id: str, form: Form) -> dict[str, dict[str, JSON]]:
    """The records to write with the case's submission (``Engine.execute(records=…)``)."""
    return {FORMS_COLLECTION: {case_id: form.to_record()}}


def save_case_form(store: Store, case_id: str, form: Form) -> None:
    """Store ``form`` as the application form of ``case_id`` (replacing an earlier one)."""
    store.put_records(FORMS_COLLECTION, {case_id: form.to_record()})


def load_case_form(
    store: Store, case_id: str, forms: Registry[FormDefinition] | None = None
) -> Form:
    """The form of ``case_id``, validated again against the registered form.

    :raises NotFoundError: when the case has no form on record.
    """
    record = _record(store, case_id)
    return validate_form(str(record.get("permit_type")), record.get("data"), forms)


def case_site(store: Store, case_id: str) -> tuple[BaseGeometry, dict[str, Any]]:
    """The site of ``case_id`` and the form data it came with (for a map's title).

    Reads only the ``site`` field, so a map can still be drawn for a case whose form an
    updated definition would no longer accept.
    """
    import_extra("planning_core.geo", "geo", "a case's site map")
    from planning_core.geo import site_from_geojson

    record = _record(store, case_id)
    data = record.get("data")
    if not isinstance(data, dict) or data.get("site") is None:
        raise ValidationError(f"the form of case {case_id!r} has no site; no map can be drawn")
    return site_from_geojson(data["site"]), data


def _record(store: Store, case_id: str) -> dict[str, Any]:
    record = store.get_record(FORMS_COLLECTION, case_id)
    if record is None:
        raise NotFoundError(
            f"case {case_id!r} has no application form on record ({FORMS_COLLECTION}); "
            f"the window stores it at intake"
        )
    return record
