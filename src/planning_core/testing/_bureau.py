"""A ready bureau for tests: :func:`make_bureau` is ``open_bureau`` with test-friendly defaults.

A test states only what it is about: the store defaults to a new, empty in-memory one, the
organisation to the reference bureau's, the catalogue to what the plugins register. The
wiring itself is the library's one composition root (:func:`planning_core.bureau.
open_bureau`), so a test runs the bureau exactly as a host does.
"""

from __future__ import annotations

from collections.abc import Iterable

from planning_core.bureau import Bureau, open_bureau, permit_registry
from planning_core.cases import EngineSettings
from planning_core.permits import PermitType
from planning_core.plugins import Hooks
from planning_core.registry import Registry
from planning_core.storage import Store
from planning_core.timing import WorkCalendar
from planning_core.workflow import Organisation

__all__ = ["Bureau", "make_bureau", "permit_registry"]


def make_bureau(
    store: Store | str = "memory://",
    *,
    hooks: Hooks | None = None,
    organisation: Organisation | None = None,
    permit_types: Registry[PermitType] | Iterable[PermitType] | None = None,
    region: str = "CN",
    calendar: WorkCalendar | None = None,
    settings: EngineSettings | None = None,
) -> Bureau:
    """Build a bureau the way a host's bootstrap does, with test-friendly defaults.

    :param store: an open store, or a URL to open with ``hooks`` (default: a new, empty
        in-memory store).
    :param hooks: the plugins; None means the built-ins only (the ``pc_hooks`` fixture
        passes the installed plugins the suite allows).
    :param organisation: default: the reference organisation (or a plugin's).
    :param permit_types: the catalogue, or the permit types to put in one; default: every
        permit type the plugins register.
    :param region: the calendar region key the engine counts on.
    :param calendar: the calendar (default: the plugins' calendar for ``region``).
    :param settings: the engine settings (window and certificate posts, limits).
    """
    return open_bureau(
        hooks=hooks,
        store=store,
        organisation=organisation,
        permit_types=permit_types,
        region=region,
        calendar=calendar,
        settings=settings,
    )
