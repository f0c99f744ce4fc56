"""Demo teaching materials: small generated PDFs and a link, liked and featured."""

from __future__ import annotations

import io

from cop.demo._common import Demo
from cop.resources import services as resource_services


def _tiny_pdf(text: str) -> bytes:
    """A valid one-page PDF showing ``text`` (ASCII), for demo files."""
    safe = text.encode("ascii", "replace").replace(b"\\", b"").replace(b"(", b"").replace(b")", b"")
    stream = b"BT /F1 18 Tf 72 760 Td (" + safe + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def add_resources(demo: Demo) -> None:
    """Teaching materials in the KKG and the MGMPs: PDFs and links, liked and picked."""
    files = [
        ("kkg", "andi", "LKPD Pecahan Senilai Kelas 4", "lkpd", "Matematika", "SD", "B",
         ["pecahan", "kelas-4"], True,
         "Lembar kerja dengan gambar pizza dan pita. Dipakai di kelas 4B, siswa bekerja "
         "berpasangan selama 30 menit."),
        ("kkg", "nurhayati", "Modul Ajar IPAS: Siklus Air", "modul_ajar", "IPAS", "SD", "B",
         ["ipas", "siklus-air"], False,
         "Modul ajar 2 JP dengan asesmen awal dan diferensiasi konten."),
        ("mgmp_mat", "yohanes", "Asesmen Diagnostik Aljabar Kelas 7", "asesmen", "Matematika",
         "SMP", "D", ["aljabar", "diagnostik"], True,
         "Sepuluh soal untuk memetakan pemahaman awal tentang variabel."),
        ("mgmp_ing", "elisabeth", "Worksheet Descriptive Text", "lkpd", "Bahasa Inggris", "SMA",
         "E", ["descriptive-text"], False, "Describing places around Danau Sentani."),
    ]  # fmt: skip
    shared = []
    for key, who, title, kind, subject, level, phase, tags, public, description in files:
        data = resource_services.ResourceData(
            title=title, kind=kind, description=description, subject=subject, level=level,
            phase=phase, tags=tags, license="cc-by-sa", public=public,
        )  # fmt: skip
        upload = resource_services.Upload(
            io.BytesIO(_tiny_pdf(title)), title.replace(" ", "_") + ".pdf"
        )
        shared.append(
            resource_services.share_file(demo.user(who), demo.community(key), data, upload)
        )
    resource_services.share_link(
        demo.user("maria"),
        demo.community("mgmp_mat"),
        resource_services.ResourceData(
            title="Video: Mengenal Persamaan Linear",
            kind="media",
            subject="Matematika",
            level="SMP",
            tags=["persamaan-linear"],
            description="Video 8 menit untuk kelas 7.",
        ),
        "https://www.youtube.com/watch?v=contoh",
    )
    resource_services.set_like(demo.user("guru"), shared[0], True)
    resource_services.set_like(demo.user("ridwan"), shared[0], True)
    resource_services.set_featured(demo.user("andi"), shared[0], True)
