"""Builders for test data. Users, communities, topics, replies, chat messages and
resources go through the real services, so they are exactly what the app
creates (first post, read position, subscription, search entry, counts);
memberships, meetings and attendance are written directly so a test can set up
any role, status or time (a meeting in the past, one under way) in one step."""

from __future__ import annotations

import io
import itertools
import uuid
from datetime import timedelta
from typing import Any

from flask import Flask

from cop.auth import services as auth_services
from cop.auth.models import User
from cop.chat import services as chat_services
from cop.chat.models import Channel, Message
from cop.communities import services as community_services
from cop.communities.models import Community, Membership
from cop.core.types import utcnow
from cop.discussions import services as discussion_services
from cop.discussions.models import Post, Topic
from cop.extensions import db
from cop.meetings.models import AgendaItem, Attendance, Meeting
from cop.resources import services as resource_services
from cop.resources.models import Resource

DEFAULT_PASSWORD = "pelangi-senja-42"
_counter = itertools.count(1)


class Factory:
    """``factory.user()``, ``factory.community(owner)``, ``factory.member(c, user, role=...)``,
    ``factory.topic(c, author)``, ``factory.post(topic, author)``, ``factory.meeting(c, creator)``,
    ``factory.attendance(meeting, user)``, ``factory.message(c, author)``,
    ``factory.resource(c, uploader)``.

    Every call runs in its own app context and returns detached objects whose
    column attributes stay readable (expire_on_commit is off).
    """

    def __init__(self, app: Flask) -> None:
        self.app = app

    def user(self, **kwargs: Any) -> User:
        """A registered, active user; ``admin=True`` for a site admin."""
        n = next(_counter)
        admin = kwargs.pop("admin", False)
        active = kwargs.pop("active", True)
        profile = {
            key: kwargs.pop(key)
            for key in ("school", "subjects", "level", "province", "city", "bio")
            if key in kwargs
        }
        with self.app.app_context():
            user = auth_services.register(
                kwargs.pop("email", f"guru{n}@example.id"),
                kwargs.pop("password", DEFAULT_PASSWORD),
                kwargs.pop("name", f"Guru Nomor {n}"),
                is_admin=admin,
                **kwargs,
            )
            if profile:
                auth_services.update_profile(user, auth_services.Profile(**profile))
            if not active:
                user.active = False
                db.session.commit()
            return user

    def community(self, owner: User | None = None, **kwargs: Any) -> Community:
        """A community created by ``owner`` (a new user if omitted)."""
        owner = owner or self.user()
        n = next(_counter)
        data = community_services.CommunityData(
            name=kwargs.pop("name", f"KKG Gugus {n}"),
            kind=kwargs.pop("kind", "KKG"),
            visibility=kwargs.pop("visibility", "public"),
            subject=kwargs.pop("subject", ""),
            level=kwargs.pop("level", "SD"),
            province=kwargs.pop("province", "Sulawesi Selatan"),
            city=kwargs.pop("city", "Kota Makassar"),
            description=kwargs.pop("description", "Komunitas guru untuk belajar bersama."),
        )
        with self.app.app_context():
            owner = db.session.merge(owner)
            return community_services.create_community(owner, data, **kwargs)

    def member(
        self,
        community: Community,
        user: User | None = None,
        role: str = "member",
        status: str = "active",
    ) -> Membership:
        """Put ``user`` (a new one if omitted) into ``community`` with a role and status."""
        user = user or self.user()
        with self.app.app_context():
            community = db.session.merge(community)
            user = db.session.merge(user)
            membership = Membership(
                user_id=user.id, community_id=community.id, role=role, status=status
            )
            db.session.add(membership)
            db.session.flush()
            community.member_count = (
                db.session.query(Membership)
                .filter_by(community_id=community.id, status="active")
                .count()
            )
            db.session.commit()
            return membership

    def get(self, model: type, ident: int) -> Any:
        """A fresh copy of a row (after requests changed it)."""
        with self.app.app_context():
            return db.session.get(model, ident)

    def resource(
        self,
        community: Community,
        uploader: User,
        *,
        title: str = "LKPD Pecahan Senilai",
        content: bytes | None = None,
        filename: str = "lkpd.pdf",
        url: str | None = None,
        **fields: Any,
    ) -> Resource:
        """A resource shared through the real service: a file (a small PDF by default) or a link."""
        data = resource_services.ResourceData(
            title=title, kind=fields.pop("kind", "lkpd"), **fields
        )
        with self.app.app_context():
            community = db.session.merge(community)
            uploader = db.session.merge(uploader)
            if url is not None:
                return resource_services.share_link(uploader, community, data, url)
            body = content if content is not None else b"%PDF-1.4\n" + title.encode() + b"\n%%EOF"
            upload = resource_services.Upload(io.BytesIO(body), filename)
            return resource_services.share_file(uploader, community, data, upload)

    def topic(
        self,
        community: Community,
        author: User,
        *,
        title: str | None = None,
        body: str = "Bagaimana cara membuat asesmen diagnostik?",
        tags: str = "",
    ) -> Topic:
        """A topic with its first post, started through the service (``author`` must be a member).

        ``topic.first_post_id`` is the first post; the author watches the topic and has read it.
        """
        title = title or f"Asesmen diagnostik {next(_counter)}"
        with self.app.app_context():
            author = db.session.merge(author)
            community = db.session.merge(community)
            return discussion_services.create_topic(
                author, community, discussion_services.TopicData(title=title, body=body, tags=tags)
            )

    def post(
        self,
        topic: Topic,
        author: User,
        body: str = "Terima kasih, sangat membantu.",
        *,
        parent: Post | int | None = None,
    ) -> Post:
        """A reply to ``topic`` through the service; ``parent`` (a post or its id) threads it."""
        parent_id = parent.id if isinstance(parent, Post) else parent
        with self.app.app_context():
            author = db.session.merge(author)
            current = db.session.get(Topic, topic.id)
            assert current is not None, "the topic is gone"
            return discussion_services.reply(author, current, body, parent_id=parent_id)

    def meeting(
        self,
        community: Community,
        creator: User,
        *,
        starts_in: timedelta = timedelta(days=7),
        hours: float = 3,
        agenda: list[str | dict[str, Any]] | None = None,
        **fields: Any,
    ) -> Meeting:
        """A meeting starting ``starts_in`` from now (negative: under way or past), with agenda.

        Written directly: the scheduling service refuses a start in the past and notifies
        every member. ``agenda`` items are titles (30 minutes each) or dicts of
        AgendaItem columns (``{"title": ..., "presenter_id": ..., "duration_min": ...}``).
        The meeting comes back with ``agenda`` and ``community`` loaded.
        """
        start = (utcnow() + starts_in).replace(microsecond=0)
        values: dict[str, Any] = {
            "community_id": community.id,
            "title": "KKG Gugus 3 Tamalate",
            "kind": "routine",
            "starts_at": start,
            "ends_at": start + timedelta(hours=hours),
            "timezone": "Asia/Makassar",
            "mode": "offline",
            "location": "SD Inpres Tamalate",
            "pkb_hours": 4,
            "checkin_code": "KODE42",
            "created_by_id": creator.id,
        }
        values.update(fields)
        items = [{"title": a} if isinstance(a, str) else a for a in agenda or []]
        with self.app.app_context():
            meeting = Meeting(**values)
            meeting.agenda = [
                AgendaItem(**{"duration_min": 30, **item, "position": i})
                for i, item in enumerate(items)
            ]
            db.session.add(meeting)
            db.session.commit()
            loaded = db.session.get(Meeting, meeting.id)
            assert loaded is not None
            _ = loaded.agenda, loaded.community
            return loaded

    def attendance(
        self, meeting: Meeting, user: User, *, method: str = "coordinator", **fields: Any
    ) -> Attendance:
        """``user`` counted present at ``meeting`` (checked in when it started)."""
        values = {"checked_in_at": meeting.starts_at, **fields}
        with self.app.app_context():
            row = Attendance(meeting_id=meeting.id, user_id=user.id, method=method, **values)
            db.session.add(row)
            db.session.commit()
            return row

    def message(
        self,
        where: Community | Channel,
        author: User,
        body: str = "Halo semua",
        *,
        client_id: str | None = None,
    ) -> Message:
        """A chat message through the service, in a channel or a community's general channel."""
        with self.app.app_context():
            if isinstance(where, Community):
                channel = chat_services.ensure_general_channel(db.session.merge(where))
            else:
                channel = db.session.merge(where)
            message, _created = chat_services.send_message(
                db.session.merge(author), channel, body, client_id or uuid.uuid4().hex
            )
            return message
