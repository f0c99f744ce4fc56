"""The storage layer and file names: random keys, temp files that never linger."""

from __future__ import annotations

import io

import pytest

from cop.resources.services import check_url, parse_tags, sanitize_filename
from cop.resources.storage import LocalStorage, UploadTooLarge, spool


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\win.ini.pdf", "win.ini.pdf"),
        ("LKPD Pecahan Kelas 4.pdf", "LKPD Pecahan Kelas 4.pdf"),
        ('bad"name\r\n.pdf', "badname.pdf"),
        (".hidden.pdf", "hidden.pdf"),
        ("", "berkas"),
        ("a" * 300 + ".pdf", "a" * 146 + ".pdf"),
    ],
)
def test_sanitize_filename(raw, clean):
    assert sanitize_filename(raw) == clean


def test_spool_measures_and_hashes(tmp_path):
    spooled = spool(io.BytesIO(b"abc"), tmp_path, 10)
    assert (spooled.size, spooled.head) == (3, b"abc")
    assert spooled.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    spooled.discard()
    assert list(tmp_path.iterdir()) == []


def test_spool_over_the_cap_leaves_nothing(tmp_path):
    with pytest.raises(UploadTooLarge):
        spool(io.BytesIO(b"x" * 200_000), tmp_path, 100_000)
    assert list(tmp_path.iterdir()) == []


def test_local_storage_puts_files_under_random_keys(tmp_path):
    storage = LocalStorage(tmp_path / "uploads")
    spooled = spool(io.BytesIO(b"%PDF-1.4"), storage.tmp_dir, 100)
    key = storage.put(spooled)
    prefix, name = key.split("/")
    assert prefix == name[:2] and len(name) == 32
    with storage.open(key) as stored:
        assert stored.read() == b"%PDF-1.4"
    storage.delete(key)
    assert not storage.exists(key)


@pytest.mark.parametrize("key", ["../etc/passwd", "/etc/passwd", "nokey"])
def test_local_storage_refuses_keys_outside_its_folder(tmp_path, key):
    with pytest.raises(ValueError):
        LocalStorage(tmp_path).open(key)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "ftp://example.org/x.pdf",
        "https://",
        "https://exa mple.org",
        "//example.org",
        "",
    ],
)
def test_check_url_refuses_other_schemes(url):
    from cop.core.errors import ValidationError

    with pytest.raises(ValidationError):
        check_url(url)


def test_parse_tags():
    assert parse_tags("Pecahan, kelas 4 ,pecahan,,  ") == ["pecahan", "kelas-4"]
