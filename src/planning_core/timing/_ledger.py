"""The entries of a clock's ledger: pauses (with their reasons and modes) and extensions.

A clock keeps these entries, never just a due date, so that every derived date can be
recomputed when the calendar changes.
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs
import pendulum

from planning_core.errors import ValidationError
from planning_core.serialization import parse_instant

__all__ = [
    "Extension",
    "Pause",
    "PauseMode",
    "PauseModes",
    "PauseReason",
    "instant",
    "optional_instant",
]


class PauseReason(enum.Enum):
    """Why a clock stops (计时中止), each with the legal basis it is usually recorded with.

    Art. 45 of the Administrative Licensing Law lists the procedures whose time is not
    counted; supplements during review and public notices are excluded by local rules,
    which is why a reason's basis is stored with every pause.
    """

    SUPPLEMENT = "supplement"
    EXPERT_REVIEW = "expert_review"
    HEARING = "hearing"
    PUBLIC_NOTICE = "public_notice"
    INSPECTION = "inspection"
    APPRAISAL = "appraisal"
    TENDER = "tender"

    @property
    def zh(self) -> str:
        """The reason as a case file writes it."""
        return _REASON_ZH[self]

    @property
    def default_basis(self) -> str:
        """The legal basis recorded when the caller gives none."""
        return _REASON_BASIS[self]

    @classmethod
    def coerce(cls, value: PauseReason | str) -> PauseReason:
        """Accept a reason or its string value; anything else names the choices."""
        if isinstance(value, cls):
            return value
        try:
            return cls(value)
        except ValueError:
            choices = ", ".join(r.value for r in cls)
            raise ValidationError(
                f"unknown pause reason {value!r}; choose one of: {choices}"
            ) from None


_ART_45 = "《中华人民共和国行政许可法》第四十五条"
_REASON_ZH = {
    PauseReason.SUPPLEMENT: "补正",
    PauseReason.EXPERT_REVIEW: "专家评审",
    PauseReason.HEARING: "听证",
    PauseReason.PUBLIC_NOTICE: "公示",
    PauseReason.INSPECTION: "检验检测",
    PauseReason.APPRAISAL: "鉴定",
    PauseReason.TENDER: "招标拍卖",
}
_REASON_BASIS = {
    PauseReason.SUPPLEMENT: "地方规定：审查中申请人补正材料的时间不计入办理时限",
    PauseReason.EXPERT_REVIEW: f"{_ART_45}（专家评审）",
    PauseReason.HEARING: f"{_ART_45}（听证）",
    PauseReason.PUBLIC_NOTICE: "地方规定：公示期间不计入办理时限",
    PauseReason.INSPECTION: f"{_ART_45}（检验、检测、检疫）",
    PauseReason.APPRAISAL: f"{_ART_45}（鉴定）",
    PauseReason.TENDER: f"{_ART_45}（招标、拍卖）",
}


class PauseMode(enum.Enum):
    """What resumption does: carry on with the days left, or start the whole limit again."""

    STOP_AND_RESUME = "stop_and_resume"
    RESTART = "restart"


@attrs.frozen
class PauseModes:
    """Which pause reasons restart the limit; every other reason stops and resumes.

    Cities differ (some restart the whole limit after a supplement), so a permit type
    carries its own ``PauseModes``; the default restarts nothing.
    """

    restart: frozenset[PauseReason] = frozenset()

    def mode_for(self, reason: PauseReason) -> PauseMode:
        """The mode a pause for ``reason`` takes."""
        return PauseMode.RESTART if reason in self.restart else PauseMode.STOP_AND_RESUME


def instant(value: str | dt.datetime) -> pendulum.DateTime:
    """attrs converter: a timezone-aware instant; a naive one raises ValidationError."""
    if isinstance(value, pendulum.DateTime) and value.utcoffset() is not None:
        return value  # already what we keep; pendulum instants are immutable
    return parse_instant(value)


def optional_instant(value: str | dt.datetime | None) -> pendulum.DateTime | None:
    """attrs converter: like :func:`instant`, but None stays None."""
    return None if value is None else parse_instant(value)


def _text(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(
            f"{type(instance).__name__}.{attribute.name} must be non-empty text, not {value!r}"
        )


def _positive(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(
            f"an extension adds a whole number of working days >= 1, not {value!r}"
        )


@attrs.frozen
class Pause:
    """One stop of the clock.

    A pause from date A to resumption date B excludes the working days x with A < x <= B:
    the day it starts still counts, the day it ends does not (like a start day).

    :param start: the instant the clock stopped.
    :param reason: why.
    :param basis: the legal basis, as recorded in the case file.
    :param mode: stop and resume, or restart the limit on resumption.
    :param resumed: the instant the clock started again; None while the pause is open.
    """

    start: pendulum.DateTime = attrs.field(converter=instant)
    reason: PauseReason
    basis: str = attrs.field(validator=_text)
    mode: PauseMode = PauseMode.STOP_AND_RESUME
    resumed: pendulum.DateTime | None = attrs.field(default=None, converter=optional_instant)

    @property
    def open(self) -> bool:
        """Whether the clock has not resumed from this pause yet."""
        return self.resumed is None


@attrs.frozen
class Extension:
    """An extension of the limit (art. 42: +10 working days with the bureau head's approval).

    :param days: working days added, >= 1.
    :param approver: who approved it.
    :param reason: why, as told to the applicant.
    :param at: when it was granted.
    """

    days: int = attrs.field(validator=_positive)
    approver: str = attrs.field(validator=_text)
    reason: str = attrs.field(validator=_text)
    at: pendulum.DateTime = attrs.field(converter=instant)
