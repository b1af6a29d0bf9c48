"""The parts of a workflow definition: steps, edges, and what a meeting or a join needs.

Every part is a frozen attrs value checked field by field when built; whether the parts
make a sound graph together is checked by :mod:`planning_core.workflow._checks` when a
:class:`~planning_core.workflow.WorkflowDefinition` is built.
"""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Iterable

import attrs

from planning_core.errors import ValidationError
from planning_core.timing import TimeLimit
from planning_core.workflow._consultation import Consultation

__all__ = [
    "Action",
    "Edge",
    "EdgeKind",
    "Join",
    "JoinMode",
    "Meeting",
    "MeetingBody",
    "ReviewPoint",
    "Step",
    "StepKind",
]


class StepKind(enum.Enum):
    """What a step is.

    ``START`` and ``END`` bound the flow; ``TASK`` is one post's work; ``MEETING`` is a
    collective decision (处务会, 局务会), shown apart in every rendering; ``SPLIT`` opens a
    countersign (会签), activating every branch at once, and ``JOIN`` closes it.
    """

    START = "start"
    TASK = "task"
    MEETING = "meeting"
    SPLIT = "split"
    JOIN = "join"
    END = "end"
    #: asks external departments for their opinions in parallel (征求意见, 并联审批): see
    #: :class:`~planning_core.workflow.Consultation`
    CONSULT = "consult"


class Action(enum.Enum):
    """What a handler does at a step; each edge leaving a step is taken by one action."""

    APPROVE = "approve"
    REJECT = "reject"
    RETURN = "return"
    FORWARD = "forward"

    @property
    def zh(self) -> str:
        """The action as it reads on a form: 同意, 不予许可, 退回, 转送."""
        return _ACTION_ZH[self]


_ACTION_ZH = {
    Action.APPROVE: "同意",
    Action.REJECT: "不予许可",
    Action.RETURN: "退回",
    Action.FORWARD: "转送",
}


class EdgeKind(enum.Enum):
    """``FORWARD`` moves a case on; ``RETURN`` (退回) sends it back to an earlier step.

    Loops are allowed only through RETURN edges, so the FORWARD edges form a DAG whose
    longest path is the worst-case duration.
    """

    FORWARD = "forward"
    RETURN = "return"


class MeetingBody(enum.Enum):
    """The collective body that decides at a MEETING step."""

    DIVISION_MEETING = "division_meeting"
    BUREAU_MEETING = "bureau_meeting"

    @property
    def zh(self) -> str:
        """处务会 or 局务会."""
        return "处务会" if self is MeetingBody.DIVISION_MEETING else "局务会"


class JoinMode(enum.Enum):
    """``ALL`` waits for every branch of the split; ``N_OF_M`` for the first ``n``."""

    ALL = "all"
    N_OF_M = "n_of_m"


