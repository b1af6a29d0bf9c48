"""Money: yuan as ``Decimal``, shown in 万元, and sums recorded with the wording they came in.

Amounts are yuan (元) held as ``Decimal`` with at most two decimal places (分), never float,
so sums add up to the fen. Chinese reports quote money in 万元 (ten thousand yuan), so
:func:`format_wan` writes ``6000000`` as ``600万元``.

Bureaus report sums as they know them: exactly (``投入40万元``), approximately
(``约300万元``) or as a floor (``30余万元``, "thirty-odd"). A :class:`RecordedSum` keeps which,
so a report repeats the figure with the same hedge instead of inventing precision.
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any

import attrs

from planning_core.errors import ValidationError
from planning_core.inputs import MAX_AMOUNT
from planning_core.rural._checks import check_name, check_optional_name

__all__ = [
    "FundingRecord",
    "RecordedSum",
    "SumPrecision",
    "check_yuan",
    "format_wan",
    "yuan_problem",
]

_WAN = Decimal(10000)


def yuan_problem(value: Any) -> str | None:
    """Why ``value`` is not an amount of yuan, or None when it is."""
    if isinstance(value, float) or not isinstance(value, Decimal):
        return "must be a Decimal amount of yuan (never a float)"
    if not value.is_finite():
        return "is not a finite amount"
    if value < 0:
        return "is negative; an amount invested cannot be below zero"
    if value > MAX_AMOUNT:
        return f"is more than {MAX_AMOUNT:,} yuan; check the digits"
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        return "has more than two decimal places; yuan are counted to the fen (0.01)"
    return None


def check_yuan(_instance: object, attribute: Any, value: Any) -> None:
    """attrs validator: None, or an amount of yuan (see :func:`yuan_problem`)."""
    if value is None:
        return
    problem = yuan_problem(value)
    if problem is not None:
        raise ValidationError(f"{attribute.name} {value!r} {problem}")


def format_wan(amount: Decimal) -> str:
    """``amount`` yuan in 万元 without trailing zeros: ``6000000`` → ``600万元``."""
    wan = amount / _WAN
    text = f"{wan.normalize():f}"
    return f"{text}万元"


class SumPrecision(enum.Enum):
    """How exactly a recorded sum is known."""

    EXACT = "exact"
    ABOUT = "about"
    MORE_THAN = "more_than"

    @property
    def zh(self) -> str:
        """The hedge as a spreadsheet column writes it: 准确, 约, 余."""
        return _PRECISION_ZH[self]


_PRECISION_ZH = {SumPrecision.EXACT: "准确", SumPrecision.ABOUT: "约", SumPrecision.MORE_THAN: "余"}


@attrs.frozen
class RecordedSum:
    """An amount of yuan and how exactly it is known."""

    amount: Decimal = attrs.field(validator=check_yuan)
    precision: SumPrecision = SumPrecision.EXACT

    @property
    def zh(self) -> str:
        """The sum as Chinese prose writes it: ``600万元``, ``约300万元``, ``30余万元``."""
        wan = format_wan(self.amount).removesuffix("万元")
        if self.precision is SumPrecision.ABOUT:
            return f"约{wan}万元"
        if self.precision is SumPrecision.MORE_THAN:
            return f"{wan}余万元"
        return f"{wan}万元"


@attrs.frozen
class FundingRecord:
    """A sum invested as a bureau recorded it, for a site or one of its townships.

    The seed reports 丰润's money twice, once as ``目前投入资金600万元`` and once as
    ``资金投入累计约300万元``; which covers what is not clear. Each becomes its own record with
    its own label, and reports list them side by side rather than adding or choosing.

    :param label: what the sum is, in the source's words (``目前投入资金``); unique per place.
    :param township: the township it was spent on; None for the site as a whole.
    :param as_of: the date the figure was reported, when known.
    """

    site: str = attrs.field(validator=check_name)
    label: str = attrs.field(validator=check_name)
    sum: RecordedSum
    township: str | None = attrs.field(default=None, validator=check_optional_name)
    as_of: dt.date | None = None

    @property
    def key(self) -> str:
        """The store key: the place, ``#``, the label."""
        place = self.site if self.township is None else f"{self.site}/{self.township}"
        return f"{place}#{self.label}"

    @property
    def zh(self) -> str:
        """The label followed by the sum: ``目前投入资金600万元``."""
        return f"{self.label}{self.sum.zh}"
