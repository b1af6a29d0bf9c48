"""The pytest plugin: fixtures for hosts and plugin authors, each named ``pc_*``.

Installed with the library through the ``pytest11`` entry point, so every test suite in an
environment where planning-core is installed has these fixtures without a ``conftest.py``
line. pytest loads this module at start-up for *every* suite, ours or not, so it imports only
pytest here and the library inside the fixtures (as datasette's ``_pytest_plugin.py`` does):
a suite that never asks for a ``pc_*`` fixture pays nothing.

Fixtures (function scope; override any of them in your ``conftest.py``):

================== ===================================================================
``pc_hooks``        a fresh plugin manager: built-ins and the installed plugins the
                    ``planning_core_plugins`` ini option (or ``PLANNING_CORE_LOAD_PLUGINS``)
                    allows
``pc_memory_store`` a new, empty in-memory store
``pc_sqlite_url``   the URL of a SQLite file in the test's temporary directory
``pc_sqlite_store`` the SQLite store at that URL, closed after the test
``pc_store``        the store ``pc_bureau`` uses (default: ``pc_memory_store``)
``pc_organisation`` the organisation (default: the reference bureau's)
``pc_region``       the calendar region key (default ``"CN"``)
``pc_calendar``     the working-day calendar of ``pc_region``, through ``pc_hooks``
``pc_permit_types`` the permit catalogue (default: every type the plugins register)
``pc_settings``     the engine settings (default: ``EngineSettings()``)
``pc_bureau``       a :class:`~planning_core.testing.Bureau` made of the above
``pc_make_bureau``  a factory for more bureaus: ``pc_make_bureau("sqlite", region=…)``
``pc_start``        the first instant of ``pc_clock``: a timezone-aware ``pendulum.DateTime``
                    (Monday 2026-03-02 09:00 in ``pc_calendar``'s zone); an override may
                    return a ``datetime`` or an ISO 8601 text with its offset
``pc_clock``        a :class:`~planning_core.testing.ManualClock` on ``pc_calendar``
``pc_cases``        a :class:`~planning_core.testing.CaseFactory` on ``pc_bureau`` and
                    ``pc_clock``
``pc_walk``         :func:`~planning_core.testing.walk_case` bound to ``pc_bureau`` and
                    ``pc_clock``: ``pc_walk(case_id, {"division_meeting": "RETURN"})``
================== ===================================================================

Which installed plugins ``pc_hooks`` loads is set per suite by the ini option
``planning_core_plugins`` (a comma-separated list of entry-point names; empty: none), handed
to ``make_hooks`` explicitly; unset, ``PLANNING_CORE_LOAD_PLUGINS`` decides, as it does for
any plugin manager. The plugin never writes the environment: nothing in the library builds
a plugin manager behind the caller's back, so the fixtures are the only way plugins reach a
bureau under test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    import datetime as dt

    import pendulum

    from planning_core.cases import EngineSettings
    from planning_core.permits import PermitType
    from planning_core.plugins import Hooks
    from planning_core.registry import Registry
    from planning_core.storage import Store
    from planning_core.testing import Bureau, CaseFactory, ManualClock, Walk
    from planning_core.timing import WorkCalendar
    from planning_core.workflow import Organisation

__all__ = [
    "pc_bureau",
    "pc_calendar",
    "pc_cases",
    "pc_clock",
    "pc_hooks",
    "pc_make_bureau",
    "pc_memory_store",
    "pc_organisation",
    "pc_permit_types",
    "pc_region",
    "pc_settings",
    "pc_sqlite_store",
    "pc_sqlite_url",
    "pc_start",
    "pc_store",
    "pc_walk",
    "pytest_addoption",
]

_INI = "planning_core_plugins"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Declare the ``planning_core_plugins`` ini option."""
    parser.addini(
        _INI,
        "planning_core: comma-separated entry-point names of the installed plugins to load "
        "in this suite (empty: none; unset: as PLANNING_CORE_LOAD_PLUGINS says)",
        type="string",
        default=None,
    )


# -- plugins and stores ---------------------------------------------------------------------


@pytest.fixture
def pc_hooks(request: pytest.FixtureRequest) -> Hooks:
    """A fresh plugin manager: the built-ins plus the installed plugins the suite allows."""
    from planning_core.bureau import installed_plugins

    wanted = request.config.getini(_INI)
    if wanted is None:
        return installed_plugins()
    return installed_plugins(name.strip() for name in str(wanted).split(",") if name.strip())


@pytest.fixture
def pc_memory_store(pc_hooks: Hooks) -> Iterator[Store]:
    """A new, empty in-memory store."""
    from planning_core.storage import open_store

    store = open_store("memory://", pc_hooks)
    yield store
    store.close()


@pytest.fixture
def pc_sqlite_url(tmp_path: Any) -> str:
    """``sqlite:///`` + a file in the test's temporary directory (not created yet)."""
    return f"sqlite:///{tmp_path / 'planning-core.db'}"


@pytest.fixture
def pc_sqlite_store(pc_sqlite_url: str, pc_hooks: Hooks) -> Iterator[Store]:
    """The SQLite store at ``pc_sqlite_url``, closed after the test."""
    from planning_core.storage import open_store

    store = open_store(pc_sqlite_url, pc_hooks)
    yield store
    store.close()


