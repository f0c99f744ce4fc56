"""Where uploaded files live: a small storage interface and the local-disk backend.

Uploads are first streamed into a temporary file (``spool``) while their size
is checked against the cap and their SHA-256 is computed; only a file that
passed every check is handed to the backend with ``put``. Files are stored
under random names, outside the static folder, so nothing a user names or
uploads is ever served directly by the web server.

An S3-compatible backend would implement the same ``Storage`` protocol
(``put`` uploads and removes the temp file, ``open`` streams the object,
``delete`` removes it) and be chosen in ``get_storage``.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

from flask import current_app

from cop.core import site
from cop.resources.sniff import HEAD_BYTES

CHUNK = 64 * 1024


class UploadTooLarge(Exception):
    """The upload passed the size cap; nothing of it was kept."""


@dataclass
class Spooled:
    """An upload held in a temporary file, measured and hashed."""

    path: Path
    size: int
    sha256: str
    head: bytes

    def discard(self) -> None:
        """Remove the temporary file (safe to call twice)."""
        self.path.unlink(missing_ok=True)


class Storage(Protocol):
    """What the resource feature needs from a file store."""

    def put(self, spooled: Spooled) -> str:
        """Keep the spooled file under a new random key; return the key."""

    def open(self, key: str) -> IO[bytes]:
        """The stored file for reading (caller closes it)."""

    def delete(self, key: str) -> None:
        """Remove the stored file; a missing one is fine."""

    def exists(self, key: str) -> bool:
        """True when the key holds a file."""


class LocalStorage:
    """Files on local disk: ``<root>/<2 chars>/<random>`` (no extension, no user names)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def tmp_dir(self) -> Path:
        """Temporary uploads live on the same disk, so ``put`` is a rename."""
        path = self.root / ".tmp"
        path.mkdir(parents=True, exist_ok=True)
        return path

    def _path(self, key: str) -> Path:
        if not key or "/" not in key or ".." in key or key.startswith("/"):
            raise ValueError("not a storage key")
        return self.root / key

    def put(self, spooled: Spooled) -> str:
        """Move the temp file under a random key."""
        token = secrets.token_hex(16)
        key = f"{token[:2]}/{token}"
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(spooled.path, target)
        return key

    def open(self, key: str) -> IO[bytes]:
        """Open a stored file for reading."""
        return self._path(key).open("rb")

    def delete(self, key: str) -> None:
        """Remove a stored file."""
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        """True when a stored file is there."""
        return self._path(key).is_file()


def upload_root() -> Path:
    """COP_UPLOAD_DIR, or instance/uploads."""
    configured = current_app.config.get("UPLOAD_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "uploads"


def get_storage() -> LocalStorage:
    """The configured backend (local disk; the place to choose S3 later)."""
    return LocalStorage(upload_root())


def max_upload_bytes() -> int:
    """The site's upload cap (a site setting, at most COP_MAX_UPLOAD_MB, default 20) in bytes."""
    return max_upload_mb() * 1024 * 1024


def max_upload_mb() -> int:
    """The site's upload cap in MB (``upload_max_mb``, never above COP_MAX_UPLOAD_MB)."""
    ceiling = int(current_app.config.get("MAX_UPLOAD_MB") or 20)
    return min(int(site.get("upload_max_mb")), ceiling)


def spool(stream: IO[bytes], tmp_dir: Path, max_bytes: int) -> Spooled:
    """Copy ``stream`` into a temp file, hashing it; over ``max_bytes`` raises UploadTooLarge.

    The temp file is removed before raising, so a refused upload leaves nothing.
    """
    digest = hashlib.sha256()
    size = 0
    head = b""
    fd, name = tempfile.mkstemp(dir=tmp_dir, prefix="up-")
    path = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            while True:
                chunk = stream.read(CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise UploadTooLarge()
                if len(head) < HEAD_BYTES:
                    head += chunk[: HEAD_BYTES - len(head)]
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Spooled(path=path, size=size, sha256=digest.hexdigest(), head=head)
