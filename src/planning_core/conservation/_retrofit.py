"""Retrofit projects (节能改造) and their measured saving.

The measured saving compares the site's use in the full months before the completion month
with the same number of full months after it; the completion month itself is left out
because it is part old and part new. With the default of twelve months each side, both
periods cover every season once.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import attrs
import pendulum

from planning_core.conservation._consumption import ConsumptionRecord, Resource
from planning_core.conservation._fields import non_empty, non_negative, to_date, to_decimal
from planning_core.conservation._statistics import percent_change
from planning_core.errors import NotFoundError, ValidationError

__all__ = ["MeasuredSaving", "RetrofitProject", "measured_saving"]


@attrs.frozen(kw_only=True)
class RetrofitProject:
    """An energy-saving retrofit (insulated windows, a floor's insulation …).

    :param expected_annual_saving: what the project should save a year, in the
        resource's unit.
    :param cost: what it cost, yuan.
    """

    project_id: str = attrs.field(validator=non_empty)
    item: str = attrs.field(validator=non_empty)
    site: str = attrs.field(validator=non_empty)
    resource: Resource
    completed_on: pendulum.Date = attrs.field(converter=to_date)
    cost: Decimal = attrs.field(converter=to_decimal, validator=non_negative)
    expected_annual_saving: Decimal = attrs.field(converter=to_decimal, validator=non_negative)

    @property
    def key(self) -> str:
        """The storage key."""
        return self.project_id


@attrs.frozen
class MeasuredSaving:
    """Use before and after a retrofit over ``months`` full months each side.

    :param saving: ``before - after`` (negative when use rose).
    :param annual_saving: the saving scaled to twelve months, to compare with the expected
        annual saving.
    :param saving_percent: the saving as a percentage of ``before``, to 0.01.
    """

    project_id: str
    months: int
    before: Decimal
    after: Decimal
    saving: Decimal
    annual_saving: Decimal
    saving_percent: Decimal | None


def measured_saving(
    project: RetrofitProject, records: Iterable[ConsumptionRecord], *, months: int = 12
) -> MeasuredSaving:
    """Measure ``project``'s saving from the site's consumption records.

    :raises NotFoundError: listing every month of either period without a record, so
        they can be recorded first (a gap would pass for a saving).
    """
    if not 1 <= months <= 60:
        raise ValidationError(f"months each side must be from 1 to 60, got {months}")
    amounts: dict[tuple[int, int], Decimal] = {}
    for r in records:
        if r.site == project.site and r.resource is project.resource:
            amounts[r.year, r.month] = amounts.get((r.year, r.month), Decimal(0)) + r.amount
    done = (project.completed_on.year, project.completed_on.month)
    before_months = [_shift(done, -i) for i in range(months, 0, -1)]
    after_months = [_shift(done, i) for i in range(1, months + 1)]
    missing = [m for m in before_months + after_months if m not in amounts]
    if missing:
        listed = ", ".join(f"{y:04d}-{m:02d}" for y, m in missing)
        raise NotFoundError(
            f"retrofit {project.project_id}: no {project.resource.value} record for "
            f"{project.site} in {listed}; record those months first"
        )
    before = sum((amounts[m] for m in before_months), Decimal(0))
    after = sum((amounts[m] for m in after_months), Decimal(0))
    saving = before - after
    change = percent_change(after, before)
    return MeasuredSaving(
        project_id=project.project_id,
        months=months,
        before=before,
        after=after,
        saving=saving,
        annual_saving=saving * 12 / months,
        saving_percent=None if change is None else -change,
    )


def _shift(year_month: tuple[int, int], delta: int) -> tuple[int, int]:
    index = year_month[0] * 12 + (year_month[1] - 1) + delta
    return index // 12, index % 12 + 1
