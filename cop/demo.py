"""Demo data for ``flask --app wsgi cop seed-demo``: a small, believable cop.

Everything is created through the real services, so the demo is exactly what
the app itself would make (slugs, counts, audit log, signals). The data is
built in steps, one function per feature, run in order by :func:`seed`:

    STEPS = [add_people, add_communities, ...]

A later feature adds its demo data by writing ``add_<feature>(demo)`` here and
appending it to ``STEPS``. Each step reads what earlier steps made from the
:class:`Demo` object (``demo.user("guru")``, ``demo.community("kkg")``) and
may add to it.

Every demo account has the password :data:`DEMO_PASSWORD`. Never load the
demo on a server that is reachable by others: the admin password is public.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select

from cop.auth import services as auth_services
from cop.auth.models import User
from cop.communities import services as community_services
from cop.communities.models import Community
from cop.extensions import db

#: The password of every demo account (documented in README.md).
DEMO_PASSWORD = "belajar-bersama-2026"  # noqa: S105 - public on purpose
ADMIN_EMAIL = "admin@cop.local"
TEACHER_EMAIL = "guru@cop.local"

WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"


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


@dataclass(frozen=True)
class Group:
    """One demo community: who created it and who is in it with which role."""

    key: str
    creator: str
    data: community_services.CommunityData
    moderators: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    pending: tuple[str, ...] = ()


GROUPS: tuple[Group, ...] = (
    Group(
        "kkg",
        creator="andi",
        data=community_services.CommunityData(
            name="KKG Gugus 3 Kecamatan Tamalate",
            kind="KKG",
            visibility="public",
            level="SD",
            province="Sulawesi Selatan",
            city="Kota Makassar",
            description=(
                "Kelompok Kerja Guru SD Gugus 3 Kecamatan Tamalate. Kami bertemu setiap "
                "**Sabtu kedua** untuk berbagi praktik baik Kurikulum Merdeka, menyusun "
                "modul ajar bersama, dan saling mengamati pembelajaran.\n\n"
                "Anggota: guru kelas dan guru mapel dari 8 SD di gugus 3."
            ),
        ),
        moderators=("nurhayati",),
        members=("guru", "ridwan"),
    ),
    Group(
        "mgmp_mat",
        creator="yohanes",
        data=community_services.CommunityData(
            name="MGMP Matematika SMP Kota Kupang",
            kind="MGMP",
            visibility="public",
            subject="Matematika",
            level="SMP",
            province="Nusa Tenggara Timur",
            city="Kota Kupang",
            description=(
                "Musyawarah Guru Mata Pelajaran Matematika SMP se-Kota Kupang. Fokus tahun "
                "ini: asesmen diagnostik, numerasi, dan pembelajaran berbasis masalah "
                "dengan konteks lokal NTT."
            ),
        ),
        moderators=("maria",),
        members=("fransiska",),
    ),
    Group(
        "mgmp_ing",
        creator="elisabeth",
        data=community_services.CommunityData(
            name="MGMP Bahasa Inggris SMA Kabupaten Jayapura",
            kind="MGMP",
            visibility="private",
            subject="Bahasa Inggris",
            level="SMA",
            province="Papua",
            city="Kabupaten Jayapura",
            description=(
                "Forum guru Bahasa Inggris SMA di Kabupaten Jayapura. Bergabung dengan "
                "persetujuan pengurus. Kami berbagi materi *speaking* dan *reading* yang "
                "dekat dengan kehidupan siswa di Papua."
            ),
        ),
        members=("daniel",),
        pending=("ruth",),
    ),
    Group(
        "kombel",
        creator="dewi",
        data=community_services.CommunityData(
            name="Komunitas Belajar SMP Negeri 115 Jakarta",
            kind="KOMBEL",
            visibility="hidden",
            level="SMP",
            province="DKI Jakarta",
            city="Kota Jakarta Selatan",
            description=(
                "Komunitas belajar guru SMP Negeri 115 Jakarta: refleksi mingguan dan "
                "berbagi praktik antarmapel. Khusus guru sekolah ini (lewat undangan)."
            ),
        ),
        members=("budi", "rina"),
    ),
)


@dataclass
class Demo:
    """What the steps have made so far, by short key."""

    users: dict[str, User] = field(default_factory=dict)
    communities: dict[str, Community] = field(default_factory=dict)
    #: lines printed after seeding (credentials and hints)
    notes: list[str] = field(default_factory=list)

    def user(self, key: str) -> User:
        return self.users[key]

    def community(self, key: str) -> Community:
        return self.communities[key]


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


def add_communities(demo: Demo) -> None:
    """The KKG, the two MGMPs and the hidden KOMBEL with their members."""
    for group in GROUPS:
        coordinator = demo.user(group.creator)
        community = community_services.create_community(coordinator, group.data)
        demo.communities[group.key] = community
        for key in (*group.moderators, *group.members):
            if community.visibility == "hidden":
                community_services.join_by_invite(demo.user(key), community.invite_token)
            else:
                membership = community_services.join(demo.user(key), community)
                if membership.status == "pending":
                    community_services.change_member(
                        coordinator, community, demo.user(key).id, status="active"
                    )
        for key in group.moderators:
            community_services.change_member(
                coordinator, community, demo.user(key).id, role="moderator"
            )
        for key in group.pending:
            community_services.join(demo.user(key), community)


def add_chat(demo: Demo) -> None:
    """A morning's conversation in the KKG's general channel and a topic channel."""
    from cop.chat import services as chat_services

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


#: The demo, in order. Later features append their own ``add_<feature>`` here.
STEPS: list[Callable[[Demo], None]] = [add_people, add_communities, add_chat]


def has_users() -> bool:
    """True when the database holds any account (``seed-demo --if-empty`` then does nothing)."""
    return bool(db.session.scalar(select(func.count(User.id))))


def existing_demo_account() -> str | None:
    """The email of a demo account that already exists, if any."""
    emails = [person.email for person in PEOPLE]
    return db.session.scalar(select(User.email).where(User.email.in_(emails)).limit(1))


def seed() -> Demo:
    """Run every step; call inside an app context on a database without the demo."""
    demo = Demo()
    for step in STEPS:
        step(demo)
    groups = {group.key: group for group in GROUPS}
    demo.notes[:0] = [
        f"Password of every demo account: {DEMO_PASSWORD}",
        f"  admin:   {ADMIN_EMAIL} (site admin)",
        f"  teacher: {TEACHER_EMAIL} ({demo.user('guru').name}, "
        f"member of {demo.community('kkg').name})",
        "  coordinators:",
        *(
            f"    {demo.user(group.creator).email} ({demo.community(key).name})"
            for key, group in groups.items()
        ),
    ]
    return demo
