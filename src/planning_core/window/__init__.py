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
from planning_core.window._hours import AppointmentSettings, Counter
from planning_core.window._limits import (
    PublishedPermit,
    limits_json,
    limits_markdown,
    published_permits,
)
from planning_core.window._lockout import (
    ATTEMPTS,
    REFUSALS,
    AttemptLog,
    Lockout,
    LockoutPolicy,
    Refusal,
)
from planning_core.window._password import (
    PASSWORD_ALPHABET,
    ScryptParameters,
    format_password,
    generate_password,
    hash_password,
    normalize_password,
    verify_password,
)
from planning_core.window._receipt import Receipt
from planning_core.window._status import ContactView, Notice, PublicStatus, public_summary
from planning_core.window._window import PASSWORDS, Window, WindowSettings

__all__ = [
    "APPOINTMENTS",
    "ATTEMPTS",
    "PASSWORDS",
    "PASSWORD_ALPHABET",
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
    "CertificateEntry",
    "CertificateRegister",
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
    "ScryptParameters",
    "Slot",
    "SlotFullError",
    "Window",
    "WindowSettings",
    "check_application",
    "format_password",
    "generate_password",
    "hash_password",
    "limits_json",
    "limits_markdown",
    "normalize_password",
    "public_summary",
    "published_permits",
    "store_settings",
    "stored_settings",
    "verify_password",
]
