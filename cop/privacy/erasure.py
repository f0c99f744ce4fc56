"""Erasing an account's personal data (the steps of ``services.erase``): what the member
wrote removed or kept under "Mantan anggota", their name taken out of others'
notifications, certificates kept as anonymous records or revoked, memberships left
(with the communities' counts), and the tombstone that kept rows point at."""

from __future__ import annotations

import secrets

from sqlalchemy import delete, func, select, update

from cop.auth.models import User
from cop.auth.passwords import hash_password
from cop.core.i18n import replace_in_portable
from cop.core.types import utcnow
from cop.extensions import db

FORMER_MEMBER = "Mantan anggota"


def forget_in_notifications(user_id: int, old_name: str) -> None:
    """Their own notifications go; others' that name them ("Bu Rina replied...") say
    "Mantan anggota" instead, in the stored title and in the kept message."""
    from cop.notifications.models import TITLE_MESSAGE, Notification

    db.session.execute(delete(Notification).where(Notification.user_id == user_id))
    if not old_name:
        return
    for row in db.session.scalars(
        select(Notification).where(Notification.title.contains(old_name))
    ):
        row.title = row.title.replace(old_name, FORMER_MEMBER)
        message = (row.data or {}).get(TITLE_MESSAGE)
        if isinstance(message, dict):
            renamed = replace_in_portable(message, old_name, FORMER_MEMBER)
            row.data = {**row.data, TITLE_MESSAGE: renamed}


def remove_content(user_id: int) -> list[str]:
    """What the member wrote and shared, removed (threads keep their shape: a post becomes
    "deleted"); returns the storage keys of their files, deleted after the commit."""
    from cop.chat.models import Attachment, Message
    from cop.discussions.models import Post, PostRevision
    from cop.resources.models import Resource
    from cop.search.models import SearchDocument

    now = utcnow()
    posts = select(Post.id).where(Post.author_id == user_id)
    db.session.execute(delete(PostRevision).where(PostRevision.post_id.in_(posts)))
    db.session.execute(
        delete(SearchDocument).where(
            SearchDocument.kind == "post", SearchDocument.object_id.in_(posts)
        )
    )
    db.session.execute(
        update(Post).where(Post.author_id == user_id).values(body="", html="", deleted_at=now)
    )
    db.session.execute(
        update(Message).where(Message.author_id == user_id).values(body="", html="", deleted_at=now)
    )
    keys = [
        key
        for pair in db.session.execute(
            select(Attachment.storage_key, Attachment.thumb_key).where(
                Attachment.uploader_id == user_id
            )
        )
        for key in pair
        if key
    ]
    db.session.execute(delete(Attachment).where(Attachment.uploader_id == user_id))
    resources = select(Resource.id).where(Resource.uploader_id == user_id)
    keys += [
        k
        for k in db.session.scalars(
            select(Resource.storage_key).where(Resource.uploader_id == user_id)
        )
        if k
    ]
    db.session.execute(
        delete(SearchDocument).where(
            SearchDocument.kind == "resource", SearchDocument.object_id.in_(resources)
        )
    )
    db.session.execute(delete(Resource).where(Resource.uploader_id == user_id))
    return keys


def leave_communities(user_id: int) -> None:
    """End the memberships and keep the communities' member counts true."""

    from cop.communities.models import Community, Membership

    communities = list(
        db.session.scalars(select(Membership.community_id).where(Membership.user_id == user_id))
    )
    db.session.execute(delete(Membership).where(Membership.user_id == user_id))
    for community_id in communities:
        active = (
            select(func.count())
            .select_from(Membership)
            .where(Membership.community_id == community_id, Membership.status == "active")
            .scalar_subquery()
        )
        db.session.execute(
            update(Community).where(Community.id == community_id).values(member_count=active)
        )


#: rows that keep a community's figures and records true, kept under the tombstone
KEPT_TABLES = frozenset(
    {
        "meeting_attendance",
        "meeting_rsvps",
        "reactions",
        "resource_likes",
        "resource_downloads",
        "meeting_action_items",
        "meeting_agenda_items",
    }
)
#: what the member wrote or shared: kept under "Mantan anggota", or removed by
#: ``remove_content`` (never by a plain delete: others' replies hang on a topic)
CONTENT_TABLES = frozenset(
    {
        "topics",
        "posts",
        "post_revisions",
        "chat_messages",
        "chat_attachments",
        "resources",
        "meeting_minutes_revisions",
    }
)


def anonymise_certificates(user_id: int, *, keep: bool) -> None:
    """The member's certificates lose their name and their link to the account: kept, each
    keeps a digest of number and name, so the paper copy still verifies; else revoked."""
    from cop.meetings.models import HOLDER_LEFT, Certificate, name_digest

    now = utcnow()
    for certificate in db.session.scalars(
        select(Certificate).where(Certificate.user_id == user_id)
    ):
        certificate.name_digest = (
            name_digest(certificate.number, certificate.name) if keep else None
        )
        if not keep and certificate.revoked_at is None:
            certificate.revoked_at = now
            certificate.revoke_reason = HOLDER_LEFT
        certificate.name = ""
        certificate.user_id = None


def tombstone(user: User) -> None:
    """Erase every personal field; the row stays so kept rows still point somewhere."""
    user.email = f"deleted-{user.id}@invalid"
    user.username = f"deleted-{user.id}"
    user.name = FORMER_MEMBER
    for field in ("school", "subjects", "province", "city", "bio"):
        setattr(user, field, "")
    user.level = None
    user.password_hash = hash_password(secrets.token_hex(32))  # a password nobody knows
    user.active = False
    user.is_admin = False
    user.last_seen_at = None
