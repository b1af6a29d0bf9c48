"""Material files: content addressing, versions, limits, type checks by content, and
``cases verify`` naming a file altered on disk."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from planning_core.cli import cli
from planning_core.errors import ValidationError
from planning_core.materials import (
    FileBlobStore,
    MaterialLimits,
    MaterialUpload,
    MemoryBlobStore,
    blob_store_beside,
    check_files,
    sha256_of,
    sniff_media_type,
    store_uploads,
)
from planning_core.testing import ManualClock, make_bureau
from planning_core.window import Application, case_files

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 16
DWG = b"AC1032" + b"\x00" * 16
GEOJSON = json.dumps({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]})


@pytest.mark.parametrize(
    ("content", "media_type"),
    [
        (PDF, "application/pdf"),
        (PNG, "image/png"),
        (JPEG, "image/jpeg"),
        (DWG, "image/vnd.dwg"),
        (GEOJSON.encode(), "application/geo+json"),
        (b"MZ\x90\x00 an executable", None),
        (b'{"not": "geojson"}', None),
    ],
)
def test_the_type_is_read_from_the_bytes(content: bytes, media_type: str | None) -> None:
    assert sniff_media_type(content) == media_type


@given(st.binary(max_size=2048))
def test_content_addressing_round_trips(content: bytes) -> None:
    for blobs in (MemoryBlobStore(),):
        key = blobs.put(content)
        assert key == sha256_of(content)
        assert blobs.exists(key) and blobs.get(key) == content
        assert blobs.put(content) == key


def test_the_file_store_round_trips_and_keeps_files_read_only(tmp_path: Path) -> None:
    blobs = FileBlobStore(f"file://{tmp_path / 'blobs'}")
    key = blobs.put(PDF)
    assert blobs.get(key) == PDF and blobs.exists(key)
    path = tmp_path / "blobs" / key[:2] / key[2:]
    assert not os.access(path, os.W_OK) or os.geteuid() == 0


@given(st.lists(st.binary(min_size=1, max_size=64), min_size=1, max_size=6))
def test_versions_never_overwrite(contents: list[bytes]) -> None:
    blobs = MemoryBlobStore()
    recorded: tuple = ()
    for content in contents:
        upload = MaterialUpload("plan", "总平面图.pdf", b"%PDF-" + content, "application/pdf")
        recorded += store_uploads(blobs, [upload], previous=recorded)
    assert [f.version for f in recorded] == list(range(1, len(contents) + 1))
    for f, content in zip(recorded, contents, strict=True):
        assert blobs.get(f.sha256) == b"%PDF-" + content  # every version still there
    assert check_files(blobs, recorded) == []


def test_a_file_over_the_limit_or_of_another_type_is_refused_and_nothing_stored() -> None:
    blobs = MemoryBlobStore()
    limits = MaterialLimits(max_file_bytes=100)
    fine = MaterialUpload("form", "申请表.pdf", PDF, "application/pdf")
    big = MaterialUpload("plan", "总平面图.pdf", b"%PDF-" + b"0" * 200, "application/pdf")
    with pytest.raises(ValidationError, match="nothing was stored") as err:
        store_uploads(blobs, [fine, big], limits=limits)
    assert "over the limit of 100" in str(err.value.args)
    fake = MaterialUpload("plan", "总平面图.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    with pytest.raises(ValidationError) as err:
        store_uploads(blobs, [fine, fake], limits=limits)
    assert "claims 'application/pdf' but its content is none" in str(err.value.args)
    assert not blobs.exists(sha256_of(PDF))


def _application(bureau, files):  # type: ignore[no-untyped-def]
    permit = bureau.engine.permit_type("CONSTRUCTION")
    codes = [m.code for m in permit.required_materials]
    return Application("CONSTRUCTION", "唐山某置业有限公司", "凤凰新城三期", codes, files=files)


def test_intake_refuses_a_bad_file_and_records_nothing(tmp_path: Path) -> None:
    bureau = make_bureau(f"sqlite:///{tmp_path / 'b.db'}")
    clock = ManualClock("2026-03-02T09:00:00+08:00", bureau.calendar)
    clerk = bureau.actor("WINDOW_CLERK")
    code = bureau.engine.permit_type("CONSTRUCTION").required_materials[0].code
    bad = (MaterialUpload(code, "申请表.pdf", PNG, "application/pdf"),)
    with pytest.raises(ValidationError):
        bureau.window.intake(_application(bureau, bad), clerk, clock.now)
    assert bureau.store.cases() == []
    assert not (tmp_path / "b.db.blobs").exists()
    bureau.close()


def test_cases_verify_names_a_material_file_altered_on_disk(tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    url = f"sqlite:///{db}"
    bureau = make_bureau(url)
    clock = ManualClock("2026-03-02T09:00:00+08:00", bureau.calendar)
    code = bureau.engine.permit_type("CONSTRUCTION").required_materials[0].code
    files = (
        MaterialUpload(code, "申请表.pdf", PDF, "application/pdf"),
        MaterialUpload(code, "红线.geojson", GEOJSON.encode(), "application/geo+json"),
    )
    receipt = bureau.window.intake(
        _application(bureau, files), bureau.actor("WINDOW_CLERK"), clock.now
    )
    recorded = case_files(bureau.engine.history(receipt.case_id))
    assert [(f.name, f.version) for f in recorded] == [("申请表.pdf", 1), ("红线.geojson", 1)]
    assert blob_store_beside(url) == f"file://{db}.blobs"
    bureau.close()
    runner = CliRunner()
    ok = runner.invoke(cli, ["cases", "verify", receipt.case_number, "--store", url])
    assert ok.exit_code == 0, ok.output
    blob = Path(f"{db}.blobs") / recorded[0].sha256[:2] / recorded[0].sha256[2:]
    blob.chmod(0o644)
    blob.write_bytes(PDF.replace(b"1.7", b"1.6"))
    bad = runner.invoke(cli, ["cases", "verify", receipt.case_number, "--store", url])
    assert bad.exit_code == 1
    assert "material files do NOT verify" in bad.output
    assert "申请表.pdf" in bad.output and "altered" in bad.output
    assert "红线.geojson" not in bad.output
