"""The permit catalogue from the hooks, and the published limits table (对外公布办结时限).

The seed's bureau publishes "the time limit of every kind of business" at the window;
:func:`published_limits` is that table, built from whatever permit types the plugins
registered.
"""

from __future__ import annotations

from typing import Protocol

import attrs

from planning_core.errors import ConfigurationError
from planning_core.permits._model import PermitType
from planning_core.registry import Registry
from planning_core.timing import TimeLimit
from planning_core.workflow import (
    WorkflowCondition,
    WorkflowDefinitionError,
    validate,
    workflow_conditions,
    worst_case,
)

__all__ = ["PublishedLimit", "permit_catalogue", "published_limits"]


class _PermitHooks(Protocol):
    """What the catalogue needs of a plugin manager (``planning_core.plugins.Hooks`` has it)."""

    def register_permit_types(self, registry: Registry[PermitType]) -> None: ...

    def register_workflow_conditions(self, registry: Registry[WorkflowCondition]) -> None: ...


def permit_catalogue(hooks: _PermitHooks | None = None) -> Registry[PermitType]:
    """Every registered permit type, checked against the registered workflow conditions.

    :param hooks: the plugins to ask; None means the six national permit types and the
        built-in conditions only.
    :raises ConfigurationError: when a permit type is registered under another key than
        its code, or its workflow names a condition nobody registered.
    """
    registry: Registry[PermitType] = Registry("permit type")
    if hooks is None:
        from planning_core.permits._builtin import planning_core_register_permit_types

        planning_core_register_permit_types(registry)
    else:
        hooks.register_permit_types(registry)
    conditions = workflow_conditions(hooks)
    for key, permit in registry.items():
        if key != permit.code:
            raise ConfigurationError(
                f"permit type {permit.code!r} is registered under key {key!r}; "
                f"register it under its code"
            )
        try:
            validate(permit.workflow, conditions=conditions)
        except WorkflowDefinitionError as exc:
            raise ConfigurationError(
                f"permit type {key!r}: its workflow refers to what is not registered:\n  "
                + "\n  ".join(exc.problems)
            ) from exc
    return registry


@attrs.frozen
class PublishedLimit:
    """One row of the published limits table."""

    code: str
    name_zh: str
    name_en: str
    legal_basis: str
    statutory_limit: TimeLimit
    committed_limit: TimeLimit
    extension: TimeLimit | None
    certificate_prefix: str
    worst_case_days: int


def published_limits(catalogue: Registry[PermitType]) -> tuple[PublishedLimit, ...]:
    """The published limits of every permit type, in registration order."""
    return tuple(
        PublishedLimit(
            code=p.code,
            name_zh=p.name_zh,
            name_en=p.name_en,
            legal_basis=p.legal_basis,
            statutory_limit=p.statutory_limit,
            committed_limit=p.committed_limit,
            extension=p.extension,
            certificate_prefix=p.certificate.prefix,
            worst_case_days=worst_case(p.workflow).days,
        )
        for p in catalogue.values()
    )
