"""The ``planning-core`` command: a thin shell over the public API.

Each command group lives in its own module and is registered here by name, lazily: a
command's module is imported only when that command runs, so ``planning-core --help`` stays
fast (``benchmarks/bench_cli.py``). A user error (any
:class:`~planning_core.errors.PlanningError`) prints one line on stderr and exits 2;
``--debug`` shows the traceback instead. ``docs/cli.md`` states the output convention.
"""

from planning_core.cli._base import LazyCommand, cli, main

__all__ = ["COMMANDS", "LazyCommand", "cli", "main"]

#: Every top-level command: where it lives and its one-line help (checked against the
#: command's docstring by the tests).
COMMANDS: dict[str, LazyCommand] = {
    "appointments": LazyCommand(
        "planning_core.cli._window",
        "appointments",
        "Appointments at the window (预约): free slots, booking, cancelling.",
    ),
    "bureau": LazyCommand(
        "planning_core.cli._bureau",
        "bureau",
        "The bureau file (机构配置): check it before a bureau runs on it.",
    ),
    "calendar": LazyCommand(
        "planning_core.cli._timing",
        "calendar_command",
        "Whether DAY (YYYY-MM-DD) is a working day, and why.",
    ),
    "cases": LazyCommand(
        "planning_core.cli._cases",
        "cases",
        "Cases in the approval engine (案件): inbox, file, overdue board, sweep.",
    ),
    "certificates": LazyCommand(
        "planning_core.cli._window",
        "certificates",
        "The certificate register (证件登记): list, void, export and verify e-licences.",
    ),
    "check-scheme": LazyCommand(
        "planning_core.cli._geo",
        "check_scheme_command",
        "Check a scheme against its site's conditions (art. 40); exit 1 when a rule fails.",
    ),
    "conditions": LazyCommand(
        "planning_core.cli._geo",
        "conditions_command",
        "The planning conditions (规划条件) of the site in SITE_FILE (GeoJSON).",
    ),
    "conservation": LazyCommand(
        "planning_core.cli._conservation",
        "conservation",
        "节能 Conservation: record consumption, check requests against the rules, report.",
    ),
    "deadline": LazyCommand(
        "planning_core.cli._timing",
        "deadline",
        'The deadline of LIMIT ("20wd", "20个工作日", "30天") counted from START.',
    ),
    "demo": LazyCommand(
        "planning_core.cli._demo",
        "demo",
        "Run a day at the bureau on the embedded default store (SQLite in this directory).",
    ),
    "forms": LazyCommand(
        "planning_core.cli._forms",
        "forms",
        "Application forms (申请表): JSON Schema export and validation.",
    ),
    "intake": LazyCommand(
        "planning_core.cli._window",
        "intake",
        "Receive the application in FILE.json and print the receipt (立案回执).",
    ),
    "layers": LazyCommand(
        "planning_core.cli._geo",
        "layers",
        "The base-data catalogue (基础数据): import and list layers.",
    ),
    "ledger": LazyCommand(
        "planning_core.cli._ledger",
        "ledger",
        "Anchors: a published Merkle root over every case's history, per day (存证).",
    ),
    "limits": LazyCommand(
        "planning_core.cli._window",
        "limits",
        "The published limits and materials of every permit type, for the bureau's website.",
    ),
    "map": LazyCommand(
        "planning_core.cli._geo",
        "map_command",
        "Draw CASE's site (from its application form) with plots, roads and pipelines.",
    ),
    "outbox": LazyCommand(
        "planning_core.cli._outbox",
        "outbox",
        "Notifications to staff and applicants: list the waiting ones, retry them (通知发件箱).",
    ),
    "permits": LazyCommand(
        "planning_core.cli._permits",
        "permits",
        "The published time limits of every permit type (办结时限公示).",
    ),
    "plugins": LazyCommand(
        "planning_core.cli._plugins",
        "plugins",
        "List every registered plugin, built-in and installed, with its hooks.",
    ),
    "ratings": LazyCommand(
        "planning_core.cli._ratings",
        "ratings",
        "Ratings of the service (好差评): rate a case, follow up a bad rating, statistics.",
    ),
    "report": LazyCommand(
        "planning_core.cli._reports",
        "report",
        "报表 Reports: approval statistics, the annual work summary, what-if replay.",
    ),
    "rural": LazyCommand(
        "planning_core.cli._rural",
        "rural",
        "Rural planning management (乡村规划管理): sheets, progress reports, inspections.",
    ),
    "serve": LazyCommand(
        "planning_core.cli._serve",
        "serve",
        "Serve the bureau on the web: public pages, staff pages, the board and /api/v1.",
    ),
    "staff": LazyCommand(
        "planning_core.cli._serve",
        "staff",
        "Staff logins and system tokens for the web door (kept in the store, hashed).",
    ),
    "status": LazyCommand(
        "planning_core.cli._window",
        "status",
        "The public status of CASE_NUMBER; asks for the query password without echo.",
    ),
    "workflow": LazyCommand(
        "planning_core.cli._workflow",
        "workflow",
        "Approval workflows of the permit types (审批流程): list, show, validate, check.",
    ),
}

for _name, _command in COMMANDS.items():
    cli.add_lazy_command(_name, _command)
