"""The approval engine: cases, commands, events, clocks, lights and a verifiable history.

A case's state is a fold of its events; ``Engine.execute(command, actor, at)`` records new
events and the case's projection in one transaction. See docs/cases.md.
"""

from planning_core.cases._commands import (
    Accept,
    Claim,
    Command,
    Complete,
    Decide,
    Deliver,
    Extend,
    IssueCertificate,
    ReceiveSupplement,
    RecordMeetingDecision,
    RefuseAcceptance,
    RequestSupplement,
    Resume,
    Submit,
    Suspend,
    Withdraw,
)
from planning_core.cases._engine import (
    CERTIFICATE_REGISTER,
    Engine,
    EngineSettings,
    LightWarning,
    MigrationPlan,
)
from planning_core.cases._events import EVENT_SCHEMA_VERSION, UPCASTERS, Event, Outcome
from planning_core.cases._history import HistoryReport
from planning_core.cases._state import CaseState, CaseStatus, RecordedEvent, Token, fold

__all__ = [
    "CERTIFICATE_REGISTER",
    "EVENT_SCHEMA_VERSION",
    "UPCASTERS",
    "Accept",
    "CaseState",
    "CaseStatus",
    "Claim",
    "Command",
    "Complete",
    "Decide",
    "Deliver",
    "Engine",
    "EngineSettings",
    "Event",
    "Extend",
    "HistoryReport",
    "IssueCertificate",
    "LightWarning",
    "MigrationPlan",
    "Outcome",
    "ReceiveSupplement",
    "RecordMeetingDecision",
    "RecordedEvent",
    "RefuseAcceptance",
    "RequestSupplement",
    "Resume",
    "Submit",
    "Suspend",
    "Token",
    "Withdraw",
    "fold",
]
