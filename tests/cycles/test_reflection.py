"""The reflection page groups the observations by student and by moment; the summary
PDF holds them (read back with pdftotext)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from cop.auth.models import User
from cop.cycles import queries, services
from cop.cycles.models import LessonStudy
from cop.extensions import db
from tests.cycles import builders, login

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="no pdftotext")


def _observe(app, study, people):
    builders.observation(app, study, people.observers[0], "S12")
    builders.observation(app, study, people.observers[1], "S7")
    builders.observation(app, study, people.observers[2], "S12")


def test_groups_follow_the_student_codes_in_order(app, people, study):
    _observe(app, study, people)
    with app.app_context():
        rows = queries.observations(db.session.get(LessonStudy, study.id))
        groups = queries.by_student(rows)
    assert [(code, len(items)) for code, items in groups] == [("S7", 1), ("S12", 2)]


def test_the_page_shows_every_observation_by_student_and_moment(client, app, people, study):
    _observe(app, study, people)
    login(client, people.member)
    page = client.get(f"/lesson-studies/{study.id}/reflection").get_data(as_text=True)
    assert page.count('class="card student-group"') == 2
    assert page.count("menjawab dengan gambar pita pecahan") == 6  # 3 by student, 3 by moment
    assert "3 catatan pengamatan" in page


@needs_pdftotext
def test_the_summary_pdf_holds_the_observations_and_lessons(client, app, people, study):
    _observe(app, study, people)
    with app.app_context():
        services.save_lessons(
            db.session.get(User, people.model.id),
            db.session.get(LessonStudy, study.id),
            "Kertas lipat membantu siswa bernalar.",
            publish=True,
        )
    login(client, people.member)
    response = client.get(f"/lesson-studies/{study.id}/summary.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=response.data, capture_output=True, check=True
    ).stdout.decode()
    flat = " ".join(text.split())
    assert "RINGKASAN LESSON STUDY" in flat and "S12" in flat and "S7" in flat
    assert flat.count("menjawab dengan gambar pita pecahan") == 3
    assert "Kertas lipat membantu siswa bernalar." in flat
