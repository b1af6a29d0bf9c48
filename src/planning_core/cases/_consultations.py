"""What consulting other departments (征求意见, 并联审批) does to a case's state.

The fold's handlers for the three consultation events, kept apart from the other handlers:
a request starts the department's own clock (stopped from the start while something holds
the case's clocks, like a step activated then); an answer stops it and is kept, replacing an
earlier answer at the same step (an objection withdrawn); an escalation marks the request.
Which events a command or the sweep records is decided by the rules
(:mod:`planning_core.cases._rules`).
"""

from __future__ import annotations

import attrs

from planning_core.cases import _events as ev
from planning_core.cases._case import CaseState
from planning_core.cases._consulted import Consulted
from planning_core.cases._fold import At, Changes

__all__ = ["escalated", "opinion_recorded", "requested"]


def requested(s: CaseState, e: ev.ConsultationRequested, at: At, actor: str) -> Changes:
    record = Consulted(e.step_id, e.token, e.department, at, e.limit, e.silence, e.round, e.liaison)
    clocks = s.clocks.consultation_started(record.key, at, e.limit)
    held = s.hold
    if held is not None:
        clocks = clocks.paused(at, held, "", "stop_and_resume")
    return dict(consultations=(*s.consultations, record), clocks=clocks)


def opinion_recorded(s: CaseState, e: ev.OpinionRecorded, at: At, actor: str) -> Changes:
    key = f"{e.token}/{e.department}"

    def answered(c: Consulted) -> Consulted:
        if c.key != key:
            return c
        return attrs.evolve(
            c,
            answer=e.answer,
            opinion=e.opinion,
            conditions=e.conditions,
            document=e.document,
            answered_at=at,
            deemed=e.deemed,
        )

    return dict(
        consultations=tuple(answered(c) for c in s.consultations),
        clocks=s.clocks.consultation_stopped(key),
    )


def escalated(s: CaseState, e: ev.ConsultationEscalated, at: At, actor: str) -> Changes:
    key = f"{e.token}/{e.department}"
    return dict(
        consultations=tuple(
            attrs.evolve(c, escalated=True) if c.key == key else c for c in s.consultations
        )
    )
