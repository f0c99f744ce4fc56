"""meeting.view_minutes reads whether the minutes are published from the database
(through the meetings models, not the meetings service)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cop.auth.models import User
from cop.core import permissions
from cop.core.types import utcnow
from cop.extensions import db
from cop.meetings.models import Meeting, Minutes


@pytest.fixture
def meeting_world(app, factory):
    """A private community with a coordinator, a member and one meeting without minutes."""
    coordinator = factory.user()
    community = factory.community(coordinator, visibility="private")
    member = factory.member(community).user_id
    with app.app_context():
        starts = utcnow() + timedelta(days=3)
        meeting = Meeting(
            community_id=community.id,
            title="KKG bulanan",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            timezone="Asia/Makassar",
            checkin_code="ABC123",
        )
        db.session.add(meeting)
        db.session.commit()
        return {"coordinator": coordinator.id, "member": member, "meeting": meeting.id}


def _can(name, world):
    user = db.session.get(User, world[name])
    return permissions.can(user, "meeting.view_minutes", db.session.get(Meeting, world["meeting"]))


@pytest.mark.parametrize(
    ("minutes", "coordinator", "member"),
    [(None, True, False), ("draft", True, False), ("published", True, True)],
)
def test_minutes_are_seen_once_published(app, meeting_world, minutes, coordinator, member):
    with app.app_context():
        if minutes is not None:
            row = Minutes(meeting_id=meeting_world["meeting"], body="Notulen")
            row.published = minutes == "published"
            db.session.add(row)
            db.session.commit()
        assert _can("coordinator", meeting_world) is coordinator
        assert _can("member", meeting_world) is member


def test_publishing_shows_at_once_in_the_same_session(app, meeting_world):
    """The rule asks the database each time: publishing is seen by the next check."""
    with app.app_context():
        row = Minutes(meeting_id=meeting_world["meeting"], body="Notulen", published=False)
        db.session.add(row)
        db.session.commit()
        assert _can("member", meeting_world) is False
        row.published = True
        db.session.commit()
        assert _can("member", meeting_world) is True
