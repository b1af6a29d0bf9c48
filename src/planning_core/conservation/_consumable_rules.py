"""The consumables rules: a leader approves every requisition; quotas by workload."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import attrs

from planning_core.conservation._consumables import Quota, Requisition, RequisitionStatus
from planning_core.conservation._rules import expect
from planning_core.conservation._verdict import Description, Verdict

__all__ = ["LeaderApprovalRule", "QuotaRule"]

BASIS = "政府机构节能示范模式: 节约办公用品 (the bureau's conservation programme, consumables)"

_APPROVAL = Description(
    zh="办公用品申领须经领导审批,登记后发放",
    en="Office supplies are issued only after a leader approves and the request is registered",
)
_QUOTA = Description(
    zh="办公用品按定额和工作量发放",
    en="Office supplies are issued within quotas scaled by headcount and workload",
)


@attrs.frozen(kw_only=True)
class LeaderApprovalRule:
    """A requisition needs a leader's approval before it is registered and issued."""

    id: str = "consumables.leader-approval"
    description: Description = _APPROVAL
    basis: str = BASIS

    def applies(self, record: object) -> bool:
        """Requisitions."""
        return isinstance(record, Requisition)

    def check(self, record: object) -> Verdict:
        """Needs approval until a leader has approved it."""
        requisition = expect(record, Requisition, self.id)
        if requisition.status is RequisitionStatus.REQUESTED or not requisition.approved_by:
            return Verdict.needs_approval(
                f"requisition {requisition.requisition_id} by {requisition.requester} waits for "
                f"a leader's approval before it is registered and issued"
            )
        return Verdict.allowed(f"approved by {requisition.approved_by}")


def _quotas(value: Iterable[Quota]) -> tuple[Quota, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class QuotaRule:
    """Refuse lines that take a division over its monthly quota.

    :param quotas: one quota per item; items without a quota are not limited. None are
        built in: quotas are each bureau's own, set with ``attrs.evolve``.
    """

    id: str = "consumables.quota"
    description: Description = _QUOTA
    basis: str = BASIS
    quotas: tuple[Quota, ...] = attrs.field(
        default=(),
        converter=_quotas,
    )

    def applies(self, record: object) -> bool:
        """Requisitions."""
        return isinstance(record, Requisition)

    def check(self, record: object) -> Verdict:
        """List every line over quota; allowed when none is."""
        requisition = expect(record, Requisition, self.id)
        by_item = {quota.item: quota for quota in self.quotas}
        over = [
            problem
            for line in requisition.lines
            if line.item in by_item
            for problem in [_over_quota(requisition, by_item[line.item], line.quantity)]
            if problem
        ]
        if over:
            return Verdict.refused("over quota: " + "; ".join(over))
        return Verdict.allowed("every item is within the division's monthly quota")


def _over_quota(requisition: Requisition, quota: Quota, quantity: Decimal) -> str:
    already = sum(
        (line.quantity for line in requisition.issued_this_month if line.item == quota.item),
        Decimal(0),
    )
    limit = quota.limit(requisition.headcount, requisition.workload_factor)
    if already + quantity <= limit:
        return ""
    return (
        f"{quota.item}: {already} {quota.unit} issued this month plus {quantity} asked is "
        f"more than the limit {limit.normalize():f} ({quota.per_person_per_month} per person × "
        f"{requisition.headcount} people × workload {requisition.workload_factor})"
    )
