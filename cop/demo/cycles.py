"""Demo learning cycles in the KKG: a lesson study reflected on (three observers'
notes, lessons learned published), a mentoring pair with a GROW session, and a PTK
with a cycle, peer feedback and a school supervisor as its invited reviewer."""

from __future__ import annotations

import uuid
from datetime import timedelta

from cop.auth import services as auth_services
from cop.core.types import utcnow
from cop.cycles import services
from cop.demo._common import DEMO_PASSWORD, WITA, Demo

#: (observer key, student code, moment, what the student did)
OBSERVATIONS = (
    (
        "guru",
        "S07",
        "08.12",
        "Menggambar pita 1/2 dan 1/3, lalu bingung menyamakan panjangnya.",
    ),
    ("guru", "S12", "08.20", "Menjelaskan ke teman sebangku dengan melipat kertas."),
    ("ridwan", "S07", "08.31", "Setelah melipat kertas, menulis 1/2 > 1/3 dengan benar."),
    ("ridwan", "S03", "08.25", "Diam, tidak menulis apa pun selama 5 menit."),
    ("andi", "S03", "08.40", "Mulai mencoba setelah diberi kertas lipat oleh kelompok."),
    ("andi", "S15", "08.45", "Bertanya: kenapa penyebut besar pecahannya kecil?"),
)


def _lesson_study(demo: Demo) -> None:
    kkg = demo.community("kkg")
    andi = demo.user("andi")
    study = services.open_lesson_study(
        andi,
        kkg,
        services.LessonData(
            subject="Matematika: membandingkan pecahan",
            grade="Kelas 4 SD",
            learning_goal="Siswa dapat membandingkan dua pecahan berpenyebut berbeda dengan "
            "model pita pecahan dan menjelaskan alasannya.",
            model_teacher_id=demo.user("nurhayati").id,
            observer_ids=[demo.user(k).id for k in ("guru", "ridwan", "andi")],
        ),
    )
    services.save_plan(
        demo.user("nurhayati"),
        study,
        "## Langkah pembelajaran\n\n1. Apersepsi: membagi kue (5 menit)\n"
        "2. Kelompok melipat kertas menjadi 1/2, 1/3, 1/4 (20 menit)\n"
        "3. Diskusi kelas: mana yang lebih besar? (15 menit)\n4. Refleksi (5 menit)\n\n"
        "## Yang diamati\n\nBagaimana siswa menjelaskan perbandingan, siapa yang diam.",
    )
    services.add_comment(andi, study, "Tambahkan waktu untuk siswa yang belum bisa melipat.")
    services.set_lesson_hours(andi, study, 4, 2)
    services.move_stage(andi, study, "observe")
    for key, code, moment, note in OBSERVATIONS:
        services.record_observation(
            demo.user(key),
            study,
            services.ObservationData(uuid.uuid4().hex, code, moment, note),
        )
    services.save_lessons(
        andi,
        study,
        "- Kertas lipat membantu S03 dan S07 mulai bernalar.\n"
        "- Pertanyaan S15 menjadi pemantik diskusi berikutnya.\n"
        "- Siklus berikut: beri kartu bantuan untuk siswa yang diam.",
        publish=True,
    )


def _mentoring(demo: Demo) -> None:
    kkg = demo.community("kkg")
    pair = services.pair_mentoring(
        demo.user("andi"),
        kkg,
        demo.user("nurhayati").id,
        [demo.user("guru").id],
        "Asesmen formatif yang singkat",
    )
    services.set_pair_hours(demo.user("andi"), pair, 2)
    today = utcnow().date()
    session = services.log_session(
        demo.user("nurhayati"),
        pair,
        services.SessionData(
            held_on=today - timedelta(days=3),
            goal="Umpan balik tertulis yang lebih cepat untuk 28 siswa.",
            reality="Koreksi buku tulis memakan dua jam setiap hari.",
            options="Rubrik tiga kriteria, stempel, umpan balik lisan per kelompok.",
            next_step="Mencoba rubrik tiga kriteria pada tugas IPAS minggu ini.",
            next_due=today + timedelta(days=4),
        ),
    )
    services.give_feedback(demo.user("guru"), session, pair, 5, "Sangat membantu, terima kasih.")


def _ptk(demo: Demo) -> None:
    kkg = demo.community("kkg")
    siti = demo.user("guru")
    ptk = services.start_ptk(
        siti,
        kkg,
        "Meningkatkan pemahaman pecahan siswa kelas 4 dengan pita pecahan",
        "Rata-rata nilai ulangan pecahan kelas 4 adalah 58, di bawah KKTP 70; banyak "
        "siswa menganggap 1/4 lebih besar dari 1/3.",
        [demo.user("ridwan").id],
    )
    services.add_cycle(
        siti,
        ptk,
        services.CycleData(
            plan="Menyiapkan pita pecahan dan LKPD bertahap.",
            act="Dua pertemuan dengan pita pecahan dalam kelompok.",
            observe="Rekan sejawat mencatat siswa yang aktif dan yang diam.",
            reflect="Nilai naik ke 66; siswa yang diam perlu kartu bantuan pada siklus 2.",
        ),
    )
    pengawas = auth_services.register(
        "pengawas@cop.local", DEMO_PASSWORD, "Dra. Hj. Sitti Aminah, M.Pd.", timezone=WITA
    )
    invite = services.invite_reviewer(siti, ptk, "Pengawas SD Kecamatan Tamalate")
    services.accept_invite(pengawas, services.invite_token(invite))
    services.comment_ptk(
        pengawas, ptk, "Data siklus 1 sudah jelas. Tambahkan lembar observasi sebagai lampiran."
    )
    demo.users["pengawas"] = pengawas


def add_cycles(demo: Demo) -> None:
    """A lesson study, a mentoring pair and a PTK in the KKG."""
    _lesson_study(demo)
    _mentoring(demo)
    _ptk(demo)
    demo.notes.append(
        "  reviewer: pengawas@cop.local (guest reviewer of Siti Rahmawati's PTK, not a member)"
    )
