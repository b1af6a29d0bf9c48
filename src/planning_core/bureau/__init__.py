"""The composition root: one bureau, wired once (``open_bureau``), and its configuration.

Every door (the command line, a host's web application, the demo, the reports, a test)
opens its bureau here; the rooms below are handed the parts they need and never build a
plugin manager themselves. See docs/bureau.md.
"""

from planning_core.bureau._bureau import Bureau, installed_plugins, open_bureau, permit_registry
from planning_core.bureau._check import staffing_problems
from planning_core.bureau._config import (
    BUREAU_ENV,
    BureauConfig,
    bureau_config_from_data,
    read_bureau_config,
)
from planning_core.bureau._consultations import (
    ConsultationItem,
    ConsultationLine,
    FollowUpItem,
    consultation_lines,
    late_consultations,
    open_follow_ups,
)

__all__ = [
    "BUREAU_ENV",
    "Bureau",
    "BureauConfig",
    "ConsultationItem",
    "ConsultationLine",
    "FollowUpItem",
    "bureau_config_from_data",
    "consultation_lines",
    "installed_plugins",
    "late_consultations",
    "open_bureau",
    "open_follow_ups",
    "permit_registry",
    "read_bureau_config",
    "staffing_problems",
]
