"""The content checks: each accepted type is recognised, and a disguised file is not."""

from __future__ import annotations

import pytest

from cop.resources import sniff
from cop.resources.sniff import HEAD_BYTES
from tests.resources import (
    DOCX,
    GIF,
    HTML,
    JPG,
    MP3,
    MP4,
    ODP,
    ODT,
    PDF,
    PNG,
    PPTX,
    WEBP,
    XLSX,
    zip_bytes,
)


def check(tmp_path, ext: str, content: bytes) -> bool:
    path = tmp_path / "upload"
    path.write_bytes(content)
    return sniff.matches(path, ext, content[:HEAD_BYTES])


@pytest.mark.parametrize(
    ("ext", "content"),
    [
        ("pdf", PDF), ("png", PNG), ("jpg", JPG), ("jpeg", JPG), ("gif", GIF), ("webp", WEBP),
        ("mp4", MP4), ("mp3", MP3), ("mp3", b"\xff\xfb\x90\x00" + b"\x00" * 20),
        ("docx", DOCX), ("pptx", PPTX), ("xlsx", XLSX), ("odt", ODT), ("odp", ODP),
    ],
)  # fmt: skip
def test_real_files_match_their_extension(tmp_path, ext, content):
    assert check(tmp_path, ext, content)


@pytest.mark.parametrize(
    ("ext", "content"),
    [
        ("pdf", HTML),
        ("png", JPG),
        ("jpg", PNG),
        ("mp4", HTML),
        ("mp3", PDF),
        ("docx", PPTX),
        ("docx", zip_bytes({"word/document.xml": b"<x/>"})),
        ("xlsx", b"PK\x03\x04 not really a zip"),
        ("odt", ODP),
        ("odp", DOCX),
        ("pdf", b""),
    ],
)
def test_disguised_files_do_not_match(tmp_path, ext, content):
    assert not check(tmp_path, ext, content)


@pytest.mark.parametrize(
    ("name", "ext"),
    [("LKPD.PDF", "pdf"), ("a.b.docx", "docx"), ("noext", ""), ("../x/evil.exe", "exe")],
)
def test_extension_of(name, ext):
    assert sniff.extension_of(name) == ext
