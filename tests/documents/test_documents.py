"""Every written act as PDF: its text (extracted), its embedded CJK font, its template hook."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from _support.walked import BUREAU, walk_cases
from pypdf import PdfReader

from planning_core.documents import (
    DOCUMENT_KINDS,
    DocumentData,
    DocumentFontError,
    PdfTemplate,
    case_documents,
    find_cjk_font,
    render_document,
)
from planning_core.markers import hookimpl
from planning_core.plugins import make_hooks

pytest.importorskip("fpdf")
try:
    find_cjk_font()
except DocumentFontError:  # pragma: no cover - CI installs fonts-wqy-zenhei
    pytest.skip("no CJK font on this machine", allow_module_level=True)

IMAGES = Path(__file__).resolve().parents[2] / "docs" / "img"


@pytest.fixture(scope="module")
def documents() -> dict[str, tuple[DocumentData, bytes]]:
    walked = walk_cases()
    engine = walked.bureau.engine
    found: dict[str, tuple[DocumentData, bytes]] = {}
    for case_id in (walked.granted, walked.refused, walked.denied):
        permit = engine.permit_type(engine.load(case_id).permit_type)
        for data in case_documents(
            engine.history(case_id), permit, bureau=BUREAU, zone=walked.bureau.calendar.zone
        ):
            found.setdefault(data.kind, (data, render_document(data)))
    return found


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _embedded_fonts(pdf: bytes) -> list[str]:
    """The base names of the fonts whose program is embedded in the PDF."""
    names = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                if any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    names.append(str(descriptor["/FontName"]))
    return names


def test_a_case_walked_end_to_end_has_every_kind_of_document(documents) -> None:  # type: ignore[no-untyped-def]
    assert set(documents) == set(DOCUMENT_KINDS)


@pytest.mark.parametrize("kind", sorted(DOCUMENT_KINDS))
def test_each_document_prints_number_date_basis_and_chinese_from_an_embedded_font(
    documents,  # type: ignore[no-untyped-def]
    kind: str,
) -> None:
    data, pdf = documents[kind]
    assert pdf.startswith(b"%PDF-")
    text = _text(pdf)
    assert data.case_number in text
    assert data.number in text
    day = data.issued_on
    assert f"{day.year}年{day.month}月{day.day}日" in text
    assert "行政许可法" in text and data.legal_basis.split("；")[0] in text.replace("\n", "")
    assert BUREAU in text and data.title in text
    assert data.verification_code in text
    # Chinese text comes from an embedded subset of the CJK font (ABCDEF+Name)
    fonts = _embedded_fonts(pdf)
    assert fonts and all(re.match(r"/?[A-Z]{6}\+", name) for name in fonts), fonts
    assert re.search(r"[\u4e00-\u9fff]{4,}", text)


def test_a_refusal_tells_the_remedies(documents) -> None:  # type: ignore[no-untyped-def]
    for kind in ("acceptance_refusal", "denial_decision"):
        text = _text(documents[kind][1]).replace("\n", "")
        assert "行政复议" in text and "行政诉讼" in text
    assert "行政复议" not in _text(documents["approval_decision"][1])


def test_the_supplement_notice_lists_every_missing_material_once(documents) -> None:  # type: ignore[no-untyped-def]
    data, pdf = documents["supplement_notice"]
    assert any(p.startswith("1. ") for p in data.paragraphs)
    assert "一次告知" in _text(pdf)


def test_a_city_template_replaces_the_layout_through_the_hook(documents) -> None:  # type: ignore[no-untyped-def]
    class CityTemplate:
        def render(self, data: DocumentData) -> bytes:
            return PdfTemplate(wording={"verify": "唐山扫码验证"}).render(data)

    class City:
        @hookimpl
        def planning_core_document_template(self, kind: str) -> CityTemplate | None:
            return CityTemplate() if kind == "certificate" else None

    hooks = make_hooks(entry_points=False)
    hooks.register(City(), name="city")
    data = documents["certificate"][0]
    assert "唐山扫码验证" in _text(render_document(data, hooks))
    assert "唐山扫码验证" not in _text(render_document(documents["acceptance_notice"][0], hooks))


def test_a_missing_font_is_a_clear_error(documents, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DocumentFontError, match="does not exist"):
        PdfTemplate(font=tmp_path / "none.ttf").render(documents["certificate"][0])
    with pytest.raises(DocumentFontError, match="apt-get install fonts-wqy-zenhei"):
        find_cjk_font((tmp_path / "none.ttc",))


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_the_first_pages_render_as_images(documents, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """pdftoppm reads every document; the images in docs/img come from this."""
    for kind, (_, pdf) in documents.items():
        source = tmp_path / f"{kind}.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "50",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                source,
                tmp_path / kind,
            ],
            check=True,
        )
        assert (tmp_path / f"{kind}.png").read_bytes().startswith(b"\x89PNG")
        assert (IMAGES / f"documents-{kind}.png").is_file(), "regenerate docs/img (documents.md)"
