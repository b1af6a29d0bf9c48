"""Conservation in the bureau (政府机构节能示范模式): records, rules and reports.

Consumption records per month and site with statistics (totals, year on year, per capita,
per m², targets); retrofit projects with measured savings; official vehicles, equipment,
consumables and funds records; pluggable rules that answer allowed, refused or needs
approval; and monthly and yearly reports as data, JSON, Markdown and SVG charts.
"""

from planning_core.conservation._builtin import builtin_rules
from planning_core.conservation._chart import year_chart_svg
from planning_core.conservation._check_file import (
    CHECK_KINDS,
    CheckRecord,
    dump_check_record,
    load_check_records,
)
from planning_core.conservation._consumable_rules import LeaderApprovalRule, QuotaRule
from planning_core.conservation._consumables import (
    PrintLog,
    Quota,
    Requisition,
    RequisitionLine,
    RequisitionStatus,
)
from planning_core.conservation._consumption import (
    ConsumptionRecord,
    Resource,
    SiteProfile,
    Target,
)
from planning_core.conservation._csv import CSV_KINDS, CsvRecord, read_csv
from planning_core.conservation._equipment import (
    EquipmentItem,
    FixtureKind,
    FixtureMaintenance,
    RemovedAppliance,
)
from planning_core.conservation._equipment_rules import NoPrivateAppliancesRule, PhaseOutRule
from planning_core.conservation._funds import (
    ReceptionMeal,
    ReturnedItem,
    TravelClaim,
    TravelStandard,
)
from planning_core.conservation._funds_rules import (
    DEFAULT_TRAVEL_STANDARDS,
    NoSightseeingRule,
    ReceptionCompanionsRule,
    TravelStandardRule,
)
from planning_core.conservation._pooling import SharedPickup, pool_commutes
from planning_core.conservation._render import report_json, report_markdown
from planning_core.conservation._report import (
    MonthFigure,
    MonthReport,
    MonthResourceFigures,
    ResourceFigures,
    RetrofitFigures,
    YearReport,
    build_month_report,
    build_year_report,
)
from planning_core.conservation._repository import (
    COLLECTIONS,
    SCHEMA_VERSION,
    ConservationRepository,
)
from planning_core.conservation._retrofit import MeasuredSaving, RetrofitProject, measured_saving
from planning_core.conservation._rules import ConservationRule, assess, conservation_rules
from planning_core.conservation._statistics import (
    TargetAttainment,
    YearOnYear,
    monthly_totals,
    per_unit,
    percent_change,
    recorded_months,
    target_attainment,
    total,
    year_on_year,
)
from planning_core.conservation._vehicle_rules import (
    BicycleToNearbyOfficesRule,
    LeaderCommuteMonthsRule,
    NoWeekendTripsRule,
    PooledCommuteRule,
    WorkingDayCalendar,
)
from planning_core.conservation._vehicles import (
    MaintenanceRecord,
    Rank,
    ServiceInterval,
    TripKind,
    TripRequest,
    Vehicle,
)
from planning_core.conservation._verdict import (
    Assessment,
    Description,
    Outcome,
    RuleResult,
    Verdict,
)

__all__ = [
    "CHECK_KINDS",
    "COLLECTIONS",
    "CSV_KINDS",
    "DEFAULT_TRAVEL_STANDARDS",
    "SCHEMA_VERSION",
    "Assessment",
    "BicycleToNearbyOfficesRule",
    "CheckRecord",
    "ConservationRepository",
    "ConservationRule",
    "ConsumptionRecord",
    "CsvRecord",
    "Description",
    "EquipmentItem",
    "FixtureKind",
    "FixtureMaintenance",
    "LeaderApprovalRule",
    "LeaderCommuteMonthsRule",
    "MaintenanceRecord",
    "MeasuredSaving",
    "MonthFigure",
    "MonthReport",
    "MonthResourceFigures",
    "NoPrivateAppliancesRule",
    "NoSightseeingRule",
    "NoWeekendTripsRule",
    "Outcome",
    "PhaseOutRule",
    "PooledCommuteRule",
    "PrintLog",
    "Quota",
    "QuotaRule",
    "Rank",
    "ReceptionCompanionsRule",
    "ReceptionMeal",
    "RemovedAppliance",
    "Requisition",
    "RequisitionLine",
    "RequisitionStatus",
    "Resource",
    "ResourceFigures",
    "RetrofitFigures",
    "RetrofitProject",
    "ReturnedItem",
    "RuleResult",
    "ServiceInterval",
    "SharedPickup",
    "SiteProfile",
    "Target",
    "TargetAttainment",
    "TravelClaim",
    "TravelStandard",
    "TravelStandardRule",
    "TripKind",
    "TripRequest",
    "Vehicle",
    "Verdict",
    "WorkingDayCalendar",
    "YearOnYear",
    "YearReport",
    "assess",
    "build_month_report",
    "build_year_report",
    "builtin_rules",
    "conservation_rules",
    "dump_check_record",
    "load_check_records",
    "measured_saving",
    "monthly_totals",
    "per_unit",
    "percent_change",
    "pool_commutes",
    "read_csv",
    "recorded_months",
    "report_json",
    "report_markdown",
    "target_attainment",
    "total",
    "year_chart_svg",
    "year_on_year",
]
