"""Named conditions for conditional edges: predicates from a registry, never ``eval``.

A definition stores only a condition's *name*; the predicate lives in code registered
through ``planning_core_register_workflow_conditions``. So a JSON file can choose a branch
but cannot run code, and a city adds its own conditions as a plugin.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

import attrs

from planning_core.errors import ConfigurationError, ValidationError
from planning_core.registry import Registry

__all__ = ["Context", "Predicate", "WorkflowCondition", "flag_condition", "workflow_conditions"]

#: What a condition looks at: facts about the case, keyed by name.
Context = Mapping[str, object]
#: A condition's test.
Predicate = Callable[[Context], bool]


@attrs.frozen
class WorkflowCondition:
    """A named predicate over a case's context.

    :param name: the key edges refer to (``"major_project"``).
    :param description: what it means, for people reading a definition.
    :param predicate: the test; must return ``True`` or ``False``.
    """

    name: str
    description: str
    predicate: Predicate = attrs.field(eq=False, repr=False)

    def holds(self, context: Context) -> bool:
        """Run the predicate on ``context``.

        :raises ConfigurationError: when the predicate answers something other than a bool,
            so a sloppy plugin cannot turn ``"no"`` into a yes.
        """
        result = self.predicate(context)
        if not isinstance(result, bool):
            raise ConfigurationError(
                f"condition {self.name!r} answered {result!r}; a condition must return "
                f"True or False"
            )
        return result


def flag_condition(name: str, key: str, description: str) -> WorkflowCondition:
    """A condition that holds when ``context[key]`` is ``True`` (absent means ``False``).

    :raises ValidationError: at evaluation, when ``context[key]`` is present but not a bool.
    """

    def predicate(context: Context) -> bool:
        value = context.get(key, False)
        if not isinstance(value, bool):
            raise ValidationError(
                f"condition {name!r} reads context[{key!r}], which must be True or False, "
                f"not {value!r}"
            )
        return value

    return WorkflowCondition(name, description, predicate)


class _ConditionHooks(Protocol):
    """What this module needs of a plugin manager (``planning_core.plugins.Hooks`` has it)."""

    def register_workflow_conditions(self, registry: Registry[WorkflowCondition]) -> None: ...


def workflow_conditions(hooks: _ConditionHooks | None = None) -> Registry[WorkflowCondition]:
    """Every registered condition: the built-ins, then each plugin's.

    :param hooks: the plugins to ask; None means the built-in conditions only.
    """
    registry: Registry[WorkflowCondition] = Registry("workflow condition")
    if hooks is None:
        from planning_core.workflow._builtin import planning_core_register_workflow_conditions

        planning_core_register_workflow_conditions(registry)
    else:
        hooks.register_workflow_conditions(registry)
    return registry
