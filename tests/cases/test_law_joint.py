"""行政许可法 art. 42 para. 2: a joint or centralised handling (统一办理、联合办理、集中办理).

依照本法第二十六条的规定，行政许可采取统一办理或者联合办理、集中办理的，办理的时间不得超过
四十五日；四十五日内不能办结的，经本级人民政府负责人批准，可以延长十五日，并应当将延长期限的
理由告知申请人.

The bureau runs the sample type ``TEST`` as a joint handling (45 working days, extensible by
15) beside the reference ``CONSTRUCTION`` (single: 20, extensible by 10). The organisation is
the reference bureau plus the host's choice of who is the head of the people's government: a
post ``MAYOR`` with ``Authority.GOVERNMENT_HEAD`` in a division 市人民政府.
"""

from __future__ import annotations

import attrs
import jsonschema
import pytest

from planning_core.bureau import staffing_problems
from planning_core.cases import CaseExtended, EngineSettings, Extend
from planning_core.errors import PermissionDeniedError, ValidationError
from planning_core.permits import (
    JOINT_EXTENSION,
    JOINT_STATUTORY_LIMIT,
    PermitType,
    reference_permit_types,
)
from planning_core.registry import Registry
from planning_core.testing import (
    Bureau,
    CaseFactory,
    ManualClock,
    permit_registry,
    sample_permit_type,
)
from planning_core.timing import TimeLimit
from planning_core.workflow import (
    ORGANISATION_SCHEMA,
    Actor,
    Authority,
    Division,
    Organisation,
    Post,
    organisation_from_data,
    organisation_to_data,
    reference_organisation,
)

REASON = "需征求发展改革、自然资源等部门意见"


def _joint() -> PermitType:
    return attrs.evolve(
        sample_permit_type(),
        handling="joint",
        statutory_limit=JOINT_STATUTORY_LIMIT,
        extension=JOINT_EXTENSION,
    )


def _with_mayor(org: Organisation) -> Organisation:
    return attrs.evolve(
        org,
        divisions=(*org.divisions, Division("CITY_GOVERNMENT", "市人民政府")),
        posts=(
            *org.posts,
            Post("MAYOR", "市长", "CITY_GOVERNMENT", Authority.GOVERNMENT_HEAD, "批准联合办理延期"),
        ),
        actors=(*org.actors, Actor("qian.an", "钱安", ("MAYOR",))),
    )


@pytest.fixture
def pc_organisation() -> Organisation:
    return _with_mayor(reference_organisation())


@pytest.fixture
def pc_permit_types() -> Registry[PermitType]:
    construction = next(p for p in reference_permit_types() if p.code == "CONSTRUCTION")
    return permit_registry([_joint(), construction])


def test_art42_para2_the_bureau_head_may_not_extend_a_joint_handling(
    pc_bureau: Bureau, pc_cases: CaseFactory, pc_clock: ManualClock
) -> None:
    case = pc_cases.accepted("TEST")
    pc_clock.advance(working_days=5)
    with pytest.raises(PermissionDeniedError, match=r"本级人民政府负责人.*art\. 42 para\. 2"):
        pc_cases.execute(Extend(case, 10, REASON), "BUREAU_HEAD")
    assert not pc_bureau.engine.load(case).extended


def test_art42_para2_the_government_head_extends_a_joint_handling_by_up_to_15_days(
    pc_bureau: Bureau, pc_cases: CaseFactory, pc_clock: ManualClock
) -> None:
    case = pc_cases.accepted("TEST")
    before = pc_bureau.engine.load(case).clocks
    pc_clock.advance(working_days=10)
    assert pc_bureau.actor_for(Extend(case, 15, REASON)).id == "qian.an"
    (recorded,) = pc_cases.execute(Extend(case, 15, REASON))
    assert recorded.actor == "qian.an"
    assert recorded.event == CaseExtended(15, REASON)  # the reason told to the applicant
    after = pc_bureau.engine.load(case).clocks
    calendar = pc_bureau.calendar
    assert after.statutory.deadline_date(calendar) == calendar.add_working_days(
        before.statutory.deadline_date(calendar), 15
    )


def test_art42_para2_more_than_15_days_is_refused(
    pc_bureau: Bureau, pc_cases: CaseFactory, pc_clock: ManualClock
) -> None:
    case = pc_cases.accepted("TEST")
    with pytest.raises(ValidationError, match="give 1 to 15"):
        pc_cases.execute(Extend(case, 16, REASON), "MAYOR")
    assert not pc_bureau.engine.load(case).extended


def test_art42_para2_a_single_type_still_needs_only_the_bureau_head(
    pc_bureau: Bureau, pc_cases: CaseFactory
) -> None:
    case = pc_cases.accepted("CONSTRUCTION")
    assert pc_bureau.actor_for(Extend(case, 10, REASON)).id == "gao.ming"
    with pytest.raises(PermissionDeniedError, match=r"局长"):
        pc_cases.execute(Extend(case, 10, REASON), "DEPUTY_HEAD")
    pc_cases.execute(Extend(case, 10, REASON), "BUREAU_HEAD")
    assert pc_bureau.engine.load(case).extended


def test_art42_para2_the_permit_check_refuses_a_joint_type_over_45_days_or_15_more() -> None:
    with pytest.raises(ValidationError) as raised:
        attrs.evolve(_joint(), statutory_limit=TimeLimit.working_days(60))
    assert any("45个工作日" in p and "art. 42 para. 2" in p for p in raised.value.problems)
    with pytest.raises(ValidationError, match="problem"):
        attrs.evolve(_joint(), extension=TimeLimit.working_days(20))
    with pytest.raises(ValidationError):
        attrs.evolve(_joint(), handling="centralised")
    assert not sample_permit_type().joint and _joint().joint


def test_art42_para2_the_government_head_ranks_above_the_bureau_head() -> None:
    head = Authority.GOVERNMENT_HEAD
    assert head.at_least(Authority.BUREAU_HEAD) and not Authority.BUREAU_HEAD.at_least(head)
    assert head.rank == Authority.BUREAU_HEAD.rank + 1 and head.zh == "本级人民政府负责人"
    data = organisation_to_data(_with_mayor(reference_organisation()))
    jsonschema.validate(data, ORGANISATION_SCHEMA)
    assert organisation_from_data(data).post("MAYOR").authority is head
    enum = ORGANISATION_SCHEMA["properties"]["posts"]["items"]["properties"]["authority"]["enum"]
    assert enum == [a.value for a in Authority]


def test_art42_para2_a_bureau_with_a_joint_type_must_name_its_government_head() -> None:
    catalogue = permit_registry([_joint()])
    problems = staffing_problems(reference_organisation(), catalogue, EngineSettings())
    assert any("government_head" in p and "'TEST'" in p for p in problems)
    assert (
        staffing_problems(_with_mayor(reference_organisation()), catalogue, EngineSettings()) == []
    )
