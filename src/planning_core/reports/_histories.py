"""Reading the histories a period needs from the store, and the bureau's names for things.

The store contract has no query for "cases with events in a period", so every case received
by the period's last month is listed (``store.cases()``) and its history loaded
(``load_events``), then cut at the period's end. A store query for the cases with events
between two instants, and one loading many histories at once, would make this faster.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import attrs

from planning_core.cases import Engine, RecordedEvent
from planning_core.errors import NotFoundError
from planning_core.reports._period import Period
from planning_core.reports._timeline import CaseTimeline, walk
from planning_core.storage import Store
from planning_core.workflow import reference_organisation

__all__ = ["CaseHistory", "Names", "Progress", "Source", "read_histories", "reader", "timelines"]

#: Told ``(done, total)`` after each case, so a command line can draw a progress bar.
Progress = Callable[[int, int], None]


class _Wired(Protocol):
    """A bureau as ``open_bureau`` returns it: reports only need its engine."""

    @property
    def engine(self) -> Engine: ...


#: Where reports read from: a bureau (``open_bureau``) or its engine, with the bureau's own
#: organisation, calendar and light policy; or a bare store, read with the library's
#: built-ins and the reference organisation.
Source = Store | Engine | _Wired


def reader(source: Source) -> Engine:
    """The engine to read ``source`` with; it is only read, never written through."""
    if isinstance(source, Engine):
        return source
    if isinstance(source, Store):
        return Engine(source, reference_organisation())
    return source.engine


@attrs.frozen
class CaseHistory:
    """A case's recorded events up to the end of a period."""

    case_id: str
    events: tuple[RecordedEvent, ...]


def read_histories(
    engine: Engine, period: Period, progress: Progress | None = None
) -> list[CaseHistory]:
    """The history of every case received before the period ends, cut at its end.

    Cases received after the period are skipped by the month of receipt the projection
    keeps; the rest are loaded one by one, in case id order.
    """
    last_month = period.months[-1]
    rows = [row for row in engine.store.cases() if not row.month or row.month <= last_month]
    histories = []
    for done, row in enumerate(rows, start=1):
        events = tuple(e for e in engine.history(row.case_id) if e.at < period.closes)
        if events:
            histories.append(CaseHistory(row.case_id, events))
        if progress is not None:
            progress(done, len(rows))
    return histories


def timelines(histories: list[CaseHistory], period: Period) -> list[CaseTimeline]:
    """The timelines of the cases that concern the period.

    A case concerns the period when something was recorded in it during the period, or
    when one of its clocks still runs at the period's end.
    """
    walked = (walk(h.case_id, h.events) for h in histories)
    return [t for t in walked if t.last_at is not None and (t.last_at >= period.opens or t.running)]


@attrs.frozen
class Names:
    """The bureau's names for the codes reports print (permit types, steps, posts)."""

    engine: Engine

    def permit_type(self, code: str) -> str:
        """``建设工程规划许可证``, or the code for a type the engine does not know."""
        permits = self.engine.permit_types
        return permits.get(code).name_zh if code in permits else code

    def step(self, permit_type: str, version: int, step_id: str) -> str:
        """The step's name in its workflow version, or its id when the version is unknown."""
        try:
            definition = self.engine.workflow(permit_type, version)
        except NotFoundError:
            return step_id
        return definition.step(step_id).name if definition.has_step(step_id) else step_id

    def post(self, code: str) -> tuple[str, str, str]:
        """A post's name, its division's code and its division's name."""
        org = self.engine.organisation
        if not org.has_post(code):
            return code, "", "未登记处室"
        post = org.post(code)
        try:
            division = org.division(post.division).name
        except NotFoundError:
            division = post.division
        return post.name, post.division, division
