"""The approval engine: commands in, events recorded, projections kept, clocks swept.

``Engine.execute(command, actor, at)`` loads the case (a fold of its events), asks the rules
(:mod:`planning_core.cases._rules`) which events the command produces, seals them into the
hash chain, and appends them with the new projection in one unit of work. A writer that
loaded a stale case gets :class:`~planning_core.errors.ConflictError` and changes nothing.

Nothing here reads the wall clock: every command carries its instant, and ``sweep(now)``
and ``revise_deadlines(at)`` are told what time it is.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs
import pendulum

from planning_core.cases import _commands as cmd
from planning_core.cases import _events as ev
from planning_core.cases._catalogue import kind_of
from planning_core.cases._codec import decode, encode
from planning_core.cases._context import EngineSettings, Numbering, RuleContext, builtin_numbering
from planning_core.cases._history import Head, HistoryReport, verify_chain
from planning_core.cases._outbox import (
    CONSULTATION_CHANNEL,
    OUTBOX,
    ApplicantNotice,
    ConsultationRequest,
    DeliveryReport,
    LightWarning,
    OutboxMessage,
    RetryPolicy,
    consultation_messages,
    deliver,
    message_key,
    message_record,
    pending,
    retry,
)
from planning_core.cases._projection import (
    ProjectionCaches,
    clock_lights,
    deadlines,
    project,
)
from planning_core.cases._rules import (
    Ask,
    decide,
    deemed_acceptance_due,
    deemed_or_accepted,
    silence_due,
)
from planning_core.cases._snapshot import (
    SNAPSHOT_VERSION,
    SnapshotCodec,
    counted_on,
    differences,
    replay,
    restore,
)
from planning_core.cases._state import CaseState, RecordedEvent, apply, fold
from planning_core.errors import (
    ConfigurationError,
    ConflictError,
    InvalidStateError,
    NotFoundError,
    PermissionDeniedError,
    PlanningError,
    ValidationError,
)
from planning_core.permits import PermitType, permit_catalogue
from planning_core.registry import Registry
from planning_core.serialization import make_converter, parse_instant
from planning_core.storage import JSON, CaseRow, CaseSnapshot, Store, UnitOfWork, check_limit
from planning_core.timing import (
    LightPolicy,
    ShareThresholdPolicy,
    WorkCalendar,
    calendar_for,
)
from planning_core.workflow import (
    Actor,
    Authority,
    Organisation,
    WorkflowCondition,
    WorkflowDefinition,
    workflow_conditions,
)

__all__ = [
    "CERTIFICATE_REGISTER",
    "DEFAULT_CACHE_SIZE",
    "DEFAULT_SWEEP_BATCH",
    "Engine",
    "MigrationPlan",
]

#: The collection of the certificate register: one record per number, never deleted.
CERTIFICATE_REGISTER = "cases.certificate"


@attrs.frozen
class MigrationPlan:
    """What moving a case to another workflow version would do, shown before it is done.

    :param step_map: where each active step goes (itself when the new version has it).
    :param unmapped: active steps the new version lacks and the caller did not map.
    """

    case_id: str
    from_version: int
    to_version: int
    added_steps: tuple[str, ...]
    removed_steps: tuple[str, ...]
    step_map: tuple[tuple[str, str], ...]
    unmapped: tuple[str, ...]

    @property
    def possible(self) -> bool:
        """True when every active step has a place in the new version."""
        return not self.unmapped


#: Chooses the light policy of a permit type (by its code).
PolicyChooser = Callable[[str], LightPolicy]
#: Delivers a warning that a light changed (SMS, e-mail, a message bus).
Notifier = Callable[[LightWarning], None]
#: Delivers a notice to the applicant (an SMS or e-mail gateway).
ApplicantNotifier = Callable[[ApplicantNotice], None]

#: How many case states an engine keeps in memory by default (least recently used go).
DEFAULT_CACHE_SIZE = 4096

#: How many cases the sweep records per transaction by default.
DEFAULT_SWEEP_BATCH = 500


class Engine:
    """Runs cases of one bureau on one store.

    The engine is given its parts; it never builds a plugin manager. A host wires it once
    with :func:`planning_core.bureau.open_bureau` (which asks the plugins for every part);
    every part left out here is the library's built-in one.

    :param store: where histories and projections live.
    :param organisation: divisions, posts and authority (who may extend, decide …).
    :param permit_types: the permit catalogue; default: the six national permit types.
    :param conditions: the workflow conditions edges may name; default: the built-in ones.
    :param region: the calendar region key (``"CN"``).
    :param calendar: the working-day calendar; default ``calendar_for(region)``.
    :param light_policy: the light policy of a permit type, by its code; default
        ``ShareThresholdPolicy()`` for every type.
    :param numbering: the format of case and certificate numbers; default
        :func:`~planning_core.cases.builtin_numbering`.
    :param notify: receives each light change, through the outbox
        (:meth:`deliver_notifications`); default: nobody, and no staff messages are written.
    :param notify_applicant: receives each notice for the applicant (received, accepted,
        supplement requested, decided, ready to collect …), through the outbox; default:
        nobody, and no applicant messages are written.
    :param request_opinion: receives each request for a consulted department's opinion
        (征求意见), through the outbox; default: nobody, and no such messages are written.
    :param retry_policy: when failed deliveries are tried again; default ``RetryPolicy()``.
    :param cache_size: how many case states to keep in memory, least recently used
        dropped first (a server process touches every case in time; the bound keeps its
        memory flat); 0 keeps none and reads every case from the store (its snapshot and
        the events after it).
    :param sweep_batch: how many cases :meth:`sweep` records per transaction (the morning
        after a long holiday wakes many at once).
    :param converter: the cattrs converter events are encoded with; default
        ``make_converter()``.
    """

    def __init__(
        self,
        store: Store,
        organisation: Organisation,
        *,
        permit_types: Registry[PermitType] | None = None,
        conditions: Registry[WorkflowCondition] | None = None,
        region: str = "CN",
        calendar: WorkCalendar | None = None,
        settings: EngineSettings | None = None,
        light_policy: PolicyChooser | None = None,
        numbering: Numbering | None = None,
        notify: Notifier | None = None,
        notify_applicant: ApplicantNotifier | None = None,
        request_opinion: Callable[[ConsultationRequest], None] | None = None,
        retry_policy: RetryPolicy | None = None,
        cache_size: int = DEFAULT_CACHE_SIZE,
        sweep_batch: int = DEFAULT_SWEEP_BATCH,
        converter: Any = None,
    ) -> None:
        if isinstance(cache_size, bool) or not isinstance(cache_size, int) or cache_size < 0:
            raise ValidationError(
                f"cache_size must be a whole number >= 0 (0: keep no case in memory), "
                f"not {cache_size!r}"
            )
        self.sweep_batch = _batch_size(sweep_batch, "sweep_batch")
        self.store = store
        self.organisation = organisation
        self.region = region
        self.settings = settings or EngineSettings()
        self.permit_types = permit_types if permit_types is not None else permit_catalogue()
        self.conditions = conditions if conditions is not None else workflow_conditions()
        self.calendar = calendar or calendar_for(region)
        self.converter = converter if converter is not None else make_converter()
        self.snapshots = SnapshotCodec(self.converter)
        # the projection's caches are this engine's: its memory, bounded, goes with it
        self.projection_caches = ProjectionCaches()
        self.numbering = numbering if numbering is not None else builtin_numbering()
        self._choose_policy: PolicyChooser = light_policy or _default_policy
        self._notify = notify
        self._notify_applicant = notify_applicant
        self._channels: dict[str, tuple[Callable[[Any], None], Callable[[JSON], Any]]] = {}
        self._request_opinion = request_opinion
        self.retry_policy = retry_policy or RetryPolicy()
        self.cache_size = cache_size
        self._workflows: dict[tuple[str, int], WorkflowDefinition] = {}
        self._policies: dict[str, LightPolicy] = {}
        self._cache: OrderedDict[str, CaseState] = OrderedDict()
        # deadlines found stored by an engine on another calendar, recorded with the next
        # append to the case (never changed silently)
        self._stale: dict[str, list[ev.Event]] = {}
        for permit in self.permit_types.values():
            self._workflows[(permit.workflow.permit_type, permit.workflow.version)] = (
                permit.workflow
            )
        self.context = self._make_context()

    def _make_context(self) -> RuleContext:
        return RuleContext(
            settings=self.settings,
            organisation=self.organisation,
            permit_types=self.permit_types,
            workflows=dict(self._workflows),
            conditions=self.conditions,
            calendar=self.calendar,
            region=self.region,
            numbering=self.numbering,
        )

    # -- configuration ------------------------------------------------------------------------

    def add_workflow(self, definition: WorkflowDefinition) -> None:
        """Make a workflow version known, so cases started on it keep running."""
        self._workflows[(definition.permit_type, definition.version)] = definition
        self.context = self._make_context()

    def permit_type(self, code: str) -> PermitType:
        """The permit type with ``code``; an unknown code names the known ones."""
        return self.context.permit_type(code)

    def workflow(self, permit_type: str, version: int | None = None) -> WorkflowDefinition:
        """A workflow version (default: the permit type's current one)."""
        return self.context.workflow(permit_type, version)

    def workflow_of(self, state: CaseState) -> WorkflowDefinition:
        """The workflow version a case runs on."""
        return self.context.workflow(state.permit_type, state.workflow_version)

    def policy(self, permit_type: str) -> LightPolicy:
        """The light policy chosen for ``permit_type`` (asked once, then cached)."""
        if permit_type not in self._policies:
            self._policies[permit_type] = self._choose_policy(permit_type)
        return self._policies[permit_type]

    def authority_of_post(self, post: str | None) -> Authority:
        """The authority of ``post`` (staff for an unknown or missing post)."""
        return self.context.authority_of_post(post)

    def holds_authority(self, actor: Actor, needed: Authority) -> bool:
        """True when one of the actor's posts has at least ``needed`` authority."""
        return self.context.holds_authority(actor, needed)

    # -- commands -----------------------------------------------------------------------------

    def execute(
        self,
        command: cmd.Command,
        actor: Actor,
        at: Any,
        *,
        records: Mapping[str, Mapping[str, JSON]] | None = None,
    ) -> list[RecordedEvent]:
        """Carry out ``command`` for ``actor`` at the instant ``at``.

        :param records: other records to write in the same transaction, by collection (the
            window stores a new case's password hash this way, so neither exists without
            the other).
        :returns: the events recorded, in order.
        :raises InvalidStateError: the case's state does not allow the command.
        :raises PermissionDeniedError: the actor lacks the post or authority.
        :raises ValidationError: the command is malformed, or ``at`` is naive or earlier
            than the case's last event.
        :raises ConflictError: another writer changed the case meanwhile; retry.
        """
        return self.execute_all((command,), actor, at, records=records)

    def execute_all(
        self,
        commands: Sequence[cmd.Command],
        actor: Actor,
        at: Any,
        *,
        records: Mapping[str, Mapping[str, JSON]] | None = None,
    ) -> list[RecordedEvent]:
        """Carry out several commands on one case as one transaction: all or none.

        Each command is decided on the state the previous ones left, so the window can
        receive an application and accept it (or give the one-time notice) as one act: a
        failure of the second leaves no half-received case behind. Errors as
        :meth:`execute`.

        :raises ValidationError: when ``commands`` is empty or names more than one case.
        """
        case_ids = list(dict.fromkeys(c.case_id for c in commands))
        if len(case_ids) != 1:
            raise ValidationError(
                f"execute_all needs commands on exactly one case, got {case_ids or 'none'}; "
                f"run each case's commands in their own call"
            )
        moment = parse_instant(at)
        cached = self._cached(case_ids[0])
        if cached is not None:
            # Trust the cached state without a read; the append checks its sequence number.
            # If it was stale, any error (a conflict, or a refusal decided on old facts) is
            # undone and the commands are decided again on the stored state.
            try:
                return self._execute_on(cached, commands, actor, moment, records)
            except PlanningError:
                self._cache.pop(case_ids[0], None)
        return self._execute_on(self.load(case_ids[0]), commands, actor, moment, records)

    def _execute_on(
        self,
        state: CaseState,
        commands: Sequence[cmd.Command],
        actor: Actor,
        moment: pendulum.DateTime,
        records: Mapping[str, Mapping[str, JSON]] | None,
    ) -> list[RecordedEvent]:
        if state.last_at is not None and moment < state.last_at:
            raise ValidationError(
                f"{moment.isoformat()} is before case {state.case_number}'s last event "
                f"({state.last_at.isoformat()}); commands must come in time order"
            )
        recorded: list[RecordedEvent] = []
        docs: list[dict[str, Any]] = []
        after = state
        with self.store.unit_of_work() as uow:
            stale = self._stale.get(state.case_id, [])
            if stale:
                recorded, docs, after = self._record(after, stale, None, moment)
            for command in commands:
                ask = Ask(self.context, after, actor, moment, uow.next_sequence)
                events = decide(ask, command)
                more, more_docs, after = self._record(after, events, actor.id, moment)
                recorded += more
                docs += more_docs
            uow.append(state.case_id, state.seq, docs, self._row(after), self._snapshot(after))
            for collection, batch in (records or {}).items():
                uow.put_records(collection, batch)
            self._register_certificates(uow, after, recorded)
            self._write_outbox(uow, after, recorded)
            uow.commit()
        self._stale.pop(state.case_id, None)
        self._remember(after)
        return recorded

    def _cached(self, case_id: str) -> CaseState | None:
        state = self._cache.get(case_id)
        if state is not None:
            self._cache.move_to_end(case_id)
        return state

    def _remember(self, state: CaseState) -> None:
        """Keep ``state`` as the most recently used; drop the least recently used beyond
        ``cache_size`` (with any stale deadlines found on it: the next load finds them
        again)."""
        if self.cache_size == 0:
            return
        self._cache[state.case_id] = state
        self._cache.move_to_end(state.case_id)
        while len(self._cache) > self.cache_size:
            dropped, _ = self._cache.popitem(last=False)
            self._stale.pop(dropped, None)

    def _write_outbox(
        self, uow: UnitOfWork, state: CaseState, recorded: Sequence[RecordedEvent]
    ) -> None:
        """Write the notifications of ``recorded`` in the unit of work that records them."""
        messages: dict[str, JSON] = {}
        for rec in recorded:
            if self._notify is not None and isinstance(rec.event, ev.LightChanged):
                warning = self._warning(state, rec)
                messages[warning.key] = message_record(
                    warning.key, "staff", state.case_id, rec.at, self.converter.unstructure(warning)
                )
            notice = self._applicant_notice(state, rec) if self._notify_applicant else None
            if notice is not None:
                messages[notice.key] = message_record(
                    notice.key,
                    "applicant",
                    state.case_id,
                    rec.at,
                    self.converter.unstructure(notice),
                )
        if self._request_opinion is not None:  # 征求意见函, to each department's liaison
            messages.update(
                consultation_messages(
                    state, recorded, self.organisation, self.calendar, self.converter.unstructure
                )
            )
        if messages:
            uow.put_records(OUTBOX, messages)

    def _applicant_notice(self, state: CaseState, rec: RecordedEvent) -> ApplicantNotice | None:
        describe = kind_of(rec.event).notice
        told = describe(self.permit_type(state.permit_type), rec.event) if describe else None
        if told is None:
            return None
        kind, title, detail = told
        return ApplicantNotice(
            key=message_key(state.case_id, rec.seq, "applicant"),
            case_id=state.case_id,
            case_number=state.case_number,
            permit_type=state.permit_type,
            applicant=state.applicant,
            contact=state.contact,
            kind=kind,
            title=title,
            detail=detail,
            at=rec.at,
        )

    def _register_certificates(
        self, uow: UnitOfWork, state: CaseState, recorded: Sequence[RecordedEvent]
    ) -> None:
        """Enter each issued certificate in the register (``cases.certificate``).

        A number is entered once and never again: one already issued, or voided, is refused
        here with the case that holds it, and the store's own unique key refuses it too
        (``insert_records``), so two servers issuing the same number cannot both succeed.

        :raises ConflictError: the number is in the register already.
        """
        for rec in recorded:
            if isinstance(rec.event, ev.CertificateIssued):
                _refuse_taken_number(uow, rec.event.certificate_number)
                uow.insert_records(
                    CERTIFICATE_REGISTER,
                    {
                        rec.event.certificate_number: {
                            "number": rec.event.certificate_number,
                            "kind": rec.event.kind,
                            "case_id": state.case_id,
                            "case_number": state.case_number,
                            "permit_type": state.permit_type,
                            "applicant": state.applicant,
                            "project": state.project,
                            "issued_at": rec.at.isoformat(),
                            "status": "valid",
                            # 临时建设的使用期限 (art. 44) or 选址意见书的有效期: first, last day
                            "term": state.term or None,
                            "term_from": _iso_day(state.term_from),
                            "term_until": _iso_day(state.term_until),
                        }
                    },
                )

    def _record(
        self,
        state: CaseState,
        events: Sequence[ev.Event],
        actor: str | None,
        at: pendulum.DateTime,
    ) -> tuple[list[RecordedEvent], list[dict[str, Any]], CaseState]:
        recorded: list[RecordedEvent] = []
        docs: list[dict[str, Any]] = []
        current = state
        for event in events:
            doc, rec = encode(
                self.converter, state.case_id, current.seq + 1, at, actor, event, current.head_hash
            )
            current = apply(current, rec)
            recorded.append(rec)
            docs.append(doc)
        return recorded, docs, current

    def _row(self, state: CaseState) -> CaseRow:
        return project(state, self.calendar, self.policy(state.permit_type), self.projection_caches)

    def _snapshot(self, state: CaseState) -> CaseSnapshot:
        return self.snapshots.take(state, self.calendar.fingerprint)

    # -- reading ------------------------------------------------------------------------------

    def history(self, case_id: str) -> list[RecordedEvent]:
        """Every recorded event of a case, in order."""
        return [decode(self.converter, record.data) for record in self.store.load_events(case_id)]

    def histories(self, case_ids: Sequence[str]) -> dict[str, list[RecordedEvent]]:
        """The recorded events of several cases by case id, read together (one query where
        the store can): what reports read a page of cases at a time with."""
        stored = self.store.load_histories(case_ids)
        return {
            case_id: [decode(self.converter, record.data) for record in records]
            for case_id, records in stored.items()
        }

    def _events_after(self, case_id: str, seq: int) -> list[RecordedEvent]:
        records = self.store.load_events(case_id, after=seq)
        return [decode(self.converter, record.data) for record in records]

    def load(self, case_id: str) -> CaseState:
        """The current state of a case (an empty state for an unknown id).

        A case in the cache is read as its row's event number (and, if it moved on, the
        events after the cached state); a cold one as its snapshot and the events after it,
        or, when the snapshot is missing or from other code, as a fold of its whole history
        (see :mod:`planning_core.cases._snapshot`).
        """
        cached = self._cache.get(case_id)
        if cached is not None:
            row = self.store.get_case(case_id)
            if row is None:
                return CaseState(case_id=case_id)
            if cached.seq == row.last_seq:
                self._cache.move_to_end(case_id)
                return cached
            if cached.seq < row.last_seq:  # another server moved it on
                state = replay(cached, self._events_after(case_id, cached.seq))
                self._remember(state)
                self._find_stale(state, row)
                return state
            # ahead of the store (a write that was rolled back): read it as a cold case
        return self._load_cold(case_id)

    def _load_cold(self, case_id: str) -> CaseState:
        """A case not in the cache: its snapshot and the events after it, in as few reads
        as the store allows, or a fold of its history when the snapshot is not trusted."""
        head = self.store.get_case_head(case_id)
        if head is None:
            return CaseState(case_id=case_id)
        snapshot = head.snapshot
        restored = self.snapshots.restore(case_id, snapshot)
        if restored is None or restored.seq > head.last_seq:  # none, or ahead of the row
            state = fold(case_id, self.history(case_id))
        elif restored.seq < head.last_seq:
            state = replay(restored, self._events_after(case_id, restored.seq))
        else:
            state = restored
        self._remember(state)
        # the row's deadlines were counted on this calendar when the snapshot written with
        # them says so; otherwise count them again (reading the row) and record what moved
        counted = (
            snapshot is not None
            and state is restored
            and counted_on(snapshot) == self.calendar.fingerprint
        )
        if state.status.is_open and not counted:
            row = self.store.get_case(case_id)
            if row is not None:
                self._find_stale(state, row)
        return state

    def _find_stale(self, state: CaseState, row: CaseRow) -> None:
        """Keep the revisions of the deadlines ``row`` stores that this engine's calendar
        counts otherwise, for the case's next command to record first."""
        stale = self._revisions(state, row, "another_calendar") if state.status.is_open else []
        if stale:
            self._stale[state.case_id] = stale

    def case(self, case_id: str) -> CaseRow:
        """The stored projection of a case.

        :raises NotFoundError: for an unknown case id.
        """
        row = self.store.get_case(case_id)
        if row is None:
            raise NotFoundError(f"no case {case_id!r}")
        return row

    def find(self, case_number: str) -> CaseRow:
        """The projection of the case with this public number."""
        row = self.store.find_case(case_number)
        if row is None:
            raise NotFoundError(f"no case numbered {case_number!r}")
        return row

    def inbox(self, post: str, limit: int = 100) -> list[CaseRow]:
        """Open cases with work waiting for ``post``, soonest due first."""
        self.organisation.post(post)
        return self.store.inbox(post, limit)

    def overdue(self, at: Any, limit: int | None = None) -> list[CaseRow]:
        """The overdue board: open cases past their committed deadline at ``at``."""
        return self.store.overdue(int(parse_instant(at).timestamp()), limit)

    def verify_history(self, case_id: str) -> HistoryReport:
        """Check a case's history against its hash chain and its row.

        The chain shows altered, inserted, reordered and removed events; the row's head (its
        last event number and hash) shows events removed from the end, which break no link.
        A history rewritten together with its row is caught only against a published anchor
        (:func:`planning_core.ledger.verify_against_anchor`).

        :raises NotFoundError: when the store has neither a history nor a row for the case.
        """
        stored = self.store.load_events(case_id)
        row = self.store.get_case(case_id)
        if not stored and row is None:
            raise NotFoundError(f"no case {case_id!r}")
        docs = [(r.seq, r.data) for r in stored]
        if row is None:
            report = verify_chain(case_id, docs)
            problem = "the case row is missing: the history has no projection (deleted)"
            return attrs.evolve(report, ok=False, problems=(*report.problems, problem))
        head = Head(row.last_seq, str(row.data.get("head_hash", "")))
        report = verify_chain(case_id, docs, head)
        wrong = self.check_snapshot(case_id)
        if wrong is None:
            return report
        return attrs.evolve(report, ok=False, problems=(*report.problems, wrong))

    def check_projection(self, case_id: str) -> bool:
        """True when the stored projection, and the stored snapshot of this code's version,
        equal a fresh replay of the history (:meth:`check_snapshot` says what differs)."""
        state = fold(case_id, self.history(case_id))
        if self.store.get_case(case_id) != self._row(state):
            return False
        return self.check_snapshot(case_id) is None

    def check_snapshot(self, case_id: str) -> str | None:
        """What is wrong with the stored snapshot of a case, or None when nothing is.

        A snapshot of this code's version is trusted by every cold load, so it must equal a
        fold of the history up to the event it covers; one of another version is never
        trusted (it is rebuilt), and none at all is fine (the history is folded).

        :returns: a sentence naming the event, the version and the fields that differ.
        """
        snapshot = self.store.get_snapshot(case_id)
        if snapshot is None or snapshot.version != SNAPSHOT_VERSION:
            return None
        where = (
            f"the snapshot of case {case_id!r} (version {snapshot.version}, event {snapshot.seq})"
        )
        history = [r for r in self.history(case_id) if r.seq <= snapshot.seq]
        if len(history) < snapshot.seq:
            return (
                f"{where} covers events the history does not have ({len(history)} stored "
                f"up to it); the history lost events, or the snapshot was written elsewhere"
            )
        stored = restore(self.converter, case_id, snapshot)
        if stored is None:
            return (
                f"{where} cannot be read as this case's state by this planning_core; every "
                f"load folds the history instead, and the next command rewrites it"
            )
        wrong = differences(stored, fold(case_id, history))
        if not wrong:
            return None
        return (
            f"{where} differs from a replay of the history in {', '.join(wrong)}, and "
            f"commands on the case decide on it while it stands: if the fold changed, bump "
            f"STATE_VERSION in planning_core/cases/_snapshot.py (every load then ignores it); "
            f"if it was altered in the database, restore the database from a backup"
        )

    # -- time-driven work ---------------------------------------------------------------------

    def sweep(self, now: Any, *, batch_size: int | None = None) -> list[LightWarning]:
        """Record every light that changed by ``now``, once per crossing, and notify.

        The cases whose wake time has come are read a batch at a time, and each batch's
        changes are recorded in one transaction with their notifications in the outbox;
        then the outbox is delivered (:meth:`deliver_notifications`), so a receiver that
        fails loses nothing: its message waits for the next delivery.

        Safe to run twice, or in several processes at once, or again after a crash in the
        middle: a crossing is recorded only while the case's recorded light differs from
        its light at ``now``, so a second sweeper finds the change recorded (or loses the
        append race and re-reads) and adds nothing, and the batches committed before a crash
        are not visited again (their cases' wake times have moved on).

        :param batch_size: cases per transaction; default the engine's ``sweep_batch``. A
            batch in which another writer changed a case meanwhile is undone and its cases
            swept one transaction each.
        :returns: the light changes recorded by this sweep.
        """
        size = self.sweep_batch if batch_size is None else _batch_size(batch_size, "batch_size")
        moment = parse_instant(now)
        ts = int(moment.timestamp())
        warnings: list[LightWarning] = []
        after: tuple[int, str] | None = None
        while True:
            page = self.store.waking(ts, limit=size, after=after)
            if not page:
                break
            warnings.extend(self._sweep_batch([row.case_id for row in page], moment))
            if len(page) < size:
                break
            last = page[-1]
            after = (last.wake_ts or 0, last.case_id)
        receivers = (self._notify, self._notify_applicant, self._request_opinion)
        if self._channels or any(receiver is not None for receiver in receivers):
            self.deliver_notifications(moment)
        return warnings

    def _sweep_batch(self, case_ids: list[str], now: pendulum.DateTime) -> list[LightWarning]:
        """Record the changes of ``case_ids`` in one transaction; on a conflict, undo it and
        sweep them one by one."""
        try:
            return self._sweep_once(case_ids, now)
        except ConflictError:
            for case_id in case_ids:
                self._cache.pop(case_id, None)
        return [warning for case_id in case_ids for warning in self._sweep_case(case_id, now)]

    def _sweep_case(self, case_id: str, now: pendulum.DateTime) -> list[LightWarning]:
        for _attempt in range(5):
            try:
                return self._sweep_once([case_id], now)
            except ConflictError:
                self._cache.pop(case_id, None)
        return []

    def _sweep_once(self, case_ids: list[str], now: pendulum.DateTime) -> list[LightWarning]:
        """One transaction recording what the sweep decides for each of ``case_ids``: the
        acceptance the law deems made (art. 32), at the instant it was made, and each light
        that differs at ``now`` from the one last recorded."""
        done: list[tuple[CaseState, list[RecordedEvent]]] = []
        with self.store.unit_of_work() as uow:
            for case_id in case_ids:
                state = self.load(case_id)
                if state.seq == 0 or (state.last_at is not None and now < state.last_at):
                    continue
                recorded, docs, after = self._sweep_events(state, now)
                if not recorded:
                    continue
                uow.append(case_id, state.seq, docs, self._row(after), self._snapshot(after))
                self._write_outbox(uow, after, recorded)
                done.append((after, recorded))
            if not done:
                return []
            uow.commit()
        warnings = []
        for after, recorded in done:
            self._stale.pop(after.case_id, None)
            self._remember(after)
            warnings += [
                self._warning(after, rec)
                for rec in recorded
                if isinstance(rec.event, ev.LightChanged)
            ]
        return warnings

    def _sweep_events(
        self, state: CaseState, now: pendulum.DateTime
    ) -> tuple[list[RecordedEvent], list[dict[str, Any]], CaseState]:
        """The events the sweep records on one case (none when nothing is due), with any
        deadlines found stored under another calendar recorded first."""
        stale = list(self._stale.get(state.case_id, []))
        recorded: list[RecordedEvent] = []
        docs: list[dict[str, Any]] = []
        current = state
        when = deemed_acceptance_due(self.context, state, now)
        if when is not None:
            deemed = deemed_or_accepted(self.context, state, when)
            recorded, docs, current = self._record(current, [*stale, *deemed], None, when)
            stale = []
        # 征求意见: a department's silence past its limit, by the workflow's rule on silence
        while (silence := silence_due(self.context, current, now)) is not None:
            instant, silent = silence
            more, more_docs, current = self._record(current, [*stale, *silent], None, instant)
            recorded += more
            docs += more_docs
            stale = []
        events = self._light_changes(current, now)
        if events:
            more, more_docs, current = self._record(current, [*stale, *events], None, now)
            recorded += more
            docs += more_docs
        return recorded, docs, current

    # -- notifications --------------------------------------------------------------------------

    def deliver_notifications(self, now: Any, limit: int | None = None) -> DeliveryReport:
        """Hand every due notification in the outbox to its receiver, at least once.

        A receiver that raises leaves its message waiting (retried with backoff by a later
        run, parked after ``retry_policy.max_attempts``) and blocks no other message.
        Messages of a channel this engine has no receiver for stay waiting.

        :param now: the instant of this run (due times and backoff are counted from it).
        :param limit: deliver at most this many messages.
        """
        return deliver(
            self.store,
            parse_instant(now),
            {
                "staff": self._notify,
                "applicant": self._notify_applicant,
                CONSULTATION_CHANNEL: self._request_opinion,
                **{channel: receiver for channel, (receiver, _) in self._channels.items()},
            },
            self._decode_message,
            self.retry_policy,
            check_limit(limit),
        )

    def add_channel(
        self, channel: str, receiver: Callable[[Any], None], read: Callable[[JSON], Any]
    ) -> None:
        """Deliver another room's messages in this outbox too: ``receiver`` gets each message
        of ``channel``, read from its payload by ``read``, whenever
        :meth:`deliver_notifications` runs (after every sweep, and
        ``planning-core outbox deliver``).

        A room that writes its own messages into the outbox (the window's ratings) is wired
        here once, by :func:`planning_core.bureau.open_bureau`, so its messages leave with
        everything else instead of waiting for a host that knows to deliver them.

        :raises ConfigurationError: for a channel the engine delivers itself, or one added
            before.
        """
        if channel in _OWN_CHANNELS or channel in self._channels:
            raise ConfigurationError(
                f"the outbox channel {channel!r} has a receiver already; give the room's "
                f"messages a channel of their own"
            )
        self._channels[channel] = (receiver, read)

    def retry_notifications(self, at: Any, keys: Iterable[str] | None = None) -> int:
        """Make waiting notifications due at ``at`` again, parked ones included.

        :param keys: the idempotency keys to retry; None for every waiting message.
        :returns: how many were made due.
        :raises NotFoundError: a key that does not wait in the outbox.
        """
        return retry(self.store, None if keys is None else list(keys), parse_instant(at))

    def notifications(self) -> list[OutboxMessage]:
        """Every notification waiting in the outbox, oldest first."""
        return pending(self.store)

    def _decode_message(self, channel: str, payload: JSON) -> Any:
        if channel in self._channels:
            return self._channels[channel][1](payload)
        if channel == CONSULTATION_CHANNEL:
            return self.converter.structure(payload, ConsultationRequest)
        kind = LightWarning if channel == "staff" else ApplicantNotice
        return self.converter.structure(payload, kind)

    def _light_changes(self, state: CaseState, now: pendulum.DateTime) -> list[ev.Event]:
        lights = clock_lights(state, self.calendar, self.policy(state.permit_type), now)
        return [
            ev.LightChanged(name, state.recorded_light(name), light.value)
            for name, light in sorted(lights.items())
            if light.value != state.recorded_light(name)
        ]

    def _warning(self, state: CaseState, rec: RecordedEvent) -> LightWarning:
        event = rec.event
        assert isinstance(event, ev.LightChanged)
        token = event.clock.removeprefix("step:") if event.clock.startswith("step:") else None
        held = next((t for t in state.tokens if t.token == token), None)
        return LightWarning(
            case_id=state.case_id,
            case_number=state.case_number,
            permit_type=state.permit_type,
            clock=event.clock,
            old=event.old,
            new=event.new,
            at=rec.at,
            step_id=held.step_id if held else None,
            post=held.post if held else None,
            people=self._people(held.claimed_by, held.post) if held else (),
            key=message_key(state.case_id, rec.seq, "staff"),
        )

    def _people(self, claimed_by: str | None, post: str | None) -> tuple[str, ...]:
        org = self.organisation
        if claimed_by is not None:
            try:
                return (org.actor(claimed_by).name,)
            except NotFoundError:
                return (claimed_by,)
        if post is None or not org.has_post(post):
            return ()
        return tuple(actor.name for actor in org.holders(post))

    def _append_system(
        self, state: CaseState, events: Sequence[ev.Event], at: pendulum.DateTime
    ) -> tuple[CaseState, list[RecordedEvent]]:
        """Record what the engine itself decided (no actor), with its notifications."""
        stale = self._stale.get(state.case_id, [])
        with self.store.unit_of_work() as uow:
            recorded, docs, after = self._record(state, [*stale, *events], None, at)
            uow.append(state.case_id, state.seq, docs, self._row(after), self._snapshot(after))
            self._write_outbox(uow, after, recorded)
            uow.commit()
        self._stale.pop(state.case_id, None)
        self._remember(after)
        return after, recorded

    def revise_deadlines(self, at: Any, calendar: WorkCalendar | None = None) -> int:
        """Re-date open clocks after a calendar change; returns how many cases moved.

        Each moved clock gets a ``DeadlineRevised`` event with its old and new deadline;
        nothing else about the case changes.

        :param calendar: the new calendar, which the engine counts on from now on (a bureau
            built by ``open_bureau`` passes the one its plugins now define, picking up a
            newly registered official schedule); default: the engine's own calendar, which
            re-dates what was stored under another one.
        """
        moment = parse_instant(at)
        if calendar is not None:
            self.calendar = calendar
            self.context = self._make_context()
        moved = 0
        for case_id in self.store.open_case_ids():
            row = self.store.get_case(case_id)
            state = self.load(case_id)
            if row is None:
                continue
            events = self._revisions(state, row, "calendar")
            if events:
                self._append_system(state, events, max(moment, state.last_at or moment))
                moved += 1
        return moved

    def _revisions(self, state: CaseState, row: CaseRow, cause: str) -> list[ev.Event]:
        """A ``DeadlineRevised`` for every running clock whose stored deadline differs from
        the one this engine's calendar gives, with the cause and the rule."""
        old: Mapping[str, int | None] = row.data.get("deadlines", {})
        was_provisional: Mapping[str, bool] = row.data.get("provisional", {})
        new, provisional = deadlines(state, self.calendar, self.projection_caches)
        basis = _REVISION_BASIS[cause].format(calendar=self.calendar.name)
        return [
            ev.DeadlineRevised(
                name,
                self._instant(old.get(name)),
                self._instant(ts),
                cause,
                self.calendar.name,
                basis,
            )
            for name, ts in new.items()
            # a date that moved, or one that stays but is no longer (or now) provisional
            if old.get(name) != ts or was_provisional.get(name) != provisional.get(name)
        ]

    def _instant(self, ts: int | None) -> pendulum.DateTime | None:
        if ts is None:
            return None
        return pendulum.from_timestamp(ts, tz=self.calendar.zone)

    # -- versions -------------------------------------------------------------------------------

    def plan_migration(
        self, case_id: str, to_version: int, step_map: Mapping[str, str] | None = None
    ) -> MigrationPlan:
        """Show what moving a case to ``to_version`` would do, without doing it."""
        state = self._existing(case_id)
        old = self.workflow_of(state)
        new = self.workflow(state.permit_type, to_version)
        mapping = dict(step_map or {})
        old_ids = {s.id for s in old.steps}
        new_ids = {s.id for s in new.steps}
        moves, unmapped = [], []
        for token in state.tokens:
            target = mapping.get(token.step_id, token.step_id)
            if new.has_step(target):
                moves.append((token.step_id, target))
            else:
                unmapped.append(token.step_id)
        return MigrationPlan(
            case_id,
            old.version,
            new.version,
            tuple(sorted(new_ids - old_ids)),
            tuple(sorted(old_ids - new_ids)),
            tuple(dict.fromkeys(moves)),
            tuple(unmapped),
        )

    def migrate(
        self,
        case_id: str,
        to_version: int,
        actor: Actor,
        at: Any,
        step_map: Mapping[str, str] | None = None,
    ) -> MigrationPlan:
        """Move a case to another workflow version on purpose; clocks are not re-dated.

        :raises InvalidStateError: when an active step has no place in the new version
            (the message lists them; pass ``step_map``).
        """
        plan = self.plan_migration(case_id, to_version, step_map)
        if not plan.possible:
            raise InvalidStateError(
                f"case {case_id!r} cannot move to version {to_version}: active step(s) "
                f"{', '.join(plan.unmapped)} do not exist there; map them with step_map"
            )
        if not self.holds_authority(actor, Authority.DIVISION_HEAD):
            raise PermissionDeniedError(
                f"{actor.name} ({actor.id}) may not migrate cases; a division head or above may"
            )
        state = self._existing(case_id)
        moment = parse_instant(at)
        event = ev.CaseMigrated(plan.from_version, plan.to_version, plan.step_map)
        stale = self._stale.get(case_id, [])
        with self.store.unit_of_work() as uow:
            _, stale_docs, before = self._record(state, stale, None, moment)
            recorded, docs, after = self._record(before, [event], actor.id, moment)
            uow.append(
                case_id, state.seq, [*stale_docs, *docs], self._row(after), self._snapshot(after)
            )
            self._write_outbox(uow, after, recorded)
            uow.commit()
        self._stale.pop(case_id, None)
        self._remember(after)
        return plan

    def _existing(self, case_id: str) -> CaseState:
        state = self.load(case_id)
        if state.seq == 0:
            raise NotFoundError(f"no case {case_id!r}")
        return state


#: What the applicant is told of a revised deadline, by cause.
_REVISION_BASIS = {
    "calendar": "工作日历变更（节假日安排公布或本地停止办公日调整），期限按{calendar}重新计算",
    "another_calendar": "原期限系按其他工作日历计算，现按本机关工作日历{calendar}计算",
}


#: The outbox channels the engine writes and delivers itself.
_OWN_CHANNELS = frozenset({"staff", "applicant", CONSULTATION_CHANNEL})


def _batch_size(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(
            f"{name} must be a whole number >= 1 (cases per transaction), not {value!r}"
        )
    return value


def _default_policy(permit_type: str) -> LightPolicy:
    return ShareThresholdPolicy()


def _refuse_taken_number(uow: UnitOfWork, number: str) -> None:
    held = uow.get_record(CERTIFICATE_REGISTER, number)
    if held is None:
        return
    status = "voided" if held.get("status") == "void" else "issued"
    raise ConflictError(
        f"certificate number {number!r} was already {status} to case "
        f"{held.get('case_number')} ({held.get('case_id')}); a number issued or voided is "
        f"never used again: issue without certificate_number to take the next free one"
    )


def _iso_day(day: pendulum.Date | None) -> str | None:
    return None if day is None else day.isoformat()
