"""Learning-cycle test data through the real services: a lesson study at the observe
stage with observers, a mentoring pair with a session, a PTK with a cycle and a reviewer."""

from __future__ import annotations

import io
import uuid
from datetime import date
from typing import Any

from PIL import Image

from cop.auth.models import User
from cop.communities.models import Community
from cop.cycles import services
from cop.cycles.models import PTK, LessonStudy, MentoringPair, Observation
from cop.extensions import db
from cop.resources import services as resource_services


def png() -> bytes:
    """A small PNG (a photo of students' work, as far as the tests care)."""
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(out, "PNG")
    return out.getvalue()


def _get(model: type, ident: int) -> Any:
    found = db.session.get(model, ident)
    assert found is not None
    return found


def lesson_study(
    app: Any,
    community: Community,
    opener: User,
    model_teacher: User,
    observers: list[User],
    stage: str = "observe",
) -> LessonStudy:
    """A lesson study opened by ``opener``, moved to ``stage`` by a coordinator."""
    with app.app_context():
        actor = _get(User, opener.id)
        study = services.open_lesson_study(
            actor,
            _get(Community, community.id),
            services.LessonData(
                subject="Matematika",
                grade="4 SD",
                learning_goal="Siswa membandingkan pecahan berpenyebut beda.",
                model_teacher_id=model_teacher.id,
                observer_ids=[o.id for o in observers],
            ),
        )
        if stage != "plan":
            study.stage = stage
            db.session.commit()
        return study


def observation(
    app: Any, study: LessonStudy, observer: User, code: str = "S07", *, photo: bool = False
) -> Observation:
    """One observation of ``observer`` (a photo attached when asked)."""
    with app.app_context():
        upload = resource_services.Upload(io.BytesIO(png()), "karya.png") if photo else None
        row, _created = services.record_observation(
            _get(User, observer.id),
            _get(LessonStudy, study.id),
            services.ObservationData(
                client_id=uuid.uuid4().hex,
                student_code=code,
                moment="08.15",
                note="menjawab dengan gambar pita pecahan",
                photo=upload,
            ),
        )
        return row


def pair(
    app: Any, community: Community, coordinator: User, mentor: User, mentees: list[User]
) -> MentoringPair:
    """An active pair made by ``coordinator``."""
    with app.app_context():
        return services.pair_mentoring(
            _get(User, coordinator.id),
            _get(Community, community.id),
            mentor.id,
            [m.id for m in mentees],
            "Asesmen formatif",
        )


def session(app: Any, found: MentoringPair, author: User, **changes: Any) -> Any:
    """A GROW session logged by ``author``."""
    data = {
        "held_on": date(2026, 12, 1),
        "goal": "Umpan balik tertulis yang lebih singkat",
        "reality": "Koreksi memakan waktu dua jam",
        "options": "Rubrik, tanda centang, komentar lisan",
        "next_step": "Coba rubrik tiga kriteria",
        "next_due": date(2026, 12, 8),
        **changes,
    }
    with app.app_context():
        return services.log_session(
            _get(User, author.id), _get(MentoringPair, found.id), services.SessionData(**data)
        )


def ptk(app: Any, community: Community, author: User, members: list[User] | None = None) -> PTK:
    """A PTK of ``author`` with one cycle."""
    with app.app_context():
        found = services.start_ptk(
            _get(User, author.id),
            _get(Community, community.id),
            "Meningkatkan hasil belajar pecahan dengan pita pecahan",
            "Nilai rata-rata ulangan pecahan kelas 4 di bawah KKTP.",
            [m.id for m in members or []],
        )
        services.add_cycle(
            _get(User, author.id),
            _get(PTK, found.id),
            services.CycleData(
                plan="Rencana siklus 1", act="Tindakan", observe="Pengamatan", reflect="Refleksi"
            ),
        )
        return found


def reviewer(app: Any, found: PTK, inviter: User, guest: User) -> str:
    """Invite ``guest`` and have them accept; returns the invite token."""
    with app.app_context():
        invite = services.invite_reviewer(_get(User, inviter.id), _get(PTK, found.id), "Pengawas")
        token = services.invite_token(invite)
        services.accept_invite(_get(User, guest.id), token)
        return token


def cycles_world(app: Any, factory: Any, world: Any) -> dict[str, Any]:
    """The route matrix's learning cycles (see tests/route_matrix.py)."""
    users = world.users
    study = lesson_study(
        app, world.community, users["coordinator"], users["moderator"], [users["member"]]
    )
    seen = observation(app, study, users["member"], photo=True)
    found_pair = pair(
        app, world.community, users["coordinator"], users["moderator"], [users["member"]]
    )
    grow = session(app, found_pair, users["moderator"])
    found_ptk = ptk(app, world.community, users["member"])
    reviewer(app, found_ptk, users["member"], users["outsider"])
    with app.app_context():
        from cop.cycles.models import PTKCycle

        author = _get(User, users["member"].id)
        cycle = db.session.query(PTKCycle).filter_by(ptk_id=found_ptk.id).one()
        data = services.attach_file(
            author,
            _get(PTK, found_ptk.id),
            cycle.id,
            resource_services.Upload(io.BytesIO(b"%PDF-1.4\n%data\n"), "nilai-siklus-1.pdf"),
        )
        invite = services.invite_reviewer(author, _get(PTK, found_ptk.id), "Kepala sekolah")
        token = services.invite_token(invite)
    return {
        "study_id": study.id,
        "observation_id": seen.id,
        "pair_id": found_pair.id,
        "session_id": grow.id,
        "ptk_id": found_ptk.id,
        "file_id": data.id,
        "cycles.accept_invite:token": token,
    }