@pytest.fixture
def pc_store(pc_memory_store: Store) -> Store:
    """The store ``pc_bureau`` runs on; override it to run on another backend."""
    return pc_memory_store


# -- the bureau -------------------------------------------------------------------------------


@pytest.fixture
def pc_organisation() -> Organisation:
    """The reference bureau's organisation; override it with your own."""
    from planning_core.workflow import reference_organisation

    return reference_organisation()


@pytest.fixture
def pc_region() -> str:
    """The calendar region key of ``pc_calendar`` and ``pc_bureau``."""
    return "CN"


@pytest.fixture
def pc_calendar(pc_hooks: Hooks, pc_region: str) -> WorkCalendar:
    """The working-day calendar of ``pc_region``, as the plugins define it."""
    from planning_core.timing import calendar_for

    return calendar_for(pc_region, hooks=pc_hooks)


@pytest.fixture
def pc_permit_types(pc_hooks: Hooks) -> Registry[PermitType]:
    """Every permit type the plugins register (override to test with only your own)."""
    from planning_core.permits import permit_catalogue

    return permit_catalogue(pc_hooks)


@pytest.fixture
def pc_settings() -> EngineSettings:
    """The engine settings of ``pc_bureau``."""
    from planning_core.cases import EngineSettings

    return EngineSettings()


@pytest.fixture
def pc_bureau(
    pc_store: Store,
    pc_hooks: Hooks,
    pc_organisation: Organisation,
    pc_permit_types: Registry[PermitType],
    pc_region: str,
    pc_calendar: WorkCalendar,
    pc_settings: EngineSettings,
) -> Bureau:
    """A ready bureau: ``pc_store``, ``pc_hooks``, ``pc_organisation``, ``pc_permit_types``,
    ``pc_calendar`` and ``pc_settings`` wired by ``open_bureau``."""
    from planning_core.testing import make_bureau

    return make_bureau(
        pc_store,
        hooks=pc_hooks,
        organisation=pc_organisation,
        permit_types=pc_permit_types,
        region=pc_region,
        calendar=pc_calendar,
        settings=pc_settings,
    )


@pytest.fixture
def pc_make_bureau(
    pc_hooks: Hooks,
    pc_organisation: Organisation,
    pc_permit_types: Registry[PermitType],
    pc_region: str,
    pc_settings: EngineSettings,
    tmp_path: Any,
) -> Iterator[Callable[..., Bureau]]:
    """Make more bureaus: ``pc_make_bureau(store="memory", **make_bureau_arguments)``.

    ``store`` is ``"memory"``, ``"sqlite"`` (a new file in the test's temporary directory),
    a URL, or an open store; the other arguments default to the fixtures above. Every store
    opened here is closed after the test.
    """
    from planning_core.testing import make_bureau

    made: list[Bureau] = []

    def make(store: Any = "memory", **kwargs: Any) -> Bureau:
        if store == "memory":
            store = "memory://"
        elif store == "sqlite":
            store = f"sqlite:///{tmp_path / f'bureau-{len(made) + 1}.db'}"
        options: dict[str, Any] = {
            "hooks": pc_hooks,
            "organisation": pc_organisation,
            "permit_types": pc_permit_types,
            "region": pc_region,
            "settings": pc_settings,
        }
        options.update(kwargs)
        bureau = make_bureau(store, **options)
        made.append(bureau)
        return bureau

    yield make
    for bureau in made:
        bureau.close()


# -- time and cases -----------------------------------------------------------------------------


@pytest.fixture
def pc_start(pc_calendar: WorkCalendar) -> pendulum.DateTime:
    """Monday 2026-03-02, 09:00 in the calendar's zone: a working morning.

    An instant, not a clock (``pc_clock`` is the clock that starts here). A suite that
    overrides it may return a timezone-aware ``datetime`` or an ISO 8601 text with its
    offset (``"2026-12-31T16:00:00+08:00"``): ``pc_clock`` reads either.
    """
    import pendulum

    return pendulum.datetime(2026, 3, 2, 9, tz=pc_calendar.zone)


@pytest.fixture
def pc_clock(pc_start: dt.datetime | str, pc_calendar: WorkCalendar) -> ManualClock:
    """A clock at ``pc_start`` that the test moves by hand, in working days or hours."""
    from planning_core.testing import ManualClock

    return ManualClock(pc_start, pc_calendar)


@pytest.fixture
def pc_cases(pc_bureau: Bureau, pc_clock: ManualClock) -> CaseFactory:
    """Cases brought to the point a test needs, on ``pc_bureau`` at ``pc_clock``."""
    from planning_core.testing import CaseFactory

    return CaseFactory(pc_bureau, pc_clock)


@pytest.fixture
def pc_walk(pc_bureau: Bureau, pc_clock: ManualClock) -> Callable[..., Walk]:
    """``pc_walk(case_id, path=None, **options)``: :func:`~planning_core.testing.walk_case`
    on ``pc_bureau`` at ``pc_clock``."""
    from planning_core.testing import walk_case

    def walk(case_id: str, path: Any = None, **kwargs: Any) -> Walk:
        return walk_case(pc_bureau, pc_clock, case_id, path, **kwargs)

    return walk
