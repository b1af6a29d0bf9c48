"""Reports: approval statistics, the annual work summary, and what-if replay of rule changes.

Every figure is computed from the store: the approval engine's case histories, the rural
programme's records and the conservation programme's records. See docs/reports.md.
"""

from planning_core.reports._annual import AnnualSummary, annual_summary
from planning_core.reports._changes import (
    CommittedLimit,
    LightPolicyChange,
    PostLimit,
    RuleChange,
    WorkflowVersion,
    describe,
    parse_changes,
    read_changes,
)
from planning_core.reports._consultations import (
    ConsultationFigures,
    DepartmentFigures,
    consultation_figures,
)
from planning_core.reports._figures import Counts, OnTime, Spread, percent
from planning_core.reports._period import Period
from planning_core.reports._render import (
    statistics_data,
    statistics_json,
    statistics_markdown,
    summary_html,
    summary_markdown,
    what_if_json,
    what_if_markdown,
)
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
from planning_core.reports._whatif import (
    CaseWhatIf,
    ClockWhatIf,
    WhatIfReport,
    replay,
    rewrite,
    what_if,
)

__all__ = [
    "AnnualSummary",
    "ApprovalStatistics",
    "CaseWhatIf",
    "CertificateFigures",
    "ClockWhatIf",
    "CommittedLimit",
    "ConsultationFigures",
    "Counts",
    "DepartmentFigures",
    "DivisionLights",
    "ExtensionFigures",
    "LightPolicyChange",
    "LightTally",
    "OnTime",
    "PauseFigures",
    "Period",
    "PermitTypeFigures",
    "PostLights",
    "PostLimit",
    "RuleChange",
    "Spread",
    "StepDays",
    "WhatIfReport",
    "WorkflowVersion",
    "annual_summary",
    "approval_statistics",
    "consultation_figures",
    "describe",
    "parse_changes",
    "percent",
    "read_changes",
    "replay",
    "rewrite",
    "statistics_data",
    "statistics_json",
    "statistics_markdown",
    "statistics_of",
    "summary_html",
    "summary_markdown",
    "what_if",
    "what_if_json",
    "what_if_markdown",
]
