"""Builders for test data. Users and communities go through the real services,
so they are exactly what the app creates; memberships are written directly so
a test can set up any role and status in one step."""

from __future__ import annotations

import itertools
from typing import Any

from flask import Flask

from cop.auth import services as auth_services
from cop.auth.models import User
from cop.communities import services as community_services
from cop.communities.models import Community, Membership
from cop.extensions import db

DEFAULT_PASSWORD = "pelangi-senja-42"
_counter = itertools.count(1)


class Factory:
    """``factory.user()``, ``factory.community(owner)``, ``factory.member(c, user, role=...)``.

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
    ) -> Any:
        """A resource shared through the real service: a file (a small PDF by default) or a link."""
        import io

        from cop.resources import services as resource_services

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
