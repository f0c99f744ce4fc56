"""One lesson study end to end on phones (390 px): the coordinator opens it with three
observers, writes the plan, schedules the open lesson and opens the observation; the
three observers fill their sheets, two of them offline (their notes wait on the phone
and go out when the connection is back); the reflection page shows every observation
live; the lessons learned are published and the cycle's PDF holds the observations."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from cop.core.types import utcnow
from cop.cycles.models import LessonStudy, Observation
from cop.extensions import db
from tests.conftest import ARTIFACTS
from tests.e2e.test_flows import log_in

pytestmark = pytest.mark.browser

#: where the screenshots for the issue's note go (COP_SCREENSHOTS overrides)
SHOTS = Path(os.environ.get("COP_SCREENSHOTS", str(ARTIFACTS)))

NOTES = {
    "sari": [("S07", "08.12", "menggambar pita pecahan setengah")],
    "ridwan": [
        ("S03", "08.20", "diam lima menit lalu mencoba melipat kertas"),
        ("A-3", "08.31", "menjelaskan ke teman sebangku"),
    ],
    "budi": [
        ("S07", "08.40", "menulis setengah lebih besar dari sepertiga"),
        ("S15", "08.45", "bertanya kenapa penyebut besar pecahannya kecil"),
    ],
}


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"cycles-{name}.png"), full_page=True)


def observe(page, notes) -> None:
    for code, moment, note in notes:
        page.fill("#student_code", code)
        page.fill("#moment", moment)
        page.fill("#note", note)
        page.click("#observation-submit")
        page.wait_for_selector(f"#my-observations li:has-text('{note}')")


def _count(app, study_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count(Observation.id)).where(Observation.lesson_study_id == study_id)
        )


def test_lesson_study_with_three_observers_two_offline(live_server, page, new_page, factory):
    app = live_server.app
    andi = factory.user(name="Pak Andi Pratama", email="andi@kkg3.id", timezone="Asia/Makassar")
    community = factory.community(andi, name="KKG Gugus 3 Tamalate")
    nur = factory.user(name="Ibu Nurhayati", email="nur@kkg3.id")
    people = {
        key: factory.user(name=name, email=f"{key}@kkg3.id")
        for key, name in (("sari", "Ibu Sari"), ("ridwan", "Pak Ridwan"), ("budi", "Pak Budi"))
    }
    for teacher in (nur, *people.values()):
        factory.member(community, teacher)

    # The coordinator opens the lesson study with the model teacher and three observers.
    log_in(page, live_server, andi.email)
    page.goto(live_server(f"/c/{community.slug}/cycles"))
    page.click("a[href$='/lesson-studies/new']")
    page.fill("#subject", "Matematika: membandingkan pecahan")
    page.fill("#grade", "4 SD")
    page.fill("#learning_goal", "Siswa membandingkan pecahan berpenyebut beda.")
    page.select_option("#model_teacher_id", str(nur.id))
    for person in people.values():
        page.check(f"input[name=observer_ids][value='{person.id}']")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/lesson-studies/*")
    study_id = int(page.url.rstrip("/").rsplit("/", 1)[1])

    # Plan together, schedule the open lesson (a meeting of the community), observe.
    page.fill("#plan-body", "1. Apersepsi\n2. Melipat kertas\n3. Diskusi")
    page.click("#plan button[type=submit]")
    page.fill("#ol-day", (utcnow() + timedelta(days=1)).date().isoformat())
    page.fill("#ol-place", "Kelas 4B SD Negeri 12")
    page.click("#open-lesson button[type=submit]")
    page.wait_for_selector("#open-lesson a[href*='/meetings/']")
    page.select_option("#stage", "observe")
    page.click(".stage-move button")
    page.wait_for_selector(".stage.current:has-text('3')")

    # The reflection page is open (live) while the observers work.
    page.goto(live_server(f"/lesson-studies/{study_id}/reflection"))
    page.wait_for_selector("#reflection[data-live='1']")

    phones = {}
    for key, person in people.items():
        phone = new_page(key)
        log_in(phone, live_server, person.email)
        phone.goto(live_server(f"/lesson-studies/{study_id}/observe"))
        phones[key] = phone

    # Sari is online; Ridwan and Budi lose the connection while observing.
    observe(phones["sari"], NOTES["sari"])
    for key in ("ridwan", "budi"):
        phones[key].context.set_offline(True)
        observe(phones[key], NOTES[key])
        assert phones[key].locator("#my-observations .waiting").count() == len(NOTES[key])
    shoot(phones["ridwan"], "observe-offline")
    assert _count(app, study_id) == 1

    # Back online: the queued notes go out, each once.
    for key in ("ridwan", "budi"):
        phones[key].context.set_offline(False)
        expect(phones[key].locator("#my-observations .waiting")).to_have_count(0, timeout=30_000)
    assert _count(app, study_id) == 5
    shoot(phones["budi"], "observe")

    # Every observation appeared on the reflection page without a reload.
    expect(page.locator("#by-student .observation")).to_have_count(5, timeout=15_000)
    for notes in NOTES.values():
        for code, _moment, note in notes:
            assert page.locator(f"#by-student [data-code='{code}']:has-text('{note}')").count() == 1
    page.fill("#lessons-body", "- Kertas lipat membantu S03 mulai bernalar.")
    page.click("#lessons button[value='1']")
    page.wait_for_selector("#lessons .badge.ok")
    shoot(page, "reflection")
    with app.app_context():
        assert db.session.get(LessonStudy, study_id).published

    # The cycle's summary PDF holds every observation.
    response = page.request.get(live_server(f"/lesson-studies/{study_id}/summary.pdf"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=response.body(), capture_output=True, check=True
    ).stdout.decode()
    flat = " ".join(text.split())
    for notes in NOTES.values():
        for code, _moment, note in notes:
            assert code in flat and note in flat