def _text(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    """A one-line, non-empty text without surrounding blanks (ids and display names)."""
    if not isinstance(value, str) or not value or value != value.strip():
        raise ValidationError(
            f"{attribute.name} must be a non-empty text without surrounding blanks, not {value!r}"
        )
    if any(unicodedata.category(ch).startswith("C") for ch in value):
        raise ValidationError(
            f"{attribute.name} {value!r} contains a control character (a line break?); "
            f"write it on one line"
        )


def _optional_text(instance: object, attribute: attrs.Attribute[str | None], value: object) -> None:
    if value is not None:
        _text(instance, attribute, value)  # type: ignore[arg-type]


def _at_least_one(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(f"{attribute.name} must be a whole number >= 1, not {value!r}")


def _unique_actions(
    instance: object, attribute: attrs.Attribute[tuple[Action, ...]], value: tuple[Action, ...]
) -> None:
    if len(set(value)) != len(value):
        raise ValidationError(f"actions {[a.value for a in value]} name an action twice")


@attrs.frozen
class ReviewPoint:
    """One business standard (业务标准): a point the handler confirms before passing on.

    :param code: stable key, recorded with the handler's yes or no.
    :param text: the point as the bureau writes it.
    """

    code: str = attrs.field(validator=_text)
    text: str = attrs.field(validator=_text)


@attrs.frozen
class Meeting:
    """The body that meets at a MEETING step and how many members must attend."""

    body: MeetingBody
    quorum: int = attrs.field(validator=_at_least_one)


@attrs.frozen
class Join:
    """What a JOIN closes: the id of its SPLIT, and how many branches it waits for.

    :param split: the SPLIT step this join closes; validation proves the pair encloses a
        region (the split dominates the join, the join post-dominates the split).
    :param mode: ``ALL`` (the usual countersign) or ``N_OF_M``.
    :param n: for ``N_OF_M``, how many branches must finish; must be left out for ``ALL``.
    """

    split: str = attrs.field(validator=_text)
    mode: JoinMode = JoinMode.ALL
    n: int | None = None

    def __attrs_post_init__(self) -> None:
        if self.mode is JoinMode.ALL and self.n is not None:
            raise ValidationError(f"join of {self.split!r}: mode ALL takes no n (got {self.n})")
        if self.mode is JoinMode.N_OF_M:
            if self.n is None:
                raise ValidationError(f"join of {self.split!r}: mode N_OF_M needs n >= 1")
            _at_least_one(self, attrs.fields(Join).n, self.n)  # type: ignore[arg-type]


def _actions(value: Iterable[Action]) -> tuple[Action, ...]:
    return tuple(value)


def _points(value: Iterable[ReviewPoint]) -> tuple[ReviewPoint, ...]:
    return tuple(value)


def _default_actions(step: Step) -> tuple[Action, ...]:
    return () if step.kind is StepKind.END else (Action.FORWARD,)


@attrs.frozen
class Step:
    """One node of a workflow.

    :param id: unique within the definition; cases and events refer to it.
    :param name: the display name, in Chinese for the bureau (窗口受理).
    :param kind: see :class:`StepKind`.
    :param post: the code of the post that owns a TASK or MEETING.
    :param time_limit: how long a TASK or MEETING may take, in working days.
    :param actions: what may be done here; every action needs an edge. Defaults to
        ``(FORWARD,)``, and to nothing for an END.
    :param standards: the business standards checklist the handler confirms.
    :param meeting: for a MEETING, the body and its quorum.
    :param join: for a JOIN, its split and mode.
    :param consultation: for a CONSULT, the departments asked, their limits, the rule on
        silence and how the answers combine.
    """

    id: str = attrs.field(validator=_text)
    name: str = attrs.field(validator=_text)
    kind: StepKind
    post: str | None = attrs.field(default=None, validator=_optional_text)
    time_limit: TimeLimit | None = None
    actions: tuple[Action, ...] = attrs.field(
        default=attrs.Factory(_default_actions, takes_self=True),
        converter=_actions,
        validator=_unique_actions,
    )
    standards: tuple[ReviewPoint, ...] = attrs.field(default=(), converter=_points)
    meeting: Meeting | None = None
    join: Join | None = None
    #: for a CONSULT step, the departments asked and the rules of their answers
    consultation: Consultation | None = None

    def allows(self, action: Action) -> bool:
        """True when ``action`` may be taken at this step."""
        return action in self.actions

    @property
    def days(self) -> int:
        """The step's time limit in days, 0 for a step without one (START, SPLIT, …)."""
        return 0 if self.time_limit is None else self.time_limit.days


@attrs.frozen
class Edge:
    """A way out of a step: taken when the handler does ``action`` and ``condition`` holds.

    :param source: the step the edge leaves.
    :param target: the step it enters.
    :param action: the action that takes it.
    :param kind: FORWARD, or RETURN (退回) to an earlier step.
    :param condition: the name of a registered condition (see
        ``planning_core_register_workflow_conditions``); an edge without one is the
        default, taken when no conditional edge for the same action holds.
    """

    source: str = attrs.field(validator=_text)
    target: str = attrs.field(validator=_text)
    action: Action = Action.FORWARD
    kind: EdgeKind = EdgeKind.FORWARD
    condition: str | None = attrs.field(default=None, validator=_optional_text)

    @property
    def key(self) -> tuple[str, str]:
        """``(source, target)``: one edge per ordered pair, as in a ``networkx.DiGraph``."""
        return (self.source, self.target)

    def __str__(self) -> str:
        return f"{self.source!r} -> {self.target!r}"
