"""Mentoring pairs: private to the pair and the community's coordinators (pages, list and
API alike), a mentee's request approved, GROW sessions, feedback, the next-step reminder."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from cop.auth.models import User
from cop.communities.models import Community
from cop.core.errors import Conflict, Forbidden, ValidationError
from cop.cycles import services
from cop.cycles.models import MentoringPair, MentoringSession
from cop.extensions import db
from cop.notifications.models import Notification
from tests.api import API, bearer, token_for
from tests.cycles import builders, login, post


@pytest.fixture
def pairs(app, people):
    """Two pairs: observer 1 mentors observer 2; the model teacher mentors the member."""
    first = builders.pair(
        app, people.community, people.coordinator, people.observers[0], [people.observers[1]]
    )
    second = builders.pair(app, people.community, people.coordinator, people.model, [people.member])
    builders.session(app, first, people.observers[0], goal="Catatan rahasia pasangan satu")
    builders.session(app, second, people.model, goal="Catatan rahasia pasangan dua")
    return first, second


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("mentor", 200),
        ("mentee", 200),
        ("coordinator", 200),
        ("other_mentee", 404),
        ("observer", 404),
        ("outsider", 404),
        ("admin", 404),
    ],
)
def test_a_pairs_notes_are_for_the_pair_and_coordinators(client, people, pairs, who, status):
    user = {
        "mentor": people.observers[0],
        "mentee": people.observers[1],
        "coordinator": people.coordinator,
        "other_mentee": people.member,
        "observer": people.observers[2],
        "outsider": people.outsider,
        "admin": people.admin,
    }[who]
    login(client, user)
    response = client.get(f"/mentoring/{pairs[0].id}")
    assert response.status_code == status
    assert ("Catatan rahasia pasangan satu" in response.get_data(as_text=True)) is (status == 200)


def test_the_cycles_tab_lists_only_the_pairs_one_may_see(app, client, people, pairs):
    login(client, people.member)
    page = client.get(f"/c/{people.community.slug}/cycles").get_data(as_text=True)
    assert f'"/mentoring/{pairs[1].id}"' in page and f'"/mentoring/{pairs[0].id}"' not in page
    coordinator = app.test_client()
    login(coordinator, people.coordinator)
    page = coordinator.get(f"/c/{people.community.slug}/cycles").get_data(as_text=True)
    assert f'"/mentoring/{pairs[0].id}"' in page and f'"/mentoring/{pairs[1].id}"' in page


def test_a_mentee_cannot_read_another_pairs_sessions_in_the_api(app, client, people, pairs):
    token = token_for(client, people.member)
    mine = client.get(f"{API}/mentoring/{pairs[1].id}/sessions", headers=bearer(token))
    theirs = client.get(f"{API}/mentoring/{pairs[0].id}/sessions", headers=bearer(token))
    assert mine.status_code == 200 and len(mine.get_json()["items"]) == 1
    assert theirs.status_code == 404 and theirs.get_json()["error"]["code"] == "not_found"


def test_a_mentee_asks_and_a_coordinator_approves(app, people):
    with app.app_context():
        community = db.session.get(Community, people.community.id)
        pair = services.request_mentoring(
            db.session.get(User, people.member.id), community, people.model.id, "Literasi"
        )
        assert pair.status == "requested" and pair.mentee_ids() == {people.member.id}
        with pytest.raises(Conflict):
            services.log_session(
                db.session.get(User, people.model.id),
                pair,
                services.SessionData(date(2026, 12, 1), "Tujuan", "", "", "Langkah"),
            )
        with pytest.raises(Forbidden):
            services.approve_pair(db.session.get(User, people.model.id), pair)
        services.approve_pair(db.session.get(User, people.coordinator.id), pair)
        assert pair.status == "active"


def test_a_session_needs_goal_next_step_and_a_sensible_due_date(app, people, pairs):
    with pytest.raises(ValidationError) as caught:
        builders.session(app, pairs[0], people.observers[0], goal="", next_due=date(2026, 11, 1))
    assert {"goal", "next_due"} <= set(caught.value.fields)


def test_only_the_mentor_or_a_coordinator_logs_sessions(app, people, pairs):
    with pytest.raises(Forbidden):
        builders.session(app, pairs[0], people.observers[1])
    builders.session(app, pairs[0], people.coordinator)


def test_feedback_is_one_per_mentee_and_session(app, client, people, pairs):
    with app.app_context():
        session = db.session.query(MentoringSession).filter_by(pair_id=pairs[0].id).one()
    login(client, people.observers[1])
    url = f"/mentoring/sessions/{session.id}/feedback"
    post(client, url, {"rating": "4", "comment": "Membantu"})
    post(client, url, {"rating": "5", "comment": "Sangat membantu"})
    page = client.get(f"/mentoring/{pairs[0].id}").get_data(as_text=True)
    assert "5/5" in page and "4/5" not in page
    mentor = app.test_client()  # the mentor gives no feedback on their own session
    login(mentor, people.observers[0])
    assert post(mentor, url, {"rating": "5"}).status_code == 403


def test_the_next_step_is_reminded_once(app, people, pairs):
    now = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)  # the builders' next step is due 8 Dec
    with app.app_context():
        assert services.remind_next_steps(now) == 2
        assert services.remind_next_steps(now) == 0
        told = db.session.query(Notification).filter_by(kind="mentoring_step_due").all()
    assert {n.user_id for n in told} == {
        people.observers[0].id,
        people.observers[1].id,
        people.model.id,
        people.member.id,
    }


def test_the_mentees_hear_of_a_logged_session(app, people, pairs):
    with app.app_context():
        told = db.session.query(Notification).filter_by(kind="mentoring_session").all()
    assert {n.user_id for n in told} == {people.observers[1].id, people.member.id}


def test_a_closed_pair_takes_no_sessions(app, people, pairs):
    with app.app_context():
        pair = db.session.get(MentoringPair, pairs[0].id)
        pair.status = "closed"
        db.session.commit()
    with pytest.raises(Forbidden):
        builders.session(app, pairs[0], people.observers[0], next_due=None, held_on=date.today())
