"""The learning cycles' JSON API: lesson studies, stages, observations (idempotent by
client id, names warned), mentoring sessions; every answer checked against the OpenAPI
document."""

from __future__ import annotations

import uuid

from cop.auth.models import User
from cop.cycles import services
from cop.cycles.models import LessonStudy
from cop.extensions import db
from tests.api import API, bearer, check_response, token_for
from tests.cycles import builders


def _call(client, method, path, token, **kw):
    response = client.open(f"{API}{path}", method=method, headers=bearer(token), **kw)
    check_response(client, method, f"{API}{path}", response)
    return response


def test_open_a_lesson_study_and_list_it(client, people):
    token = token_for(client, people.member)
    body = {
        "subject": "IPS",
        "grade": "6 SD",
        "learning_goal": "Peta",
        "model_teacher_id": people.model.id,
        "observer_ids": [people.observers[0].id],
    }
    created = _call(
        client, "POST", f"/communities/{people.community.slug}/lesson-studies", token, json=body
    )
    assert created.status_code == 201 and created.get_json()["stage"] == "plan"
    listed = _call(client, "GET", f"/communities/{people.community.slug}/lesson-studies", token)
    assert [s["id"] for s in listed.get_json()["items"]] == [created.get_json()["id"]]


def test_an_observation_posted_twice_is_stored_once(client, people, study):
    token = token_for(client, people.observers[0])
    body = {"client_id": uuid.uuid4().hex, "student_code": "S07", "moment": "08.10", "note": "ok"}
    path = f"/lesson-studies/{study.id}/observations"
    first = _call(client, "POST", path, token, json=body)
    second = _call(client, "POST", path, token, json=body)
    assert (first.status_code, second.status_code) == (201, 200)
    listed = _call(client, "GET", path, token).get_json()["items"]
    assert [o["id"] for o in listed] == [first.get_json()["id"]]


def test_a_full_name_is_a_400_on_note_until_confirmed(client, people, study):
    token = token_for(client, people.observers[0])
    body = {
        "client_id": uuid.uuid4().hex,
        "student_code": "S07",
        "moment": "1",
        "note": "Ani Wulandari",
    }
    path = f"/lesson-studies/{study.id}/observations"
    refused = _call(client, "POST", path, token, json=body)
    assert refused.status_code == 400 and "note" in refused.get_json()["error"]["fields"]
    accepted = _call(client, "POST", path, token, json={**body, "confirm_name": True})
    assert accepted.status_code == 201


def test_moving_back_after_publication_is_a_409(app, client, people, study):
    with app.app_context():
        services.save_lessons(
            db.session.get(User, people.model.id),
            db.session.get(LessonStudy, study.id),
            "Selesai",
            publish=True,
        )
    token = token_for(client, people.model)
    response = _call(
        client, "PUT", f"/lesson-studies/{study.id}/stage", token, json={"stage": "do"}
    )
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "reflection_published"


def test_an_observer_may_not_move_the_stage(client, people, study):
    token = token_for(client, people.observers[0])
    response = _call(
        client, "PUT", f"/lesson-studies/{study.id}/stage", token, json={"stage": "see"}
    )
    assert response.status_code == 403


def test_the_mentor_logs_a_session(app, client, people):
    pair = builders.pair(app, people.community, people.coordinator, people.model, [people.member])
    token = token_for(client, people.model)
    body = {
        "held_on": "2026-12-01",
        "goal": "Tujuan",
        "next_step": "Langkah",
        "next_due": "2026-12-09",
    }
    created = _call(client, "POST", f"/mentoring/{pair.id}/sessions", token, json=body)
    assert created.status_code == 201 and created.get_json()["next_due"] == "2026-12-09"
    mentee = token_for(client, people.member)
    refused = _call(client, "POST", f"/mentoring/{pair.id}/sessions", mentee, json=body)
    assert refused.status_code == 403


def test_participation_counts_the_cycles_hours(app, client, people, study):
    builders.observation(app, study, people.observers[0])
    with app.app_context():
        found = db.session.get(LessonStudy, study.id)
        services.set_lesson_hours(db.session.get(User, people.coordinator.id), found, 4, 2)
        services.save_lessons(db.session.get(User, people.model.id), found, "Ok", publish=True)
    token = token_for(client, people.observers[0])
    record = _call(
        client, "GET", f"/users/{people.observers[0].id}/participation", token
    ).get_json()
    assert record["cycle_hours"] == 2 and record["total_hours"] == 2
    assert (
        record["cycles"][0]["role"] == "observer" and record["cycles"][0]["kind"] == "lesson_study"
    )
