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
"""

from __future__ import annotations

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
from planning_core.registry import Registry
from planning_core.serialization import load, parse_instant
from planning_core.storage import JSON
from planning_core.timing import Deadline
from planning_core.window._application import Application, MaterialCheck, check_application
from planning_core.window._appointments import AppointmentBook
from planning_core.window._certificates import CertificateEntry, CertificateRegister
from planning_core.window._errors import QueryRefusedError
from planning_core.window._hours import AppointmentSettings
from planning_core.window._lockout import Lockout, LockoutPolicy
from planning_core.window._password import (
    ScryptParameters,
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

__all__ = ["PASSWORDS", "Window", "WindowSettings"]

#: Query password hashes, by case id. Written with the case; never returned by any API.
PASSWORDS = "window.query_passwords"

#: Longest case number a query accepts (a guard against junk filling the attempt log).
_MAX_NUMBER = 64
#: The key read for an unknown case number, so both paths do the same reads.
_NO_CASE = "~no-such-case"


@attrs.frozen
class WindowSettings:
    """What a bureau sets for its window.

    :param bureau: printed at the head of receipts (``唐山市城乡规划局``).
    :param password_length: characters of a query password (at least 8).
    :param scrypt: the cost of the password hash (see :class:`ScryptParameters`).
    :param lockout: wrong attempts that lock a case number, and for how long.
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
    """

    def __init__(
        self,
        engine: Engine,
        settings: WindowSettings | None = None,
        *,
        forms: Registry[FormDefinition] | None = None,
    ) -> None:
        self.engine = engine
        self.settings = settings or WindowSettings()
        self.lockout = Lockout(engine.store, engine.converter, self.settings.lockout)
        self.certificates = CertificateRegister(engine.store, engine.converter)
        self._appointments: AppointmentBook | None = None
        self._dummy: JSON | None = None
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
        if application.form is not None:
            form = validate_form(check.permit.code, application.form, self._forms())
            records.update(case_form_records(case_id, form))
            # the form's yes/no answers are what workflow conditions read (major_project)
            facts = {k: v for k, v in form.values.items() if isinstance(v, bool)}
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
            ),
            Accept(case_id)
            if check.complete
            else RequestSupplement(case_id, tuple(m.code for m in check.missing), "一次告知"),
        ]
        records[PASSWORDS] = {case_id: hash_password(password, self.settings.scrypt)}
        self.engine.execute_all(commands, actor, moment, records=records)
        return self._receipt(self.engine.load(case_id), check, password)

    def _forms(self) -> Registry[FormDefinition]:
        if self._form_catalogue is None:
            self._form_catalogue = form_catalogue()
        return self._form_catalogue

    def supplement(
        self, case_number: str, materials: tuple[str, ...] | list[str], actor: Actor, at: Any
    ) -> PublicStatus:
        """Record the materials brought after the one-time notice; accept when complete.

        Receipt of the supplement and acceptance are one transaction, so the summary
        returned carries the expected pickup date from that moment. If something required
        is still missing the case stays received (已收件，待受理) for the clerk to decide:
        the one-time notice cannot be given twice.

        :raises ValidationError: for material codes not on the permit type's list.
        """
        row = self.engine.find(_clean_number(case_number))
        state = self.engine.load(row.case_id)
        permit = self.engine.permit_type(state.permit_type)
        brought = Application(permit.code, state.applicant, state.project, tuple(materials))
        check_application(brought, self.engine.permit_types)
        given = {*state.materials, *brought.materials}
        complete = all(m.code in given for m in permit.required_materials)
        commands: list[Command] = [ReceiveSupplement(row.case_id, brought.materials)]
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

    def public_status(self, case_number: str, password: str, at: Any) -> PublicStatus:
        """The public summary of a case, for whoever holds its number and password.

        An unknown number and a wrong password raise the same :class:`QueryRefusedError`
        after the same work (an scrypt check against a dummy hash for unknown numbers).

        :raises QueryLockedError: after too many wrong attempts on the number; recorded.
        :raises QueryRefusedError: for an unknown number or a wrong password.
        :raises ValidationError: for a number or password that is not text.
        """
        moment = parse_instant(at)
        number = _clean_number(case_number)
        normalize_password(password)  # reject a non-text password before counting
        dummy = self._dummy_record()
        self.lockout.begin(number, moment)
        row = self.engine.store.find_case(number)
        record = self.engine.store.get_record(PASSWORDS, row.case_id if row else _NO_CASE)
        matched = verify_password(password, record or dummy)
        if row is None or record is None or not matched:
            raise QueryRefusedError()
        self.lockout.succeeded(number, moment)
        return public_summary(self.engine, self.engine.load(row.case_id))

    def _dummy_record(self) -> JSON:
        """A hash with the current parameters, checked against for unknown numbers."""
        if self._dummy is None:
            self._dummy = hash_password(generate_password(), self.settings.scrypt)
        return self._dummy

    def contact_view(self, case_number: str, contact: str) -> ContactView:
        """The registered contact's view: the summary and every notice given, with dates.

        The host authenticates the contact (its login, an SMS code); this checks only that
        ``contact`` is the one registered with the case.

        :raises PermissionDeniedError: for an unknown number or another contact (alike).
        """
        number = _clean_number(case_number)
        row = self.engine.store.find_case(number)
        state = self.engine.load(row.case_id) if row else None
        registered = "" if state is None or state.contact is None else state.contact
        same = hmac.compare_digest(registered.encode(), str(contact).encode())
        if state is None or not registered or not same:
            raise PermissionDeniedError(
                f"case {number!r} has no registered contact {contact!r}; the record is shown "
                f"only to the contact given at intake"
            )
        permit = self.engine.permit_type(state.permit_type)
        notices = contact_notices(permit, self.engine.history(state.case_id))
        return ContactView(public_summary(self.engine, state), notices)

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


def _clean_number(case_number: str) -> str:
    if not isinstance(case_number, str) or not case_number.strip():
        raise ValidationError(f"give the case number from the receipt, not {case_number!r}")
    number = case_number.strip()
    if len(number) > _MAX_NUMBER:
        raise ValidationError(
            f"a case number has at most {_MAX_NUMBER} characters; {number[:20]!r}… is longer"
        )
    return number
