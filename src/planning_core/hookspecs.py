"""Every hook a plugin can implement: the plugin author's contract.

A plugin is any object (a module or a class instance) with functions named after these
specs and marked with :data:`hookimpl`. Plugins are found through the entry-point group
``planning_core`` (see :mod:`planning_core.plugins`), and the library registers its own
defaults through the very same hooks.

Rules of the contract, as in pluggy and pytest:

* every hook is named ``planning_core_*``; a misspelled implementation fails at load;
* an implementation may accept fewer arguments than the spec (so old plugins keep working
  when a spec grows); the contract evolves by adding hooks, not arguments;
* ``register`` hooks receive a :class:`~planning_core.registry.Registry` and call ``add``;
  the built-in implementations run first, so a plugin can replace or remove a default;
* ``firstresult`` hooks want one answer: they stop at the first non-None result.

Each hook below has a section in ``docs/plugins.md`` with its exact signature; a test keeps
the two in step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planning_core.markers import PROJECT_NAME, hookimpl, hookspec

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

__all__ = ["PROJECT_NAME", "hookimpl", "hookspec"]

# The markers live in the leaf module planning_core.markers; they are re-exported here
# because plugin authors have imported them from this module since the first release.


# ---------------------------------------------------------------------------------------
# Setup: called once when the library is wired (storage, serialization)
# ---------------------------------------------------------------------------------------


@hookspec
def planning_core_register_storage_backends(registry: Registry[StoreFactory]) -> None:
    """Register storage backends, each under the URL scheme it opens.

    A factory (:class:`~planning_core.storage.StoreFactory`) is called as
    ``factory(url, create=…)``: it receives the whole URL (``"sqlite:///var/bureau.db"``)
    and returns an open :class:`~planning_core.storage.Store`; with ``create=False`` (every
    command that only reads) it opens an existing store only, and raises
    :class:`~planning_core.errors.StoreNotFoundError` rather than create one. A store class
    whose constructor is ``(url, *, create=True)`` is a factory as it stands. A factory that
    takes the URL alone (written before ``create`` existed) is still called, with the URL
    alone, so older plugins keep working; they cannot promise not to create. Failures of the
    backend should be raised as :class:`~planning_core.errors.StorageError` subclasses, never
    as the driver's exceptions. ``open_store(url)`` picks the factory by the URL's scheme.
    Built in: ``memory`` and ``sqlite``.

    :param registry: call ``registry.add(scheme, factory)``.
    :returns: nothing; results are taken from the registry.
    """


@hookspec
def planning_core_register_blob_stores(registry: Registry[BlobStoreFactory]) -> None:
    """Register blob stores (where material files are kept), each under its URL scheme.

    A factory (:class:`~planning_core.materials.BlobStoreFactory`) is called with the whole
    URL (``"file:///srv/bureau/blobs"``) and returns a
    :class:`~planning_core.materials.BlobStore`: ``put(content) -> sha256`` (stored once,
    never overwritten), ``get(sha256) -> bytes`` (the bytes as stored, unverified, so a
    check can re-hash them) and ``exists(sha256)``. Built in: ``file`` (a content-addressed
    directory, by default beside the SQLite file) and ``memory``.

    :param registry: call ``registry.add(scheme, factory)``.
    :returns: nothing; results are taken from the registry.
    """


@hookspec
def planning_core_configure_converter(converter: cattrs.Converter) -> None:
    """Teach the one cattrs converter about a plugin's own types.

    Called once, after the built-in rules are in place and before the converter is used,
    so a plugin's hooks take precedence for its types.

    :param converter: the converter; call ``register_structure_hook`` and
        ``register_unstructure_hook`` on it.
    :returns: nothing.
    """


# ---------------------------------------------------------------------------------------
# Timing: working-day calendars and lights
# ---------------------------------------------------------------------------------------


@hookspec
def planning_core_register_calendars(registry: Registry[CalendarSpec]) -> None:
    """Register working-day calendars, each under its region key, as a ``CalendarSpec``.

    Built in: ``CN`` (the State Council's schedule, from the ``holidays`` package plus the
    packaged official schedules) and ``weekdays`` (Monday to Friday). A city adds its own key
    (``registry.add("CN-suzhou", attrs.evolve(registry.get("CN"), closures=...))``) or
    replaces ``CN`` with ``replace=True``, for example to register next year's official
    schedule (``registry.get("CN").with_schedule(schedule)``) before the ``holidays``
    package publishes it. A key nobody registers falls back to the ``holidays`` package.

    :param registry: call ``registry.add(region, spec)``.
    :returns: nothing; results are taken from the registry.
    """


@hookspec(firstresult=True)
def planning_core_light_policy(region: str, permit_type: str | None) -> LightPolicy | None:
    """Choose the ``LightPolicy`` that colours clocks (电子监察) for a region and permit type.

    Return None to leave the choice to other plugins. Stops at the first non-None result.
    The built-in implementation runs last and returns ``ShareThresholdPolicy()`` (GREEN;
    YELLOW in the last fifth of the limit's working days, at least the last day but never
    from the start, so a 1-day step goes from GREEN to RED; RED once the deadline has
    passed). Return ``ThresholdPolicy(yellow_within=3)`` for the old fixed three days.

    A policy must be a frozen, hashable value (the engine caches wake times on it), and its
    light must get no better while a clock's ledger stands still.

    :param region: the calendar key the clock counts on (``"CN"``).
    :param permit_type: the permit type's key, or None when the caller has none.
    :returns: a policy, or None.
    """


# ---------------------------------------------------------------------------------------
# The bureau: who works there and which calendar it counts on
# ---------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def planning_core_organisation(bureau: str) -> Organisation | None:
    """Supply the organisation (divisions, posts, people) of a bureau that names none.

    Called by ``open_bureau`` only when the bureau configuration has no ``organisation``
    file, so a city's plugin can ship its bureau's staff list.

    Stops at the first non-None result. With no answer the reference organisation is used.

    :param bureau: the bureau's name from its configuration (``""`` when it has none).
    :returns: an ``Organisation``, or None to leave it to the next plugin.
    """


@hookspec(firstresult=True)
def planning_core_default_region(bureau: str) -> str | None:
    """Choose the calendar region key of a bureau whose configuration names none.

    Called by ``open_bureau`` only when the bureau configuration has no ``region``; a city's
    plugin answers with its own calendar's key (``"CN-tangshan"``).

    Stops at the first non-None result. With no answer the bureau counts on ``"CN"``.

    :param bureau: the bureau's name from its configuration (``""`` when it has none).
    :returns: a region key registered through ``planning_core_register_calendars``, or None.
    """


# ---------------------------------------------------------------------------------------
# Definitions: permit types and the named conditions of their workflows
# ---------------------------------------------------------------------------------------


@hookspec
def planning_core_register_permit_types(registry: Registry[PermitType]) -> None:
    """Register permit types (选址意见书, 建设工程规划许可证 …), each under its code.

    A ``PermitType`` carries its names, legal basis, statutory and committed limits,
    extension, required materials, certificate kind and its workflow definition. The six
    national types are registered first by the built-in plugin, so a city may replace one
    (``registry.add(code, attrs.evolve(registry.get(code), committed_limit=...),
    replace=True)``), add its own, or ``registry.remove(code)``. The key must equal the
    permit type's ``code``; every workflow condition it names must be registered.

    :param registry: call ``registry.add(permit_type.code, permit_type)``.
    :returns: nothing; results are taken from the registry.
    """


@hookspec
def planning_core_register_workflow_conditions(registry: Registry[WorkflowCondition]) -> None:
    """Register the named conditions that conditional workflow edges may refer to.

    A definition stores only a condition's name, never code, so a JSON file cannot run
    anything; the predicate (``context -> bool``) lives in the plugin. Built in:
    ``major_project`` (the bureau meeting decides major projects). The key must equal the
    condition's ``name``.

    :param registry: call ``registry.add(condition.name, condition)``.
    :returns: nothing; results are taken from the registry.
    """


@hookspec
def planning_core_register_forms(registry: Registry[FormDefinition]) -> None:
    """Register application forms (申请表), each under the code of its permit type.

    A ``FormDefinition`` lists typed fields (text, numbers with units and ranges, choices,
    dates, the applicant with a checked 统一社会信用代码 or 居民身份证号, the site as
    GeoJSON) and checks across fields; ``validate_form`` reports every problem with its
    field path and ``json_schema()`` exports it for a web front end. The forms of the six
    national permit types are registered first, so a city may replace one (``registry.add(
    code, attrs.evolve(registry.get(code), fields=...), replace=True)``), add the form of its
    own permit type, or ``registry.remove(code)``. The key must equal the form's
    ``permit_type``.

    :param registry: call ``registry.add(form.permit_type, form)``.
    :returns: nothing; results are taken from the registry.
    """


# ---------------------------------------------------------------------------------------
# Conservation: the bureau's own resource rules
# ---------------------------------------------------------------------------------------


@hookspec
def planning_core_register_conservation_rules(registry: Registry[ConservationRule]) -> None:
    """Register conservation rules (vehicles, electricity, consumables, funds), each under its id.

    A rule has ``id``, ``description`` (Chinese and English), ``basis``, ``applies(record)``
    and ``check(record) -> Verdict``. The built-in rules are registered first, so a city's
    plugin may replace one with ``registry.add(rule.id, rule, replace=True)`` (for example
    the same rule with other parameters, through ``attrs.evolve``) or switch one off with
    ``registry.remove(rule_id)``. The key must equal the rule's ``id``.

    :param registry: call ``registry.add(rule.id, rule)``.
    :returns: nothing; results are taken from the registry.
    """


# ---------------------------------------------------------------------------------------
# Cases: numbering and notification (called by the engine as cases move)
# ---------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def planning_core_case_number(permit_type: str, year: int, sequence: int) -> str | None:
    """Format the public number of a new case (案件编号).

    ``sequence`` comes from the store's gap-free counter for the year, so numbers are unique
    per bureau and year; the format is the plugin's. The default is ``2026-000123``: digits
    only, readable aloud on the phone. Stops at the first non-None result.

    :param permit_type: the permit type code of the application.
    :param year: the year of receipt in the bureau's time zone.
    :param sequence: 1, 2, 3 … within the year.
    :returns: the case number, or None to leave it to the next plugin.
    """


@hookspec(firstresult=True)
def planning_core_certificate_number(kind: str, year: int, sequence: int) -> str | None:
    """Format the number of a certificate (证件编号) being issued.

    ``sequence`` is taken in the same transaction that records the issuance, so numbers
    are gap-free per certificate kind and year even with several servers issuing at once.
    The default is ``建字第2026-0001号``. Stops at the first non-None result.

    :param kind: the certificate kind of the permit type (建字, 地字, 选字 …).
    :param year: the year of issue in the bureau's time zone.
    :param sequence: 1, 2, 3 … within the kind and year.
    :returns: the certificate number, or None to leave it to the next plugin.
    """


@hookspec
def planning_core_notify(warning: LightWarning) -> None:
    """Deliver a warning that a case's or a step's light changed (SMS, e-mail, a bus).

    The sweep records each change and its message in the outbox in one transaction;
    ``Engine.deliver_notifications`` (run by every sweep) then calls this hook, at least
    once per message: a delivery that raises is retried later with backoff, and a message
    may come again after a crash, always with the same ``warning.key``: keep the keys you
    have handled to act exactly once. Every implementation is called. With no
    implementation, no staff messages are written.

    :param warning: the case, the clock, the old and new light, for a step clock the step,
        the post whose work it is and who holds it, and the idempotency key.
    :returns: nothing.
    """


@hookspec
def planning_core_notify_applicant(notice: ApplicantNotice) -> None:
    """Tell the applicant what happened to the case, at the contact on the receipt.

    Called for each event the applicant is told of: received (收件), supplement requested
    (补正告知), accepted or deemed accepted (受理), extended, suspended, decided, the
    certificate ready to collect … Written to the outbox with its event and delivered at
    least once, as :func:`planning_core_notify`; ``notice.key`` is the idempotency key.
    ``notice.contact`` is None when the applicant gave no contact. With no implementation,
    no applicant messages are written.

    :param notice: the case, the kind of news (a stable code), the title and detail as the
        window words them, the contact, the instant, the key.
    :returns: nothing.
    """


@hookspec
def planning_core_request_opinion(request: ConsultationRequest) -> None:
    """Send a request for a consulted department's opinion to its liaison (征求意见函).

    A CONSULT step asks each external department at once; each request is written to the
    outbox with its event and delivered at least once through this hook, as
    :func:`planning_core_notify` (``request.key`` is the idempotency key). The department's
    answer comes back as the command ``RecordOpinion`` (or through ``/api/v1``). Every
    implementation is called. With no implementation, no requests are written: the bureau
    sends them by hand.

    :param request: the case, the department and its liaison's contact, the working days it
        has and the day they end, its rule on silence, the round.
    :returns: nothing.
    """


@hookspec
def planning_core_forward_rating(rating: Rating) -> None:
    """Forward an applicant's rating of a service (好差评) to the provincial platform.

    Each new rating is written to the outbox with the rating itself and handed to this hook
    by every sweep and ``planning-core outbox deliver`` (or ``RatingBook.deliver``), at
    least once (the case id is the idempotency key: a case is rated once). Every
    implementation is called.

    :param rating: the case, the score (1–5), the reasons' codes, the comment, the instant,
        and for a bad rating its follow-up.
    :returns: nothing.
    """


# ---------------------------------------------------------------------------------------
# Integrity: anchors published outside the database
# ---------------------------------------------------------------------------------------


@hookspec
def planning_core_publish_anchor(anchor: Anchor) -> None:
    """Publish a ledger anchor outside the database (a notice board, a registry, an e-mail
    to the supervision office).

    Called by ``Bureau.anchor`` (``planning-core ledger anchor``) after the anchor and its
    leaves are recorded in the store; every implementation is called. An anchor catches a
    rewritten history only where the attacker cannot reach it, so publish it somewhere the
    database's administrators cannot edit. ``anchor.to_json()`` is the text to publish;
    ``planning-core cases verify CASE --anchor FILE`` and ``ledger audit --anchor FILE``
    read it back. An exception here reaches the caller as ``AnchorNotPublishedError`` (a
    ``PluginError``); the anchor stays recorded. With no implementation nothing is
    published, and the host publishes the file the command writes.

    :param anchor: the instant, the bureau's day, the number of cases and the Merkle root.
    :returns: nothing.
    """


# ---------------------------------------------------------------------------------------
# Documents: the written notices, decisions and certificates
# ---------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def planning_core_document_template(kind: str) -> DocumentTemplate | None:
    """Choose the template that lays out one kind of document (the city's own layout, its
    seal image, its wording).

    Called by ``planning_core.documents.render_document`` for each document; the template
    receives the typed :class:`~planning_core.documents.DocumentData` (what is printed) and
    returns the PDF's bytes. The default is ``PdfTemplate()``; a city usually answers with
    ``PdfTemplate(seal=Path("seal.png"), wording={...})`` or a class of its own. Stops at the
    first non-None result.

    :param kind: the document kind (``acceptance_notice``, ``decision``, ``certificate`` …;
        ``planning_core.documents.DOCUMENT_KINDS`` lists them).
    :returns: a :class:`~planning_core.documents.DocumentTemplate`, or None for the default.
    """
