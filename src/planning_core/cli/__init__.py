"""The ``planning-core`` command: a thin shell over the public API.

Each command group lives in its own module and is added to :data:`cli` here. A user error
(any :class:`~planning_core.errors.PlanningError`) prints one line on stderr and exits 2;
``--debug`` shows the traceback instead.
"""

from planning_core.cli._base import cli, main
from planning_core.cli._bureau import bureau
from planning_core.cli._cases import cases
from planning_core.cli._conservation import conservation
from planning_core.cli._demo import demo
from planning_core.cli._forms import forms
from planning_core.cli._geo import (
    check_scheme_command,
    conditions_command,
    layers,
    map_command,
)
from planning_core.cli._ledger import ledger
from planning_core.cli._outbox import outbox
from planning_core.cli._permits import permits
from planning_core.cli._plugins import plugins
from planning_core.cli._reports import report
from planning_core.cli._rural import rural
from planning_core.cli._serve import serve, staff
from planning_core.cli._timing import calendar_command, deadline
from planning_core.cli._window import appointments, certificates, intake, limits, status
from planning_core.cli._workflow import workflow

cli.add_command(plugins)
cli.add_command(bureau)
cli.add_command(cases)
cli.add_command(demo)
cli.add_command(conservation)
cli.add_command(rural)
cli.add_command(deadline)
cli.add_command(calendar_command)
cli.add_command(workflow)
cli.add_command(permits)
cli.add_command(forms)
cli.add_command(layers)
cli.add_command(conditions_command)
cli.add_command(check_scheme_command)
cli.add_command(map_command)
cli.add_command(intake)
cli.add_command(status)
cli.add_command(appointments)
cli.add_command(certificates)
cli.add_command(limits)
cli.add_command(report)
cli.add_command(ledger)
cli.add_command(outbox)
cli.add_command(serve)
cli.add_command(staff)

__all__ = ["cli", "main"]
