"""The engine tests run on the library's own pytest plugin: ``pc_bureau`` with the sample
permit type ``TEST`` only (see :func:`planning_core.testing.sample_permit_type`)."""

from __future__ import annotations

import pytest

from planning_core.cases import Engine
from planning_core.permits import PermitType
from planning_core.registry import Registry
from planning_core.testing import Bureau, permit_registry, sample_permit_type


@pytest.fixture
def pc_permit_types() -> Registry[PermitType]:
    """Only the sample permit type, so the tests read its short workflow."""
    return permit_registry([sample_permit_type()])


@pytest.fixture
def engine(pc_bureau: Bureau) -> Engine:
    """The sample bureau's engine on a fresh in-memory store (closed after the test)."""
    return pc_bureau.engine
