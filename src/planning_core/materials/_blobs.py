"""The blob store: file contents kept by their SHA-256, written once, never overwritten.

Content addressing is what makes the case's hash chain cover the files: an event records a
file's hash, the blob store keeps the bytes under that hash, and ``cases verify`` re-hashes
the bytes. A supplement adds a new blob (and a new version in the event); nothing is ever
replaced, because a key *is* its content.

Stores are opened by URL through the ``planning_core_register_blob_stores`` hook, like
storage backends: built in are ``file:///dir`` (a directory beside the SQLite file) and
``memory://``.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Protocol, runtime_checkable

from planning_core.errors import NotFoundError, StorageError, ValidationError
from planning_core.registry import Registry

__all__ = [
    "BlobStore",
    "BlobStoreFactory",
    "FileBlobStore",
    "MemoryBlobStore",
    "blob_store_beside",
    "blob_stores",
    "open_blob_store",
    "sha256_of",
]

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def sha256_of(content: bytes) -> str:
    """The lowercase hex SHA-256 of ``content``: a blob's key."""
    return hashlib.sha256(content).hexdigest()


@runtime_checkable
class BlobStore(Protocol):
    """The contract every blob store keeps.

    ``put`` returns the content's SHA-256 and stores it once (putting the same bytes again
    is a no-op); ``get`` returns the bytes *as stored* (a checker re-hashes them, so a
    store must not verify on read and hide tampering); ``exists`` says whether a key is
    present.
    """

    url: str

    def put(self, content: bytes) -> str: ...

    def get(self, sha256: str) -> bytes: ...

    def exists(self, sha256: str) -> bool: ...


class BlobStoreFactory(Protocol):
    """Opens the blob store at a URL (``file:///srv/bureau/blobs``)."""

    def __call__(self, url: str) -> BlobStore: ...


def _key(sha256: str) -> str:
    if not isinstance(sha256, str) or not _SHA256.match(sha256):
        raise ValidationError(f"blob key {sha256!r} is not a SHA-256; give 64 lowercase hex digits")
    return sha256


class MemoryBlobStore:
    """Blobs in a dict: for tests and ``memory://`` bureaus."""

    def __init__(self, url: str = "memory://") -> None:
        self.url = url
        self._blobs: dict[str, bytes] = {}

    def put(self, content: bytes) -> str:
        key = sha256_of(content)
        self._blobs.setdefault(key, bytes(content))
        return key

    def get(self, sha256: str) -> bytes:
        try:
            return self._blobs[_key(sha256)]
        except KeyError:
            raise _missing(self.url, sha256) from None

    def exists(self, sha256: str) -> bool:
        return _key(sha256) in self._blobs


class FileBlobStore:
    """Blobs as files ``<root>/ab/cdef…`` (git's layout), written atomically, read-only.

    :param url: ``file:///absolute/dir`` or ``file://relative/dir``; the directory is made
        on the first ``put``.
    """

    def __init__(self, url: str) -> None:
        scheme, sep, rest = url.partition("://")
        if scheme != "file" or not sep or not rest:
            raise ValidationError(f"blob store URL {url!r} is not file:///DIR; write one")
        self.url = url
        self.root = Path(rest)

    def _path(self, sha256: str) -> Path:
        key = _key(sha256)
        return self.root / key[:2] / key[2:]

    def put(self, content: bytes) -> str:
        key = sha256_of(content)
        path = self._path(key)
        if path.exists():
            return key
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as out:
                out.write(content)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, 0o444)
            os.replace(tmp, path)
        except OSError as exc:
            raise StorageError(
                f"cannot write blob {key} under {self.root}: {exc}; check the directory "
                f"exists and is writable"
            ) from exc
        return key

    def get(self, sha256: str) -> bytes:
        path = self._path(sha256)
        try:
            return path.read_bytes()
        except FileNotFoundError:
            raise _missing(self.url, sha256) from None
        except OSError as exc:
            raise StorageError(f"cannot read blob {sha256} at {path}: {exc}") from exc

    def exists(self, sha256: str) -> bool:
        return self._path(sha256).is_file()


def _missing(url: str, sha256: str) -> NotFoundError:
    return NotFoundError(
        f"no blob {sha256} in {url}; the file was removed or the bureau points at another "
        f"blob store (restore it from the backup)"
    )


class _BlobHooks(Protocol):
    """What this room needs of a plugin manager (``planning_core.plugins.Hooks`` has it)."""

    def register_blob_stores(self, registry: Registry[BlobStoreFactory]) -> None: ...


def blob_stores(hooks: _BlobHooks | None = None) -> Registry[BlobStoreFactory]:
    """Every registered blob store, keyed by URL scheme; None: the built-ins only."""
    registry: Registry[BlobStoreFactory] = Registry("blob store")
    if hooks is None:
        from planning_core.materials._builtin import planning_core_register_blob_stores

        planning_core_register_blob_stores(registry)
    else:
        hooks.register_blob_stores(registry)
    return registry


def open_blob_store(url: str, hooks: _BlobHooks | None = None) -> BlobStore:
    """Open the blob store at ``url`` with the factory registered for its scheme.

    :raises ValidationError: when the URL has no scheme.
    :raises NotFoundError: when no blob store is registered for the scheme.
    """
    scheme, sep, _ = url.partition("://")
    if not sep or not scheme:
        raise ValidationError(
            f"blob store URL {url!r} has no scheme; write e.g. file:///srv/bureau/blobs"
        )
    return blob_stores(hooks).get(scheme)(url)


def blob_store_beside(store_url: str) -> str:
    """The default blob store URL for a store: ``<db>.blobs/`` beside a SQLite file,
    ``memory://`` for a memory store (and for other backends, which should name one)."""
    scheme, _, rest = store_url.partition("://")
    if scheme == "sqlite" and rest.startswith("/"):
        return f"file://{rest[1:]}.blobs"
    return "memory://"
