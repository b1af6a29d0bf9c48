"""Test tools for hosts and plugin authors: a ready bureau, a clock you move by hand, a case
factory, a path walker, scenarios, and (in submodules that need pytest or hypothesis) the
pytest plugin, the hypothesis strategies and the storage conformance suite.

This package imports neither pytest nor hypothesis, so a host may use :func:`make_bureau`
or :class:`ManualClock` in any harness. The submodules that do need them are imported only
by name:

* :mod:`planning_core.testing.plugin`: the pytest plugin (fixtures ``pc_*``), registered
  through the ``pytest11`` entry point, so installing the library gives every test suite
  its fixtures;
* :mod:`planning_core.testing.strategies`: hypothesis strategies;
* :mod:`planning_core.testing.storage`: the storage conformance suite
  (:class:`~planning_core.testing.storage.StoreConformance`).

Install them with ``pip install "planning-core[testing]"`` (pytest and hypothesis).
"""

from planning_core.testing._bureau import Bureau, make_bureau, permit_registry
from planning_core.testing._cases import CaseFactory
from planning_core.testing._clock import ManualClock
from planning_core.testing._samples import (
    SAMPLE_CHECKLIST,
    organisation_for,
    permit_type_for,
    sample_permit_type,
    sample_workflow,
)
from planning_core.testing._scenario import Scenario, ScriptedCommand, next_commands
from planning_core.testing._walk import Chooser, Path, Visit, Walk, default_action, walk_case

__all__ = [
    "SAMPLE_CHECKLIST",
    "Bureau",
    "CaseFactory",
    "Chooser",
    "ManualClock",
    "Path",
    "Scenario",
    "ScriptedCommand",
    "Visit",
    "Walk",
    "default_action",
    "make_bureau",
    "next_commands",
    "organisation_for",
    "permit_registry",
    "permit_type_for",
    "sample_permit_type",
    "sample_workflow",
    "walk_case",
]
