"""Taking part counts: badges from the cycles' signals, hours on the participation page."""

from __future__ import annotations

from cop.auth.models import User
from cop.badges.models import Award
from cop.cycles import queries, services
from cop.cycles.models import PTK, LessonStudy
from cop.extensions import db
from tests.cycles import builders, login


def _badges(app, user):
    with app.app_context():
        return {a.badge_slug for a in db.session.query(Award).filter_by(user_id=user.id)}


def test_a_published_reflection_credits_the_model_teacher_and_observers(app, people, study):
    builders.observation(app, study, people.observers[0])
    with app.app_context():
        services.save_lessons(
            db.session.get(User, people.model.id),
            db.session.get(LessonStudy, study.id),
            "Ok",
            publish=True,
        )
    assert "model-teacher" in _badges(app, people.model)
    assert "keen-observer" in _badges(app, people.observers[0])
    assert "keen-observer" not in _badges(app, people.observers[1])  # recorded nothing


def test_a_session_credits_mentor_and_mentee(app, people):
    pair = builders.pair(app, people.community, people.coordinator, people.model, [people.member])
    builders.session(app, pair, people.model)
    assert "coach" in _badges(app, people.model)
    assert "growing-teacher" in _badges(app, people.member)


def test_a_reflected_ptk_cycle_and_a_review_earn_their_badges(app, people):
    found = builders.ptk(app, people.community, people.member)
    builders.reviewer(app, found, people.member, people.observers[2])
    with app.app_context():
        services.comment_ptk(
            db.session.get(User, people.observers[2].id), db.session.get(PTK, found.id), "Bagus"
        )
    assert "action-researcher" in _badges(app, people.member)
    assert "critical-friend" in _badges(app, people.observers[2])


def test_a_guest_reviewer_gets_the_hours_not_a_community_badge(app, people):
    """Badges are a community's recognition of its members (cop/badges/services.py); a
    pengawas from outside is credited on their participation record instead."""
    found = builders.ptk(app, people.community, people.member)
    builders.reviewer(app, found, people.member, people.outsider)
    with app.app_context():
        ptk = db.session.get(PTK, found.id)
        services.set_ptk_hours(db.session.get(User, people.coordinator.id), ptk, 2)
        services.comment_ptk(db.session.get(User, people.outsider.id), ptk, "Bagus")
        rows = queries.participation(db.session.get(User, people.outsider.id))
    assert [(r.role, r.hours) for r in rows] == [("reviewer", 2)]
    assert _badges(app, people.outsider) == set()


def test_the_participation_page_lists_the_cycle_with_its_hours(app, client, people, study):
    builders.observation(app, study, people.observers[0])
    with app.app_context():
        found = db.session.get(LessonStudy, study.id)
        services.set_lesson_hours(db.session.get(User, people.coordinator.id), found, 4, 3)
        services.save_lessons(db.session.get(User, people.model.id), found, "Ok", publish=True)
    login(client, people.observers[0])
    page = client.get("/me/participation").get_data(as_text=True)
    assert "Siklus belajar menyumbang 3 JP PKB." in page and "pengamat" in page


def test_every_badge_slug_is_used_once():
    """The cycles' badges joined a catalogue keyed by slug: none may shadow another."""
    from collections import Counter

    from cop.badges import catalogue

    counts = Counter(badge.slug for badge in catalogue.BADGES)
    assert [slug for slug, n in counts.items() if n > 1] == []
