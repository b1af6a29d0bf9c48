"""农村新民居建设规划许可 counts as its township's 乡村建设规划许可证 in the rural figures."""

from __future__ import annotations

import attrs
from planning_core_tangshan import NEW_RESIDENCE

from planning_core.cases import Accept, Decide, Outcome, Submit
from planning_core.permits import PermitType
from planning_core.registry import Registry
from planning_core.rural import MatterKind, RuralRepository, Township, rural_progress
from planning_core.testing import CaseFactory

RURAL_PERMIT = MatterKind.RURAL_CONSTRUCTION_PERMIT


def _decided_new_residence(pc_cases: CaseFactory, permit: PermitType, township: str) -> None:
    case_id = pc_cases.new_case_id()
    materials = tuple(m.code for m in permit.required_materials)
    pc_cases.execute(
        Submit(case_id, NEW_RESIDENCE, "丰润区某村村民", "农村新民居", materials, township=township)
    )
    pc_cases.execute(Accept(case_id))
    pc_cases.walk(case_id)
    pc_cases.execute(Decide(case_id, Outcome.APPROVED))


def test_a_decided_new_residence_is_a_rural_construction_permit_of_its_township(
    pc_cases: CaseFactory, pc_permit_types: Registry[PermitType]
) -> None:
    permit = pc_permit_types.get(NEW_RESIDENCE)
    assert permit.township_matter == RURAL_PERMIT.value
    store = pc_cases.bureau.store
    RuralRepository(store).put(Township("丰润", "乡镇01", code="130208101"))
    _decided_new_residence(pc_cases, permit, "130208101")
    _decided_new_residence(pc_cases, permit, "乡镇01")  # the form gives the township's name
    at = pc_cases.clock.now.add(days=1)

    report = rural_progress(store, at, permit_types=pc_permit_types.values())
    assert report.sites[0].matters[RURAL_PERMIT] == 2
    assert report.sites[0].matters_from_engine == ("乡镇01",)

    # the field is what counts it: the same cases under a type without it count nothing
    plain = attrs.evolve(permit, township_matter=None)
    assert rural_progress(store, at, permit_types=[plain]).sites[0].matters[RURAL_PERMIT] == 0
