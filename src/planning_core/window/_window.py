"""The window (窗口): where every application comes in and every result goes out.

:class:`Window` wraps an :class:`~planning_core.cases.Engine` and adds what the public
side needs: intake with the receipt and query password, the public status query with its
lockout, the contact's record, certificates and appointments.

Intake decision (the issue left it open): an application with missing required materials
is **registered**, not turned away. The case is received and, in the same transaction,
the one-time notice (补正, 一次告知) of every missing material is recorded through the
engine, which pauses nothing yet (the decision clocks have not started) and shows the
case as 待补正材料. That is what 行政许可法 art. 32 asks of the window, and it gives the
applicant a case number and password to follow the case with. A complete application is
received and accepted (受理) on the spot, so its expected pickup date is the engine's own
committed deadline. Only an application the window cannot register at all (unknown permit
type, no applicant, unknown material codes) is refused, with every problem listed.

The public query (:meth:`Window.public_status`, :meth:`Window.contact_view`) is the one door
open to anyone. It answers an unknown number and a wrong password with the same error after
the same work: the same reads, and one scrypt run for *every* parameter set the store's
hashes use (the matching one against the case's record, the others against decoys), so no
mix of old and new parameters tells a caller which numbers exist. The throttle is keyed by
the caller (:mod:`planning_core.window._lockout`). docs/window.md has the threat model.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from typing import Any

import attrs

from planning_core.cases import (
    Accept,
    CaseState,
    Command,
    Engine,
    IssueCertificate,
    ReceiveSupplement,
    RequestSupplement,
    Submit,
)
from planning_core.errors import PermissionDeniedError, ValidationError
from planning_core.forms import FormDefinition, case_form_records, form_catalogue, validate_form
from planning_core.materials import (
    BlobStore,
    MaterialFile,
    MaterialLimits,
    MaterialUpload,
    store_uploads,
)
from planning_core.permits import PermitType
from planning_core.registry import Registry
from planning_core.serialization import load, parse_instant
from planning_core.storage import JSON
from planning_core.timing import Deadline
from planning_core.window._application import Application, MaterialCheck, check_application
from planning_core.window._appointments import AppointmentBook
from planning_core.window._certificates import CertificateEntry, CertificateRegister
from planning_core.window._errors import QueryRefusedError
from planning_core.window._files import case_files
from planning_core.window._hours import AppointmentSettings
from planning_core.window._lockout import LOCAL_CLIENT, Lockout, LockoutPolicy
from planning_core.window._password import (
    ScryptParameters,
    decoy_record,
    generate_password,
    hash_password,
    normalize_password,
    verify_password,
)
from planning_core.window._receipt import Receipt
from planning_core.window._status import (
    ContactView,
    PublicStatus,
    contact_notices,
    public_summary,
)
from planning_core.workflow import Actor, Authority

__all__ = ["CONTACTS", "PASSWORDS", "PASSWORD_PARAMETERS", "Window", "WindowSettings"]

#: Query password hashes, by case id. Written with the case; never returned by any API.
PASSWORDS = "window.query_passwords"
#: The scrypt parameter sets the stored hashes use, by :attr:`ScryptParameters.label`
#: (plus ``~surveyed`` once every stored hash has been looked at): each query spends one
#: check on each of them.
PASSWORD_PARAMETERS = "window.password_parameters"
#: SHA-256 of the contact given at intake, by case id: what the contact's view compares
#: against, the same read and comparison for any number (None: no contact registered).
CONTACTS = "window.query_contacts"

#: Longest case number a query accepts (a guard against junk filling the attempt log).
_MAX_NUMBER = 64
#: Longest client key and contact a query accepts, for the same reason.
_MAX_CLIENT = 128
_MAX_CONTACT = 200
#: The key read for an unknown case number, so both paths do the same reads.
_NO_CASE = "~no-such-case"
#: The marker of a finished survey of the stored hashes' parameters.
_SURVEYED = "~surveyed"


@attrs.frozen
class WindowSettings:
    """What a bureau sets for its window.

    :param bureau: printed at the head of receipts (``唐山市城乡规划局``).
    :param password_length: characters of a query password (at least 8).
    :param scrypt: the cost of the password hash (see :class:`ScryptParameters`).
    :param lockout: the throttle of the public query (see :class:`LockoutPolicy`).
    :param appointments: the appointment set-up; None uses the one stored in the store,
        else the defaults.
    """

    bureau: str = ""
    password_length: int = 10
    scrypt: ScryptParameters = attrs.field(factory=ScryptParameters)
    lockout: LockoutPolicy = attrs.field(factory=LockoutPolicy)
    appointments: AppointmentSettings | None = None


class Window:
    """The public side of one bureau's engine.

    :param forms: the application forms intake validates against; default: the six
        national forms (``open_bureau`` passes the ones the plugins register).
    :param blobs: where material files are kept (``Bureau.blobs``); None refuses files.
    :param limits: the size and type limits of material files.
    """

    def __init__(
        self,
        engine: Engine,
        settings: WindowSettings | None = None,
        *,
        forms: Registry[FormDefinition] | None = None,
        blobs: BlobStore | None = None,
        limits: MaterialLimits | None = None,
    ) -> None:
        self.engine = engine
        self.settings = settings or WindowSettings()
        self.blobs = blobs
        self.limits = limits or MaterialLimits()
        self.lockout = Lockout(engine.store, engine.converter, self.settings.lockout)
        self.certificates = CertificateRegister(engine.store, engine.converter)
        self._appointments: AppointmentBook | None = None
        self._form_catalogue: Registry[FormDefinition] | None = forms

    @property
    def appointments(self) -> AppointmentBook:
        """The appointment book, on the engine's working-day calendar."""
        if self._appointments is None:
            self._appointments = AppointmentBook(
                self.engine.store,
                self.engine.converter,
                self.engine.calendar,
                self.settings.appointments,
            )
        return self._appointments

    # -- intake -------------------------------------------------------------------------------

    def intake(
        self, application: Application | Mapping[str, Any], actor: Actor, at: Any
    ) -> Receipt:
        """Receive an application (收件) and hand back the receipt.

        Complete materials: received and accepted in one transaction. Missing materials:
        received and the one-time notice recorded, in one transaction (see the module
        docstring). The password hash is written in that same transaction.

        :param application: an :class:`Application`, or its JSON form.
        :param actor: the window clerk (must hold the engine's window post).
        :raises ValidationError: listing every problem that stops registration.
        :raises PermissionDeniedError: when ``actor`` does not hold the window post.
        """
        moment = parse_instant(at)
        if not isinstance(application, Application):
            application = load(self.engine.converter, dict(application), Application)
        check = check_application(application, self.engine.permit_types)
        case_id = f"case-{secrets.token_hex(8)}"
        records: dict[str, dict[str, JSON]] = {}
        facts: dict[str, bool] = {}
        township: str | None = None
        if application.form is not None:
            form = validate_form(check.permit.code, application.form, self._forms())
            records.update(case_form_records(case_id, form))
            # the form's yes/no answers are what workflow conditions read (major_project)
            facts = {k: v for k, v in form.values.items() if isinstance(v, bool)}
            # a rural permit's form names its township (乡镇): the case carries it, so the
            # rural programme counts the case as that township's matter once decided
            township = _township(form.values.get("township"))
        files = self._store_files(check.permit, application.files, ())
        password = generate_password(self.settings.password_length)
        commands = [
            Submit(
                case_id,
                check.permit.code,
                application.applicant.strip(),
                application.project.strip(),
                tuple(m.code for m in check.received),
                application.contact,
                facts=facts,
                files=files,
                township=township,
            ),
            Accept(case_id)
            if check.complete
            else RequestSupplement(case_id, tuple(m.code for m in check.missing), "一次告知"),
        ]
        records[PASSWORDS] = {case_id: hash_password(password, self.settings.scrypt)}
        records[PASSWORD_PARAMETERS] = {self.settings.scrypt.label: _marker(self.settings.scrypt)}
        records[CONTACTS] = {case_id: _contact_record(application.contact)}
        self.engine.execute_all(commands, actor, moment, records=records)
        return self._receipt(self.engine.load(case_id), check, password)

    def _forms(self) -> Registry[FormDefinition]:
        if self._form_catalogue is None:
            self._form_catalogue = form_catalogue()
        return self._form_catalogue

    def _store_files(
        self, permit: PermitType, uploads: tuple[MaterialUpload, ...], previous: Any
    ) -> tuple[MaterialFile, ...]:
        """Check and store ``uploads`` (all or nothing) before the case records them."""
        if not uploads:
            return ()
        if self.blobs is None:
            raise ValidationError(
                "this window has no blob store for material files; open it through "
                "open_bureau (Bureau.window) or pass Window(blobs=...)"
            )
        return store_uploads(
            self.blobs,
            uploads,
            previous=previous,
            limits=self.limits,
            known_codes=[m.code for m in permit.materials],
        )

    def supplement(
        self,
        case_number: str,
        materials: tuple[str, ...] | list[str],
        actor: Actor,
        at: Any,
        *,
        files: tuple[MaterialUpload, ...] | list[MaterialUpload] = (),
    ) -> PublicStatus:
        """Record the materials brought after the one-time notice; accept when complete.

        Receipt of the supplement and acceptance are one transaction, so the summary
        returned carries the expected pickup date from that moment. If something required
        is still missing the case stays received (已收件，待受理) for the clerk to decide:
        the one-time notice cannot be given twice.

        :param files: files brought with the supplement; one brought again under the same
            name becomes its next version (the earlier one stays).
        :raises ValidationError: for material codes not on the permit type's list, or a
            refused file (nothing is stored then).
        """
        row = self.engine.find(_clean_number(case_number))
        state = self.engine.load(row.case_id)
        permit = self.engine.permit_type(state.permit_type)
        brought = Application(permit.code, state.applicant, state.project, tuple(materials))
        check_application(brought, self.engine.permit_types)
        given = {*state.materials, *brought.materials}
        complete = all(m.code in given for m in permit.required_materials)
        stored = self._store_files(
            permit, tuple(files), case_files(self.engine.history(row.case_id))
        )
        commands: list[Command] = [ReceiveSupplement(row.case_id, brought.materials, stored)]
        if complete:
            commands.append(Accept(row.case_id))
        self.engine.execute_all(commands, actor, at)
        return public_summary(self.engine, self.engine.load(row.case_id))

    def _receipt(self, state: CaseState, check: MaterialCheck, password: str) -> Receipt:
        clock = state.clocks.committed
        deadline = None if clock is None else clock.deadline(self.engine.calendar)
        pickup = deadline if isinstance(deadline, Deadline) else None
        assert state.received_at is not None
        return Receipt(
            case_number=state.case_number,
            case_id=state.case_id,
            permit_type=check.permit.code,
            permit_name=check.permit.name_zh,
            applicant=state.applicant,
            project=state.project,
            received_at=state.received_at,
            accepted=check.complete,
            expected_pickup=None if pickup is None else pickup.date,
            provisional=False if pickup is None else pickup.provisional,
            committed_limit=check.permit.committed_limit,
            materials_received=check.received,
            missing=check.missing,
            bureau=self.settings.bureau,
            password=password,
        )

    # -- the public query -----------------------------------------------------------------------

    def public_status(
        self, case_number: str, password: str, at: Any, *, client: str = LOCAL_CLIENT
    ) -> PublicStatus:
        """The public summary of a case, for whoever holds its number and password.

        An unknown number and a wrong password raise the same :class:`QueryRefusedError`
        after the same work: the attempt is counted for ``client`` and for the number, the
        password record is read (an absent key for an unknown number), and scrypt runs once
        for every parameter set the stored hashes use, against the case's record where it
        has those parameters and against decoys otherwise. A right password on a hash with
        older parameters is rehashed with the current ones.

        :param client: who asks, as the host knows them (an address, a session id): the
            throttle is per client, so a stranger's wrong tries never lock the owner out.
            Hosts serving the public must pass it; :data:`LOCAL_CLIENT` suits one user at
            a terminal.
        :raises QueryLockedError: while this client must wait (too many wrong attempts from
            it, or on this number); the message says until when.
        :raises QueryRefusedError: for an unknown number or a wrong password.
        :raises ValidationError: for a number, password or client key that is not text.
        """
        moment = parse_instant(at)
        number = _clean_number(case_number)
        caller = _clean_client(client)
        normalize_password(password)  # reject a non-text password before counting
        sets = self._parameter_sets()
        reservation = self.lockout.begin(number, caller, moment)
        row = self.engine.store.find_case(number)
        record = self.engine.store.get_record(PASSWORDS, row.case_id if row else _NO_CASE)
        matched, own = _check(password, record, sets)
        if own is not None and own not in sets:
            self._remember_parameters(own)  # an older writer left no marker: mend it
        if row is None or record is None or not matched:
            raise QueryRefusedError(self.lockout.policy.refused_message())
        current = self.settings.scrypt
        rehashed = None if own == current else hash_password(password, current)
        with self.engine.store.unit_of_work() as uow:
            self.lockout.forgive(uow, reservation)
            if rehashed is not None and uow.get_record(PASSWORDS, row.case_id) == record:
                uow.put_records(PASSWORDS, {row.case_id: rehashed})
                uow.put_records(PASSWORD_PARAMETERS, {current.label: _marker(current)})
            uow.commit()
        return public_summary(self.engine, self.engine.load(row.case_id))

    def contact_view(
        self, case_number: str, contact: str, at: Any, *, client: str = LOCAL_CLIENT
    ) -> ContactView:
        """The registered contact's view: the summary and every notice given, with dates.

        The host authenticates the contact (its login, an SMS code); this checks only that
        ``contact`` is the one registered with the case. It is throttled like
        :meth:`public_status` (the same counts for ``client`` and the number), and an
        unknown number and another contact get the same error after the same work: one
        read of the contact's digest (an absent key for an unknown number) and one
        constant-time comparison.

        :raises QueryLockedError: while this client must wait; the message says until when.
        :raises QueryRefusedError: (a :class:`PermissionDeniedError`) for an unknown number
            or another contact, alike.
        :raises ValidationError: for a number, contact or client key that is not text.
        """
        moment = parse_instant(at)
        number = _clean_number(case_number)
        caller = _clean_client(client)
        given = _clean_contact(contact)
        reservation = self.lockout.begin(number, caller, moment)
        row = self.engine.store.find_case(number)
        stored = self.engine.store.get_record(CONTACTS, row.case_id if row else _NO_CASE)
        if row is not None and stored is None:
            stored = self._remember_contact(row.case_id)  # a case from before the digests
        digest = None if stored is None else stored.get("sha256")
        expected = secrets.token_bytes(32) if digest is None else bytes.fromhex(digest)
        same = hmac.compare_digest(expected, hashlib.sha256(given.encode()).digest())
        if row is None or digest is None or not same:
            message = self.lockout.policy.contact_refused_message(number, given)
            raise QueryRefusedError(message)
        self.lockout.succeeded(reservation)
        state = self.engine.load(row.case_id)
        permit = self.engine.permit_type(state.permit_type)
        notices = contact_notices(permit, self.engine.history(state.case_id))
        return ContactView(public_summary(self.engine, state), notices)

    def prune(self, at: Any) -> int:
        """Delete the query's attempt records that have run out at ``at`` (see
        :meth:`Lockout.prune`; attempts do it themselves once per ``prune_minutes``)."""
        return self.lockout.prune(at)

    def survey_passwords(self) -> tuple[ScryptParameters, ...]:
        """Record exactly the parameter sets the stored hashes use (and the current ones).

        A query spends one scrypt check on each recorded set, so that a number whose hash
        has older parameters costs what an unknown number costs. The window records a set
        whenever it writes a hash; this survey, run by the first query on a store written
        before that, reads every stored hash. Run it after old hashes are gone (rehashed by
        their owners' queries, or their cases' records deleted) to stop paying for a set
        nobody uses.
        """
        current = self.settings.scrypt
        found = {current.label: current}
        for _, record in self.engine.store.list_records(PASSWORDS):
            parameters = ScryptParameters.of(record)
            found.setdefault(parameters.label, parameters)
        recorded = dict(self.engine.store.list_records(PASSWORD_PARAMETERS))
        with self.engine.store.unit_of_work() as uow:
            retired = [k for k in recorded if k != _SURVEYED and k not in found]
            uow.delete_records(PASSWORD_PARAMETERS, retired)
            markers = {label: _marker(p) for label, p in found.items()}
            uow.put_records(PASSWORD_PARAMETERS, {**markers, _SURVEYED: {}})
            uow.commit()
        return tuple(found[label] for label in sorted(found))

    def _parameter_sets(self) -> tuple[ScryptParameters, ...]:
        """The parameter sets a query spends a check on, in a fixed order."""
        recorded = self.engine.store.list_records(PASSWORD_PARAMETERS)
        if not any(key == _SURVEYED for key, _ in recorded):
            return self.survey_passwords()
        current = self.settings.scrypt
        found = {current.label: current}
        for key, data in recorded:
            if key != _SURVEYED:
                found.setdefault(key, ScryptParameters(**data))
        return tuple(found[label] for label in sorted(found))

    def _remember_parameters(self, parameters: ScryptParameters) -> None:
        self.engine.store.put_records(PASSWORD_PARAMETERS, {parameters.label: _marker(parameters)})

    def _remember_contact(self, case_id: str) -> JSON:
        """The digest of a case registered before the window kept them, now kept."""
        record = _contact_record(self.engine.load(case_id).contact)
        self.engine.store.put_records(CONTACTS, {case_id: record})
        return record

    # -- certificates ---------------------------------------------------------------------------

    def issue_certificate(self, case_number: str, actor: Actor, at: Any) -> CertificateEntry:
        """Number, register and issue the certificate of the approved case ``case_number``.

        The number comes from the ``planning_core_certificate_number`` hook and the
        store's gap-free sequence, taken in the transaction that issues it.
        """
        row = self.engine.find(_clean_number(case_number))
        events = self.engine.execute(IssueCertificate(row.case_id), actor, at)
        number = self.engine.load(row.case_id).certificate_number
        assert number is not None, events
        return self.certificates.get(number)

    def void_certificate(self, number: str, reason: str, actor: Actor, at: Any) -> CertificateEntry:
        """Void certificate ``number`` with ``reason`` (作废); the number is never reused.

        :raises PermissionDeniedError: unless ``actor`` holds the certificate post or is a
            division head or above.
        """
        post = self.engine.settings.certificate_post
        if post not in actor.posts and not self.engine.holds_authority(
            actor, Authority.DIVISION_HEAD
        ):
            raise PermissionDeniedError(
                f"{actor.name} ({actor.id}) may not void certificates: hold post {post!r} "
                f"or be a division head"
            )
        return self.certificates.void(number, reason, actor.id, parse_instant(at))


