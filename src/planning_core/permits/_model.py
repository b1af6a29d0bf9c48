"""``PermitType``: one kind of planning permit, its limits, materials and workflow.

The Administrative Licensing Law (行政许可法) art. 42 gives 20 working days to decide,
extendable once by 10 with the bureau head's approval; cities publish shorter committed
limits (承诺时限). Both are kept here, checked ``committed <= statutory``; neither is
hard-coded elsewhere, so a city changes them by replacing the permit type in its plugin.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import attrs

from planning_core.errors import ValidationError
from planning_core.timing import TimeLimit
from planning_core.workflow import WorkflowDefinition

__all__ = [
    "DEFAULT_EXTENSION",
    "STATUTORY_LIMIT",
    "CertificateKind",
    "Material",
    "PermitType",
]

#: 行政许可法 art. 42: a decision within 20 working days of acceptance.
STATUTORY_LIMIT = TimeLimit.working_days(20)
#: 行政许可法 art. 42: extendable by 10 working days with the bureau head's approval.
DEFAULT_EXTENSION = TimeLimit.working_days(10)


def _text(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"{attribute.name} must be a non-empty text, not {value!r}")


@attrs.frozen
class Material:
    """One application material (申请材料) the window checks at intake.

    :param code: stable key, recorded on the receipt and in a supplement notice.
    :param name: the material as the published list names it.
    :param required: False for a material needed only in some cases.
    """

    code: str = attrs.field(validator=_text)
    name: str = attrs.field(validator=_text)
    required: bool = True


@attrs.frozen
class CertificateKind:
    """The document a permit type issues and the prefix of its number.

    :param prefix: the character(s) of the certificate number (建字, 地字, 选字 …); the
        ``planning_core_certificate_number`` hook receives it as ``kind``.
    :param name: the document's name (建设工程规划许可证).
    """

    prefix: str = attrs.field(validator=_text)
    name: str = attrs.field(validator=_text)


def _materials(value: Iterable[Material]) -> tuple[Material, ...]:
    return tuple(value)


@attrs.frozen
class PermitType:
    """A permit type: what the window accepts, how long it may take, how it is decided.

    :param code: the key cases and registries use (``"CONSTRUCTION"``).
    :param name_zh: 建设工程规划许可证.
    :param name_en: construction project planning permit.
    :param legal_basis: the articles it rests on, as cited to applicants.
    :param statutory_limit: the legal limit to decide (20 working days).
    :param committed_limit: the limit the bureau publishes; at most the statutory one.
    :param extension: how much the bureau head may add, or None when no extension is allowed.
    :param materials: what an application must (or may) include.
    :param certificate: the document issued and its number prefix.
    :param workflow: the reference workflow; its ``permit_type`` must equal ``code``.
    :raises ValidationError: listing every inconsistency.
    """

    code: str = attrs.field(validator=_text)
    name_zh: str = attrs.field(validator=_text)
    name_en: str = attrs.field(validator=_text)
    legal_basis: str = attrs.field(validator=_text)
    statutory_limit: TimeLimit
    committed_limit: TimeLimit
    extension: TimeLimit | None
    materials: tuple[Material, ...] = attrs.field(converter=_materials)
    certificate: CertificateKind
    workflow: WorkflowDefinition

    def __attrs_post_init__(self) -> None:
        problems = _permit_problems(self)
        if problems:
            raise ValidationError(
                f"permit type {self.code!r} has {len(problems)} problem(s); fix each one below",
                problems,
            )

    @property
    def extension_allowed(self) -> bool:
        """True when the limit may be extended (延期)."""
        return self.extension is not None

    @property
    def required_materials(self) -> tuple[Material, ...]:
        """The materials without which the window cannot accept."""
        return tuple(m for m in self.materials if m.required)


def _permit_problems(permit: PermitType) -> list[str]:
    problems = []
    statutory, committed = permit.statutory_limit, permit.committed_limit
    if committed.unit is not statutory.unit:
        problems.append(
            f"committed limit {committed.zh} and statutory limit {statutory.zh} are counted "
            f"in different units; give both in working days"
        )
    elif committed.value > statutory.value:
        problems.append(
            f"committed limit {committed.zh} exceeds the statutory limit {statutory.zh}; "
            f"a bureau may promise less than the law allows, never more"
        )
    if committed.value == 0:
        problems.append("committed limit is 0 days; give at least one working day")
    if permit.workflow.permit_type != permit.code:
        problems.append(
            f"workflow is for permit type {permit.workflow.permit_type!r}, not {permit.code!r}"
        )
    problems += [
        f"material {code!r} is listed {n} times; give each material its own code"
        for code, n in Counter(m.code for m in permit.materials).items()
        if n > 1
    ]
    return problems
