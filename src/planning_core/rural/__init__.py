"""Rural planning management (乡村综合规划管理模式): places, plans, the five systems, reports.

Townships and villages of each demonstration site, their plans' dated stage histories, the
township planning committees, regulations, training, township matters (from the approval
engine or recorded counts), inspections with rectification deadlines, and the progress
reports a bureau files each year; CSV import and export of the sheets it already keeps; all
stored through the Store contract by :class:`RuralRepository`.
"""

from planning_core.rural._csv import SHEETS, ImportResult, export_csv, import_csv, read_csv
from planning_core.rural._data import RuralData, record_key
from planning_core.rural._inspections import (
    DEFAULT_TIMEZONE,
    FollowUp,
    Inspection,
    WorkingDays,
    local_day,
    rectification_deadline,
)
from planning_core.rural._matters import (
    PERMIT_TYPE_MATTER_KINDS,
    DecidedMatter,
    MatterCount,
    MatterKind,
    MatterTally,
    TownshipMatterType,
    count_matters,
    decided_matters,
    matter_from_case,
    matter_kinds,
)
from planning_core.rural._money import (
    FundingRecord,
    RecordedSum,
    SumPrecision,
    format_wan,
)
from planning_core.rural._places import (
    ChairRole,
    DemonstrationSite,
    PlaceRef,
    PlanningCommittee,
    SiteLevel,
    Township,
    Village,
)
from planning_core.rural._plans import Plan, PlanKind, Stage, StageChange
from planning_core.rural._progress import rural_progress
from planning_core.rural._render import report_json, report_markdown
from planning_core.rural._report import (
    CITY,
    OverdueRectification,
    ProgressReport,
    SiteProgress,
    StageTally,
    TrainingSummary,
    overdue_rectifications,
    progress_report,
)
from planning_core.rural._repository import COLLECTIONS, KnownPlaces, RuralRepository
from planning_core.rural._summary import summary_zh
from planning_core.rural._systems import (
    Regulation,
    RegulationKind,
    RegulationStatus,
    TrainingPlan,
    TrainingScale,
    TrainingSession,
)

__all__ = [
    "CITY",
    "COLLECTIONS",
    "DEFAULT_TIMEZONE",
    "PERMIT_TYPE_MATTER_KINDS",
    "SHEETS",
    "ChairRole",
    "DecidedMatter",
    "DemonstrationSite",
    "FollowUp",
    "FundingRecord",
    "ImportResult",
    "Inspection",
    "KnownPlaces",
    "MatterCount",
    "MatterKind",
    "MatterTally",
    "OverdueRectification",
    "PlaceRef",
    "Plan",
    "PlanKind",
    "PlanningCommittee",
    "ProgressReport",
    "RecordedSum",
    "Regulation",
    "RegulationKind",
    "RegulationStatus",
    "RuralData",
    "RuralRepository",
    "SiteLevel",
    "SiteProgress",
    "Stage",
    "StageChange",
    "StageTally",
    "SumPrecision",
    "Township",
    "TownshipMatterType",
    "TrainingPlan",
    "TrainingScale",
    "TrainingSession",
    "TrainingSummary",
    "Village",
    "WorkingDays",
    "count_matters",
    "decided_matters",
    "export_csv",
    "format_wan",
    "import_csv",
    "local_day",
    "matter_from_case",
    "matter_kinds",
    "overdue_rectifications",
    "progress_report",
    "read_csv",
    "record_key",
    "rectification_deadline",
    "report_json",
    "report_markdown",
    "rural_progress",
    "summary_zh",
]
