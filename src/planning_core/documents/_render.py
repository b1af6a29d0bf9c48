"""Render a document through the city's template, or the package's."""

from __future__ import annotations

from typing import Protocol

from planning_core.documents._data import DocumentData
from planning_core.documents._template import DocumentTemplate, PdfTemplate

__all__ = ["render_document"]


class _TemplateHooks(Protocol):
    """What this room needs of a plugin manager (``planning_core.plugins.Hooks`` has it)."""

    def document_template(self, kind: str) -> DocumentTemplate | None: ...


def render_document(
    data: DocumentData,
    hooks: _TemplateHooks | None = None,
    *,
    template: DocumentTemplate | None = None,
) -> bytes:
    """The PDF of ``data``: laid out by ``template``, else the template a plugin chooses
    through ``planning_core_document_template``, else :class:`PdfTemplate`."""
    chosen = template or (hooks.document_template(data.kind) if hooks is not None else None)
    return (chosen or PdfTemplate()).render(data)
