"""The certificate register (证件登记): what was issued under which number, and voidings.

The engine writes one record per certificate into
:data:`~planning_core.cases.CERTIFICATE_REGISTER` in the transaction that issues it, with
a number from the ``planning_core_certificate_number`` hook fed by the store's gap-free
sequence per kind and year. This module reads that register and voids entries. A voided
certificate keeps its record (status ``void``, with who, when and why), and the sequence
never goes back, so a voided number is never handed out again.
"""

from __future__ import annotations

import attrs
import cattrs
import pendulum

from planning_core.cases import CERTIFICATE_REGISTER
from planning_core.errors import InvalidStateError, NotFoundError, ValidationError
from planning_core.serialization import dump, load
from planning_core.storage import Store

__all__ = ["VALID", "VOID", "CertificateEntry", "CertificateRegister"]

VALID = "valid"
VOID = "void"


@attrs.frozen
class CertificateEntry:
    """One line of the register.

    :param status: ``valid`` or ``void``.
    :param term: ``use`` for a temporary permit's period of use (城乡规划法 art. 44),
        ``validity`` for a 选址意见书's validity, None for a document that has neither;
        ``term_from`` and ``term_until`` are its first and last day.
    """

    number: str
    kind: str
    case_id: str
    case_number: str
    permit_type: str
    applicant: str
    project: str
    issued_at: pendulum.DateTime
    status: str = VALID
    voided_at: pendulum.DateTime | None = None
    voided_by: str | None = None
    void_reason: str | None = None
    term: str | None = None
    term_from: pendulum.Date | None = None
    term_until: pendulum.Date | None = None

    @property
    def status_zh(self) -> str:
        """``有效`` or ``已作废``."""
        return "有效" if self.status == VALID else "已作废"


class CertificateRegister:
    """Reads and voids entries of the register in ``store``."""

    def __init__(self, store: Store, converter: cattrs.Converter) -> None:
        self.store = store
        self.converter = converter

    def entries(
        self, *, kind: str | None = None, year: int | None = None, status: str | None = None
    ) -> list[CertificateEntry]:
        """The register, by number; filtered by kind (建字 …), year of issue and status."""
        found = [
            load(self.converter, data, CertificateEntry)
            for _, data in self.store.list_records(CERTIFICATE_REGISTER)
        ]
        return [
            e
            for e in found
            if (kind is None or e.kind == kind)
            and (year is None or e.issued_at.year == year)
            and (status is None or e.status == status)
        ]

    def get(self, number: str) -> CertificateEntry:
        """The entry of ``number``.

        :raises NotFoundError: when no certificate has that number.
        """
        data = self.store.get_record(CERTIFICATE_REGISTER, number)
        if data is None:
            raise _not_found(number)
        return load(self.converter, data, CertificateEntry)

    def void(self, number: str, reason: str, by: str, at: pendulum.DateTime) -> CertificateEntry:
        """Mark ``number`` void with ``reason``; the record and its number stay.

        :raises ValidationError: when the reason is empty.
        :raises NotFoundError: for an unknown number.
        :raises InvalidStateError: when it is void already.
        """
        if not isinstance(reason, str) or not reason.strip():
            raise ValidationError(
                f"voiding certificate {number!r} needs a reason (作废原因), e.g. 证件遗失"
            )
        with self.store.unit_of_work() as uow:
            data = uow.get_record(CERTIFICATE_REGISTER, number)
            if data is None:
                raise _not_found(number)
            entry = load(self.converter, data, CertificateEntry)
            if entry.status == VOID:
                raise InvalidStateError(
                    f"certificate {number} was voided already on {entry.voided_at} "
                    f"({entry.void_reason}); nothing to do"
                )
            voided = attrs.evolve(
                entry, status=VOID, voided_at=at, voided_by=by, void_reason=reason.strip()
            )
            uow.put_records(CERTIFICATE_REGISTER, {number: dump(self.converter, voided)})
            uow.commit()
        return voided


def _not_found(number: str) -> NotFoundError:
    return NotFoundError(
        f"no certificate numbered {number!r} in the register; "
        f"check the number (planning-core certificates list shows them)"
    )
