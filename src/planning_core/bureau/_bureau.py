"""The composition root: :func:`open_bureau` wires one bureau, once, from one place.

Everything a door (the command line, a host's web app, a test, the demo, a report) needs is
built here from the plugins and the bureau configuration, and nowhere else: the plugin
manager, the store, the converter, the calendar, the permit catalogue and workflow
conditions, the organisation, the engine, the window. The rooms below never build a
plugin manager; they are handed what they need (cosmicpython's ``bootstrap.py``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planning_core.bureau._check import staffing_problems
from planning_core.bureau._config import BureauConfig, read_bureau_config
from planning_core.cases import (
    DEFAULT_CACHE_SIZE,
    DEFAULT_SWEEP_BATCH,
    Claim,
    Command,
    Complete,
    Decide,
    Engine,
    EngineSettings,
    Extend,
    IssueCertificate,
    RecordMeetingDecision,
    Resume,
    Suspend,
)
from planning_core.errors import ConfigurationError, NotFoundError, PluginError
from planning_core.ledger import Anchor, AnchorNotPublishedError, take_anchor
from planning_core.materials import BlobStore, blob_store_beside, open_blob_store
from planning_core.permits import PermitType, permit_catalogue
from planning_core.plugins import Hooks, make_hooks
from planning_core.registry import Registry
from planning_core.serialization import make_converter
from planning_core.storage import DEFAULT_STORE_URL, Store, open_store
from planning_core.timing import LightPolicy, WorkCalendar, calendar_for, light_policy
from planning_core.workflow import (
    Actor,
    Authority,
    Organisation,
    read_organisation,
    reference_organisation,
    workflow_conditions,
)

if TYPE_CHECKING:
    import cattrs

    from planning_core.forms import FormDefinition
    from planning_core.window import RatingBook, Window

__all__ = ["Bureau", "installed_plugins", "open_bureau", "permit_registry"]


class Bureau:
    """One bureau, wired: its plugins, store, calendar, catalogue, organisation and engine.

    Built by :func:`open_bureau`; use it as a context manager (or call :meth:`close`) so
    the store is closed. The window and the forms are made on first use, because most
    commands need neither.
    """

    def __init__(
        self,
        *,
        config: BureauConfig,
        hooks: Hooks,
        engine: Engine,
        converter: cattrs.Converter,
    ) -> None:
        self.config = config
        self.hooks = hooks
        self.engine = engine
        self.converter = converter
        self._window: Window | None = None
        self._forms: Registry[FormDefinition] | None = None
        self._blobs: BlobStore | None = None

    def __repr__(self) -> str:
        return f"Bureau(name={self.name!r}, store={self.store.url!r}, region={self.region!r})"

    def __enter__(self) -> Bureau:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the parts ------------------------------------------------------------------------------

    @property
    def name(self) -> str:
        """The bureau's name from its configuration (``""`` when it has none)."""
        return self.config.name

    @property
    def region(self) -> str:
        """The calendar region key every clock of the bureau counts on."""
        return self.engine.region

    @property
    def store(self) -> Store:
        """Where the bureau's cases and records live."""
        return self.engine.store

    @property
    def organisation(self) -> Organisation:
        """Divisions, posts and the people who hold them."""
        return self.engine.organisation

    @property
    def calendar(self) -> WorkCalendar:
        """The working-day calendar every clock of the bureau counts on."""
        return self.engine.calendar

    @property
    def permit_types(self) -> Registry[PermitType]:
        """The permit catalogue the engine accepts applications for."""
        return self.engine.permit_types

    @property
    def settings(self) -> EngineSettings:
        """The engine's settings (window and certificate posts, legal limits)."""
        return self.engine.settings

    @property
    def forms(self) -> Registry[FormDefinition]:
        """The application forms the plugins register, by permit type code."""
        if self._forms is None:
            from planning_core.forms import form_catalogue

            self._forms = form_catalogue(self.hooks)
        return self._forms

    @property
    def window(self) -> Window:
        """The public window (intake, status, appointments, certificates) of the engine."""
        if self._window is None:
            from planning_core.window import Window, WindowSettings

            settings = WindowSettings(bureau=self.name) if self.name else WindowSettings()
            self._window = Window(self.engine, settings, forms=self.forms, blobs=self.blobs)
        return self._window

    @property
    def ratings(self) -> RatingBook:
        """The applicant's ratings of the service (好差评) and their follow-ups, forwarded
        through ``planning_core_forward_rating`` when a plugin implements it."""
        from planning_core.window import RatingBook

        hooks = self.hooks
        forward = hooks.forward_rating if hooks.implements("planning_core_forward_rating") else None
        return RatingBook(self.window, forward=forward)

    @property
    def blobs(self) -> BlobStore:
        """Where the material files live: the blob store beside the store (``bureau.db`` →
        ``bureau.db.blobs/``), opened through the ``planning_core_register_blob_stores``
        hook; ``memory://`` for a memory store."""
        if self._blobs is None:
            self._blobs = open_blob_store(blob_store_beside(self.store.url), self.hooks)
        return self._blobs

    # -- people ---------------------------------------------------------------------------------

    def actor(self, post: str) -> Actor:
        """The first person holding ``post``.

        :raises NotFoundError: when the post is unknown or nobody holds it.
        """
        holders = self.organisation.holders(self.organisation.post(post).code)
        if not holders:
            raise NotFoundError(f"nobody holds post {post!r}; add an actor who holds it")
        return holders[0]

    def actor_for(self, command: Command) -> Actor:
        """Who would normally give ``command``: the window for intake and delivery, the
        holder of the step's post for step work, a person with enough authority to decide,
        the bureau head to extend (the head of the people's government for a joint or
        centralised handling, 行政许可法 art. 42 para. 2), the certificate clerk to issue.

        :raises NotFoundError: when the organisation has nobody who may give it.
        """
        settings = self.engine.settings
        if isinstance(command, IssueCertificate):
            return self.actor(settings.certificate_post)
        if isinstance(command, Extend):
            state = self.engine.load(command.case_id)
            joint = self.engine.permit_type(state.permit_type).joint
            return self.actor_with(Authority.GOVERNMENT_HEAD if joint else Authority.BUREAU_HEAD)
        if isinstance(command, Decide):
            state = self.engine.load(command.case_id)
            return self.actor_with(self.engine.authority_of_post(state.last_decider_post))
        if isinstance(command, Complete | RecordMeetingDecision | Claim):
            state = self.engine.load(command.case_id)
            token = state.token_at(command.step_id)
            if token is not None and token.claimed_by is not None:
                return self.organisation.actor(token.claimed_by)
            if token is not None and token.post is not None:
                return self.actor(token.post)
            return self.actor(settings.window_post)
        if isinstance(command, Suspend | Resume):
            return self.actor_with(Authority.DIVISION_HEAD)
        return self.actor(settings.window_post)

    def actor_with(self, authority: Authority) -> Actor:
        """The person with the lowest authority that is still at least ``authority``.

        :raises NotFoundError: when nobody in the organisation has that much authority.
        """
        org = self.organisation
        ranked = sorted(
            (post.authority.rank, actor.id, actor)
            for actor in org.actors
            for post in org.posts_of(actor.id)
            if post.authority.at_least(authority)
        )
        if not ranked:
            raise NotFoundError(
                f"nobody in the organisation has {authority.zh} authority; add such a post"
            )
        return ranked[0][2]

    # -- time-driven work -----------------------------------------------------------------------

    def revise_deadlines(self, at: Any) -> int:
        """Re-date open clocks on the calendar the plugins define now (a newly registered
        official schedule, a new closure); returns how many cases moved."""
        return self.engine.revise_deadlines(at, calendar_for(self.region, hooks=self.hooks))

    def anchor(self, at: Any) -> Anchor:
        """Take the day's anchor over every case's head, record it, and publish it.

        The anchor and its leaves are recorded first (:func:`planning_core.ledger.
        take_anchor`, ``day`` in the bureau's zone), then handed to every
        ``planning_core_publish_anchor`` implementation, so a failed publication never
        loses an anchor. See docs/integrity.md.

        :param at: the instant the anchor is taken (timezone-aware).
        :raises AnchorNotPublishedError: a plugin failed to publish it; it stays recorded
            and the error carries it.
        """
        anchor = take_anchor(self.store, at, self.calendar.zone)
        try:
            self.hooks.publish_anchor(anchor)
        except PluginError as exc:
            raise AnchorNotPublishedError(anchor, exc) from exc.__cause__
        return anchor

    def close(self) -> None:
        """Close the store."""
        self.store.close()


