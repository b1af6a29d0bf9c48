"""Definition errors, kept apart from the errors a running case meets.

As in python-statemachine (``InvalidDefinition`` versus ``TransitionNotAllowed``), a broken
graph is refused when the definition is built, before a single case runs on it; the engine
raises its own errors at run time.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import attrs

from planning_core.errors import ValidationError

if TYPE_CHECKING:
    from planning_core.workflow._model import Edge

__all__ = ["DefinitionProblem", "WorkflowDefinitionError"]


@attrs.frozen
class DefinitionProblem:
    """One thing wrong with a definition, naming where it is.

    :param subject: what is wrong, in words: ``step 'review'`` or ``edge 'a' -> 'b'``.
    :param message: what is wrong with it and what to do.
    :param nodes: the ids of every step involved, so tools (and tests) can point at them.
    """

    subject: str
    message: str
    nodes: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.subject}: {self.message}"


class WorkflowDefinitionError(ValidationError):
    """A workflow definition breaks the rules; every problem is listed.

    :attr:`details` holds the :class:`DefinitionProblem` values; :attr:`problems` (from
    :class:`~planning_core.errors.ValidationError`) their one-line texts.
    """

    def __init__(self, message: str, details: Iterable[DefinitionProblem]) -> None:
        self.details: tuple[DefinitionProblem, ...] = tuple(details)
        super().__init__(message, [str(d) for d in self.details])

    @property
    def nodes(self) -> frozenset[str]:
        """Every step named by any problem."""
        return frozenset(node for d in self.details for node in d.nodes)


def at_step(step_id: str, message: str, *others: str) -> DefinitionProblem:
    """A problem about one step (and any other steps it involves)."""
    return DefinitionProblem(f"step {step_id!r}", message, (step_id, *others))


def on_edge(edge: Edge, message: str) -> DefinitionProblem:
    """A problem about one edge; both its ends are named."""
    return DefinitionProblem(f"edge {edge}", message, (edge.source, edge.target))
