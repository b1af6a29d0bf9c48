"""Query passwords (案件查询密码): made with ``secrets``, kept only as salted scrypt hashes.

The applicant reads the password off the receipt and may have to spell it on the phone, so
the alphabet has no characters that look or sound alike on paper: no ``0``/``O``, no
``1``/``l``/``I``, and no lower case at all (input is upper-cased, so a caller who types
``k7q3`` still matches). Ten characters from 32 give 50 bits: at the hundred or so
guesses a day the query's throttle leaves one caller against one case, far beyond reach.

Only a salted :func:`hashlib.scrypt` hash is stored. The parameters are written with each
hash, so a bureau can raise them later without invalidating older passwords; comparison is
:func:`hmac.compare_digest` on the derived keys, so it takes the same time wherever the
first differing byte is.

A check must cost the same whether the case number exists or not, under whatever mix of
parameters the store holds; :func:`decoy_record` gives the window a record of given
parameters that no password matches, to spend that cost on (see docs/window.md, "Threat
model of the public query").
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

import attrs

from planning_core.errors import ValidationError
from planning_core.storage import JSON

__all__ = [
    "PASSWORD_ALPHABET",
    "ScryptParameters",
    "decoy_record",
    "format_password",
    "generate_password",
    "hash_password",
    "hash_secret",
    "normalize_password",
    "secret_matches",
    "verify_password",
]

#: Digits 2-9 and capital letters without I and O: nothing to confuse with 0, O, 1, l, I.
PASSWORD_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

#: Shortest password the window hands out (the issue's floor; the default is 10).
MIN_LENGTH = 8


def _power_of_two(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if value < 2 or value & (value - 1):
        raise ValidationError(f"scrypt n must be a power of two >= 2, not {value!r}")


def _positive(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if value < 1:
        raise ValidationError(f"scrypt {attribute.name} must be >= 1, not {value!r}")


@attrs.frozen
class ScryptParameters:
    """The cost of one password check.

    The defaults (n = 2**14, r = 8, p = 1: 16 MiB and a few tens of milliseconds) are the
    interactive-login figures of the scrypt paper and of Python's documentation; a stolen
    database then costs an attacker that much per guess and per case. Tests pass smaller
    values to stay fast; stored hashes keep the parameters they were made with.

    :param n: CPU/memory cost, a power of two.
    :param r: block size.
    :param p: parallelism.
    :param salt_bytes: random salt length.
    :param key_bytes: derived key length.
    """

    n: int = attrs.field(default=2**14, validator=_power_of_two)
    r: int = attrs.field(default=8, validator=_positive)
    p: int = attrs.field(default=1, validator=_positive)
    salt_bytes: int = attrs.field(default=16, validator=_positive)
    key_bytes: int = attrs.field(default=32, validator=_positive)

    @classmethod
    def of(cls, record: JSON) -> ScryptParameters:
        """The parameters a stored hash ``record`` was made with.

        :raises ValidationError: when the record is not a scrypt hash this module wrote.
        """
        try:
            if record["algorithm"] != "scrypt":
                raise ValueError(record["algorithm"])
            return cls(
                n=record["n"],
                r=record["r"],
                p=record["p"],
                salt_bytes=len(bytes.fromhex(record["salt"])),
                key_bytes=len(bytes.fromhex(record["key"])),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValidationError(
                f"a stored query password record must be a scrypt hash with n, r, p, salt and "
                f"key; this one is not ({exc!r}); re-issue the case's password"
            ) from None

    @property
    def label(self) -> str:
        """A stable name of these parameters, used as a store key: ``n=16384,r=8,p=1,s=16,k=32``."""
        return f"n={self.n},r={self.r},p={self.p},s={self.salt_bytes},k={self.key_bytes}"

    @property
    def max_memory(self) -> int:
        """The memory scrypt needs (128·n·r bytes) plus headroom, for ``maxmem``."""
        return 128 * self.n * self.r * (self.p + 1) + 1024 * 1024


def generate_password(length: int = 10) -> str:
    """A fresh query password of ``length`` characters from :data:`PASSWORD_ALPHABET`.

    :raises ValidationError: when ``length`` is below 8.
    """
    if isinstance(length, bool) or not isinstance(length, int) or length < MIN_LENGTH:
        raise ValidationError(
            f"a query password needs at least {MIN_LENGTH} characters, not {length!r}"
        )
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(length))


def format_password(password: str) -> str:
    """The password in groups of four for the receipt: ``K7Q3-M9XD-2P``."""
    return "-".join(password[i : i + 4] for i in range(0, len(password), 4))


def normalize_password(text: str) -> str:
    """What the applicant typed, as it is hashed: upper case, without spaces and dashes.

    :raises ValidationError: when ``text`` is not a string.
    """
    if not isinstance(text, str):
        raise ValidationError(f"a query password must be text, not {type(text).__name__}")
    return "".join(ch for ch in text.upper() if not ch.isspace() and ch != "-")


def hash_password(password: str, parameters: ScryptParameters) -> JSON:
    """The record stored for ``password``: algorithm, parameters, salt and derived key.

    The query password is normalized first (:func:`normalize_password`), so the applicant
    may type it with spaces, dashes or in lower case.
    """
    return hash_secret(normalize_password(password), parameters)


def hash_secret(secret: str, parameters: ScryptParameters) -> JSON:
    """The scrypt record of ``secret`` exactly as given (a staff login's password, which
    is case-sensitive): algorithm, parameters, salt and derived key."""
    salt = secrets.token_bytes(parameters.salt_bytes)
    key = _derive(secret, salt, parameters)
    return {
        "algorithm": "scrypt",
        "n": parameters.n,
        "r": parameters.r,
        "p": parameters.p,
        "salt": salt.hex(),
        "key": key.hex(),
    }


def decoy_record(parameters: ScryptParameters) -> JSON:
    """A record with ``parameters`` that no password matches: random salt, random key.

    Checking a password against it costs exactly what checking against a real hash of
    these parameters costs, which is what the window spends for an unknown case number.
    It is made without running scrypt (so making one costs nothing the caller could time),
    and a random 32-byte key is matched by chance with probability 2**-256.
    """
    return {
        "algorithm": "scrypt",
        "n": parameters.n,
        "r": parameters.r,
        "p": parameters.p,
        "salt": secrets.token_bytes(parameters.salt_bytes).hex(),
        "key": secrets.token_bytes(parameters.key_bytes).hex(),
    }


def verify_password(password: str, record: JSON) -> bool:
    """Whether ``password`` matches the stored ``record``, compared in constant time."""
    return secret_matches(normalize_password(password), record)


def secret_matches(secret: str, record: JSON) -> bool:
    """Whether ``secret``, exactly as given, matches the scrypt ``record`` (constant time)."""
    key = bytes.fromhex(record["key"])
    parameters = ScryptParameters(n=record["n"], r=record["r"], p=record["p"], key_bytes=len(key))
    candidate = _derive(secret, bytes.fromhex(record["salt"]), parameters)
    return hmac.compare_digest(candidate, key)


def _derive(password: str, salt: bytes, parameters: ScryptParameters) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"),
        salt=salt,
        n=parameters.n,
        r=parameters.r,
        p=parameters.p,
        maxmem=parameters.max_memory,
        dklen=parameters.key_bytes,
    )
