"""The built-in blob stores, registered through the public hook like any plugin."""

from __future__ import annotations

from planning_core.markers import hookimpl
from planning_core.materials._blobs import BlobStoreFactory, FileBlobStore, MemoryBlobStore
from planning_core.registry import Registry


@hookimpl(tryfirst=True)
def planning_core_register_blob_stores(registry: Registry[BlobStoreFactory]) -> None:
    """``file:///dir`` and ``memory://``."""
    registry.add("file", FileBlobStore)
    registry.add("memory", MemoryBlobStore)
