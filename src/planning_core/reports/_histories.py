"""Reading the histories a period needs from the store, and the bureau's names for things.

The store contract has no query for "cases with events in a period", so every case received
by the period's last month is read, then cut at the period's end. The reading streams: case
rows come a page at a time (``store.iter_cases``), each page's histories in one query
(``store.load_histories``), and each history is handed on and dropped before the next page
is read, so a report that keeps only its aggregates holds one page of cases in memory however
many the year has.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Protocol

import attrs

from planning_core.cases import Engine, RecordedEvent
from planning_core.errors import NotFoundError
from planning_core.reports._period import Period
from planning_core.reports._timeline import CaseTimeline, walk
from planning_core.storage import Store
from planning_core.workflow import reference_organisation

__all__ = [
    "BATCH",
    "CaseHistory",
    "Histories",
    "Names",
    "Progress",
    "Source",
    "read_histories",
    "reader",
    "timelines",
]

#: How many cases a report reads per query while it streams through the histories.
BATCH = 100

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


class Histories:
    """The histories of a period, read from the store as they are iterated (see the module).

    Iterate it once per pass: each pass reads the store again. ``len()`` is the number of
    cases received by the period's last month (what ``progress`` counts), known from the
    store's counts without reading a history; cases with nothing recorded before the period
    ends are not yielded.
    """

    def __init__(
        self,
        engine: Engine,
        period: Period,
        progress: Progress | None = None,
        batch: int = BATCH,
    ) -> None:
        self.engine = engine
        self.period = period
        self.progress = progress
        self.batch = batch
        self._last_month = period.months[-1]
        self._total: int | None = None

    def _wanted(self, month: str) -> bool:
        return not month or month <= self._last_month

    def __len__(self) -> int:
        if self._total is None:
            counts = self.engine.store.counts_by_type_and_month()
            self._total = sum(n for (_, month), n in counts.items() if self._wanted(month))
        return self._total

    def __iter__(self) -> Iterator[CaseHistory]:
        engine, closes = self.engine, self.period.closes
        total = len(self) if self.progress is not None else 0
        done = 0
        page: list[str] = []
        rows = engine.store.iter_cases(self.batch)
        while True:
            page.clear()
            for row in rows:
                if self._wanted(row.month):
                    page.append(row.case_id)
                    if len(page) == self.batch:
                        break
            if not page:
                return
            stored = engine.histories(page)
            for case_id in page:
                events = tuple(e for e in stored.pop(case_id, []) if e.at < closes)
                done += 1
                if events:
                    yield CaseHistory(case_id, events)
                if self.progress is not None:
                    self.progress(done, max(total, done))


def read_histories(engine: Engine, period: Period, progress: Progress | None = None) -> Histories:
    """The history of every case received before the period ends, cut at its end, read
    from the store a page at a time as it is iterated (:class:`Histories`).

    Cases received after the period are skipped by the month of receipt the projection
    keeps; the rest come in case id order.
    """
    return Histories(engine, period, progress)


def timelines(histories: Iterable[CaseHistory], period: Period) -> Iterator[CaseTimeline]:
    """The timelines of the cases that concern the period, walked one at a time as they
    are asked for.

    A case concerns the period when something was recorded in it during the period, or
    when one of its clocks still runs at the period's end.
    """
    walked = (walk(h.case_id, h.events) for h in histories)
    return (t for t in walked if t.last_at is not None and (t.last_at >= period.opens or t.running))


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
