"""What a rule says about a record: allowed, refused, or needs approval, and why.

A verdict is a value, not an exception: a bureau wants to see every rule's answer for a
request at once (the ``conservation check`` command prints them all), and a refused trip is
an ordinary outcome, not an error.
"""

from __future__ import annotations

import enum

import attrs

from planning_core.conservation._fields import non_empty
from planning_core.errors import NotFoundError

__all__ = ["Assessment", "Description", "Outcome", "RuleResult", "Verdict"]


class Outcome(enum.Enum):
    """The three answers a rule can give, from mildest to strongest."""

    ALLOWED = "allowed"
    NEEDS_APPROVAL = "needs_approval"
    REFUSED = "refused"

    @property
    def severity(self) -> int:
        """0 allowed, 1 needs approval, 2 refused: the overall answer is the strongest."""
        return _SEVERITY[self]

    @property
    def zh(self) -> str:
        """The answer in Chinese, for printed output."""
        return _ZH[self]


_SEVERITY = {Outcome.ALLOWED: 0, Outcome.NEEDS_APPROVAL: 1, Outcome.REFUSED: 2}
_ZH = {Outcome.ALLOWED: "允许", Outcome.NEEDS_APPROVAL: "需审批", Outcome.REFUSED: "不允许"}


@attrs.frozen
class Description:
    """A rule's description in Chinese (as the bureau's regulation words it) and English."""

    zh: str = attrs.field(validator=non_empty)
    en: str = attrs.field(validator=non_empty)


@attrs.frozen
class Verdict:
    """One rule's answer about one record.

    :param reason: plain words a clerk can read out to the requester.
    :param conditions: short machine-readable tags the allowance depends on, for example
        ``"pooled"`` for a commute that is allowed only in a shared pick-up.
    """

    outcome: Outcome
    reason: str = attrs.field(validator=non_empty)
    conditions: tuple[str, ...] = ()

    @classmethod
    def allowed(cls, reason: str, *conditions: str) -> Verdict:
        """The record may go ahead (under ``conditions``, if any)."""
        return cls(Outcome.ALLOWED, reason, tuple(conditions))

    @classmethod
    def refused(cls, reason: str) -> Verdict:
        """The record breaks the rule."""
        return cls(Outcome.REFUSED, reason)

    @classmethod
    def needs_approval(cls, reason: str) -> Verdict:
        """The record may go ahead only after a leader approves it."""
        return cls(Outcome.NEEDS_APPROVAL, reason)


@attrs.frozen
class RuleResult:
    """A verdict together with the rule that gave it."""

    rule_id: str
    description: Description
    verdict: Verdict


@attrs.frozen
class Assessment:
    """Every applicable rule's verdict about one record, in registration order."""

    results: tuple[RuleResult, ...]

    @property
    def outcome(self) -> Outcome:
        """The strongest answer of all rules; allowed when no rule applies."""
        outcomes = [result.verdict.outcome for result in self.results]
        return max(outcomes, key=lambda outcome: outcome.severity, default=Outcome.ALLOWED)

    @property
    def conditions(self) -> tuple[str, ...]:
        """Every condition any rule attached, each once, in order."""
        seen: dict[str, None] = {}
        for result in self.results:
            seen.update(dict.fromkeys(result.verdict.conditions))
        return tuple(seen)

    def result(self, rule_id: str) -> RuleResult:
        """The result of one rule; a rule that did not apply is not there."""
        for result in self.results:
            if result.rule_id == rule_id:
                return result
        known = ", ".join(r.rule_id for r in self.results) or "none"
        raise NotFoundError(f"no verdict from rule {rule_id!r}; rules that applied: {known}")
