"""Query passwords: alphabet, length, normalisation, salted scrypt hashes."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st
from window._helpers import FAST

from planning_core import ValidationError
from planning_core.window import (
    PASSWORD_ALPHABET,
    ScryptParameters,
    format_password,
    generate_password,
    hash_password,
    normalize_password,
    verify_password,
)

LOOK_ALIKES = set("0Oo1lIi")


def test_the_alphabet_has_no_look_alikes_and_no_repeats() -> None:
    assert not LOOK_ALIKES & set(PASSWORD_ALPHABET)
    assert len(set(PASSWORD_ALPHABET)) == len(PASSWORD_ALPHABET) == 32


@given(st.integers(min_value=8, max_value=64))
def test_generated_passwords_have_the_length_and_only_the_alphabet(length: int) -> None:
    password = generate_password(length)
    assert len(password) == length
    assert set(password) <= set(PASSWORD_ALPHABET)


@given(st.integers(max_value=7))
def test_fewer_than_eight_characters_are_refused(length: int) -> None:
    with pytest.raises(ValidationError, match="at least 8"):
        generate_password(length)


def test_passwords_are_random() -> None:
    assert len({generate_password() for _ in range(200)}) == 200
    used = {ch for _ in range(200) for ch in generate_password()}
    assert used == set(PASSWORD_ALPHABET)  # 2,000 draws reach every one of 32 characters


@given(st.text(alphabet=PASSWORD_ALPHABET, min_size=8, max_size=40))
def test_grouped_lower_case_and_spaced_forms_normalise_back(password: str) -> None:
    assert normalize_password(format_password(password)) == password
    assert normalize_password(format_password(password).lower()) == password
    assert normalize_password(" ".join(password)) == password


@given(st.text(alphabet=PASSWORD_ALPHABET, min_size=8, max_size=12), st.text(max_size=12))
def test_only_the_same_password_verifies(password: str, other: str) -> None:
    record = hash_password(password, FAST)
    assert verify_password(format_password(password).lower(), record)
    assert verify_password(other, record) == (normalize_password(other) == password)


def test_the_record_holds_salt_and_key_never_the_password() -> None:
    password = generate_password()
    first, second = hash_password(password, FAST), hash_password(password, FAST)
    assert first["salt"] != second["salt"] and first["key"] != second["key"]
    assert password not in repr(first)
    assert set(first) == {"algorithm", "n", "r", "p", "salt", "key"}
    expected = hashlib.scrypt(
        password.encode(), salt=bytes.fromhex(first["salt"]), n=FAST.n, r=FAST.r, p=FAST.p, dklen=32
    )
    assert first["key"] == expected.hex()


def test_default_parameters_are_the_interactive_login_figures() -> None:
    default = ScryptParameters()
    record = hash_password("ABCDEFGH", default)
    assert (record["n"], record["r"], record["p"]) == (2**14, 8, 1)
    assert verify_password("abcd-efgh", record)


@pytest.mark.parametrize("n", [0, 1, 3, 1000])
def test_scrypt_cost_must_be_a_power_of_two(n: int) -> None:
    with pytest.raises(ValidationError, match="power of two"):
        ScryptParameters(n=n)


def test_a_password_must_be_text() -> None:
    with pytest.raises(ValidationError, match="text"):
        normalize_password(12345678)  # type: ignore[arg-type]
