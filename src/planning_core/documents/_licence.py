"""The e-licence (电子证照): a certificate as a signed JSON document, and its verification.

Signature: Ed25519 through ``cryptography`` (the PyCA package every Python TLS stack
already depends on; audited, maintained, wheels for every platform). The national SM2 would
suit a Chinese bureau, but the one pure-Python SM2 package (``gmssl``) has had no release
since 2023, no constant-time guarantee and no type hints, so it is not trusted with the
bureau's key; a city that must use SM2 can sign the same canonical bytes with its own
signer (the format names the algorithm).

The signed bytes are the licence without its ``signature`` member, written as canonical JSON
(keys sorted, no spaces, UTF-8). Verification checks, each with its reason: the signature
against the bureau's public key (offline), the register's status (valid, voided), and the
case history behind it (its hash chain intact, and the issuing event still the one signed).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import pendulum
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from planning_core.cases import CertificateIssued, Engine, RecordedEvent, canonical_json
from planning_core.errors import (
    ConfigurationError,
    NotFoundError,
    PlanningError,
    ValidationError,
)
from planning_core.inputs import load_json
from planning_core.window import VOID, CertificateEntry, CertificateRegister

__all__ = [
    "LICENCE_FORMAT",
    "LicenceCheck",
    "export_licence",
    "generate_signing_key",
    "key_id",
    "load_private_key",
    "load_public_key",
    "verify_licence",
]

#: The format tag every e-licence carries.
LICENCE_FORMAT = "planning-core-elicence/1"


#: An e-licence is a few kilobytes; a file far larger is not one.
_LICENCE_BYTES = 1024 * 1024


def _canonical(doc: Mapping[str, Any]) -> bytes:
    """The bytes signed: the canonical JSON events are hashed in (sorted keys, no spaces)."""
    return canonical_json(doc)


def key_id(public_key: Ed25519PublicKey) -> str:
    """The first 16 hex digits of the SHA-256 of the raw public key: names the key."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def generate_signing_key(path: Path) -> Ed25519PublicKey:
    """Write a new private key to ``path`` (PEM, mode 0600) and its public key beside it
    (``path.pub.pem``); refuses to overwrite a key.

    :raises ConfigurationError: when a key is at ``path`` already.
    """
    path = Path(path)
    if path.exists():
        raise ConfigurationError(
            f"a signing key exists at {path} already; keep it (licences were signed with it) "
            f"or move it away first"
        )
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_bytes(pem)
    public = key.public_key()
    Path(f"{path}.pub.pem").write_bytes(
        public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return public


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """The bureau's Ed25519 private key from a PEM file.

    :raises ConfigurationError: when the file is missing or holds no Ed25519 private key.
    """
    try:
        key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise ConfigurationError(
            f"cannot read the signing key {path}: {exc}; give the PEM file "
            f"`planning-core certificates keygen` wrote"
        ) from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise ConfigurationError(f"{path} holds no Ed25519 private key; give an Ed25519 key")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    """The bureau's Ed25519 public key from a PEM file.

    :raises ConfigurationError: when the file is missing or holds no Ed25519 public key.
    """
    try:
        key = serialization.load_pem_public_key(Path(path).read_bytes())
    except (OSError, ValueError, TypeError) as exc:
        raise ConfigurationError(
            f"cannot read the public key {path}: {exc}; give the bureau's .pub.pem file"
        ) from exc
    if not isinstance(key, Ed25519PublicKey):
        raise ConfigurationError(f"{path} holds no Ed25519 public key; give an Ed25519 key")
    return key


def export_licence(
    entry: CertificateEntry,
    history: list[RecordedEvent],
    key: Ed25519PrivateKey,
    *,
    bureau: str,
    permit_name: str,
    at: pendulum.DateTime,
) -> dict[str, Any]:
    """The signed e-licence of a registered certificate.

    :param history: the case's history (the issuing event's hash is signed with it).
    :param at: when the licence is exported (recorded, not read from the clock).
    :raises NotFoundError: when the history has no issuance of ``entry.number``.
    """
    issued = next(
        (
            r
            for r in history
            if isinstance(r.event, CertificateIssued) and r.event.certificate_number == entry.number
        ),
        None,
    )
    if issued is None:
        raise NotFoundError(
            f"the history of case {entry.case_id} has no issuance of {entry.number}; "
            f"export from the bureau that issued it"
        )
    doc: dict[str, Any] = {
        "format": LICENCE_FORMAT,
        "certificate": {
            "number": entry.number,
            "kind": entry.kind,
            "name": permit_name,
            "permit_type": entry.permit_type,
            "applicant": entry.applicant,
            "project": entry.project,
            "issued_at": entry.issued_at.isoformat(),
            "term": entry.term,
            "term_from": None if entry.term_from is None else entry.term_from.isoformat(),
            "term_until": None if entry.term_until is None else entry.term_until.isoformat(),
        },
        "issuer": {"bureau": bureau, "key_id": key_id(key.public_key())},
        "case": {
            "case_id": entry.case_id,
            "case_number": entry.case_number,
            "seq": issued.seq,
            "event_hash": issued.hash,
        },
        "exported_at": at.isoformat(),
    }
    signature = key.sign(_canonical(doc))
    doc["signature"] = {"alg": "Ed25519", "value": base64.b64encode(signature).decode("ascii")}
    return doc


@attrs.frozen
class LicenceCheck:
    """The result of verifying an e-licence: ``ok`` only when every check passed.

    :param checks: each check made, as ``(name, passed, detail)``: ``signature``,
        ``register`` and ``history`` (the last two only when a bureau's records were given).
    """

    ok: bool
    number: str
    checks: tuple[tuple[str, bool, str], ...]

    @property
    def problems(self) -> tuple[str, ...]:
        """The reasons of every failed check."""
        return tuple(f"{name}: {detail}" for name, passed, detail in self.checks if not passed)


def _signature_bytes(value: Any) -> bytes:
    """The signature a licence carries, from its one base64 spelling.

    Base64 leaves the last character's low bits unused before ``=`` padding, so several
    texts decode to the same bytes; a licence whose text was changed there must not verify
    as the licence issued, so only the text the bureau wrote (the canonical one) is read.

    :raises ValueError: when the text is not base64, or not in its canonical spelling.
    """
    raw = base64.b64decode(value, validate=True)
    if base64.b64encode(raw).decode("ascii") != value:
        raise ValueError("the signature's base64 is not the one the bureau wrote")
    return raw


def verify_licence(
    licence: bytes | str | Mapping[str, Any],
    public_key: Ed25519PublicKey,
    *,
    register: CertificateRegister | None = None,
    engine: Engine | None = None,
) -> LicenceCheck:
    """Check an e-licence; never raises for a bad licence, says why instead.

    :param licence: the JSON file's bytes (or text, or the parsed document).
    :param public_key: the bureau's public key: the signature check needs nothing else.
    :param register: the bureau's certificate register, to check the status.
    :param engine: the bureau's engine, to check the case history behind the licence.
    """
    try:
        if isinstance(licence, bytes | str):
            doc = load_json(licence, "the e-licence", max_bytes=_LICENCE_BYTES, expect=dict)
        else:
            doc = dict(licence)
        if not isinstance(doc, dict) or doc.get("format") != LICENCE_FORMAT:
            raise ValueError(f"format is not {LICENCE_FORMAT}")
        unsigned = {k: v for k, v in doc.items() if k != "signature"}
        signature = doc["signature"]
        number = str(doc["certificate"]["number"])
        case = doc["case"]
        case_id, seq, event_hash = str(case["case_id"]), int(case["seq"]), str(case["event_hash"])
    except (ValidationError, ValueError, KeyError, TypeError) as exc:
        return LicenceCheck(False, "", (("format", False, f"not an e-licence: {exc}"),))
    checks: list[tuple[str, bool, str]] = []
    try:
        if signature.get("alg") != "Ed25519":
            raise InvalidSignature(f"algorithm {signature.get('alg')!r}")
        public_key.verify(_signature_bytes(signature["value"]), _canonical(unsigned))
        checks.append(("signature", True, f"Ed25519, key {key_id(public_key)}"))
    except (InvalidSignature, ValueError, KeyError, TypeError, AttributeError) as exc:
        checks.append(
            ("signature", False, f"does not verify with key {key_id(public_key)} {exc}".strip())
        )
    if register is not None:
        try:
            entry = register.get(number)
        except NotFoundError:
            checks.append(("register", False, f"{number} is not in the register"))
        else:
            if entry.status == VOID:
                checks.append(
                    (
                        "register",
                        False,
                        f"{number} was voided on {entry.voided_at} ({entry.void_reason})",
                    )
                )
            else:
                checks.append(("register", True, f"{number} is valid"))
    if engine is not None:
        checks.append(_check_history(engine, case_id, seq, event_hash))
    return LicenceCheck(all(passed for _, passed, _ in checks), number, tuple(checks))


def _check_history(
    engine: Engine, case_id: str, seq: int, event_hash: str
) -> tuple[str, bool, str]:
    try:
        report = engine.verify_history(case_id)
    except PlanningError as exc:
        return ("history", False, f"case {case_id}: {exc}")
    if not report.ok:
        return ("history", False, f"case {case_id} is altered: {'; '.join(report.problems)}")
    stored = {r.seq: r.data.get("hash") for r in engine.store.load_events(case_id)}
    if stored.get(seq) != event_hash:
        return (
            "history",
            False,
            f"event {seq} of case {case_id} is not the one signed (hash {stored.get(seq)!r})",
        )
    return ("history", True, f"case {case_id}: {report.events} events intact")
