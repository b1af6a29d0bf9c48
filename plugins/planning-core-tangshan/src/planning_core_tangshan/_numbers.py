"""Tangshan's case numbers (案件编号): ``TS-2026-JS-00001``.

The city prefix, the year, two letters for the business (the pinyin initials the window
uses on its boards) and the year's sequence. Letters and digits only, so the number reads
aloud on the phone; the sequence is the store's gap-free counter, so numbers stay unique
per bureau and year whatever the letters.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["PERMIT_ABBREVIATIONS", "case_number"]

#: Two letters per permit type code; other types get ``QT`` (其他).
PERMIT_ABBREVIATIONS: Mapping[str, str] = {
    "SITE_SELECTION": "XZ",
    "LAND_USE": "YD",
    "CONSTRUCTION": "JS",
    "RURAL_CONSTRUCTION": "XC",
    "TEMPORARY_CONSTRUCTION": "LS",
    "VERIFICATION": "HS",
    "RURAL_NEW_RESIDENCE": "XM",
}


def case_number(permit_type: str, year: int, sequence: int) -> str:
    """The case number for the ``sequence``-th case of ``year``."""
    return f"TS-{year}-{PERMIT_ABBREVIATIONS.get(permit_type, 'QT')}-{sequence:05d}"
