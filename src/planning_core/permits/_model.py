"""``PermitType``: one kind of planning permit, its limits, materials and workflow.

The Administrative Licensing Law (行政许可法) art. 42 gives 20 working days to decide,
extendable once by 10 with the bureau head's approval; cities publish shorter committed
limits (承诺时限). Both are kept here, checked ``committed <= statutory``; neither is
hard-coded elsewhere, so a city changes them by replacing the permit type in its plugin.

A permit handled jointly or centrally (统一办理、联合办理、集中办理, art. 26) declares
``handling="joint"``: art. 42 para. 2 gives it at most 45 working days, extendable by at
most 15 with the approval of the head of the people's government (本级人民政府负责人).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Literal

import attrs

from planning_core.errors import ValidationError
from planning_core.timing import TimeLimit
from planning_core.workflow import WorkflowDefinition

__all__ = [
    "DEFAULT_EXTENSION",
    "JOINT_EXTENSION",
    "JOINT_STATUTORY_LIMIT",
    "STATUTORY_LIMIT",
    "TOWNSHIP_MATTERS",
    "CertificateKind",
    "Handling",
    "Material",
    "PermitType",
]

#: 行政许可法 art. 42: a decision within 20 working days of acceptance.
STATUTORY_LIMIT = TimeLimit.working_days(20)
#: 行政许可法 art. 42: extendable by 10 working days with the bureau head's approval.
DEFAULT_EXTENSION = TimeLimit.working_days(10)
#: 行政许可法 art. 42 para. 2: a joint or centralised handling within 45 working days.
JOINT_STATUTORY_LIMIT = TimeLimit.working_days(45)
#: 行政许可法 art. 42 para. 2: extendable by 15 with the government head's approval.
JOINT_EXTENSION = TimeLimit.working_days(15)

#: How a permit is handled: by the bureau alone, or jointly or centrally (art. 26).
Handling = Literal["single", "joint"]

#: The township matters (乡镇办理事项) a permit type may count as, by the value the rural
#: programme gives each (``planning_core.rural.MatterKind``): a decided case of a permit type
#: with :attr:`PermitType.township_matter` set is counted in the rural progress report and
#: the annual summary as that matter of its township.
TOWNSHIP_MATTERS = (
    "planning_opinion",
    "site_selection_opinion",
    "construction_scheme",
    "planning_design_conditions",
    "rural_construction_permit",
    "land_use_permit",
)


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


def _township_matter(
    instance: object, attribute: attrs.Attribute[str | None], value: object
) -> None:
    if value is not None and value not in TOWNSHIP_MATTERS:
        raise ValidationError(
            f"township_matter is {value!r}; give one of {', '.join(TOWNSHIP_MATTERS)}, "
            f"or None when the permit type is not a township matter"
        )


def _handling(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if value not in ("single", "joint"):
        raise ValidationError(
            f"handling is {value!r}; give 'single', or 'joint' for a joint or centralised "
            f"handling (行政许可法 art. 42 para. 2)"
        )


@attrs.frozen
class PermitType:
    """A permit type: what the window accepts, how long it may take, how it is decided.

    :param code: the key cases and registries use (``"CONSTRUCTION"``).
    :param name_zh: 建设工程规划许可证.
    :param name_en: construction project planning permit.
    :param legal_basis: the articles it rests on, as cited to applicants.
    :param statutory_limit: the legal limit to decide (20 working days).
    :param committed_limit: the limit the bureau publishes; at most the statutory one.
    :param extension: how much the bureau head (for a joint type, the head of the people's
        government) may add, or None when no extension is allowed.
    :param materials: what an application must (or may) include.
    :param certificate: the document issued and its number prefix.
    :param workflow: the reference workflow; its ``permit_type`` must equal ``code``.
    :param handling: ``"single"`` (default) or ``"joint"`` for a joint or centralised
        handling (行政许可法 art. 42 para. 2): its statutory limit is at most 45 working
        days and its extension at most 15.
    :param preliminary_review: the time a lower authority has for its preliminary review
        before the bureau's acceptance period starts (行政许可法 art. 43; the township's
        review of a rural permit, 城乡规划法 art. 41: 20 working days), or None (default)
        when the application comes to the bureau directly.
    :param validity_years: how long the document is valid from the decision (选址意见书),
        or None (default) when it does not lapse.
    :param use_period_years: the longest period of use the bureau may approve (临时建设,
        城乡规划法 art. 44: 2 years), or None (default) when the permit grants none.
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
    handling: Handling = attrs.field(default="single", validator=_handling)
    preliminary_review: TimeLimit | None = None
    validity_years: int | None = None
    use_period_years: int | None = None
    township_matter: str | None = attrs.field(default=None, validator=_township_matter)

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
    def joint(self) -> bool:
        """True for a joint or centralised handling (行政许可法 art. 42 para. 2)."""
        return self.handling == "joint"

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
    elif committed.days > statutory.days:
        problems.append(
            f"committed limit {committed.zh} exceeds the statutory limit {statutory.zh}; "
            f"a bureau may promise less than the law allows, never more"
        )
    if committed.days == 0:
        problems.append("committed limit is 0 days; give at least one working day")
    if permit.joint:
        problems += _joint_problems(permit)
    for name in ("validity_years", "use_period_years"):
        years = getattr(permit, name)
        whole = isinstance(years, int) and not isinstance(years, bool)
        if years is not None and (not whole or years < 1):
            problems.append(f"{name} is {years!r}; give a whole number of years >= 1, or None")
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


def _joint_problems(permit: PermitType) -> list[str]:
    """A joint or centralised handling keeps within art. 42 para. 2: 45 days, plus 15."""
    problems = []
    for name, limit, most in (
        ("statutory limit", permit.statutory_limit, JOINT_STATUTORY_LIMIT),
        ("extension", permit.extension, JOINT_EXTENSION),
    ):
        if limit is None:
            continue
        if limit.unit is not most.unit:
            problems.append(
                f"the {name} {limit.zh} of a joint handling is not in working days; "
                f"行政许可法 art. 42 para. 2 counts {most.zh}"
            )
        elif limit.days > most.days:
            problems.append(
                f"the {name} {limit.zh} exceeds {most.zh}, the most 行政许可法 art. 42 para. 2 "
                f"allows a joint or centralised handling"
            )
    return problems
