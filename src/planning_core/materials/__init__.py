"""Materials as files: a content-addressed blob store, type checks by content, versions.

See docs/documents.md, "Materials as files". Floor 3, beside ``storage``: it knows bytes
and hashes, no domain rules; the case's events record the :class:`MaterialFile` values.
"""

from planning_core.materials._blobs import (
    BlobStore,
    BlobStoreFactory,
    FileBlobStore,
    MemoryBlobStore,
    blob_store_beside,
    blob_stores,
    open_blob_store,
    sha256_of,
)
from planning_core.materials._files import (
    FileProblem,
    MaterialFile,
    MaterialLimits,
    MaterialUpload,
    check_files,
    store_uploads,
)
from planning_core.materials._sniff import MEDIA_TYPES, sniff_media_type

__all__ = [
    "MEDIA_TYPES",
    "BlobStore",
    "BlobStoreFactory",
    "FileBlobStore",
    "FileProblem",
    "MaterialFile",
    "MaterialLimits",
    "MaterialUpload",
    "MemoryBlobStore",
    "blob_store_beside",
    "blob_stores",
    "check_files",
    "open_blob_store",
    "sha256_of",
    "sniff_media_type",
    "store_uploads",
]
