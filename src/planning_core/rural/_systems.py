"""Two of the five systems as records: regulations and guidelines, and training.

The rural programme builds five systems (五个体系): regulations (法规), personnel (人才,
i.e. training), plan compilation and approval (编制审批), implementation (实施), and
supervision and inspection (监督检查). Compilation lives in ``_plans``, implementation in the
township matters (``_matters``) and supervision in ``_inspections``; this module holds the
first two, which a bureau tracks as lists of documents and of training events.
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from planning_core.rural._checks import (
    check_count,
    check_name,
    check_names,
    check_optional_name,
    check_year,
    to_tuple,
)
from planning_core.rural._money import RecordedSum

__all__ = [
    "Regulation",
    "RegulationKind",
    "RegulationStatus",
    "TrainingPlan",
    "TrainingScale",
    "TrainingSession",
]


class RegulationKind(enum.Enum):
    """What sort of document a regulation is."""

    MEASURES = "measures"
    OPINION = "opinion"
    GUIDELINE = "guideline"

    @property
    def zh(self) -> str:
        """办法, 实施意见 or 导则."""
        return {"measures": "办法", "opinion": "实施意见", "guideline": "导则"}[self.value]


class RegulationStatus(enum.Enum):
    """How far a regulation has come, in the order documents usually pass through."""

    COMPILING = "compiling"
    FIRST_DRAFT = "first_draft"
    PASSED_IN_PRINCIPLE = "passed_in_principle"
    PROMULGATED = "promulgated"

    @property
    def zh(self) -> str:
        """The status as a work summary words it."""
        return _STATUS_ZH[self]


_STATUS_ZH = {
    RegulationStatus.COMPILING: "正在编制",
    RegulationStatus.FIRST_DRAFT: "已完成初稿",
    RegulationStatus.PASSED_IN_PRINCIPLE: "已经市政府常务会原则通过",
    RegulationStatus.PROMULGATED: "已颁布实施",
}


def bare_title(value: object) -> object:
    """A document title without the book-title marks around it (``《导则》`` → ``导则``).

    Only one pair enclosing the whole title is removed: ``《甲》和《乙》实施细则`` keeps its
    marks, since they are part of what was typed. Anything not text is left for the
    validator to refuse.
    """
    if not isinstance(value, str):
        return value
    text = value.strip()
    inner = text[1:-1]
    if text.startswith("《") and text.endswith("》") and not {"《", "》"} & set(inner):
        return inner.strip()
    return value


@attrs.frozen
class Regulation:
    """A regulation, opinion or guideline of the rural programme.

    :param title: the document's title without book-title marks, e.g.
        ``村庄规划和民居设计导则``; unique, and the record's key. A title typed with its
        marks (``《村庄规划和民居设计导则》``) is kept without them (:func:`bare_title`), so
        the summary, which adds them, does not print 《《…》》 and both spellings are one
        record.
    :param partner: who compiles it with the bureau (a design institute), when anyone.
    :param budget: the bureau's budget for it, with its hedge (``10余万元``).
    """

    title: str = attrs.field(converter=bare_title, validator=check_name)
    kind: RegulationKind
    status: RegulationStatus
    partner: str | None = attrs.field(default=None, validator=check_optional_name)
    budget: RecordedSum | None = None
    status_on: dt.date | None = None


class TrainingScale(enum.Enum):
    """The scale of a training plan or session."""

    SMALL = "small"
    LARGE = "large"

    @property
    def zh(self) -> str:
        """小规模 or 大规模."""
        return "小规模" if self is TrainingScale.SMALL else "大规模"


@attrs.frozen
class TrainingPlan:
    """A year's training plan (培训工作计划) of the personnel system.

    :param methods: the ways training is given (lectures, site visits, …), in any words.
    """

    year: int = attrs.field(validator=check_year)
    title: str = attrs.field(validator=check_name)
    scale: TrainingScale
    methods: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=check_names)

    @property
    def key(self) -> str:
        """The store key: year, ``#``, title."""
        return f"{self.year}#{self.title}"


@attrs.frozen
class TrainingSession:
    """One training session held: when, what, for whom, how many came.

    :param site: the site whose township staff attended; None for a city-wide session.
    :param attendees: the number of people trained.
    """

    held_on: dt.date
    title: str = attrs.field(validator=check_name)
    scale: TrainingScale
    attendees: int = attrs.field(validator=check_count)
    site: str | None = attrs.field(default=None, validator=check_optional_name)

    @property
    def key(self) -> str:
        """The store key: date, ``#``, title."""
        return f"{self.held_on.isoformat()}#{self.title}"
