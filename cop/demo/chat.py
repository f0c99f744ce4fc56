"""Demo chat: a morning's conversation in the KKG's channels."""

from __future__ import annotations

from cop.chat import services as chat_services
from cop.demo._common import Demo


def add_chat(demo: Demo) -> None:
    """A morning's conversation in the KKG's general channel and a topic channel."""
    kkg = demo.community("kkg")
    general = chat_services.ensure_general_channel(kkg)
    lines = [
        ("andi", "Selamat pagi Bapak Ibu. Pertemuan KKG Sabtu ini di SDN 12 Tamalate, jam 08.00."),
        ("nurhayati", "Siap, Pak Andi. Saya bawa contoh **modul ajar IPAS kelas 5** yang kemarin."),
        ("ridwan", "Mohon izin, saya mungkin terlambat 15 menit karena ada rapat komite."),
        ("guru", "Apakah ada yang sudah mencoba asesmen diagnostik non-kognitif? Mau belajar."),
        ("nurhayati", "Sudah, Bu. Saya pakai angket sederhana 5 pertanyaan, nanti saya bagikan."),
    ]
    for i, (key, body) in enumerate(lines):
        chat_services.send_message(demo.user(key), general, body, f"demo-kkg-{i}")
    topic = chat_services.create_channel(demo.user("andi"), kkg, "modul-ajar")
    chat_services.send_message(
        demo.user("andi"),
        topic,
        "Silakan tempel tautan modul ajar yang ingin direviu bersama di sini.",
        "demo-kkg-modul-0",
    )
