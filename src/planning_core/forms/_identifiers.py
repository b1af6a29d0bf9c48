"""The applicant's identifiers and their official check characters.

* 统一社会信用代码 (unified social credit code, GB 32100-2015): 18 characters from a
  31-character set (digits and capitals without I, O, Z, S, V); the 18th is a check
  character, ``31 - (Σ value × 3^i mod 31) mod 31``, with the weights 3^i mod 31.
* 公民身份号码 (citizen identity number on the 居民身份证, GB 11643-1999): 17 digits and a
  check character by ISO 7064 MOD 11-2, ``(12 - Σ digit × 2^(17-i) mod 11) mod 11``, where
  10 is written ``X``; digits 7–14 are the date of birth.

Both schemes catch every single mistyped character and most swaps of neighbours. A wrong
check character is reported as such, without saying which character would be right: the
mistake may be anywhere, and "fixing" the last character would turn a typo into a valid
code of someone else.
"""

from __future__ import annotations

import datetime as dt

__all__ = [
    "USCC_CHARACTERS",
    "normalise_identifier",
    "resident_id_check_character",
    "resident_id_problem",
    "uscc_check_character",
    "uscc_problem",
]

#: The 31 characters of a 统一社会信用代码, in the order of their values 0–30.
USCC_CHARACTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(USCC_CHARACTERS)}
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_ID_CHECK = "10X98765432"
#: The earliest birth year accepted in an identity number.
_EARLIEST_BIRTH_YEAR = 1900


def normalise_identifier(code: str) -> str:
    """Trim spaces and upper-case: ``x`` and ``X`` are the same check character."""
    return code.strip().replace(" ", "").upper()


def uscc_check_character(first17: str) -> str:
    """The check character (18th) of a 统一社会信用代码 from its first 17 characters.

    :raises ValueError: when ``first17`` is not 17 characters of the code's set.
    """
    if len(first17) != 17 or any(c not in _USCC_VALUE for c in first17):
        raise ValueError(f"{first17!r} is not 17 characters of the credit-code set")
    total = sum(_USCC_VALUE[c] * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_CHARACTERS[(31 - total % 31) % 31]


def uscc_problem(code: str) -> str | None:
    """What is wrong with a 统一社会信用代码 (already normalised), or None when it is valid."""
    if len(code) != 18:
        return f"统一社会信用代码 {code!r} has {len(code)} characters; it has 18"
    bad = sorted({c for c in code if c not in _USCC_VALUE})
    if bad:
        return (
            f"统一社会信用代码 {code!r} contains {''.join(bad)!r}; only digits and the capitals "
            f"A–Y without I, O, S, V, Z occur"
        )
    if not code[2:8].isdigit():
        return f"统一社会信用代码 {code!r}: characters 3–8 are the region code, six digits"
    if uscc_check_character(code[:17]) != code[17]:
        return (
            f"统一社会信用代码 {code!r}: the check character does not match; check every character"
        )
    return None


def resident_id_check_character(first17: str) -> str:
    """The check character (18th) of a 公民身份号码 from its first 17 digits (MOD 11-2).

    :raises ValueError: when ``first17`` is not 17 digits.
    """
    if len(first17) != 17 or not first17.isdigit() or not first17.isascii():
        raise ValueError(f"{first17!r} is not 17 digits")
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def resident_id_problem(code: str) -> str | None:
    """What is wrong with a 居民身份证号 (already normalised), or None when it is valid."""
    if len(code) == 15 and code.isdigit():
        return f"身份证号 {code!r} is an old 15-digit number; give the 18-digit number"
    if len(code) != 18:
        return f"身份证号 {code!r} has {len(code)} characters; it has 18"
    if not (code[:17].isdigit() and code[:17].isascii()) or code[17] not in "0123456789X":
        return f"身份证号 {code!r}: 17 digits and a final digit or X are expected"
    if code[0] in "09":
        return f"身份证号 {code!r}: the region code cannot begin with {code[0]}"
    if _birth_date(code[6:14]) is None:
        return f"身份证号 {code!r}: {code[6:14]} (characters 7–14) is not a date of birth"
    if resident_id_check_character(code[:17]) != code[17]:
        return f"身份证号 {code!r}: the check character does not match; check every digit"
    return None


def _birth_date(text: str) -> dt.date | None:
    try:
        born = dt.datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        return None
    return born if born.year >= _EARLIEST_BIRTH_YEAR else None
