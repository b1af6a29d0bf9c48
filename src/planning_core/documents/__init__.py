"""Written acts as documents: notices, decisions, certificates (PDF), and e-licences.

See docs/documents.md. Floor 10: reads a case's history (``cases``), its permit type and
the certificate register (``window``); nothing below it imports this room.

The room needs the ``pdf`` extra (fpdf2 for the PDF, segno for the QR code, cryptography
for the signed e-licences): without it, importing the room raises
:class:`~planning_core.errors.MissingExtraError` naming the extra.
"""

from planning_core import _extras

for _module in ("fpdf", "segno", "cryptography"):
    _extras.import_extra(_module, "pdf", "planning_core.documents (PDF notices, e-licences)")
del _module

from planning_core.documents._data import (
    DOCUMENT_KINDS,
    DocumentData,
    case_documents,
    verification_code,
)
from planning_core.documents._licence import (
    LICENCE_FORMAT,
    LicenceCheck,
    export_licence,
    generate_signing_key,
    key_id,
    load_private_key,
    load_public_key,
    verify_licence,
)
from planning_core.documents._render import render_document
from planning_core.documents._template import (
    CJK_FONT_CANDIDATES,
    DocumentFontError,
    DocumentTemplate,
    PdfTemplate,
    find_cjk_font,
)

__all__ = [
    "CJK_FONT_CANDIDATES",
    "DOCUMENT_KINDS",
    "LICENCE_FORMAT",
    "DocumentData",
    "DocumentFontError",
    "DocumentTemplate",
    "LicenceCheck",
    "PdfTemplate",
    "case_documents",
    "export_licence",
    "find_cjk_font",
    "generate_signing_key",
    "key_id",
    "load_private_key",
    "load_public_key",
    "render_document",
    "verification_code",
    "verify_licence",
]
