"""E-licences: a certificate signed with Ed25519; a changed byte, a voiding or an altered
history makes verification fail, with the reason."""

from __future__ import annotations

import base64
import json
import sqlite3
from pathlib import Path

import pendulum
import pytest
from _support.walked import BUREAU, walk_cases
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planning_core.cli import cli
from planning_core.documents import (
    export_licence,
    generate_signing_key,
    load_private_key,
    verify_licence,
)

AT = pendulum.datetime(2026, 4, 1, 9, tz="Asia/Shanghai")


@pytest.fixture
def issued(tmp_path: Path):  # type: ignore[no-untyped-def]
    db = tmp_path / "bureau.db"
    walked = walk_cases(f"sqlite:///{db}")
    key_file = tmp_path / "signing-key.pem"
    public = generate_signing_key(key_file)
    bureau = walked.bureau
    entry = bureau.window.certificates.entries()[0]
    licence = export_licence(
        entry,
        bureau.engine.history(entry.case_id),
        load_private_key(key_file),
        bureau=BUREAU,
        permit_name="建设工程规划许可证",
        at=AT,
    )
    raw = json.dumps(licence, ensure_ascii=False).encode()
    yield bureau, public, entry, raw, db, key_file
    bureau.close()


def test_a_certificate_verifies(issued) -> None:  # type: ignore[no-untyped-def]
    bureau, public, entry, raw, _, _ = issued
    result = verify_licence(raw, public, register=bureau.window.certificates, engine=bureau.engine)
    assert result.ok, result.problems
    assert [name for name, _, _ in result.checks] == ["signature", "register", "history"]
    assert result.number == entry.number


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(position=st.integers(min_value=0), bit=st.integers(min_value=0, max_value=7))
def test_any_single_byte_changed_fails_verification(issued, position: int, bit: int) -> None:  # type: ignore[no-untyped-def]
    _, public, _, raw, _, _ = issued
    i = position % len(raw)
    changed = raw[:i] + bytes([raw[i] ^ (1 << bit)]) + raw[i + 1 :]
    result = verify_licence(changed, public)
    # a change in insignificant JSON whitespace that still parses to the same document is
    # not a change of the licence; every other change fails, with a reason
    try:
        same = json.loads(changed) == json.loads(raw)
    except ValueError:
        same = False
    assert result.ok is same
    if not result.ok:
        assert result.problems


def test_a_changed_byte_in_the_certificate_fails_on_the_signature(issued) -> None:  # type: ignore[no-untyped-def]
    _, public, _entry, raw, _, _ = issued
    forged = raw.replace("唐山某置业有限公司".encode(), "唐山某置业有限公同".encode())
    result = verify_licence(forged, public)
    assert not result.ok
    assert result.problems[0].startswith("signature: does not verify")


def test_a_voided_certificate_fails_with_the_reason(issued) -> None:  # type: ignore[no-untyped-def]
    bureau, public, entry, raw, _, _ = issued
    clerk = bureau.actor(bureau.engine.settings.certificate_post)
    bureau.window.void_certificate(entry.number, "证件遗失", clerk, AT)
    result = verify_licence(raw, public, register=bureau.window.certificates)
    assert not result.ok
    assert "voided" in result.problems[0] and "证件遗失" in result.problems[0]


def test_an_altered_case_history_fails_with_the_reason(issued) -> None:  # type: ignore[no-untyped-def]
    bureau, public, entry, raw, db, _ = issued
    conn = sqlite3.connect(db)
    conn.execute(
        "UPDATE events SET doc = replace(doc, '凤凰新城三期', '凤凰新城四期') "
        "WHERE case_id = ? AND seq = 1",
        (entry.case_id,),
    )
    conn.commit()
    conn.close()
    bureau.engine._cache.clear()
    result = verify_licence(raw, public, engine=bureau.engine)
    assert not result.ok
    assert result.problems[0].startswith("history:") and "altered" in result.problems[0]


def test_another_bureaus_key_fails(issued, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, _, _, raw, _, _ = issued
    other = generate_signing_key(tmp_path / "other.pem")
    assert "signature" in verify_licence(raw, other).problems[0]


def test_the_commands_export_and_verify(issued, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _bureau, _, entry, _, db, key_file = issued
    url = f"sqlite:///{db}"
    out = tmp_path / "licence.json"
    runner = CliRunner()
    exported = runner.invoke(
        cli,
        [
            "certificates",
            "export",
            entry.number,
            "--key",
            str(key_file),
            "--out",
            str(out),
            "--store",
            url,
            "--at",
            "2026-04-01T09:00:00+08:00",
        ],
    )
    assert exported.exit_code == 0, exported.output
    pub = f"{key_file}.pub.pem"
    ok = runner.invoke(
        cli, ["certificates", "verify", str(out), "--public-key", pub, "--store", url]
    )
    assert ok.exit_code == 0, ok.output
    assert "e-licence verifies" in ok.output
    offline = runner.invoke(
        cli, ["certificates", "verify", str(out), "--public-key", pub, "--offline"]
    )
    assert offline.exit_code == 0 and "register" not in offline.output
    out.write_bytes(out.read_bytes().replace(b'"seq": ', b'"seq": 1'))
    bad = runner.invoke(
        cli, ["certificates", "verify", str(out), "--public-key", pub, "--store", url]
    )
    assert bad.exit_code == 1
    assert "FAIL  signature" in bad.output


def test_a_signature_respelled_in_base64_does_not_verify(issued) -> None:  # type: ignore[no-untyped-def]
    # the last character before "==" has four unused bits: another letter decodes to the
    # same signature, but the file is not the one issued
    _, public, _, raw, _, _ = issued
    doc = json.loads(raw)
    value = doc["signature"]["value"]
    assert value.endswith("==")
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    last = alphabet.index(value[-3])
    respelled = value[:-3] + alphabet[last ^ 0b0001] + "=="
    assert base64.b64decode(respelled) == base64.b64decode(value)
    doc["signature"]["value"] = respelled
    result = verify_licence(json.dumps(doc, ensure_ascii=False).encode(), public)
    assert not result.ok and "base64" in " ".join(result.problems)
