"""Which file types are accepted, and whether a file's bytes match its extension.

The extension a teacher's file carries decides what it claims to be; the
first bytes (and, for Office/OpenDocument files, the entries of the zip) must
agree, so an HTML page renamed ``.pdf`` is refused.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

HEAD_BYTES = 64

OOXML_MAIN = {
    "docx": "word/document.xml",
    "pptx": "ppt/presentation.xml",
    "xlsx": "xl/workbook.xml",
}
ODF_MIMETYPES = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "odp": b"application/vnd.oasis.opendocument.presentation",
}

#: extension -> content type served
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "mp4": "video/mp4",
    "mp3": "audio/mpeg",
}
ALLOWED_EXTENSIONS = tuple(CONTENT_TYPES)


def extension_of(filename: str) -> str:
    """The lower-case extension without the dot ('' when there is none)."""
    name = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _mp3(head: bytes) -> bool:
    if head.startswith(b"ID3"):
        return True
    return len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0


def _ooxml(path: Path, ext: str) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "[Content_Types].xml" in names and OOXML_MAIN[ext] in names


def _odf(path: Path, ext: str) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("mimetype")
            if info.file_size > 100:
                return False
            return archive.read(info).strip() == ODF_MIMETYPES[ext]
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return False


_HEAD_CHECKS: dict[str, Callable[[bytes], bool]] = {
    "pdf": lambda h: h.startswith(b"%PDF-"),
    "png": lambda h: h.startswith(b"\x89PNG\r\n\x1a\n"),
    "jpg": lambda h: h.startswith(b"\xff\xd8\xff"),
    "jpeg": lambda h: h.startswith(b"\xff\xd8\xff"),
    "gif": lambda h: h.startswith((b"GIF87a", b"GIF89a")),
    "webp": lambda h: h[:4] == b"RIFF" and h[8:12] == b"WEBP",
    "mp4": lambda h: h[4:8] == b"ftyp",
    "mp3": _mp3,
}


def matches(path: Path, ext: str, head: bytes) -> bool:
    """True when the file at ``path`` (first bytes ``head``) really is a ``ext`` file."""
    if ext in _HEAD_CHECKS:
        return _HEAD_CHECKS[ext](head)
    if not head.startswith(b"PK\x03\x04"):
        return False
    if ext in OOXML_MAIN:
        return _ooxml(path, ext)
    if ext in ODF_MIMETYPES:
        return _odf(path, ext)
    return False
