"""What a rule may know of the bureau: a narrow, frozen context instead of the engine.

The rules (:mod:`planning_core.cases._rules`) decide which events a command produces. They
need the bureau's settings, who holds which authority, the workflows and permit types, the
workflow conditions, the calendar, and the numbering of cases and certificates; they must
not reach the store, the caches or the plugin manager. :class:`RuleContext` is exactly that,
built once by the engine (and again when a workflow version or the calendar changes), so a
rule can be unit-tested with a context made by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

import attrs
import pendulum

from planning_core.errors import NotFoundError
from planning_core.permits import PermitType
from planning_core.registry import Registry
from planning_core.timing import PauseModes, TimeLimit, WorkCalendar
from planning_core.workflow import (
    Actor,
    Authority,
    Organisation,
    WorkflowCondition,
    WorkflowDefinition,
)

__all__ = ["EngineSettings", "Numbering", "RuleContext", "builtin_numbering"]


@attrs.frozen
class EngineSettings:
    """What a bureau sets once for its engine.

    :param window_post: the post that receives, accepts and hands out (窗口).
    :param certificate_post: the post that numbers and issues certificates (发证).
    :param notice_limit: the time for the one-time supplement notice (art. 32: 5 working days).
    :param certificate_limit: the time to issue and serve a certificate (art. 44: 10).
    :param pause_modes: by permit type code, which pause reasons restart the whole limit
        on resumption instead of carrying on (cities differ, e.g. after a supplement).
    :param hearing_limit: the time to organise a hearing once it is asked for (行政许可法
        art. 47: 20 days, working days by art. 82), timed by the ``hearing`` clock while a
        hearing suspension stops the others.
    """

    window_post: str = "WINDOW_CLERK"
    certificate_post: str = "CERTIFICATE_CLERK"
    notice_limit: TimeLimit = attrs.field(factory=lambda: TimeLimit.working_days(5))
    certificate_limit: TimeLimit = attrs.field(factory=lambda: TimeLimit.working_days(10))
    pause_modes: Mapping[str, PauseModes] = attrs.field(factory=dict)
    hearing_limit: TimeLimit = attrs.field(factory=lambda: TimeLimit.working_days(20))


class Numbering(Protocol):
    """How new case and certificate numbers are formatted from a gap-free sequence.

    ``planning_core.plugins.Hooks`` is one (it asks the ``planning_core_case_number`` and
    ``planning_core_certificate_number`` hooks); :func:`builtin_numbering` is the library's
    default.
    """

    def case_number(self, permit_type: str, year: int, sequence: int) -> str:
        """The public number of the ``sequence``-th case of ``year``."""
        ...

    def certificate_number(self, kind: str, year: int, sequence: int) -> str:
        """The number of the ``sequence``-th certificate of ``kind`` in ``year``."""
        ...


@attrs.frozen
class _BuiltinNumbering:
    def case_number(self, permit_type: str, year: int, sequence: int) -> str:
        from planning_core.cases._builtin import planning_core_case_number

        return planning_core_case_number(permit_type, year, sequence)

    def certificate_number(self, kind: str, year: int, sequence: int) -> str:
        from planning_core.cases._builtin import planning_core_certificate_number

        return planning_core_certificate_number(kind, year, sequence)


def builtin_numbering() -> Numbering:
    """The library's numbering: cases ``2026-000123``, certificates ``建字第2026-0001号``."""
    return _BuiltinNumbering()


@attrs.frozen
class RuleContext:
    """Everything about the bureau a rule may look at, and nothing more.

    :param workflows: every known workflow version, by ``(permit type, version)``.
    :param region: the calendar region key new cases count on.
    """

    settings: EngineSettings
    organisation: Organisation
    permit_types: Registry[PermitType]
    workflows: Mapping[tuple[str, int], WorkflowDefinition]
    conditions: Registry[WorkflowCondition]
    calendar: WorkCalendar
    region: str
    numbering: Numbering

    def permit_type(self, code: str) -> PermitType:
        """The permit type with ``code``; an unknown code names the known ones."""
        return self.permit_types.get(code)

    def workflow(self, permit_type: str, version: int | None = None) -> WorkflowDefinition:
        """A workflow version (default: the permit type's current one)."""
        if version is None:
            return self.permit_type(permit_type).workflow
        found = self.workflows.get((permit_type, version))
        if found is None:
            known = sorted(v for t, v in self.workflows if t == permit_type)
            raise NotFoundError(
                f"workflow {permit_type!r} version {version} is not registered (known: "
                f"{known}); register it with Engine.add_workflow or migrate the case"
            )
        return found

    def authority_of_post(self, post: str | None) -> Authority:
        """The authority of ``post`` (staff for an unknown or missing post)."""
        if post is None or not self.organisation.has_post(post):
            return Authority.STAFF
        return self.organisation.post(post).authority

    def holds_authority(self, actor: Actor, needed: Authority) -> bool:
        """True when one of the actor's posts has at least ``needed`` authority."""
        org = self.organisation
        return any(org.has_post(p) and org.post(p).authority.at_least(needed) for p in actor.posts)

    def case_number(
        self, permit_type: str, at: pendulum.DateTime, take: Callable[[str], int]
    ) -> str:
        """A new case number: the year's next sequence (``take``), formatted."""
        year = at.in_timezone(self.calendar.zone).year
        return self.numbering.case_number(permit_type, year, take(f"case:{year}"))

    def certificate_number(
        self, kind: str, at: pendulum.DateTime, take: Callable[[str], int]
    ) -> str:
        """A new certificate number, gap-free per kind and year."""
        year = at.in_timezone(self.calendar.zone).year
        return self.numbering.certificate_number(kind, year, take(f"certificate:{kind}:{year}"))
