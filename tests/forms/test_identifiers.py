"""统一社会信用代码 (GB 32100-2015) and 居民身份证号 (GB 11643-1999) check characters."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planning_core.forms import (
    USCC_CHARACTERS,
    normalise_identifier,
    resident_id_check_character,
    resident_id_problem,
    uscc_check_character,
    uscc_problem,
)

# Codes printed in public registers and in GB 11643-1999's own example.
PUBLISHED_USCC = ["91350100M000100Y43", "91110000802100433B", "91440300708461136T"]
PUBLISHED_IDS = ["11010519491231002X", "11010119900307803X"]


@pytest.mark.parametrize("code", PUBLISHED_USCC)
def test_published_credit_codes_are_valid(code: str) -> None:
    assert uscc_problem(code) is None


@pytest.mark.parametrize("code", PUBLISHED_IDS)
def test_published_identity_numbers_are_valid(code: str) -> None:
    assert resident_id_problem(code) is None


#: The weights as the standards print them (GB 32100-2015 table 3, GB 11643-1999 §7.1).
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


@pytest.mark.parametrize("position", range(17))
def test_each_position_carries_the_standards_weight(position: int) -> None:
    unit = "0" * position + "1" + "0" * (16 - position)
    assert uscc_check_character(unit) == USCC_CHARACTERS[(31 - USCC_WEIGHTS[position]) % 31]
    assert resident_id_check_character(unit) == "10X98765432"[ID_WEIGHTS[position] % 11]


# A valid code: two registration characters, a six-digit region, nine more, and the check.
_CREDIT_BODY = st.tuples(
    st.text(USCC_CHARACTERS, min_size=2, max_size=2),
    st.text("0123456789", min_size=6, max_size=6),
    st.text(USCC_CHARACTERS, min_size=9, max_size=9),
).map("".join)
credit_codes = _CREDIT_BODY.map(lambda body: body + uscc_check_character(body))


@st.composite
def identity_numbers(draw: st.DrawFn) -> str:
    region = draw(st.integers(110000, 829999))
    born = draw(st.dates(dt.date(1900, 1, 1), dt.date(2030, 12, 31)))
    serial = draw(st.integers(0, 999))
    body = f"{region}{born:%Y%m%d}{serial:03d}"
    return body + resident_id_check_character(body)


@given(credit_codes)
def test_generated_credit_codes_are_valid(code: str) -> None:
    assert uscc_problem(code) is None


@given(credit_codes, st.integers(0, 17), st.sampled_from(USCC_CHARACTERS))
def test_any_one_changed_character_of_a_credit_code_is_caught(
    code: str, position: int, replacement: str
) -> None:
    mutated = code[:position] + replacement + code[position + 1 :]
    if mutated == code:
        return
    assert uscc_problem(mutated) is not None


@given(identity_numbers())
def test_generated_identity_numbers_are_valid(code: str) -> None:
    assert resident_id_problem(code) is None


@given(identity_numbers(), st.integers(0, 17), st.sampled_from("0123456789X"))
def test_any_one_changed_character_of_an_identity_number_is_caught(
    code: str, position: int, replacement: str
) -> None:
    mutated = code[:position] + replacement + code[position + 1 :]
    if mutated == code:
        return
    assert resident_id_problem(mutated) is not None


@given(identity_numbers())
def test_neighbour_swaps_of_different_digits_are_caught(code: str) -> None:
    for i in range(16):
        if code[i] != code[i + 1]:
            swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
            assert resident_id_problem(swapped) is not None, swapped


def test_wrong_check_characters_are_reported_without_the_right_one() -> None:
    code = "91350100M000100Y43"
    problem = uscc_problem(code[:-1] + "4")
    assert problem is not None and "check character" in problem
    assert "3" not in problem.split(":")[-1]
    id_problem = resident_id_problem("110105194912310021")
    assert id_problem is not None and "check character" in id_problem


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("9135010M000100Y43", "17 characters"),
        ("91350100M000100I43", "'I'"),
        ("91AB0100M000100Y43", "region code"),
    ],
)
def test_malformed_credit_codes_say_what_is_wrong(code: str, words: str) -> None:
    problem = uscc_problem(code)
    assert problem is not None and words in problem


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("110105491231002", "15-digit"),
        ("11010519491331002X", "date of birth"),
        ("01010519491231002X", "region code"),
        ("1101051949123100AX", "17 digits"),
        ("11010518991231002X", "date of birth"),
    ],
)
def test_malformed_identity_numbers_say_what_is_wrong(code: str, words: str) -> None:
    problem = resident_id_problem(code)
    assert problem is not None and words in problem


def test_lower_case_x_and_spaces_are_normalised() -> None:
    assert normalise_identifier(" 11010519491231002x ") == "11010519491231002X"
    assert resident_id_problem(normalise_identifier("11010519491231002x")) is None
