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


def add_meetings(demo: Demo) -> None:
    """The KKG's monthly series (2nd Saturday, 08:00 WITA), a past session with
    attendance, published minutes and an action item, and an MGMP workshop."""
    from datetime import datetime, time, timedelta
    from zoneinfo import ZoneInfo

    from cop.core.types import utcnow
    from cop.meetings import services as meeting_services
    from cop.meetings.models import Meeting

    kkg = demo.community("kkg")
    andi = demo.user("andi")
    tz = ZoneInfo(WITA)
    tomorrow = (utcnow() + timedelta(days=1)).astimezone(tz).date()
    start = datetime.combine(tomorrow, time(8, 0), tz)
    agenda = [
        meeting_services.AgendaData("Pembukaan dan refleksi bulan lalu", None, 15),
        meeting_services.AgendaData(
            "Praktik baik: asesmen diagnostik kelas 4", demo.user("nurhayati").id, 60
        ),
        meeting_services.AgendaData("Menyusun modul ajar IPAS bersama", demo.user("guru").id, 90),
        meeting_services.AgendaData("Rencana tindak lanjut", None, 15),
    ]
    first, _all = meeting_services.schedule(
        andi,
        kkg,
        meeting_services.MeetingData(
            title="Pertemuan rutin KKG Gugus 3",
            starts_at=start,
            ends_at=start + timedelta(hours=3, minutes=30),
            timezone=WITA,
            kind="routine",
            mode="hybrid",
            location="SD Inpres Tamalate 1, Jl. Dg. Tata",
            online_url="https://meet.example.id/kkg-gugus-3",
            capacity=30,
            pkb_hours=4,
            description="Bawa laptop dan draf modul ajar IPAS kelas 4.",
            agenda=agenda,
        ),
        "FREQ=MONTHLY;BYDAY=2SA;COUNT=6",
    )
    for key in ("guru", "ridwan", "nurhayati"):
        meeting_services.rsvp(demo.user(key), first, "yes")
    # A session that already happened: attendance, minutes and an action item.
    past_start = (utcnow() - timedelta(days=28)).replace(microsecond=0)
    with_past = Meeting(
        community_id=kkg.id,
        title="Lokakarya asesmen formatif",
        kind="workshop",
        starts_at=past_start,
        ends_at=past_start + timedelta(hours=3),
        timezone=WITA,
        mode="offline",
        location="SD Inpres Tamalate 1",
        pkb_hours=3,
        checkin_code="DEMO42",
        created_by_id=andi.id,
    )
    db.session.add(with_past)
    db.session.commit()
    for key in ("guru", "ridwan", "nurhayati"):
        meeting_services.mark(andi, with_past, demo.user(key).id, now=past_start)
    meeting_services.save_minutes(
        andi,
        with_past,
        "## Kesepakatan\n\n- Setiap guru mencoba satu teknik asesmen formatif.\n"
        "- Hasil dibagikan pada pertemuan rutin berikutnya.",
        action_items=[
            meeting_services.ActionItemData(
                "Unggah contoh lembar observasi", demo.user("guru").id, tomorrow
            )
        ],
        publish=True,
    )
    mgmp = demo.community("mgmp_mat")
    yohanes = demo.user("yohanes")
    ws_start = datetime.combine(tomorrow + timedelta(days=10), time(13, 0), ZoneInfo(WIT))
    meeting_services.schedule(
        yohanes,
        mgmp,
        meeting_services.MeetingData(
            title="Workshop soal HOTS matematika",
            starts_at=ws_start,
            ends_at=ws_start + timedelta(hours=3),
            timezone=WIT,
            kind="workshop",
            mode="online",
            online_url="https://meet.example.id/mgmp-matematika",
            pkb_hours=3,
        ),
    )


#: The demo, in order. Later features append their own ``add_<feature>`` here.
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
    import io

    from cop.resources import services as resource_services

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


#: The demo, in order. Later features append their own ``add_<feature>`` here.
def add_discussions(demo: Demo) -> None:
    """A few real-sounding questions and answers, a solution, a like and a mention."""
    from cop.discussions import services as discussion_services

    kkg = demo.community("kkg")
    guru, andi, nurhayati = demo.user("guru"), demo.user("andi"), demo.user("nurhayati")
    topic = discussion_services.create_topic(
        guru,
        kkg,
        discussion_services.TopicData(
            title="Asesmen diagnostik awal semester untuk kelas 4",
            body=(
                "Bapak/Ibu, bagaimana cara menyusun **asesmen diagnostik** non-kognitif "
                "yang singkat? Murid saya 32 orang dan waktunya terbatas."
            ),
            tags="asesmen kurikulum-merdeka",
        ),
    )
    answer = discussion_services.reply(
        nurhayati,
        topic,
        "Saya pakai angket 5 pertanyaan dengan emoji untuk suasana hati, lalu wawancara "
        "singkat 3 murid per hari. Contoh angketnya:\n\n"
        "1. Bagaimana perasaanmu hari ini?\n2. Pelajaran apa yang paling kamu suka?",
        parent_id=topic.first_post_id,
    )
    discussion_services.reply(
        andi,
        topic,
        f"Setuju dengan Bu Nurhayati. @{guru.username}, nanti kita bahas di pertemuan "
        "KKG Sabtu depan ya.",
    )
    discussion_services.react(guru, answer, "thanks")
    discussion_services.mark_solution(guru, topic, answer.id)
    discussion_services.create_topic(
        andi,
        kkg,
        discussion_services.TopicData(
            title="Jadwal berbagi praktik baik: modul ajar P5",
            body="Silakan tulis nama Bapak/Ibu yang siap berbagi modul ajar projek P5 bulan ini.",
            tags="p5 modul-ajar",
        ),
    )
    mat = demo.community("mgmp_mat")
    discussion_services.create_topic(
        demo.user("yohanes"),
        mat,
        discussion_services.TopicData(
            title="Soal HOTS pecahan untuk kelas 7",
            body="Ada yang punya contoh soal HOTS tentang pecahan dengan konteks pasar di Kupang?",
            tags="matematika hots",
        ),
    )


#: The demo, in order. Later features append their own ``add_<feature>`` here.
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


STEPS: list[Callable[[Demo], None]] = [
    add_people,
    add_communities,
    add_discussions,
    add_meetings,
    add_resources,
    add_chat,
]


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
