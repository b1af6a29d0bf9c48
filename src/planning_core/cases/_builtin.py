"""The engine's built-in numbering, registered like any plugin.

Defaults, each replaceable by a city's plugin:

* case numbers ``2026-000123``: year and a six-digit sequence, unique per bureau and year,
  digits only so that they can be read aloud on the phone;
* certificate numbers ``建字第2026-0001号``: kind, year, and a gap-free four-digit sequence.

Notification has no built-in: with no plugin implementing ``planning_core_notify`` or
``planning_core_notify_applicant``, the engine writes no messages for that channel.
"""

from __future__ import annotations

from planning_core.markers import hookimpl


@hookimpl(trylast=True)
def planning_core_case_number(permit_type: str, year: int, sequence: int) -> str:
    """``YYYY-NNNNNN``."""
    return f"{year}-{sequence:06d}"


@hookimpl(trylast=True)
def planning_core_certificate_number(kind: str, year: int, sequence: int) -> str:
    """``<kind>第YYYY-NNNN号``, e.g. 建字第2026-0001号."""
    return f"{kind}第{year}-{sequence:04d}号"
