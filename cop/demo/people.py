"""Demo accounts: the admin and teachers from Makassar, Kupang, Jayapura and
Jakarta, with their schools, subjects and time zones.
"""

from __future__ import annotations

from dataclasses import dataclass

from cop.auth import services as auth_services
from cop.demo._common import ADMIN_EMAIL, DEMO_PASSWORD, TEACHER_EMAIL, WIB, WIT, WITA, Demo


@dataclass(frozen=True)
class Person:
    """One demo account and its profile."""

    key: str
    email: str
    name: str
    school: str
    subjects: str
    level: str | None
    province: str
    city: str
    timezone: str
    bio: str = ""
    is_admin: bool = False


PEOPLE: tuple[Person, ...] = (
    Person(
        "admin", ADMIN_EMAIL, "Admin cop", "", "", None, "DKI Jakarta", "Kota Jakarta Pusat", WIB,
        bio="Pengelola platform.", is_admin=True,
    ),
    # KKG Gugus 3 Kecamatan Tamalate, Kota Makassar (WITA)
    Person(
        "guru", TEACHER_EMAIL, "Siti Rahmawati", "SD Negeri 12 Makassar", "Guru Kelas", "SD",
        "Sulawesi Selatan", "Kota Makassar", WITA,
        bio="Guru kelas 4. Senang mencoba pembelajaran berdiferensiasi dan literasi membaca.",
    ),
    Person(
        "andi", "andi.pratama@cop.local", "Andi Pratama", "SD Negeri 7 Makassar", "Guru Kelas",
        "SD", "Sulawesi Selatan", "Kota Makassar", WITA,
        bio="Ketua KKG Gugus 3 Tamalate. Guru penggerak angkatan 9.",
    ),
    Person(
        "nurhayati", "nurhayati@cop.local", "Nurhayati Syamsuddin", "SD Negeri 12 Makassar",
        "Guru Kelas", "SD", "Sulawesi Selatan", "Kota Makassar", WITA,
    ),
    Person(
        "ridwan", "muh.ridwan@cop.local", "Muhammad Ridwan", "SD Inpres Mangasa", "PJOK", "SD",
        "Sulawesi Selatan", "Kota Makassar", WITA,
    ),
    # MGMP Matematika SMP Kota Kupang (WITA)
    Person(
        "yohanes", "yohanes.lado@cop.local", "Yohanes Lado", "SMP Negeri 3 Kupang", "Matematika",
        "SMP", "Nusa Tenggara Timur", "Kota Kupang", WITA,
        bio="Ketua MGMP Matematika SMP Kota Kupang.",
    ),
    Person(
        "maria", "maria.bria@cop.local", "Maria Goreti Bria", "SMP Negeri 1 Kupang", "Matematika",
        "SMP", "Nusa Tenggara Timur", "Kota Kupang", WITA,
    ),
    Person(
        "fransiska", "fransiska.nitbani@cop.local", "Fransiska Nitbani", "SMP Negeri 5 Kupang",
        "Matematika, Informatika", "SMP", "Nusa Tenggara Timur", "Kota Kupang", WITA,
    ),
    # MGMP Bahasa Inggris SMA Kabupaten Jayapura (WIT)
    Person(
        "elisabeth", "elisabeth.yoku@cop.local", "Elisabeth Yoku", "SMA Negeri 1 Sentani",
        "Bahasa Inggris", "SMA", "Papua", "Kabupaten Jayapura", WIT,
        bio="Ketua MGMP Bahasa Inggris SMA Kabupaten Jayapura.",
    ),
    Person(
        "daniel", "daniel.ohee@cop.local", "Daniel Ohee", "SMA Negeri 2 Sentani",
        "Bahasa Inggris", "SMA", "Papua", "Kabupaten Jayapura", WIT,
    ),
    Person(
        "ruth", "ruth.monim@cop.local", "Ruth Monim", "SMA YPK Sentani", "Bahasa Inggris", "SMA",
        "Papua", "Kabupaten Jayapura", WIT,
    ),
    # Komunitas belajar of one school in Jakarta (WIB)
    Person(
        "dewi", "dewi.lestari@cop.local", "Dewi Lestari", "SMP Negeri 115 Jakarta",
        "Bahasa Indonesia", "SMP", "DKI Jakarta", "Kota Jakarta Selatan", WIB,
    ),
    Person(
        "budi", "budi.santoso@cop.local", "Budi Santoso", "SMP Negeri 115 Jakarta", "IPA", "SMP",
        "DKI Jakarta", "Kota Jakarta Selatan", WIB,
    ),
    Person(
        "rina", "rina.kurniasih@cop.local", "Rina Kurniasih", "SMP Negeri 115 Jakarta",
        "Bahasa Inggris", "SMP", "DKI Jakarta", "Kota Jakarta Selatan", WIB,
    ),
)  # fmt: skip


def add_people(demo: Demo) -> None:
    """The admin and the teachers, with schools, subjects, regions and time zones."""
    for person in PEOPLE:
        user = auth_services.register(
            person.email,
            DEMO_PASSWORD,
            person.name,
            timezone=person.timezone,
            is_admin=person.is_admin,
        )
        auth_services.update_profile(
            user,
            auth_services.Profile(
                school=person.school,
                subjects=person.subjects,
                level=person.level or "",
                province=person.province,
                city=person.city,
                bio=person.bio,
            ),
        )
        demo.users[person.key] = user
