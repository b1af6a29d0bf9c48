"""Permit types: limits, materials, certificates, reference workflows, the published table."""

from planning_core.permits._catalogue import PublishedLimit, permit_catalogue, published_limits
from planning_core.permits._check import StatutoryCheck, check_statutory
from planning_core.permits._model import (
    DEFAULT_EXTENSION,
    JOINT_EXTENSION,
    JOINT_STATUTORY_LIMIT,
    STATUTORY_LIMIT,
    TOWNSHIP_MATTERS,
    CertificateKind,
    Handling,
    Material,
    PermitType,
)
from planning_core.permits._reference import reference_permit_types

__all__ = [
    "DEFAULT_EXTENSION",
    "JOINT_EXTENSION",
    "JOINT_STATUTORY_LIMIT",
    "STATUTORY_LIMIT",
    "TOWNSHIP_MATTERS",
    "CertificateKind",
    "Handling",
    "Material",
    "PermitType",
    "PublishedLimit",
    "StatutoryCheck",
    "check_statutory",
    "permit_catalogue",
    "published_limits",
    "reference_permit_types",
]