def installed_plugins(allow: Iterable[str] | None = None) -> Hooks:
    """The built-ins and the installed plugins: what a door (the command line, a server, a
    test suite) opens its bureau with.

    This and :func:`open_bureau` are the only places that build a plugin manager for the
    caller; every room below is handed the parts it needs.

    :param allow: the entry-point names to load; None lets ``PLANNING_CORE_LOAD_PLUGINS``
        and ``PLANNING_CORE_BLOCK_PLUGINS`` decide (see :mod:`planning_core.plugins`).
    """
    if allow is None:
        return make_hooks()
    return make_hooks(env={**os.environ, "PLANNING_CORE_LOAD_PLUGINS": ",".join(allow)})


def permit_registry(permit_types: Iterable[PermitType]) -> Registry[PermitType]:
    """A permit catalogue holding exactly ``permit_types``, each under its code."""
    registry: Registry[PermitType] = Registry("permit type")
    for permit in permit_types:
        registry.add(permit.code, permit)
    return registry


def open_bureau(
    config: BureauConfig | str | Path | None = None,
    *,
    hooks: Hooks | None = None,
    store: Store | str | None = None,
    organisation: Organisation | None = None,
    permit_types: Registry[PermitType] | Iterable[PermitType] | None = None,
    region: str | None = None,
    calendar: WorkCalendar | None = None,
    settings: EngineSettings | None = None,
    policy: LightPolicy | None = None,
    create: bool = True,
) -> Bureau:
    """Wire one bureau from its configuration and the plugins.

    Each part comes from the first of: the argument given here, the bureau configuration,
    a plugin's answer (``planning_core_default_region``, ``planning_core_organisation``,
    the register hooks), the library's default (``CN``, the reference organisation, the
    embedded SQLite file ``planning-core.db``).

    :param config: a :class:`BureauConfig`, or the path of a bureau file to read.
    :param hooks: the plugins; None means the library's built-ins only (pass
        ``installed_plugins()`` for the installed ones, as the command line does).
    :param store: an open store or a URL (overrides the configuration's).
    :param create: whether a store opened from a URL may be created when it does not exist
        yet; pass False for work that only reads (``StoreNotFoundError`` instead of a new,
        empty store).
    :param policy: one light policy for every permit type (overrides the configuration's
        and the plugins').
    :raises ConfigurationError: when a workflow step belongs to a post nobody holds, or a
        post the engine needs (the window's, the certificate clerk's) is unstaffed; every
        problem is named, and nothing is opened.
    """
    if not isinstance(config, BureauConfig):
        config = BureauConfig() if config is None else read_bureau_config(config)
    hooks = hooks if hooks is not None else make_hooks(entry_points=False)
    region = region or config.region or hooks.default_region(config.name) or "CN"
    staff = organisation or _organisation(config, hooks)
    catalogue = _catalogue(permit_types, hooks)
    engine_settings = settings or config.settings
    problems = staffing_problems(staff, catalogue, engine_settings)
    if problems:
        where = f" ({config.source})" if config.source else ""
        raise ConfigurationError(
            f"the bureau{where} cannot run these workflows with its organisation:\n  "
            + "\n  ".join(problems)
        )
    chosen = policy or config.light_policy
    opened = _store(store if store is not None else config.store, hooks, create)
    converter = make_converter(hooks)
    engine = Engine(
        opened,
        staff,
        permit_types=catalogue,
        conditions=workflow_conditions(hooks),
        region=region,
        calendar=calendar or calendar_for(region, hooks=hooks),
        settings=engine_settings,
        light_policy=(lambda code: chosen)
        if chosen is not None
        else (lambda code: light_policy(hooks, region, code)),
        numbering=hooks,
        notify=hooks.notify if hooks.implements("planning_core_notify") else None,
        notify_applicant=hooks.notify_applicant
        if hooks.implements("planning_core_notify_applicant")
        else None,
        request_opinion=hooks.request_opinion
        if hooks.implements("planning_core_request_opinion")
        else None,
        cache_size=DEFAULT_CACHE_SIZE if config.cache_size is None else config.cache_size,
        sweep_batch=DEFAULT_SWEEP_BATCH if config.sweep_batch is None else config.sweep_batch,
        converter=converter,
    )
    if hooks.implements("planning_core_forward_rating"):
        from planning_core.window import forward_ratings

        forward_ratings(engine, hooks.forward_rating)
    return Bureau(config=config, hooks=hooks, engine=engine, converter=converter)


def _organisation(config: BureauConfig, hooks: Hooks) -> Organisation:
    if config.organisation is not None:
        return read_organisation(config.organisation)
    return hooks.organisation(config.name) or reference_organisation()


def _catalogue(
    permit_types: Registry[PermitType] | Iterable[PermitType] | None, hooks: Hooks
) -> Registry[PermitType]:
    if permit_types is None:
        return permit_catalogue(hooks)
    if isinstance(permit_types, Registry):
        return permit_types
    return permit_registry(permit_types)


def _store(store: Store | str | None, hooks: Hooks, create: bool) -> Store:
    if isinstance(store, Store):
        return store
    return open_store(store or DEFAULT_STORE_URL, hooks, create=create)
