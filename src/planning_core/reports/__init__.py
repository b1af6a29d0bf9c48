"""Reports: approval statistics, the annual work summary, and what-if replay of rule changes.

Every figure is computed from the store: the approval engine's case histories, the rural
programme's records and the conservation programme's records. See docs/reports.md.
"""

from planning_core.reports._figures import Counts, OnTime, Spread, percent
from planning_core.reports._period import Period
from planning_core.reports._statistics import (
    ApprovalStatistics,
    CertificateFigures,
    DivisionLights,
    ExtensionFigures,
    LightTally,
    PauseFigures,
    PermitTypeFigures,
    PostLights,
    StepDays,
    approval_statistics,
    statistics_of,
)

__all__ = [
    "ApprovalStatistics",
    "CertificateFigures",
    "Counts",
    "DivisionLights",
    "ExtensionFigures",
    "LightTally",
    "OnTime",
    "PauseFigures",
    "Period",
    "PermitTypeFigures",
    "PostLights",
    "Spread",
    "StepDays",
    "approval_statistics",
    "percent",
    "statistics_of",
]
