"""Lesson study services and pages: opening, the plan's revisions and comments, the
open lesson as a meeting, the stages, and no way back once the reflection is out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from cop.auth.models import User
from cop.communities.models import Community
from cop.core.errors import Conflict, Forbidden, ValidationError
from cop.core.types import utcnow
from cop.cycles import queries, services
from cop.cycles.models import LessonStudy, PlanRevision
from cop.extensions import db
from cop.meetings.models import Meeting
from tests.cycles import builders, login, post


def _data(people, **changes):
    values = {
        "subject": "IPAS",
        "grade": "5 SD",
        "learning_goal": "Siswa menjelaskan daur air.",
        "model_teacher_id": people.model.id,
        "observer_ids": [o.id for o in people.observers],
        **changes,
    }
    return services.LessonData(**values)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"subject": "  "}, "subject"),
        ({"model_teacher_id": None}, "model_teacher_id"),
        ({"observer_ids": [999_999]}, "observer_ids"),
    ],
)
def test_opening_checks_its_fields_and_members(app, people, changes, field):
    with app.app_context(), pytest.raises(ValidationError) as caught:
        services.open_lesson_study(
            db.session.get(User, people.member.id),
            db.session.get(Community, people.community.id),
            _data(people, **changes),
        )
    assert field in caught.value.fields


def test_the_model_teacher_is_not_an_observer(app, people):
    with app.app_context(), pytest.raises(ValidationError) as caught:
        services.open_lesson_study(
            db.session.get(User, people.member.id),
            db.session.get(Community, people.community.id),
            _data(people, observer_ids=[people.model.id]),
        )
    assert "observer_ids" in caught.value.fields


def test_an_outsider_cannot_open_one(app, people):
    with app.app_context(), pytest.raises(Exception) as caught:
        services.open_lesson_study(
            db.session.get(User, people.outsider.id),
            db.session.get(Community, people.community.id),
            _data(people),
        )
    assert getattr(caught.value, "status", None) == 404


def test_each_plan_save_is_a_revision_and_the_html_is_sanitised(app, people, study):
    with app.app_context():
        found = db.session.get(LessonStudy, study.id)
        model = db.session.get(User, people.model.id)
        services.save_plan(model, found, "# Langkah\n\n<script>alert(1)</script>")
        services.save_plan(model, found, "# Langkah\n\n1. Apersepsi")
        assert services.save_plan(model, found, "# Langkah\n\n1. Apersepsi") is None
        revisions = db.session.scalars(
            select(PlanRevision).where(PlanRevision.lesson_study_id == study.id)
        ).all()
        assert len(revisions) == 2
        assert "<script" not in found.plan_html and "<h1>Langkah</h1>" in found.plan_html


def test_a_member_outside_the_team_may_comment_but_not_edit_the_plan(app, people, study):
    with app.app_context():
        found = db.session.get(LessonStudy, study.id)
        member = db.session.get(User, people.member.id)
        services.add_comment(member, found, "Tambahkan waktu diskusi.")
        with pytest.raises(Forbidden):
            services.save_plan(member, found, "Rencana saya")
        assert [c.body for c in queries.plan_comments(found)] == ["Tambahkan waktu diskusi."]


def test_the_open_lesson_is_a_meeting_of_the_community(app, people):
    study = builders.lesson_study(
        app, people.community, people.coordinator, people.model, people.observers, stage="plan"
    )
    start = utcnow() + timedelta(days=2)
    with app.app_context():
        found = db.session.get(LessonStudy, study.id)
        meeting = services.schedule_open_lesson(
            db.session.get(User, people.coordinator.id),
            found,
            start,
            start + timedelta(hours=1),
            "Asia/Makassar",
            "Kelas 5A",
        )
        assert found.stage == "do" and found.meeting_id == meeting.id
        row = db.session.get(Meeting, meeting.id)
        assert row.kind == "lesson_study" and row.community_id == people.community.id


def test_moving_back_after_the_reflection_is_published_is_refused(app, people, study):
    with app.app_context():
        found = db.session.get(LessonStudy, study.id)
        model = db.session.get(User, people.model.id)
        services.move_stage(model, found, "plan")  # before publication: allowed
        services.save_lessons(model, found, "Kertas lipat membantu.", publish=True)
        assert found.stage == "see" and found.published
        with pytest.raises(Conflict) as caught:
            services.move_stage(model, found, "observe")
        assert caught.value.code == "reflection_published"
        assert db.session.get(LessonStudy, study.id).stage == "see"


def test_the_page_says_why_it_cannot_go_back(app, client, people, study):
    with app.app_context():
        found = db.session.get(LessonStudy, study.id)
        services.save_lessons(
            db.session.get(User, people.model.id), found, "Selesai.", publish=True
        )
    login(client, people.model)
    response = post(client, f"/lesson-studies/{study.id}/stage", {"stage": "plan"})
    assert response.status_code == 409
    assert "tidak dapat kembali ke tahap sebelumnya" in response.get_data(as_text=True)


def test_publishing_needs_the_lessons_learned(app, people, study):
    with app.app_context(), pytest.raises(ValidationError):
        services.save_lessons(
            db.session.get(User, people.model.id),
            db.session.get(LessonStudy, study.id),
            "  ",
            publish=True,
        )


def test_only_coordinators_set_the_hours(app, people, study):
    with app.app_context():
        found = db.session.get(LessonStudy, study.id)
        with pytest.raises(Forbidden):
            services.set_lesson_hours(db.session.get(User, people.model.id), found, 4, 2)
        services.set_lesson_hours(db.session.get(User, people.coordinator.id), found, 4, 2)
        assert (found.model_hours, found.observer_hours) == (4, 2)
        with pytest.raises(ValidationError):
            services.set_lesson_hours(db.session.get(User, people.coordinator.id), found, 101, 0)


def test_the_new_lesson_study_form_opens_one(app, client, people):
    login(client, people.member)
    response = post(
        client,
        f"/c/{people.community.slug}/lesson-studies/new",
        {
            "subject": "Bahasa Indonesia",
            "grade": "3 SD",
            "learning_goal": "Membaca nyaring.",
            "model_teacher_id": str(people.model.id),
            "observer_ids": [str(o.id) for o in people.observers[:2]],
        },
    )
    assert response.status_code == 302
    with app.app_context():
        found = db.session.scalar(
            select(LessonStudy).where(LessonStudy.subject == "Bahasa Indonesia")
        )
        assert found is not None and found.observer_ids() == {o.id for o in people.observers[:2]}


def test_the_form_shows_its_errors_in_indonesian(client, people):
    login(client, people.member)
    response = post(client, f"/c/{people.community.slug}/lesson-studies/new", {"subject": ""})
    assert response.status_code == 400
    assert "Pilih guru model." in response.get_data(as_text=True)


def test_the_lesson_study_page_shows_stage_plan_and_team(client, people, study):
    login(client, people.member)
    page = client.get(f"/lesson-studies/{study.id}").get_data(as_text=True)
    assert "Guru model: Ibu Nurhayati" in page
    assert 'aria-current="step"' in page and "Observe: pengamatan" in page
