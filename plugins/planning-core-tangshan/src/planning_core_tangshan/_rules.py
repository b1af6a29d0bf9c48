"""A conservation rule of the city's own: a cap on reception meals per head.

The national companion rule (``funds.reception-companions``) limits *who* sits at the
table; a city also fixes *what it may cost* per head (工作餐人均标准). The cap here is an
example figure; a bureau sets its province's standard with ``attrs.evolve(rule,
max_per_head=Decimal("…"))``.
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from planning_core.conservation import Description, ReceptionMeal, Verdict
from planning_core.errors import ValidationError

__all__ = ["ReceptionMealCostRule"]


def _positive_money(instance: object, attribute: attrs.Attribute[Decimal], value: Decimal) -> None:
    if not isinstance(value, Decimal) or not value.is_finite() or value <= 0:
        raise ValidationError(
            f"{attribute.name} must be a positive Decimal amount of yuan, not {value!r}"
        )


_DESCRIPTION = Description(
    zh="公务接待工作餐人均费用不超过本市标准",
    en="Reception meals may not exceed the city's cost per head",
)


@attrs.frozen(kw_only=True)
class ReceptionMealCostRule:
    """Refuse a reception meal that costs more than ``max_per_head`` yuan a head.

    Heads are the guests and the bureau's companions together; the comparison is exact
    (``cost <= max_per_head × heads``), never a rounded average.
    """

    id: str = "tangshan.reception-meal-cost"
    description: Description = _DESCRIPTION
    basis: str = "唐山市公务接待管理规定（示例标准）"
    max_per_head: Decimal = attrs.field(default=Decimal("100"), validator=_positive_money)

    def applies(self, record: object) -> bool:
        """Reception meals."""
        return isinstance(record, ReceptionMeal)

    def check(self, record: object) -> Verdict:
        """Refused above the cap, saying by how much; allowed otherwise."""
        if not isinstance(record, ReceptionMeal):
            raise ValidationError(f"rule {self.id} checks reception meals, not {record!r}")
        heads = record.guests + record.companions
        cap = self.max_per_head * heads
        if record.cost > cap:
            return Verdict.refused(
                f"meal {record.meal_id} cost {record.cost} yuan for {heads} people, above "
                f"{cap} yuan ({self.max_per_head} a head) by {record.cost - cap} yuan"
            )
        return Verdict.allowed(f"{record.cost} yuan for {heads} people is within {cap} yuan")
