"""Case numbers ``TS-2026-JS-00001``: the hook, and numbers the engine hands out."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st
from planning_core_tangshan import PERMIT_ABBREVIATIONS, case_number

from planning_core.plugins import Hooks
from planning_core.testing import CaseFactory

NUMBER = re.compile(r"TS-(\d{4})-([A-Z]{2})-(\d{5,})")


@given(
    permit_type=st.sampled_from([*PERMIT_ABBREVIATIONS, "SOMETHING_ELSE"]),
    year=st.integers(2000, 2099),
    sequence=st.integers(1, 10**6),
)
def test_a_number_reads_back_as_its_parts(permit_type: str, year: int, sequence: int) -> None:
    match = NUMBER.fullmatch(case_number(permit_type, year, sequence))
    assert match is not None
    assert (int(match.group(1)), int(match.group(3))) == (year, sequence)
    assert match.group(2) == PERMIT_ABBREVIATIONS.get(permit_type, "QT")


def test_the_hook_answers_first(pc_hooks: Hooks) -> None:
    number = pc_hooks.call(
        "planning_core_case_number", permit_type="LAND_USE", year=2026, sequence=7
    )
    assert number == "TS-2026-YD-00007"


def test_the_engine_numbers_cases_in_order_across_types(pc_cases: CaseFactory) -> None:
    first = pc_cases.submit("CONSTRUCTION")
    second = pc_cases.submit("RURAL_NEW_RESIDENCE")
    numbers = [pc_cases.state(c).case_number for c in (first, second)]
    assert numbers == ["TS-2026-JS-00001", "TS-2026-XM-00002"]
    assert pc_cases.bureau.engine.find("TS-2026-XM-00002").case_id == second
