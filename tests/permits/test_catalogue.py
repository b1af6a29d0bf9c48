from __future__ import annotations

from planning_core.permits import permit_catalogue, published_limits
from planning_core.plugins import Hooks
from planning_core.workflow import worst_case


def test_published_limits_follow_the_catalogue(hooks: Hooks) -> None:
    catalogue = permit_catalogue(hooks)
    rows = published_limits(catalogue)
    assert [r.code for r in rows] == catalogue.keys()
    for row in rows:
        permit = catalogue.get(row.code)
        assert row.name_zh == permit.name_zh
        assert row.committed_limit == permit.committed_limit
        assert row.statutory_limit == permit.statutory_limit
        assert row.extension == permit.extension
        assert row.certificate_prefix == permit.certificate.prefix
        assert row.worst_case_days == worst_case(permit.workflow).days
