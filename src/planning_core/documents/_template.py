"""The default layout of every document, as PDF, with fpdf2 and an embedded CJK font.

Why fpdf2: pure Python (no Cairo/Pango stack as WeasyPrint needs, no external binary as
Typst needs), maintained, typed enough, and it embeds TrueType *and* OpenType-CFF fonts as
subsets (only the glyphs used) with a ToUnicode map, so the Chinese text of a notice is both
small and extractable; it reads ``.ttc`` collections (Debian's 文泉驿正黑). ReportLab embeds
TrueType outlines only, which rules out Noto CJK's CFF fonts. The QR code comes from segno
(pure Python, no dependencies), drawn as a PNG.

The font is a setting: :class:`PdfTemplate` takes a font file, or finds one of the Debian
CJK fonts (``fonts-wqy-zenhei``, ``fonts-noto-cjk``). No font ships in the package: the
library depends on the system's, and says which package to install when none is there.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import attrs

from planning_core.documents._data import DocumentData
from planning_core.errors import ConfigurationError

if TYPE_CHECKING:
    from fpdf import FPDF

__all__ = [
    "CJK_FONT_CANDIDATES",
    "DocumentFontError",
    "DocumentTemplate",
    "PdfTemplate",
    "find_cjk_font",
]

#: Where Debian's CJK fonts live, in order of preference.
CJK_FONT_CANDIDATES: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
)


class DocumentFontError(ConfigurationError):
    """No CJK font to embed: the documents cannot print Chinese."""


def find_cjk_font(candidates: tuple[Path, ...] = CJK_FONT_CANDIDATES) -> Path:
    """The first CJK font file that exists.

    :raises DocumentFontError: naming the files looked for and the package to install.
    """
    for path in candidates:
        if path.is_file():
            return path
    raise DocumentFontError(
        "no CJK font to embed in the documents; looked for "
        + ", ".join(str(p) for p in candidates)
        + ". Install one (apt-get install fonts-wqy-zenhei) or pass PdfTemplate(font=PATH)"
    )


@runtime_checkable
class DocumentTemplate(Protocol):
    """What lays out a document: the typed data in, the PDF's bytes out."""

    def render(self, data: DocumentData) -> bytes: ...


def _qr_png(content: str) -> bytes:
    import segno

    out = io.BytesIO()
    segno.make(content, error="m").save(out, kind="png", scale=4, border=1)
    return out.getvalue()


@attrs.frozen
class PdfTemplate:
    """The package's layout: an A4 page with the bureau's name, the title, the number, the
    labelled fields, the body, the legal basis, remedies, the date, the seal and the QR code.

    :param font: a TrueType/OpenType font (``.ttf``, ``.otf``, ``.ttc``) with CJK glyphs;
        None finds one of :data:`CJK_FONT_CANDIDATES`.
    :param collection_index: which font of a ``.ttc`` collection to use.
    :param seal: the bureau's seal (专用印章) as a PNG, printed over the date; None prints a
        placeholder circle with the bureau's name in words only.
    :param wording: replaces printed phrases by key: ``basis`` (法律依据), ``verify``
        (扫码核验), ``seal`` (（印章）), and any title by its document kind.
    """

    font: Path | None = None
    collection_index: int = 0
    seal: Path | None = None
    wording: Mapping[str, str] = attrs.field(factory=dict)

    def _word(self, key: str, default: str) -> str:
        return self.wording.get(key, default)

    def render(self, data: DocumentData) -> bytes:
        """The document as PDF bytes, the font embedded as a subset."""
        from fpdf import FPDF

        font = self.font or find_cjk_font()
        if not Path(font).is_file():
            raise DocumentFontError(f"font file {font} does not exist; give an existing font")
        pdf = FPDF(format="A4")
        pdf.set_auto_page_break(auto=True, margin=20)
        pdf.set_creator("planning_core")
        pdf.set_title(f"{data.title} {data.number}")
        pdf.add_font("cjk", "", str(font), collection_font_number=self.collection_index)
        # fontTools warns once per render about bitmap tables it drops from the subset
        # (文泉驿's embedded bitmaps): expected, and not the reader's concern
        subset_log = logging.getLogger("fontTools.subset")
        level = subset_log.level
        subset_log.setLevel(logging.ERROR)
        try:
            return self._layout(pdf, data)
        finally:
            subset_log.setLevel(level)

    def _layout(self, pdf: FPDF, data: DocumentData) -> bytes:
        pdf.add_page()
        width = pdf.w - pdf.l_margin - pdf.r_margin
        pdf.set_font("cjk", size=16)
        pdf.cell(
            width, 10, data.bureau or "城乡规划主管部门", align="C", new_x="LMARGIN", new_y="NEXT"
        )
        pdf.set_font("cjk", size=22)
        title = self._word(data.kind, data.title)
        pdf.cell(width, 14, title, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("cjk", size=11)
        pdf.cell(width, 8, data.number, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        for label, value in data.fields:
            pdf.cell(32, 8, f"{label}：")
            pdf.multi_cell(width - 32, 8, value, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        pdf.set_font("cjk", size=12)
        for paragraph in data.paragraphs:
            pdf.multi_cell(width, 8, paragraph, new_x="LMARGIN", new_y="NEXT")
        if data.remedies:
            pdf.ln(2)
            pdf.multi_cell(width, 8, data.remedies, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        pdf.set_font("cjk", size=10)
        pdf.multi_cell(
            width,
            6,
            f"{self._word('basis', '法律依据')}：{data.legal_basis}",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.ln(6)
        pdf.set_font("cjk", size=12)
        day = data.issued_on
        top = pdf.get_y()
        pdf.set_xy(pdf.l_margin + width - 70, top)
        pdf.cell(70, 8, data.bureau or "城乡规划主管部门", align="C", new_x="LEFT", new_y="NEXT")
        pdf.cell(70, 8, f"{day.year}年{day.month}月{day.day}日", align="C")
        if self.seal is not None:
            pdf.image(str(self.seal), x=pdf.l_margin + width - 60, y=top - 12, w=40, h=40)
        else:
            pdf.set_draw_color(200, 30, 30)
            pdf.ellipse(pdf.l_margin + width - 55, top - 10, 30, 30)
            pdf.set_draw_color(0, 0, 0)
            pdf.set_xy(pdf.l_margin + width - 55, top + 18)
            pdf.set_font("cjk", size=8)
            pdf.cell(30, 5, self._word("seal", "（印章）"), align="C")
        qr_top = max(pdf.get_y() + 14, top + 30)
        if qr_top + 40 > pdf.h - 20:
            pdf.add_page()
            qr_top = pdf.t_margin
        pdf.image(io.BytesIO(_qr_png(data.verification_url)), x=pdf.l_margin, y=qr_top, w=30)
        pdf.set_xy(pdf.l_margin + 34, qr_top + 8)
        pdf.set_font("cjk", size=10)
        pdf.cell(0, 6, f"{self._word('verify', '扫码核验')}  核验码：{data.verification_code}")
        return bytes(pdf.output())
