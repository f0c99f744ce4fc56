"""Build recognition history straight into the tables (fast, for thresholds and backfill).

``History`` writes the rows a feature's service would leave behind (posts, likes,
attendance, minutes, downloads, ...), without sending signals, so a test decides
when the badges are evaluated. One ``unit(metric)`` adds exactly one to that
metric's value for the target member.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from cop.auth.models import User
from cop.communities.models import Membership
from cop.core.types import utcnow
from cop.cycles.models import (
    PTK,
    LessonObserver,
    LessonStudy,
    MentoringMentee,
    MentoringPair,
    MentoringSession,
    Observation,
    PTKComment,
    PTKCycle,
    PTKReviewer,
)
from cop.discussions.models import Post, Reaction, Topic
from cop.extensions import db
from cop.meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Meeting,
    Minutes,
    MinutesRevision,
)
from cop.resources.models import Resource, ResourceDownload, ResourceLike


class History:
    """Rows for one target member of one community; ``pool`` are colleagues who react."""

    def __init__(self, app: Any, factory: Any, pool_size: int = 20) -> None:
        self.app = app
        self.owner = factory.user(name="Ibu Ketua")
        self.community = factory.community(self.owner)
        self.target = factory.user(name="Pak Target")
        factory.member(self.community, self.target)
        self.pool = [factory.user(name=f"Rekan {i}") for i in range(pool_size)]
        for colleague in self.pool:
            factory.member(self.community, colleague)
        self.clock = utcnow() - timedelta(days=400)
        self.newcomers = 0

    def _tick(self) -> Any:
        self.clock += timedelta(hours=7)
        return self.clock

    def _topic(self, author_id: int) -> Topic:
        at = self._tick()
        topic = Topic(
            community_id=self.community.id,
            author_id=author_id,
            title="Topik",
            created_at=at,
            last_post_at=at,
        )
        db.session.add(topic)
        db.session.flush()
        first = Post(
            topic_id=topic.id, author_id=author_id, body="Tanya", html="<p>Tanya</p>", created_at=at
        )
        db.session.add(first)
        db.session.flush()
        topic.first_post_id = first.id
        return topic

    def _post(self, topic: Topic, author_id: int) -> Post:
        post = Post(
            topic_id=topic.id,
            author_id=author_id,
            body="Jawab",
            html="<p>Jawab</p>",
            created_at=self._tick(),
        )
        db.session.add(post)
        db.session.flush()
        return post

    def _meeting(self) -> Meeting:
        start = self._tick()
        meeting = Meeting(
            community_id=self.community.id,
            title="Pertemuan rutin",
            starts_at=start,
            ends_at=start + timedelta(hours=3),
            timezone="Asia/Makassar",
            checkin_code="KODE42",
            created_by_id=self.owner.id,
        )
        db.session.add(meeting)
        db.session.flush()
        return meeting

    def _present(self, meeting: Meeting, user_id: int) -> None:
        db.session.add(
            Attendance(
                meeting_id=meeting.id,
                user_id=user_id,
                method="coordinator",
                checked_in_at=meeting.starts_at,
            )
        )

    def _resource(self) -> Resource:
        resource = Resource(
            community_id=self.community.id,
            uploader_id=self.target.id,
            title="Modul ajar",
            kind="modul_ajar",
            url="https://example.id/m",
            created_at=self._tick(),
        )
        db.session.add(resource)
        db.session.flush()
        return resource

    # --- one unit of each metric ----------------------------------------------------

    def unit(self, metric: str, **params: int) -> None:
        """Add one to ``metric`` (with the badge's parameters) for the target member."""
        with self.app.app_context():
            getattr(self, f"_unit_{metric}")(**params)
            db.session.commit()

    def units(self, metric: str, n: int, **params: int) -> None:
        """Add ``n`` to ``metric``."""
        for _ in range(n):
            self.unit(metric, **params)

    def _unit_posts_written(self) -> None:
        self._topic(self.target.id)

    def _unit_posts_with_likes(self, likes: int) -> None:
        post = self._post(self._topic(self.owner.id), self.target.id)
        db.session.add(Reaction(post_id=post.id, user_id=self.target.id, kind="like"))  # own
        for colleague in self.pool[:likes]:
            db.session.add(
                Reaction(
                    post_id=post.id, user_id=colleague.id, kind="like", created_at=self._tick()
                )
            )

    def _unit_thanks_received(self) -> None:
        post = self._post(self._topic(self.owner.id), self.target.id)
        db.session.add(Reaction(post_id=post.id, user_id=self.pool[0].id, kind="thanks"))

    def _unit_solutions(self) -> None:
        topic = self._topic(self.pool[0].id)
        topic.solution_post_id = self._post(topic, self.target.id).id
        own = self._topic(self.target.id)  # accepting one's own answer counts for nothing
        own.solution_post_id = self._post(own, self.target.id).id

    def _unit_newcomer_welcomes(self) -> None:
        newcomer = self.pool[self.newcomers]
        self.newcomers += 1
        topic = self._topic(newcomer.id)
        self._post(topic, self.target.id)
        self._post(topic, self.owner.id)
        second = self._topic(newcomer.id)  # not their first topic: no welcome
        self._post(second, self.target.id)

    def _unit_meetings_attended(self) -> None:
        self._present(self._meeting(), self.target.id)

    def _unit_attendance_streak(self) -> None:
        meeting = self._meeting()
        self._present(meeting, self.target.id)
        self._present(meeting, self.owner.id)

    def _unit_presentations(self) -> None:
        meeting = self._meeting()
        db.session.add(
            AgendaItem(meeting_id=meeting.id, title="Materi", presenter_id=self.target.id)
        )
        self._present(meeting, self.target.id)
        absent = self._meeting()  # on the agenda but not there: not presented
        db.session.add(
            AgendaItem(meeting_id=absent.id, title="Materi", presenter_id=self.target.id)
        )

    def _unit_minutes_written(self) -> None:
        meeting = self._meeting()
        minutes = Minutes(
            meeting_id=meeting.id,
            body="Notulen",
            published=True,
            published_at=meeting.ends_at,
            updated_by_id=self.target.id,
        )
        db.session.add(minutes)
        db.session.flush()
        db.session.add(
            MinutesRevision(minutes_id=minutes.id, body="Notulen", author_id=self.target.id)
        )

    def _unit_action_items_done(self) -> None:
        meeting = self._meeting()
        for done in (True, False):
            db.session.add(
                ActionItem(
                    meeting_id=meeting.id,
                    community_id=self.community.id,
                    title="Tugas",
                    assignee_id=self.target.id,
                    done=done,
                    done_at=self._tick() if done else None,
                )
            )

    def _unit_resources_shared(self) -> None:
        self._resource()

    def _unit_resources_used(self, users: int) -> None:
        resource = self._resource()
        db.session.add(ResourceDownload(resource_id=resource.id, user_id=self.target.id))
        for colleague in self.pool[:users]:
            for _ in range(2):  # twice each: one colleague counts once
                db.session.add(
                    ResourceDownload(
                        resource_id=resource.id, user_id=colleague.id, created_at=self._tick()
                    )
                )

    def _unit_resources_liked(self, likes: int) -> None:
        resource = self._resource()
        db.session.add(ResourceLike(resource_id=resource.id, user_id=self.target.id))
        for colleague in self.pool[:likes]:
            db.session.add(
                ResourceLike(resource_id=resource.id, user_id=colleague.id, created_at=self._tick())
            )

    def _membership(self) -> Membership:
        membership = (
            db.session.query(Membership)
            .filter_by(user_id=self.target.id, community_id=self.community.id)
            .one()
        )
        return membership

    def _unit_membership_years(self, years: int) -> None:
        self._membership().joined_at = utcnow() - timedelta(days=365 * years, hours=1)

    def _unit_leads_community(self) -> None:
        self._membership().role = "moderator"

    # --- learning cycles ------------------------------------------------------------

    def _study(self, model_id: int, published: bool = True) -> LessonStudy:
        study = LessonStudy(
            community_id=self.community.id,
            subject="Matematika",
            grade="4",
            learning_goal="Pecahan",
            model_teacher_id=model_id,
            stage="see",
            reflection_published_at=self._tick() if published else None,
        )
        db.session.add(study)
        db.session.flush()
        return study

    def _unit_lessons_taught(self) -> None:
        self._study(self.target.id)
        self._study(self.target.id, published=False)  # not reflected on yet: no count

    def _unit_lessons_observed(self) -> None:
        study = self._study(self.owner.id)
        db.session.add(LessonObserver(lesson_study_id=study.id, user_id=self.target.id))
        db.session.add(
            Observation(
                lesson_study_id=study.id,
                observer_id=self.target.id,
                client_id=f"h{study.id:08d}",
                student_code="S01",
                moment="08.00",
                note="menjawab",
            )
        )
        silent = self._study(self.owner.id)  # observed nothing: no count
        db.session.add(LessonObserver(lesson_study_id=silent.id, user_id=self.target.id))

    def _pair_with_session(self, mentor_id: int, mentee_id: int) -> None:
        pair = MentoringPair(community_id=self.community.id, mentor_id=mentor_id)
        db.session.add(pair)
        db.session.flush()
        db.session.add(MentoringMentee(pair_id=pair.id, user_id=mentee_id))
        db.session.add(
            MentoringSession(
                pair_id=pair.id,
                held_on=self._tick().date(),
                goal="Tujuan",
                next_step="Langkah",
            )
        )

    def _unit_mentoring_given(self) -> None:
        self._pair_with_session(self.target.id, self.pool[0].id)

    def _unit_mentoring_received(self) -> None:
        self._pair_with_session(self.pool[0].id, self.target.id)

    def _ptk(self, author_id: int) -> PTK:
        ptk = PTK(community_id=self.community.id, author_id=author_id, title="PTK", problem="M")
        db.session.add(ptk)
        db.session.flush()
        return ptk

    def _unit_ptk_cycles_reflected(self) -> None:
        ptk = self._ptk(self.target.id)
        db.session.add(PTKCycle(ptk_id=ptk.id, number=1, plan="R", reflect="Refleksi"))
        db.session.add(PTKCycle(ptk_id=ptk.id, number=2, plan="R"))  # not reflected: no count

    def _unit_ptk_reviews(self) -> None:
        ptk = self._ptk(self.owner.id)
        db.session.add(PTKReviewer(ptk_id=ptk.id, user_id=self.target.id, note="Pengawas"))
        db.session.add(
            PTKComment(ptk_id=ptk.id, author_id=self.target.id, body="Bagus", html="<p>Bagus</p>")
        )
        db.session.add(
            PTKComment(ptk_id=ptk.id, author_id=self.target.id, body="Lagi", html="<p>Lagi</p>")
        )

    def set_joined(self, days_ago: float) -> None:
        """Move the target's joining date."""
        with self.app.app_context():
            self._membership().joined_at = utcnow() - timedelta(days=days_ago)
            db.session.commit()

    def user(self) -> User:
        """The target member."""
        return self.target
