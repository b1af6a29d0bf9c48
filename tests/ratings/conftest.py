from __future__ import annotations

import pytest

from planning_core.permits import PermitType
from planning_core.registry import Registry
from planning_core.testing import permit_registry, sample_permit_type


@pytest.fixture
def pc_permit_types() -> Registry[PermitType]:
    return permit_registry([sample_permit_type()])
