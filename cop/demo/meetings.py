"""Demo meetings: the KKG's monthly series and a past session with attendance
and minutes, and an MGMP workshop.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from cop.core.types import utcnow
from cop.demo._common import WIT, WITA, Demo
from cop.extensions import db
from cop.meetings import services as meeting_services
from cop.meetings.models import Meeting


def add_meetings(demo: Demo) -> None:
    """The KKG's monthly series (2nd Saturday, 08:00 WITA), a past session with
    attendance, published minutes and an action item, and an MGMP workshop."""
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
