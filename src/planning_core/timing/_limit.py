"""Time limits (办理时限): a number of days and the unit they are counted in.

A limit is a budget, not a date: the date is derived by a
:class:`~planning_core.timing.WorkCalendar` when a clock asks for it, so that the same limit
gives the right deadline after the calendar changes (a new year's official schedule).
"""

from __future__ import annotations

import enum
import re
import warnings

import attrs

from planning_core.errors import ValidationError

__all__ = ["LimitUnit", "TimeLimit"]


class LimitUnit(enum.Enum):
    """How the days of a limit are counted.

    ``WORKING_DAYS`` is the default because the Administrative Licensing Law counts its
    limits in working days (art. 82); ``NATURAL_DAYS`` serves the limits that other rules
    state in calendar days (for example a 30-day public notice).
    """

    WORKING_DAYS = "working_days"
    NATURAL_DAYS = "natural_days"


# Each accepted spelling of a unit, after lower-casing and removing spaces.
_UNIT_WORDS: dict[str, LimitUnit] = {
    "workingdays": LimitUnit.WORKING_DAYS,
    "workingday": LimitUnit.WORKING_DAYS,
    "wd": LimitUnit.WORKING_DAYS,
    "个工作日": LimitUnit.WORKING_DAYS,
    "工作日": LimitUnit.WORKING_DAYS,
    "days": LimitUnit.NATURAL_DAYS,
    "day": LimitUnit.NATURAL_DAYS,
    "d": LimitUnit.NATURAL_DAYS,
    "naturaldays": LimitUnit.NATURAL_DAYS,
    "naturalday": LimitUnit.NATURAL_DAYS,
    "calendardays": LimitUnit.NATURAL_DAYS,
    "calendarday": LimitUnit.NATURAL_DAYS,
    "nd": LimitUnit.NATURAL_DAYS,
    "日": LimitUnit.NATURAL_DAYS,
    "天": LimitUnit.NATURAL_DAYS,
    "个自然日": LimitUnit.NATURAL_DAYS,
    "自然日": LimitUnit.NATURAL_DAYS,
}

_LIMIT_PATTERN = re.compile(r"(\d+)(\D+)")


def _non_negative(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(
            f"a time limit needs a whole number of days >= 0, not {value!r}; "
            f"give e.g. 20 for 20 working days"
        )


@attrs.frozen
class TimeLimit:
    """A time limit: ``days`` days counted in ``unit``.

    Its JSON (the library's converter, the command line, the web API) is
    ``{"days": 20, "unit": "working_days"}``. The field used to be called ``value``:
    stored events and files that still say ``value`` are read all the same (the
    converter's rule for renamed fields, ``metadata={"formerly": ...}``), and the
    :attr:`value` property stays as a deprecated alias for code.

    :param days: the number of days, ``>= 0``.
    :param unit: working days (the default) or natural days.
    """

    days: int = attrs.field(validator=_non_negative, metadata={"formerly": "value"})
    unit: LimitUnit = LimitUnit.WORKING_DAYS

    @classmethod
    def parse(cls, text: str) -> TimeLimit:
        """Read a limit as people write it.

        Accepted: ``"20 working days"``, ``"20wd"``, ``"30 days"``, ``"30 natural days"``,
        ``"20个工作日"``, ``"30日"``, ``"30天"``, ``"30个自然日"``.

        :raises ValidationError: quoting ``text`` when it is none of these.
        """
        if not isinstance(text, str):
            raise ValidationError(
                f"a time limit must be text such as '20 working days'; got {text!r}"
            )
        squeezed = "".join(text.split()).lower()
        match = _LIMIT_PATTERN.fullmatch(squeezed)
        unit = _UNIT_WORDS.get(match.group(2)) if match else None
        if match is None or unit is None:
            raise ValidationError(
                f"{text!r} is not a time limit; write e.g. '20 working days', '20wd', "
                f"'30 days', '20个工作日', '30日' or '30天'"
            )
        return cls(int(match.group(1)), unit)

    @classmethod
    def working_days(cls, n: int) -> TimeLimit:
        """A limit of ``n`` working days."""
        return cls(n, LimitUnit.WORKING_DAYS)

    @classmethod
    def natural_days(cls, n: int) -> TimeLimit:
        """A limit of ``n`` natural (calendar) days."""
        return cls(n, LimitUnit.NATURAL_DAYS)

    @property
    def value(self) -> int:
        """Deprecated alias of :attr:`days` (the field's former name); read ``days``."""
        warnings.warn(
            "TimeLimit.value is deprecated; read TimeLimit.days",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.days

    def __str__(self) -> str:
        word = "working" if self.unit is LimitUnit.WORKING_DAYS else "natural"
        return f"{self.days} {word} day{'' if self.days == 1 else 's'}"

    @property
    def zh(self) -> str:
        """The limit as a Chinese notice writes it: ``20个工作日`` or ``30日``."""
        suffix = "个工作日" if self.unit is LimitUnit.WORKING_DAYS else "日"
        return f"{self.days}{suffix}"
