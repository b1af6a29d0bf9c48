"""A ready bureau for tests: hooks, store, organisation, calendar, engine, permit catalogue.

:func:`make_bureau` wires the pieces a host wires in its own bootstrap, with defaults a test
can live with (an in-memory store, the reference organisation, the permit types the plugins
register), so a test states only what it is about. :class:`Bureau` also knows who would
normally give each command (:meth:`Bureau.actor_for`), which is what the case factory and
the path walker use to act without naming people.
"""

from __future__ import annotations

from collections.abc import Iterable

from planning_core.cases import (
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
from planning_core.errors import NotFoundError
from planning_core.permits import PermitType, permit_catalogue
from planning_core.plugins import Hooks, make_hooks
from planning_core.registry import Registry
from planning_core.storage import Store, open_store
from planning_core.timing import WorkCalendar
from planning_core.workflow import Actor, Authority, Organisation, reference_organisation

__all__ = ["Bureau", "make_bureau", "permit_registry"]


class Bureau:
    """One bureau's engine and everything it was built from.

    The engine holds the store, hooks, organisation, calendar and permit catalogue; the
    properties here only name them, so a test reads ``bureau.calendar`` rather than
    ``bureau.engine.calendar``.

    :param engine: the engine the bureau runs cases on.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __repr__(self) -> str:
        return f"Bureau(store={self.store.url!r}, region={self.engine.region!r})"

    @property
    def hooks(self) -> Hooks:
        """The plugin manager the engine was built with."""
        return self.engine.hooks

    @property
    def store(self) -> Store:
        """Where the bureau's cases live."""
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
        the bureau head to extend, the certificate clerk to issue.

        :raises NotFoundError: when the organisation has nobody who may give it.
        """
        settings = self.engine.settings
        if isinstance(command, IssueCertificate):
            return self.actor(settings.certificate_post)
        if isinstance(command, Extend):
            return self.actor_with(Authority.BUREAU_HEAD)
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

    def close(self) -> None:
        """Close the store."""
        self.store.close()


def permit_registry(permit_types: Iterable[PermitType]) -> Registry[PermitType]:
    """A permit catalogue holding exactly ``permit_types``, each under its code."""
    registry: Registry[PermitType] = Registry("permit type")
    for permit in permit_types:
        registry.add(permit.code, permit)
    return registry


def make_bureau(
    store: Store | str = "memory://",
    *,
    hooks: Hooks | None = None,
    organisation: Organisation | None = None,
    permit_types: Registry[PermitType] | Iterable[PermitType] | None = None,
    region: str = "CN",
    settings: EngineSettings | None = None,
) -> Bureau:
    """Build a bureau the way a host's bootstrap would, with test-friendly defaults.

    :param store: an open store, or a URL to open with ``hooks`` (default: a new, empty
        in-memory store).
    :param hooks: the plugin manager; default ``make_hooks()`` (built-ins and installed
        plugins, filtered by ``PLANNING_CORE_LOAD_PLUGINS``).
    :param organisation: default: :func:`~planning_core.workflow.reference_organisation`.
    :param permit_types: the catalogue, or the permit types to put in one; default: every
        permit type the plugins register.
    :param region: the calendar region key the engine counts on.
    :param settings: the engine settings (window and certificate posts, limits).
    """
    hooks = hooks if hooks is not None else make_hooks()
    opened = open_store(store, hooks) if isinstance(store, str) else store
    if permit_types is None:
        catalogue = permit_catalogue(hooks)
    elif isinstance(permit_types, Registry):
        catalogue = permit_types
    else:
        catalogue = permit_registry(permit_types)
    engine = Engine(
        opened,
        organisation or reference_organisation(),
        hooks=hooks,
        permit_types=catalogue,
        region=region,
        settings=settings,
    )
    return Bureau(engine)
