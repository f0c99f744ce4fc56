"""Learning cycles: lesson study (plan, do, observe, see), mentoring pairs with GROW
sessions, and classroom action research (PTK) with cycles and guest reviewers.

Tables only, with small derived properties; the operations are in services/."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.auth.models import User
from cop.communities.models import Community
from cop.core.types import UTCDateTime, utcnow
from cop.extensions import db

#: the lesson study's stages, in order (plan -> do -> observe -> see)
STAGES = ("plan", "do", "observe", "see")
#: a mentoring pair: asked by a mentee (waiting for a coordinator), active, closed
PAIR_STATUSES = ("requested", "active", "closed")
#: the four steps of each PTK cycle
PTK_STEPS = ("plan", "act", "observe", "reflect")


class LessonStudy(db.Model):  # type: ignore[name-defined]
    """One lesson study cycle of a community: a lesson planned together, taught while
    colleagues observe the students, and reflected on."""

    __tablename__ = "lesson_studies"
    __table_args__ = (Index("ix_lesson_studies_community_id_id", "community_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    subject: Mapped[str] = mapped_column(String(120))
    grade: Mapped[str] = mapped_column(String(40))
    learning_goal: Mapped[str] = mapped_column(Text)
    model_teacher_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    stage: Mapped[str] = mapped_column(String(10), default="plan")
    #: the shared lesson plan (Markdown source and its sanitised HTML)
    plan_body: Mapped[str] = mapped_column(Text, default="")
    plan_html: Mapped[str] = mapped_column(Text, default="")
    #: the open lesson (do), a meeting of the community
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), nullable=True
    )
    #: the agreed lessons learned (see)
    lessons_body: Mapped[str] = mapped_column(Text, default="")
    lessons_html: Mapped[str] = mapped_column(Text, default="")
    reflection_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    #: PKB hours (JP) the coordinator credits to the model teacher and to each observer
    model_hours: Mapped[int] = mapped_column(Integer, default=0)
    observer_hours: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    community: Mapped[Community] = relationship()
    model_teacher: Mapped[User | None] = relationship(foreign_keys=[model_teacher_id])
    observers: Mapped[list[LessonObserver]] = relationship(
        cascade="all, delete-orphan", back_populates="lesson_study", order_by="LessonObserver.id"
    )

    @property
    def title(self) -> str:
        """What the cycle is called in lists: subject and grade."""
        return f"{self.subject} · {self.grade}"

    @property
    def published(self) -> bool:
        """True once the reflection (lessons learned) is published."""
        return self.reflection_published_at is not None

    @property
    def stage_index(self) -> int:
        """0 (plan) to 3 (see)."""
        return STAGES.index(self.stage)

    def observer_ids(self) -> set[int]:
        """The user ids of the observers."""
        return {o.user_id for o in self.observers}


class LessonObserver(db.Model):  # type: ignore[name-defined]
    """A colleague who observes the open lesson (each fills an observation sheet)."""

    __tablename__ = "lesson_observers"
    __table_args__ = (UniqueConstraint("lesson_study_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lesson_study_id: Mapped[int] = mapped_column(
        ForeignKey("lesson_studies.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    lesson_study: Mapped[LessonStudy] = relationship(back_populates="observers")
    user: Mapped[User] = relationship()


class PlanRevision(db.Model):  # type: ignore[name-defined]
    """A saved version of the lesson plan (the history of the shared document)."""

    __tablename__ = "lesson_plan_revisions"
    __table_args__ = (Index("ix_lesson_plan_revisions_study_id", "lesson_study_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lesson_study_id: Mapped[int] = mapped_column(
        ForeignKey("lesson_studies.id", ondelete="CASCADE")
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author: Mapped[User | None] = relationship()


class PlanComment(db.Model):  # type: ignore[name-defined]
    """A colleague's comment on the lesson plan."""

    __tablename__ = "lesson_plan_comments"
    __table_args__ = (Index("ix_lesson_plan_comments_study_id", "lesson_study_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lesson_study_id: Mapped[int] = mapped_column(
        ForeignKey("lesson_studies.id", ondelete="CASCADE")
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    body: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author: Mapped[User | None] = relationship()


class LessonResource(db.Model):  # type: ignore[name-defined]
    """A community resource linked to the lesson plan (a modul ajar, an LKPD...)."""

    __tablename__ = "lesson_resources"
    __table_args__ = (UniqueConstraint("lesson_study_id", "resource_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lesson_study_id: Mapped[int] = mapped_column(
        ForeignKey("lesson_studies.id", ondelete="CASCADE")
    )
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"))


class Observation(db.Model):  # type: ignore[name-defined]
    """One thing an observer saw a student do: the student by code only, what, when.

    ``client_id`` (made by the observer's phone) makes a resubmission, or an offline
    queue sent again, the same row."""

    __tablename__ = "lesson_observations"
    __table_args__ = (
        UniqueConstraint("observer_id", "client_id"),
        Index("ix_lesson_observations_study_id", "lesson_study_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lesson_study_id: Mapped[int] = mapped_column(
        ForeignKey("lesson_studies.id", ondelete="CASCADE")
    )
    observer_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    client_id: Mapped[str] = mapped_column(String(64))
    student_code: Mapped[str] = mapped_column(String(12))
    #: when in the lesson, as the observer wrote it ("08.15", "menit 20")
    moment: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text)
    photo_key: Mapped[str | None] = mapped_column(String(80), nullable=True)
    photo_type: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    observer: Mapped[User | None] = relationship()


class MentoringPair(db.Model):  # type: ignore[name-defined]
    """A mentor with one or more mentees in a community; private to them and the
    community's coordinators."""

    __tablename__ = "mentoring_pairs"
    __table_args__ = (Index("ix_mentoring_pairs_community_id_id", "community_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    focus: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(10), default="active")
    #: PKB hours (JP) the coordinator credits for each logged session
    session_hours: Mapped[int] = mapped_column(Integer, default=0)
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    community: Mapped[Community] = relationship()
    mentor: Mapped[User] = relationship(foreign_keys=[mentor_id])
    mentees: Mapped[list[MentoringMentee]] = relationship(
        cascade="all, delete-orphan", back_populates="pair", order_by="MentoringMentee.id"
    )

    def mentee_ids(self) -> set[int]:
        """The user ids of the mentees."""
        return {m.user_id for m in self.mentees}

    def member_ids(self) -> set[int]:
        """Mentor and mentees."""
        return {self.mentor_id, *self.mentee_ids()}


class MentoringMentee(db.Model):  # type: ignore[name-defined]
    """A mentee of a pair."""

    __tablename__ = "mentoring_mentees"
    __table_args__ = (UniqueConstraint("pair_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("mentoring_pairs.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    pair: Mapped[MentoringPair] = relationship(back_populates="mentees")
    user: Mapped[User] = relationship()


class MentoringSession(db.Model):  # type: ignore[name-defined]
    """One session of a pair in the GROW shape: goal, reality, options, next step (with a
    due date the mentee is reminded of)."""

    __tablename__ = "mentoring_sessions"
    __table_args__ = (Index("ix_mentoring_sessions_pair_id_id", "pair_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("mentoring_pairs.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    held_on: Mapped[date] = mapped_column(Date)
    goal: Mapped[str] = mapped_column(Text)
    reality: Mapped[str] = mapped_column(Text, default="")
    options: Mapped[str] = mapped_column(Text, default="")
    next_step: Mapped[str] = mapped_column(Text)
    next_due: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author: Mapped[User | None] = relationship()


class MentoringFeedback(db.Model):  # type: ignore[name-defined]
    """A mentee's feedback on one session (one each, editable)."""

    __tablename__ = "mentoring_feedback"
    __table_args__ = (UniqueConstraint("session_id", "mentee_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("mentoring_sessions.id", ondelete="CASCADE"))
    mentee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: 1 (not helpful) to 5 (very helpful)
    rating: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    mentee: Mapped[User] = relationship()


class PTK(db.Model):  # type: ignore[name-defined]
    """A teacher's classroom action research (penelitian tindakan kelas) with its small
    working group, cycles and invited reviewers."""

    __tablename__ = "ptks"
    __table_args__ = (Index("ix_ptks_community_id_id", "community_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    problem: Mapped[str] = mapped_column(Text)
    #: PKB hours (JP) the coordinator credits to the author, the group and reviewers
    hours: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    community: Mapped[Community] = relationship()
    author: Mapped[User | None] = relationship()
    members: Mapped[list[PTKMember]] = relationship(
        cascade="all, delete-orphan", back_populates="ptk", order_by="PTKMember.id"
    )
    cycles: Mapped[list[PTKCycle]] = relationship(
        cascade="all, delete-orphan", back_populates="ptk", order_by="PTKCycle.number"
    )

    def group_ids(self) -> set[int]:
        """The author and the working group's members."""
        ids = {m.user_id for m in self.members}
        if self.author_id is not None:
            ids.add(self.author_id)
        return ids


class PTKMember(db.Model):  # type: ignore[name-defined]
    """A colleague in the PTK's working group."""

    __tablename__ = "ptk_members"
    __table_args__ = (UniqueConstraint("ptk_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ptk_id: Mapped[int] = mapped_column(ForeignKey("ptks.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    ptk: Mapped[PTK] = relationship(back_populates="members")
    user: Mapped[User] = relationship()


class PTKCycle(db.Model):  # type: ignore[name-defined]
    """One cycle (siklus) of a PTK: plan, act, observe, reflect."""

    __tablename__ = "ptk_cycles"
    __table_args__ = (UniqueConstraint("ptk_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ptk_id: Mapped[int] = mapped_column(ForeignKey("ptks.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    plan: Mapped[str] = mapped_column(Text, default="")
    act: Mapped[str] = mapped_column(Text, default="")
    observe: Mapped[str] = mapped_column(Text, default="")
    reflect: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    ptk: Mapped[PTK] = relationship(back_populates="cycles")
    files: Mapped[list[PTKFile]] = relationship(order_by="PTKFile.id", viewonly=True)


class PTKFile(db.Model):  # type: ignore[name-defined]
    """Data attached to a cycle (a score sheet, a photo), kept by the storage backend."""

    __tablename__ = "ptk_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cycle_id: Mapped[int] = mapped_column(
        ForeignKey("ptk_cycles.id", ondelete="CASCADE"), index=True
    )
    uploader_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    storage_key: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PTKComment(db.Model):  # type: ignore[name-defined]
    """Peer feedback (or a reviewer's) on a PTK, optionally about one cycle."""

    __tablename__ = "ptk_comments"
    __table_args__ = (Index("ix_ptk_comments_ptk_id_id", "ptk_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ptk_id: Mapped[int] = mapped_column(ForeignKey("ptks.id", ondelete="CASCADE"))
    cycle_id: Mapped[int | None] = mapped_column(
        ForeignKey("ptk_cycles.id", ondelete="SET NULL"), nullable=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    body: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author: Mapped[User | None] = relationship()


class PTKReviewer(db.Model):  # type: ignore[name-defined]
    """A guest reviewer's grant (a pengawas): read and comment on THIS PTK only.

    Made when the invite is written (``user_id`` empty, the signed link names this row)
    and bound to the account that opens the link first."""

    __tablename__ = "ptk_reviewers"
    __table_args__ = (UniqueConstraint("ptk_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ptk_id: Mapped[int] = mapped_column(ForeignKey("ptks.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=True, index=True
    )
    #: who the invite is for, as the author wrote it ("Ibu Pengawas Sekolah")
    note: Mapped[str] = mapped_column(String(200), default="")
    invited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
