"""The engine's built-in numbering and notification, registered like any plugin.

Defaults, each replaceable by a city's plugin:

* case numbers ``2026-000123``: year and a six-digit sequence, unique per bureau and year,
  digits only so that they can be read aloud on the phone;
* certificate numbers ``建字第2026-0001号``: kind, year, and a gap-free four-digit sequence;
* notification: nothing is sent (``trylast``), so a host's channel takes over by just
  implementing the hook.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planning_core.markers import hookimpl

if TYPE_CHECKING:
    from planning_core.cases._engine import LightWarning


@hookimpl(trylast=True)
def planning_core_case_number(permit_type: str, year: int, sequence: int) -> str:
    """``YYYY-NNNNNN``."""
    return f"{year}-{sequence:06d}"


@hookimpl(trylast=True)
def planning_core_certificate_number(kind: str, year: int, sequence: int) -> str:
    """``<kind>第YYYY-NNNN号``, e.g. 建字第2026-0001号."""
    return f"{kind}第{year}-{sequence:04d}号"


@hookimpl(trylast=True)
def planning_core_notify(warning: LightWarning) -> None:
    """Send nothing: the engine records the light either way; hosts deliver."""
