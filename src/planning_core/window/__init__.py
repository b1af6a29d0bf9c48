"""The window (窗口): intake receipts, query passwords, public status, appointments, certificates.

See docs/window.md.
"""

from planning_core.window._application import Application, MaterialCheck, check_application
from planning_core.window._appointments import (
    APPOINTMENTS,
    SETTINGS,
    SLOTS,
    Appointment,
    AppointmentBook,
    AppointmentCard,
    Slot,
    store_settings,
    stored_settings,
)
from planning_core.window._certificates import VALID, VOID, CertificateEntry, CertificateRegister
from planning_core.window._errors import QueryLockedError, QueryRefusedError, SlotFullError
from planning_core.window._files import case_files, verify_case_files
from planning_core.window._hours import AppointmentSettings, Counter
from planning_core.window._limits import (
    PublishedPermit,
    limits_json,
    limits_markdown,
    published_permits,
)
from planning_core.window._lockout import (
    ATTEMPTS,
    LOCAL_CLIENT,
    REFUSALS,
    AttemptLog,
    CaseLog,
    ClientTry,
    Lockout,
    LockoutPolicy,
    Refusal,
    Reservation,
)
from planning_core.window._password import (
    PASSWORD_ALPHABET,
    ScryptParameters,
    decoy_record,
    format_password,
    generate_password,
    hash_password,
    hash_secret,
    normalize_password,
    secret_matches,
    verify_password,
)
from planning_core.window._receipt import Receipt
from planning_core.window._status import ContactView, Notice, PublicStatus, public_summary
from planning_core.window._window import (
    CONTACTS,
    PASSWORD_PARAMETERS,
    PASSWORDS,
    Window,
    WindowSettings,
)

__all__ = [
    "APPOINTMENTS",
    "ATTEMPTS",
    "CONTACTS",
    "LOCAL_CLIENT",
    "PASSWORDS",
    "PASSWORD_ALPHABET",
    "PASSWORD_PARAMETERS",
    "REFUSALS",
    "SETTINGS",
    "SLOTS",
    "VALID",
    "VOID",
    "Application",
    "Appointment",
    "AppointmentBook",
    "AppointmentCard",
    "AppointmentSettings",
    "AttemptLog",
    "CaseLog",
    "CertificateEntry",
    "CertificateRegister",
    "ClientTry",
    "ContactView",
    "Counter",
    "Lockout",
    "LockoutPolicy",
    "MaterialCheck",
    "Notice",
    "PublicStatus",
    "PublishedPermit",
    "QueryLockedError",
    "QueryRefusedError",
    "Receipt",
    "Refusal",
    "Reservation",
    "ScryptParameters",
    "Slot",
    "SlotFullError",
    "Window",
    "WindowSettings",
    "case_files",
    "check_application",
    "decoy_record",
    "format_password",
    "generate_password",
    "hash_password",
    "hash_secret",
    "limits_json",
    "limits_markdown",
    "normalize_password",
    "public_summary",
    "published_permits",
    "secret_matches",
    "store_settings",
    "stored_settings",
    "verify_case_files",
    "verify_password",
]
