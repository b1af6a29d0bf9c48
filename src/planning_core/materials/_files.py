"""Material files: what an application's materials carry, checked, stored, and recorded.

An upload (:class:`MaterialUpload`) is checked before anything is stored: its size against
:class:`MaterialLimits`, its type by its bytes against the type it claims. Every upload of a
batch is checked first and only then are the blobs written, so a refused batch stores
nothing. Each stored file becomes a :class:`MaterialFile` (code, name, SHA-256, size, media
type, version) that the case's event records, so the history's hash chain covers the file:
the event's hash covers the file's hash, and ``cases verify`` re-hashes the blob.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from planning_core.errors import NotFoundError, PlanningError, ValidationError
from planning_core.materials._blobs import BlobStore, sha256_of
from planning_core.materials._sniff import MEDIA_TYPES, sniff_media_type

__all__ = [
    "FileProblem",
    "MaterialFile",
    "MaterialLimits",
    "MaterialUpload",
    "check_files",
    "store_uploads",
]


@attrs.frozen
class MaterialFile:
    """One stored file of a material, as the case's event records it.

    :param version: 1 for the first file of this material under this name, then 2, 3 … for
        each supplement that brings it again; an earlier version is never overwritten.
    """

    code: str
    name: str
    sha256: str
    size: int
    media_type: str
    version: int = 1


@attrs.frozen
class MaterialUpload:
    """A file handed in with a material.

    :param code: the material's code on the permit type's list.
    :param name: the file's name as the applicant gave it (kept for people, never trusted).
    :param media_type: the type the applicant claims; it must match the bytes.
    """

    code: str
    name: str
    content: bytes = attrs.field(repr=lambda c: f"<{len(c)} bytes>")
    media_type: str


@attrs.frozen
class MaterialLimits:
    """How large a file, and a batch of files, may be (a scan of a 总平面图 is large, but
    not unbounded: the store is the bureau's disk)."""

    max_file_bytes: int = 50 * 1024 * 1024
    max_total_bytes: int = 200 * 1024 * 1024
    media_types: tuple[str, ...] = tuple(MEDIA_TYPES)


@attrs.frozen
class FileProblem:
    """A recorded file whose blob is missing or whose bytes no longer hash to the record."""

    code: str
    name: str
    version: int
    sha256: str
    problem: str


def _check(upload: MaterialUpload, limits: MaterialLimits) -> list[str]:
    where = f"file {upload.name!r} of material {upload.code!r}"
    problems = []
    if not isinstance(upload.content, bytes | bytearray):
        return [f"{where} has no bytes; read the file in binary mode"]
    if len(upload.content) == 0:
        problems.append(f"{where} is empty; hand in the file itself")
    if len(upload.content) > limits.max_file_bytes:
        problems.append(
            f"{where} is {len(upload.content)} bytes, over the limit of "
            f"{limits.max_file_bytes}; scan at a lower resolution or split it"
        )
    if upload.media_type not in limits.media_types:
        problems.append(
            f"{where} claims type {upload.media_type!r}, which the window does not take; "
            f"use one of: {', '.join(limits.media_types)}"
        )
    else:
        found = sniff_media_type(bytes(upload.content))
        if found != upload.media_type:
            problems.append(
                f"{where} claims {upload.media_type!r} but its content is "
                f"{found or 'none of the accepted types'}; hand in the right file"
            )
    return problems


def store_uploads(
    blobs: BlobStore,
    uploads: Iterable[MaterialUpload],
    *,
    previous: Iterable[MaterialFile] = (),
    limits: MaterialLimits | None = None,
    known_codes: Iterable[str] | None = None,
) -> tuple[MaterialFile, ...]:
    """Check every upload, then store them all; what the event should record.

    :param previous: the files the case has already (their versions are counted on).
    :param known_codes: the material codes the permit type lists; None skips that check.
    :raises ValidationError: listing every refused file (too large, wrong type, unknown
        material); nothing is stored then.
    """
    limits = limits or MaterialLimits()
    batch = tuple(uploads)
    problems = [p for upload in batch for p in _check(upload, limits)]
    if known_codes is not None:
        codes = set(known_codes)
        problems += [
            f"file {u.name!r} is for material {u.code!r}, which is not on the list; "
            f"use one of: {', '.join(sorted(codes))}"
            for u in batch
            if u.code not in codes
        ]
    total = sum(len(u.content) for u in batch)
    if total > limits.max_total_bytes:
        problems.append(
            f"the files total {total} bytes, over the limit of {limits.max_total_bytes}; "
            f"hand them in over several supplements"
        )
    if problems:
        raise ValidationError(
            f"{len(problems)} problem(s) with the material files; nothing was stored", problems
        )
    versions: dict[tuple[str, str], int] = {}
    for f in previous:
        key = (f.code, f.name)
        versions[key] = max(versions.get(key, 0), f.version)
    stored = []
    for upload in batch:
        key = (upload.code, upload.name)
        versions[key] = versions.get(key, 0) + 1
        sha = blobs.put(bytes(upload.content))
        stored.append(
            MaterialFile(
                upload.code,
                upload.name,
                sha,
                len(upload.content),
                upload.media_type,
                versions[key],
            )
        )
    return tuple(stored)


def check_files(blobs: BlobStore, files: Iterable[MaterialFile]) -> list[FileProblem]:
    """Re-hash every recorded file's blob; each missing or altered one, named."""
    problems = []
    for f in files:
        try:
            content = blobs.get(f.sha256)
        except NotFoundError:
            problems.append(FileProblem(f.code, f.name, f.version, f.sha256, "missing"))
            continue
        except PlanningError as exc:
            problems.append(FileProblem(f.code, f.name, f.version, f.sha256, str(exc)))
            continue
        actual = sha256_of(content)
        if actual != f.sha256:
            problems.append(
                FileProblem(
                    f.code, f.name, f.version, f.sha256, f"altered: its bytes hash to {actual}"
                )
            )
        elif len(content) != f.size:
            problems.append(
                FileProblem(f.code, f.name, f.version, f.sha256, f"size {len(content)}")
            )
    return problems
