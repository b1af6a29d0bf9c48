"""Workflow definitions: the organisation, steps and edges, validation, analysis, pictures."""

from planning_core.workflow._analysis import TimedPath, critical_path, forward_paths, worst_case
from planning_core.workflow._builder import WorkflowBuilder
from planning_core.workflow._checks import definition_problems
from planning_core.workflow._conditions import (
    Context,
    Predicate,
    WorkflowCondition,
    flag_condition,
    workflow_conditions,
)
from planning_core.workflow._consultation import (
    Answer,
    Combine,
    Consultation,
    Consultee,
    Silence,
    consult_step,
)
from planning_core.workflow._definition import WorkflowDefinition, validate
from planning_core.workflow._errors import DefinitionProblem, WorkflowDefinitionError
from planning_core.workflow._json import definition_from_json, definition_to_json, read_definition
from planning_core.workflow._model import (
    Action,
    Edge,
    EdgeKind,
    Join,
    JoinMode,
    Meeting,
    MeetingBody,
    ReviewPoint,
    Step,
    StepKind,
)
from planning_core.workflow._org_file import (
    ORGANISATION_SCHEMA,
    organisation_from_data,
    organisation_to_data,
    read_organisation,
)
from planning_core.workflow._organisation import Actor, Authority, Division, Organisation, Post
from planning_core.workflow._reference_org import reference_organisation
from planning_core.workflow._render import LIGHT_STYLES, mermaid_ids, to_dot, to_mermaid, to_svg

__all__ = [
    "LIGHT_STYLES",
    "ORGANISATION_SCHEMA",
    "Action",
    "Actor",
    "Answer",
    "Authority",
    "Combine",
    "Consultation",
    "Consultee",
    "Context",
    "DefinitionProblem",
    "Division",
    "Edge",
    "EdgeKind",
    "Join",
    "JoinMode",
    "Meeting",
    "MeetingBody",
    "Organisation",
    "Post",
    "Predicate",
    "ReviewPoint",
    "Silence",
    "Step",
    "StepKind",
    "TimedPath",
    "WorkflowBuilder",
    "WorkflowCondition",
    "WorkflowDefinition",
    "WorkflowDefinitionError",
    "consult_step",
    "critical_path",
    "definition_from_json",
    "definition_problems",
    "definition_to_json",
    "flag_condition",
    "forward_paths",
    "mermaid_ids",
    "organisation_from_data",
    "organisation_to_data",
    "read_definition",
    "read_organisation",
    "reference_organisation",
    "to_dot",
    "to_mermaid",
    "to_svg",
    "validate",
    "workflow_conditions",
    "worst_case",
]
