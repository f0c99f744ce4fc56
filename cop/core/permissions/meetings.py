"""Meeting rules: a meeting is content of its community.

The target is a Meeting (cop.meetings.models). The rules read the models
only (the core imports no feature beyond its models).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from cop.core.permissions.base import _has_role, is_admin, register
from cop.core.permissions.communities import (
    _community_manage,
    _community_participate,
    _community_view_content,
)
from cop.extensions import db
from cop.meetings.models import Minutes


def _meeting_view(user: Any, meeting: Any) -> bool:
    """A meeting is content of its community: seen where the community's content is."""
    return _community_view_content(user, meeting.community)


def _meeting_rsvp(user: Any, meeting: Any) -> bool:
    """Answer, check in: active members of the meeting's community."""
    return _community_participate(user, meeting.community)


def _meeting_manage(user: Any, meeting: Any) -> bool:
    """Edit, cancel, agenda, attendance, minutes: coordinators (and site admins)."""
    return _community_manage(user, meeting.community)


def _meeting_view_attendees(user: Any, meeting: Any) -> bool:
    """The names of who is coming: active members of the community (and site admins).

    Everyone who may see the meeting sees the counts; a visitor or an outsider of a
    public community does not learn who said yes.
    """
    return is_admin(user) or _community_participate(user, meeting.community)


def _minutes_published(meeting: Any) -> bool:
    # A column read, not a relationship: sessions keep loaded objects after a
    # commit (expire_on_commit=False), so a cached Minutes could be stale.
    published = db.session.scalar(select(Minutes.published).where(Minutes.meeting_id == meeting.id))
    return bool(published)


def _meeting_view_minutes(user: Any, meeting: Any) -> bool:
    """Members (and anyone on public communities) once published; coordinators always."""
    return _meeting_manage(user, meeting) or _minutes_published(meeting)


def _community_sign_certificates(user: Any, community: Any) -> bool:
    """Upload, replace or remove the certificates' signature and stamp images: the
    community's coordinators only (a site admin's hand is not the coordinator's)."""
    return _has_role(user, community, "coordinator")


register(
    {
        "community.sign_certificates": (_community_sign_certificates, "community.view_content"),
        "meeting.view": (_meeting_view, None),
        "meeting.rsvp": (_meeting_rsvp, "meeting.view"),
        "meeting.manage": (_meeting_manage, "meeting.view"),
        "meeting.view_minutes": (_meeting_view_minutes, "meeting.view"),
        "meeting.view_attendees": (_meeting_view_attendees, "meeting.view"),
    },
    {"meeting.view"},
)
