"""Observation sheets: students by code only, a full name warned, each client id stored
once (a double tap, an offline queue sent again), closed once the reflection is out."""

from __future__ import annotations

import io
import uuid

import pytest
from sqlalchemy import func, select

from cop.auth.models import User
from cop.core.errors import Conflict, Forbidden, ValidationError
from cop.cycles import services
from cop.cycles.models import LessonStudy, Observation
from cop.extensions import db
from cop.resources import services as resource_services
from tests.cycles import builders, login, post


def _record(app, study, observer, **changes):
    data = {
        "client_id": uuid.uuid4().hex,
        "student_code": "S07",
        "moment": "08.15",
        "note": "melipat kertas menjadi empat bagian",
        **changes,
    }
    with app.app_context():
        return services.record_observation(
            db.session.get(User, observer.id),
            db.session.get(LessonStudy, study.id),
            services.ObservationData(**data),
        )


def _count(app, study):
    with app.app_context():
        return db.session.scalar(
            select(func.count(Observation.id)).where(Observation.lesson_study_id == study.id)
        )


def test_the_same_client_id_is_one_observation(app, people, study):
    client_id = uuid.uuid4().hex
    first, created = _record(app, study, people.observers[0], client_id=client_id)
    again, created_again = _record(
        app, study, people.observers[0], client_id=client_id, note="dikirim lagi dari antrean"
    )
    assert (created, created_again) == (True, False)
    assert again.id == first.id and again.note == first.note
    assert _count(app, study) == 1


@pytest.mark.parametrize("code", ["S07", "a-3", "12", "AB-101"])
def test_a_code_names_the_student(app, people, study, code):
    row, _created = _record(app, study, people.observers[0], student_code=code)
    assert row.student_code == code.upper()


@pytest.mark.parametrize("code", ["Budi", "Siti Aminah", "S-07-x", "", "ABCD1"])
def test_anything_but_a_code_is_refused(app, people, study, code):
    with pytest.raises(ValidationError) as caught:
        _record(app, study, people.observers[0], student_code=code)
    assert "student_code" in caught.value.fields


def test_a_note_that_looks_like_a_full_name_needs_a_confirmation(app, people, study):
    note = "Budi Santoso menjawab paling cepat"
    with pytest.raises(ValidationError) as caught:
        _record(app, study, people.observers[0], note=note)
    assert caught.value.code == "invalid_observation" and "note" in caught.value.fields
    row, created = _record(app, study, people.observers[0], note=note, confirmed=True)
    assert created and row.note == note


def test_only_observers_fill_sheets(app, people, study):
    for person in (people.model, people.member, people.coordinator):
        with pytest.raises(Forbidden):
            _record(app, study, person)


def test_sheets_open_after_the_plan_and_close_with_the_reflection(app, people):
    study = builders.lesson_study(
        app, people.community, people.coordinator, people.model, people.observers, stage="plan"
    )
    with pytest.raises(Conflict) as early:
        _record(app, study, people.observers[0])
    assert early.value.code == "sheets_not_open"
    with app.app_context():
        found = db.session.get(LessonStudy, study.id)
        found.stage = "observe"
        db.session.commit()
        services.save_lessons(db.session.get(User, people.model.id), found, "Ok.", publish=True)
    with pytest.raises(Conflict) as late:
        _record(app, study, people.observers[0])
    assert late.value.code == "sheets_closed"


def test_a_photo_is_kept_and_shown_to_the_community(app, client, people, study):
    photo = resource_services.Upload(io.BytesIO(builders.png()), "karya.png")
    row, _created = _record(app, study, people.observers[0], photo=photo)
    assert row.photo_key and row.photo_type == "image/png"
    login(client, people.member)
    response = client.get(f"/observations/{row.id}/photo")
    body = response.data
    response.close()
    assert response.status_code == 200 and body.startswith(b"\x89PNG")


def test_a_file_that_is_no_photo_is_refused(app, people, study):
    upload = resource_services.Upload(io.BytesIO(b"%PDF-1.4\n"), "lkpd.pdf")
    with pytest.raises(ValidationError):
        _record(app, study, people.observers[0], photo=upload)
    assert _count(app, study) == 0


def test_the_sheet_answers_its_script_in_json(app, client, people, study):
    login(client, people.observers[1])
    data = {"client_id": uuid.uuid4().hex, "student_code": "S03", "moment": "08.20", "note": "diam"}
    headers = {"Accept": "application/json"}
    first = post(client, f"/lesson-studies/{study.id}/observe", data, headers=headers)
    second = post(client, f"/lesson-studies/{study.id}/observe", data, headers=headers)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.get_json()["id"] == second.get_json()["id"]
    refused = post(
        client,
        f"/lesson-studies/{study.id}/observe",
        {**data, "client_id": uuid.uuid4().hex, "note": "Rina Kurniasih diam"},
        headers=headers,
    )
    assert refused.status_code == 400
    assert refused.get_json()["error"]["fields"]["note"].startswith("Ini tampak seperti nama")


def test_the_sheet_works_without_javascript(app, client, people, study):
    login(client, people.observers[2])
    data = {"client_id": uuid.uuid4().hex, "student_code": "A-3", "moment": "09.00", "note": "ok"}
    response = post(client, f"/lesson-studies/{study.id}/observe", data)
    assert response.status_code == 302
    page = client.get(f"/lesson-studies/{study.id}/observe").get_data(as_text=True)
    assert "A-3" in page and 'id="observation-form"' in page


def test_in_a_public_community_the_photos_stay_with_its_members(app, factory, client):
    coordinator = factory.user(name="Ibu Ketua")
    community = factory.community(coordinator, visibility="public")
    model, observer = factory.user(name="Guru Model"), factory.user(name="Pengamat")
    for person in (model, observer):
        factory.member(community, person)
    study = builders.lesson_study(app, community, coordinator, model, [observer])
    row = builders.observation(app, study, observer, photo=True)
    assert client.get(f"/lesson-studies/{study.id}/reflection").status_code == 200
    assert client.get(f"/observations/{row.id}/photo").status_code == 401  # log in first
    login(client, factory.user(name="Bukan Anggota"))
    assert client.get(f"/observations/{row.id}/photo").status_code == 403
