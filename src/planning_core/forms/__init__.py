"""Application forms (表格管理): typed fields per permit type, checked identifiers, JSON Schema.

Each permit type declares its application form as fields; plugins register forms for their
own types through ``planning_core_register_forms``; ``validate_form`` reports every problem
at once with its field path; ``FormDefinition.json_schema`` serves a host's web front end;
a case's form is kept in the ``forms.case`` collection. See docs/forms.md.
"""

from planning_core.forms._case import (
    FORMS_COLLECTION,
    case_form_records,
    case_site,
    load_case_form,
    save_case_form,
)
from planning_core.forms._catalogue import form_catalogue, reference_form_catalogue, validate_form
from planning_core.forms._fields import (
    ChoiceField,
    DateField,
    Field,
    FlagField,
    NumberField,
    Party,
    PartyField,
    PartyKind,
    SiteField,
    TextField,
)
from planning_core.forms._form import SCHEMA_DIALECT, Form, FormCheck, FormDefinition
from planning_core.forms._identifiers import (
    USCC_CHARACTERS,
    normalise_identifier,
    resident_id_check_character,
    resident_id_problem,
    uscc_check_character,
    uscc_problem,
)
from planning_core.forms._reference import period_check, reference_forms
from planning_core.forms._scheme import scheme_from_form

__all__ = [
    "FORMS_COLLECTION",
    "SCHEMA_DIALECT",
    "USCC_CHARACTERS",
    "ChoiceField",
    "DateField",
    "Field",
    "FlagField",
    "Form",
    "FormCheck",
    "FormDefinition",
    "NumberField",
    "Party",
    "PartyField",
    "PartyKind",
    "SiteField",
    "TextField",
    "case_form_records",
    "case_site",
    "form_catalogue",
    "load_case_form",
    "normalise_identifier",
    "period_check",
    "reference_form_catalogue",
    "reference_forms",
    "resident_id_check_character",
    "resident_id_problem",
    "save_case_form",
    "scheme_from_form",
    "uscc_check_character",
    "uscc_problem",
    "validate_form",
]
