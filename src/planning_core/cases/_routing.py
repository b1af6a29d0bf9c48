"""Moving tokens through a workflow definition: which steps a completion activates.

Tokens run the graph like a Petri net. A TASK or MEETING holds a token until its post
completes it; a SPLIT (会签) gives every branch a token of its own at once; a JOIN holds the
branch tokens that reach it until enough have arrived (all, or N of M), then cancels the
stragglers and lets one token on; an END absorbs a token. Branch tokens carry the path of
splits they were born in (``"s1@t3/s2@t7"``), so nested countersigns join correctly.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from planning_core.cases import _events as ev
from planning_core.cases._state import CaseState, Token
from planning_core.registry import Registry
from planning_core.workflow import Action, StepKind, WorkflowCondition, WorkflowDefinition

__all__ = ["Router"]


@attrs.define
class Router:
    """Works out the events that follow one completion, without changing anything.

    :param state: the case before the completion.
    :param definition: the workflow version the case runs on.
    :param context: what named edge conditions may look at.
    """

    state: CaseState
    definition: WorkflowDefinition
    context: Mapping[str, Any]
    conditions: Registry[WorkflowCondition]
    events: list[ev.Event] = attrs.field(factory=list)
    _counter: int = 0
    _tokens: list[_Live] = attrs.field(factory=list)

    def __attrs_post_init__(self) -> None:
        self._counter = self.state.tokens_made
        self._tokens = [_Live(t.token, t.step_id, t.branch) for t in self.state.tokens]

    def start(self) -> list[ev.Event]:
        """Activate what follows START (on acceptance)."""
        start = self.definition.start
        for target in self._next(start, Action.FORWARD):
            self._enter(target, branch="")
        return self.events

    def complete(self, token: Token, action: Action) -> list[ev.Event]:
        """Route the token that just completed its step with ``action``."""
        self._tokens = [t for t in self._tokens if t.token != token.token]
        for target in self._next(token.step_id, action):
            self._enter(target, branch=token.branch)
        return self.events

    @property
    def finished(self) -> bool:
        """True when no token is left anywhere: the review is over."""
        return not self._tokens

    # -- internals --------------------------------------------------------------------------

    def _next(self, step_id: str, action: Action) -> tuple[str, ...]:
        return self.definition.next_steps(step_id, action, self.context, self.conditions)

    def _new_token(self) -> str:
        self._counter += 1
        return f"t{self._counter}"

    def _enter(self, step_id: str, branch: str) -> None:
        step = self.definition.step(step_id)
        if step.kind is StepKind.END:
            return
        if step.kind is StepKind.SPLIT:
            self._split(step_id, branch)
            return
        token = self._new_token()
        post = step.post if step.kind in (StepKind.TASK, StepKind.MEETING) else None
        self._record(ev.StepActivated(step_id, token, post, step.time_limit, branch))
        if step.kind is StepKind.JOIN:
            self._maybe_join(step_id, branch)

    def _split(self, split_id: str, branch: str) -> None:
        instance = f"t{self._counter + 1}"  # the first branch's token: unique in the case
        inner = f"{branch}/{split_id}@{instance}" if branch else f"{split_id}@{instance}"
        for target in self._next(split_id, Action.FORWARD):
            self._enter(target, branch=inner)

    def _maybe_join(self, join_id: str, branch: str) -> None:
        waiting = [t for t in self._tokens if t.step_id == join_id and t.branch == branch]
        if len(waiting) < self.definition.awaits(join_id):
            return
        for token in waiting:
            self._tokens.remove(token)
            self.events.append(ev.StepCompleted(join_id, token.token, Action.FORWARD.value))
        inside = [
            t for t in self._tokens if t.branch == branch or t.branch.startswith(branch + "/")
        ]
        for straggler in inside:
            self._tokens.remove(straggler)
            self.events.append(ev.TokenCancelled(straggler.step_id, straggler.token))
        outer = branch.rsplit("/", 1)[0] if "/" in branch else ""
        for target in self._next(join_id, Action.FORWARD):
            self._enter(target, branch=outer)

    def _record(self, event: ev.StepActivated) -> None:
        self.events.append(event)
        self._tokens.append(_Live(event.token, event.step_id, event.branch))


@attrs.frozen
class _Live:
    """A token as the router tracks it while working out one completion."""

    token: str
    step_id: str
    branch: str
