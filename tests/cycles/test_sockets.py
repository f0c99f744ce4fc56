"""The reflection page's live feed with real Socket.IO clients: members join a lesson
study's room and hear new observations; others are refused on join."""

from __future__ import annotations

import uuid

from cop.auth.models import User
from cop.cycles import services
from cop.cycles.models import LessonStudy
from cop.extensions import db
from tests.chat import token_for
from tests.cycles import builders


def _connect(clients, live_server, app, user):
    token = token_for(app, user)
    return clients().connect(live_server.url, token=token), token


def test_a_member_hears_new_observations_live(app, live_server, clients, people):
    study = builders.lesson_study(
        app, people.community, people.coordinator, people.model, people.observers
    )
    builders.observation(app, study, people.observers[0], "S01")
    client, token = _connect(clients, live_server, app, people.member)
    ack = client.call("lesson:join", {"lesson_study_id": study.id, "token": token})
    assert ack["ok"] and [o["student_code"] for o in ack["observations"]] == ["S01"]
    with app.app_context():
        services.record_observation(
            db.session.get(User, people.observers[1].id),
            db.session.get(LessonStudy, study.id),
            services.ObservationData(uuid.uuid4().hex, "S09", "08.30", "menunjuk pita"),
        )
    event = client.wait_for("observation:new")
    assert event["student_code"] == "S09" and event["observer"]["name"] == "Pengamat 2"


def test_an_outsider_is_refused_on_join(app, live_server, clients, people):
    study = builders.lesson_study(
        app, people.community, people.coordinator, people.model, people.observers
    )
    client, token = _connect(clients, live_server, app, people.outsider)
    ack = client.call("lesson:join", {"lesson_study_id": study.id, "token": token})
    assert ack == {"ok": False, "error": {"code": "not_found", "message": ack["error"]["message"]}}
    builders.observation(app, study, people.observers[0])
    assert client.drain("observation:new") == []


def test_a_join_without_a_user_or_with_nonsense_is_refused(app, live_server, clients, people):
    client, token = _connect(clients, live_server, app, people.member)
    assert client.call("lesson:join", {"lesson_study_id": 1})["error"]["code"] == "session_ended"
    bad = client.call("lesson:join", {"lesson_study_id": "x", "token": token})
    assert bad["ok"] is False and bad["error"]["code"] == "not_found"
