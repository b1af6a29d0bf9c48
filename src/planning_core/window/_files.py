"""The material files a case's history records, and their check against the blob store."""

from __future__ import annotations

from collections.abc import Iterable

from planning_core.cases import CaseSubmitted, RecordedEvent, SupplementReceived
from planning_core.materials import BlobStore, FileProblem, MaterialFile, check_files

__all__ = ["case_files", "verify_case_files"]


def case_files(history: Iterable[RecordedEvent]) -> tuple[MaterialFile, ...]:
    """Every file the history records (at submission and with each supplement), in order."""
    found: list[MaterialFile] = []
    for rec in history:
        if isinstance(rec.event, CaseSubmitted | SupplementReceived):
            found += rec.event.files
    return tuple(found)


def verify_case_files(history: Iterable[RecordedEvent], blobs: BlobStore) -> list[FileProblem]:
    """Re-hash every recorded file of the case in ``blobs``: each missing or altered one."""
    return check_files(blobs, case_files(history))
