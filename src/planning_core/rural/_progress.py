"""The one place the rural progress report is made from a store.

The annual work summary and ``planning-core rural progress`` once counted township matters
differently (one with the engine's decided cases, one with the recorded counts only), so the
same store printed 48 乡村建设规划许可证 in one and 21 in the other. Both now call
:func:`rural_progress`, which states the rule once:

* a township matter is a case **decided** in the approval engine (approved or denied) whose
  permit type is a township matter (:func:`matter_kinds`: the default table, then each
  registered permit type's ``township_matter`` field) and which names a township known to
  the rural records (by code, or by a unique name as the window's form gives it); it counts
  once, on the day of its decision;
* the report is cumulative up to the end of the day it describes, like every figure of the
  rural programme ("so far 100 planning opinions reviewed"); and the recorded counts are
  merged as :func:`count_matters` says (a township in the engine is counted only from it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import cattrs

from planning_core.rural._inspections import DEFAULT_TIMEZONE
from planning_core.rural._matters import TownshipMatterType, decided_matters, matter_kinds
from planning_core.rural._report import ProgressReport, progress_report
from planning_core.rural._repository import RuralRepository
from planning_core.storage import Store

__all__ = ["rural_progress"]


def rural_progress(
    store: Store,
    at: dt.datetime,
    *,
    converter: cattrs.Converter | None = None,
    permit_types: Iterable[TownshipMatterType] = (),
    site: str | None = None,
    timezone: str = DEFAULT_TIMEZONE,
) -> ProgressReport:
    """The progress report at the end of the day ``at`` falls on, read from ``store``.

    :param converter: the converter the rural records are stored with (the bureau's, which
        knows the plugins' types); default: the library's.
    :param permit_types: the engine's permit types (``engine.permit_types.values()``), so a
        city's own rural permit counts as the township matter its ``township_matter`` names.
    :param site: report on this site only.
    :raises NotFoundError: when ``site`` is not a known site.
    :raises ValidationError: when ``at`` has no time zone, or a permit type's
        ``township_matter`` is not a :class:`MatterKind` value.
    """
    data = RuralRepository(store, converter).snapshot()
    decided = decided_matters(store, matter_kinds(permit_types))
    return progress_report(data, at, site=site, decided=decided, timezone=timezone)
