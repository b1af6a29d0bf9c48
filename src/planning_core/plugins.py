"""The plugin manager: built-ins, entry points, and a typed facade over pluggy.

``make_hooks()`` builds a fresh :class:`Hooks` every time; nothing is loaded at import and
there is no module-level manager, so each test (and each host) gets its own. The facade
gives core code typed calls (``hooks.register_storage_backends(registry)``) and turns an
exception raised inside a plugin into :class:`~planning_core.errors.PluginError` naming the
plugin and the hook.

Which third-party plugins load is chosen by two environment variables, read when
``make_hooks`` runs (as llm and datasette do):

* ``PLANNING_CORE_LOAD_PLUGINS``: a comma-separated allow list of entry-point names; set to
  the empty string to load none;
* ``PLANNING_CORE_BLOCK_PLUGINS``: a comma-separated list of names never to load.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable, Mapping
from importlib import metadata
from types import ModuleType
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import pluggy

from planning_core import hookspecs
from planning_core.errors import PluginError
from planning_core.markers import PROJECT_NAME

if TYPE_CHECKING:
    import cattrs

    from planning_core.cases import ApplicantNotice, ConsultationRequest, LightWarning
    from planning_core.conservation import ConservationRule
    from planning_core.documents import DocumentTemplate
    from planning_core.forms import FormDefinition
    from planning_core.ledger import Anchor
    from planning_core.materials import BlobStoreFactory
    from planning_core.permits import PermitType
    from planning_core.registry import Registry
    from planning_core.storage import StoreFactory
    from planning_core.timing import CalendarSpec, LightPolicy
    from planning_core.window import Rating
    from planning_core.workflow import Organisation, WorkflowCondition

__all__ = ["ENTRY_POINT_GROUP", "Hooks", "PluginInfo", "builtin_plugins", "make_hooks"]

ENTRY_POINT_GROUP = "planning_core"


def builtin_plugins() -> tuple[ModuleType, ...]:
    """The modules holding the library's own hook implementations, in registration order.

    They are imported here, by name in the code rather than from a list of strings, so a
    renamed module fails the type check instead of the first run; they are imported inside
    the function so that ``import planning_core`` stays light (a room is loaded when a
    manager is made, not before).
    """
    from planning_core import serialization
    from planning_core.cases import _builtin as cases_builtin
    from planning_core.conservation import _builtin as conservation_builtin
    from planning_core.forms import _builtin as forms_builtin
    from planning_core.materials import _builtin as materials_builtin
    from planning_core.permits import _builtin as permits_builtin
    from planning_core.storage import _builtin as storage_builtin
    from planning_core.timing import _builtin as timing_builtin
    from planning_core.workflow import _builtin as workflow_builtin

    return (
        storage_builtin,
        materials_builtin,
        serialization,
        timing_builtin,
        cases_builtin,
        conservation_builtin,
        workflow_builtin,
        permits_builtin,
        forms_builtin,
    )


R = TypeVar("R")


@attrs.frozen
class PluginInfo:
    """What ``planning-core plugins`` shows about one registered plugin."""

    name: str
    hooks: tuple[str, ...]
    builtin: bool
    distribution: str | None = None
    version: str | None = None


class Hooks:
    """A typed facade over one :class:`pluggy.PluginManager`.

    :param manager: a manager that already has the hook specs added.
    """

    def __init__(self, manager: pluggy.PluginManager) -> None:
        self.manager = manager
        self._builtin: set[str] = set()
        self._dists: dict[str, tuple[str, str]] = {}

    # -- registration -------------------------------------------------------------------

    def register(self, plugin: object, name: str | None = None) -> str:
        """Register a plugin object (a module or an instance) and check its hooks.

        :returns: the name it was registered under.
        :raises PluginError: when an implementation matches no hook spec.
        """
        registered = self.manager.register(plugin, name=name)
        plugin_name = registered or name or self.manager.get_name(plugin) or repr(plugin)
        self.check()
        return plugin_name

    def check(self) -> None:
        """Fail loudly on implementations that match no spec (a misspelled hook)."""
        try:
            self.manager.check_pending()
        except pluggy.PluginValidationError as exc:
            name = self.manager.get_name(exc.plugin) or repr(exc.plugin)
            raise PluginError(name, "check_pending", exc) from exc

    def describe(self) -> list[PluginInfo]:
        """Every registered plugin with the hooks it implements."""
        infos = []
        for name, plugin in self.manager.list_name_plugin():
            callers = self.manager.get_hookcallers(plugin) or []
            dist = self._dists.get(name)
            infos.append(
                PluginInfo(
                    name=name,
                    hooks=tuple(sorted(c.name for c in callers)),
                    builtin=name in self._builtin,
                    distribution=dist[0] if dist else None,
                    version=dist[1] if dist else None,
                )
            )
        return infos

    # -- typed hook calls ---------------------------------------------------------------

    def register_storage_backends(self, registry: Registry[StoreFactory]) -> None:
        """Let every plugin add storage backends to ``registry``."""
        self.call("planning_core_register_storage_backends", registry=registry)

    def register_blob_stores(self, registry: Registry[BlobStoreFactory]) -> None:
        """Let every plugin add blob stores (for material files) to ``registry``."""
        self.call("planning_core_register_blob_stores", registry=registry)

    def document_template(self, kind: str) -> DocumentTemplate | None:
        """The template a plugin chooses for documents of ``kind``, or None."""
        result: DocumentTemplate | None = self.call("planning_core_document_template", kind=kind)
        return result

    def configure_converter(self, converter: cattrs.Converter) -> None:
        """Let every plugin teach ``converter`` its own types."""
        self.call("planning_core_configure_converter", converter=converter)

    def register_conservation_rules(self, registry: Registry[ConservationRule]) -> None:
        """Let every plugin add, replace or remove conservation rules in ``registry``."""
        self.call("planning_core_register_conservation_rules", registry=registry)

    def register_calendars(self, registry: Registry[CalendarSpec]) -> None:
        """Let every plugin add, replace or remove working-day calendars in ``registry``."""
        self.call("planning_core_register_calendars", registry=registry)

    def light_policy(self, region: str, permit_type: str | None) -> LightPolicy | None:
        """The first light policy a plugin chooses for ``region`` and ``permit_type``."""
        result: LightPolicy | None = self.call(
            "planning_core_light_policy", region=region, permit_type=permit_type
        )
        return result

    def register_permit_types(self, registry: Registry[PermitType]) -> None:
        """Let every plugin add, replace or remove permit types in ``registry``."""
        self.call("planning_core_register_permit_types", registry=registry)

    def register_workflow_conditions(self, registry: Registry[WorkflowCondition]) -> None:
        """Let every plugin add, replace or remove workflow conditions in ``registry``."""
        self.call("planning_core_register_workflow_conditions", registry=registry)

    def register_forms(self, registry: Registry[FormDefinition]) -> None:
        """Let every plugin add, replace or remove application forms in ``registry``."""
        self.call("planning_core_register_forms", registry=registry)

    def case_number(self, permit_type: str, year: int, sequence: int) -> str:
        """The public number of a new case, from ``planning_core_case_number``."""
        return str(
            self.call(
                "planning_core_case_number",
                permit_type=permit_type,
                year=year,
                sequence=sequence,
            )
        )

    def certificate_number(self, kind: str, year: int, sequence: int) -> str:
        """The number of a certificate being issued, from ``planning_core_certificate_number``."""
        return str(
            self.call("planning_core_certificate_number", kind=kind, year=year, sequence=sequence)
        )

    def notify(self, warning: LightWarning) -> None:
        """Hand a light change to every ``planning_core_notify`` implementation."""
        self.call("planning_core_notify", warning=warning)

    def notify_applicant(self, notice: ApplicantNotice) -> None:
        """Hand a notice to every ``planning_core_notify_applicant`` implementation."""
        self.call("planning_core_notify_applicant", notice=notice)

    def request_opinion(self, request: ConsultationRequest) -> None:
        """Hand a consultation request to every ``planning_core_request_opinion``
        implementation."""
        self.call("planning_core_request_opinion", request=request)

    def forward_rating(self, rating: Rating) -> None:
        """Hand a rating to every ``planning_core_forward_rating`` implementation."""
        self.call("planning_core_forward_rating", rating=rating)

    def implements(self, hook_name: str) -> bool:
        """True when some registered plugin implements ``hook_name``."""
        return bool(getattr(self.manager.hook, hook_name).get_hookimpls())

    def publish_anchor(self, anchor: Anchor) -> None:
        """Hand an anchor to every ``planning_core_publish_anchor`` implementation."""
        self.call("planning_core_publish_anchor", anchor=anchor)

    def organisation(self, bureau: str) -> Organisation | None:
        """The organisation a plugin supplies for ``bureau``, or None."""
        result: Organisation | None = self.call("planning_core_organisation", bureau=bureau)
        return result

    def default_region(self, bureau: str) -> str | None:
        """The calendar region key a plugin chooses for ``bureau``, or None."""
        result: str | None = self.call("planning_core_default_region", bureau=bureau)
        return result

    def call(self, hook_name: str, **kwargs: Any) -> Any:
        """Call a hook by name, wrapping a plugin's exception in :class:`PluginError`.

        For an ordinary hook the result is the list of non-None results; for a
        ``firstresult`` hook, the first non-None result or None.
        """
        caller = getattr(self.manager.hook, hook_name)
        try:
            return caller(**kwargs)
        except Exception as exc:
            raise PluginError(_culprit(caller, exc), hook_name, exc) from exc

    # -- internal -----------------------------------------------------------------------

    def _mark_builtin(self, name: str) -> None:
        self._builtin.add(name)

    def _record_distribution(self, name: str, dist: str, version: str) -> None:
        self._dists[name] = (dist, version)


def make_hooks(
    *,
    builtins: bool = True,
    entry_points: bool = True,
    env: Mapping[str, str] | None = None,
) -> Hooks:
    """Build a fresh plugin manager with the hook specs, built-ins and installed plugins.

    :param builtins: register the library's own defaults (turn off only in tests that
        want to see a hook with no implementation at all).
    :param entry_points: load third-party plugins from the ``planning_core`` entry-point
        group, filtered by the environment variables in this module's docstring.
    :param env: the environment to read those variables from (default ``os.environ``).
    """
    manager = pluggy.PluginManager(PROJECT_NAME)
    manager.add_hookspecs(hookspecs)
    hooks = Hooks(manager)
    if builtins:
        for module in builtin_plugins():
            hooks._mark_builtin(manager.register(module, name=module.__name__) or module.__name__)
    if entry_points:
        _load_entry_points(hooks, os.environ if env is None else env)
    hooks.check()
    return hooks


def _load_entry_points(hooks: Hooks, env: Mapping[str, str]) -> None:
    allow = _name_list(env.get("PLANNING_CORE_LOAD_PLUGINS"))
    block = _name_list(env.get("PLANNING_CORE_BLOCK_PLUGINS")) or set()
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        if (allow is not None and ep.name not in allow) or ep.name in block:
            continue
        if hooks.manager.has_plugin(ep.name):
            continue
        try:
            plugin = ep.load()
        except Exception as exc:
            raise PluginError(ep.name, "load", exc) from exc
        hooks.manager.register(plugin, name=ep.name)
        if ep.dist is not None:
            hooks._record_distribution(ep.name, ep.dist.name, ep.dist.version)


def _name_list(value: str | None) -> set[str] | None:
    if value is None:
        return None
    return {part.strip() for part in value.split(",") if part.strip()}


def _culprit(caller: pluggy.HookCaller, exc: BaseException) -> str:
    """Name the plugin whose implementation raised, by matching traceback frames."""
    codes: dict[object, str] = {}
    for impl in caller.get_hookimpls():
        function: Callable[..., object] = impl.function
        code = getattr(function, "__code__", None)
        if code is not None:
            codes[code] = impl.plugin_name
    culprit = "unknown plugin"
    for frame, _ in traceback.walk_tb(exc.__traceback__):
        if frame.f_code in codes:
            culprit = codes[frame.f_code]
    return culprit