def _check(
    password: str, record: JSON | None, sets: tuple[ScryptParameters, ...]
) -> tuple[bool, ScryptParameters | None]:
    """Whether ``password`` matches ``record``, after one check per parameter set in ``sets``.

    The checks are the same for any record or none: the record takes the place of the
    decoy of its own parameters. A record whose parameters are not in ``sets`` (its writer
    left no marker) is checked on top, and the caller records the marker.
    """
    own = None if record is None else ScryptParameters.of(record)
    decoys = [decoy_record(parameters) for parameters in sets]
    matched = False
    for parameters, decoy in zip(sets, decoys, strict=True):
        target = record if record is not None and parameters == own else decoy
        matched = verify_password(password, target) | matched  # no short cut
    if record is not None and own not in sets:
        matched = verify_password(password, record)
    return matched, own


def _township(value: object) -> str | None:
    """The township a form gives (its code or name), or None when it gives none."""
    return value.strip() or None if isinstance(value, str) else None


def _marker(parameters: ScryptParameters) -> JSON:
    return {
        "n": parameters.n,
        "r": parameters.r,
        "p": parameters.p,
        "salt_bytes": parameters.salt_bytes,
        "key_bytes": parameters.key_bytes,
    }


def _contact_record(contact: str | None) -> JSON:
    digest = None if not contact else hashlib.sha256(contact.encode()).hexdigest()
    return {"sha256": digest}


def _clean_client(client: str) -> str:
    if not isinstance(client, str) or not client.strip() or len(client.strip()) > _MAX_CLIENT:
        raise ValidationError(
            f"give the caller's client key (an address, a session id) of at most "
            f"{_MAX_CLIENT} characters, not {str(client)[:40]!r}"
        )
    return client.strip()


def _clean_contact(contact: str) -> str:
    if not isinstance(contact, str) or len(contact) > _MAX_CONTACT:
        raise ValidationError(
            f"give the contact as text of at most {_MAX_CONTACT} characters, not "
            f"{str(contact)[:40]!r}"
        )
    return contact


def _clean_number(case_number: str) -> str:
    if not isinstance(case_number, str) or not case_number.strip():
        raise ValidationError(f"give the case number from the receipt, not {case_number!r}")
    number = case_number.strip()
    if len(number) > _MAX_NUMBER:
        raise ValidationError(
            f"a case number has at most {_MAX_NUMBER} characters; {number[:20]!r}… is longer"
        )
    return number
