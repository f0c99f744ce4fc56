"""Community operations: create, edit, join, invite, leave, roles, bans.

Every operation takes the acting user explicitly, checks the permissions
policy, owns its transaction and keeps ``member_count`` in step.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from cop import signals
from cop.admin.services import record
from cop.auth.models import User
from cop.communities import queries
from cop.communities.models import (
    KINDS,
    LEVELS,
    ROLES,
    VISIBILITIES,
    Community,
    Membership,
)
from cop.core import permissions, site
from cop.core.db import unit_of_work
from cop.core.errors import Conflict, Forbidden, NotFound, ValidationError
from cop.core.types import utcnow
from cop.extensions import db

#: the one message for a community that does not exist or is not visible
UNKNOWN = _l("That community does not exist.")
#: slugs that would clash with pages under /c/
RESERVED_SLUGS = {"new", "join", "invite", "mine", "api", "admin", "static"}
SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,78}[a-z0-9])$")
#: a second community with the same name from the same person this soon is a double submit
DUPLICATE_WINDOW = timedelta(minutes=1)


@dataclass
class CommunityData:
    """The fields a coordinator fills in when creating or editing a community."""

    name: str
    kind: str
    visibility: str = "public"
    subject: str = ""
    level: str | None = None
    province: str = ""
    city: str = ""
    description: str = ""


def _validate(data: CommunityData) -> CommunityData:
    errors: dict[str, object] = {}
    data.name = (data.name or "").strip()
    if not 3 <= len(data.name) <= 120:
        errors["name"] = _l("Enter a name of 3 to 120 characters.")
    if data.kind not in KINDS:
        errors["kind"] = _l("Choose KKG, MGMP, KOMBEL or OTHER.")
    if data.visibility not in VISIBILITIES:
        errors["visibility"] = _l("Choose public, private or hidden.")
    data.level = data.level or None
    if data.level is not None and data.level not in LEVELS:
        errors["level"] = _l("Choose SD, SMP, SMA or SMK.")
    limits = {"subject": 80, "province": 80, "city": 80, "description": 5000}
    for field, limit in limits.items():
        value = (getattr(data, field) or "").strip()
        setattr(data, field, value)
        if len(value) > limit:
            errors[field] = _l("At most %(n)d characters.", n=limit)
    if errors:
        raise ValidationError(fields=errors)
    return data


def _slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60].strip("-")
    return slug if len(slug) >= 3 else f"komunitas-{slug}".strip("-")


def _unique_slug(name: str) -> str:
    base = _slugify(name)
    taken = set(db.session.scalars(select(Community.slug).where(Community.slug.like(f"{base}%"))))
    taken |= RESERVED_SLUGS
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _recount(community: Community) -> None:
    db.session.flush()
    community.member_count = (
        db.session.scalar(
            select(func.count(Membership.id)).where(
                Membership.community_id == community.id, Membership.status == "active"
            )
        )
        or 0
    )


def _coordinator_count(community: Community) -> int:
    return (
        db.session.scalar(
            select(func.count(Membership.id)).where(
                Membership.community_id == community.id,
                Membership.status == "active",
                Membership.role == "coordinator",
            )
        )
        or 0
    )


def _changed(membership: Membership, actor: User | None, change: str) -> None:
    signals.membership_changed.send(membership, membership=membership, actor=actor, change=change)


def may_create(user: User) -> bool:
    """Whether the site lets ``user`` start a community (site setting ``community_creators``)."""
    return site.get("community_creators") == "everyone" or permissions.is_admin(user)


def require_may_create(user: User) -> None:
    """Raise Forbidden (with the reason) when the site does not let ``user`` create one."""
    if not may_create(user):
        raise Forbidden(_l("On this site only site admins create communities."))


def create_community(creator: User, data: CommunityData, slug: str | None = None) -> Community:
    """Create a community; the creator becomes its first coordinator.

    When the site asks for approval (``community_approval``), a community made by
    anyone but a site admin starts ``pending``: only its members and site admins
    see it until a site admin approves it.
    """
    require_may_create(creator)
    data = _validate(data)
    if slug is not None and (not SLUG_RE.match(slug) or slug in RESERVED_SLUGS):
        raise ValidationError(fields={"slug": _l("Use 3-80 lowercase letters, digits and dashes.")})
    try:
        with unit_of_work():
            # Lock the creator's row so two submits of the same form (a double
            # click, a resend on a flaky connection) run one after the other;
            # the second then sees the first community and stops. SQLite's
            # BEGIN IMMEDIATE already serialises writers.
            db.session.execute(select(User.id).where(User.id == creator.id).with_for_update())
            if queries.recent_duplicate(creator, data.name, DUPLICATE_WINDOW):
                raise Conflict(
                    _l("You created a community with this name a moment ago."),
                    code="duplicate_community",
                )
            if slug and db.session.scalar(select(Community.id).where(Community.slug == slug)):
                raise Conflict(_l("That address is already used by another community."))
            community = Community(
                slug=slug or _unique_slug(data.name),
                invite_token=secrets.token_urlsafe(24),
                created_by_id=creator.id,
                member_count=1,
                status=(
                    "pending"
                    if site.get("community_approval") and not permissions.is_admin(creator)
                    else "active"
                ),
                **vars(data),
            )
            db.session.add(community)
            db.session.flush()
            membership = Membership(
                user_id=creator.id,
                community_id=community.id,
                role="coordinator",
                status="active",
                joined_at=utcnow(),
            )
            db.session.add(membership)
            record(
                creator, "community.create", "community", community.id, community_id=community.id
            )
    except IntegrityError as exc:
        raise Conflict(_l("That address is already used by another community.")) from exc
    signals.community_created.send(community, community=community, creator=creator)
    _changed(membership, creator, "created")
    return community


def update_community(actor: User, community: Community, data: CommunityData) -> Community:
    """Edit name, kind, region, description or visibility (coordinators)."""
    permissions.authorize(actor, "community.manage", community)
    data = _validate(data)
    with unit_of_work():
        for field, value in vars(data).items():
            setattr(community, field, value)
        db.session.add(community)
        record(actor, "community.update", "community", community.id, community_id=community.id)
    return community


def get_by_id(community_id: int) -> Community:
    """The community with this id, or NotFound."""
    community = db.session.get(Community, community_id)
    if community is None:
        raise NotFound(UNKNOWN)
    return community


def get_by_slug(slug: str) -> Community:
    """The community with this slug, or NotFound."""
    # PostgreSQL text cannot hold NUL: such a slug names nothing (a 404, not a 500).
    community = (
        None
        if "\x00" in slug
        else db.session.scalar(select(Community).where(Community.slug == slug))
    )
    if community is None:
        raise NotFound(UNKNOWN)
    return community


def visible_community(user: User | None, slug: str, action: str = "community.view") -> Community:
    """The community if ``user`` may ``action`` it; one 404 for unknown and invisible.

    Pages and the API both come here. Unknown and invisible communities get
    the same message, so a 404 does not tell whether a hidden community
    exists; a visible one the user may not ``action`` is a 401 or 403.
    """
    return permissions.visible(user, action, get_by_slug(slug), missing=UNKNOWN)


def join(user: User, community: Community) -> Membership:
    """Join a public community at once, or ask to join a private one.

    Hidden communities are joined only through an invite link.
    """
    permissions.authorize(user, "community.view", community)
    existing = permissions.membership_of(user, community)
    if existing is not None:
        if existing.status == "banned":
            raise Forbidden(_l("You have been banned from this community."), code="banned")
        if existing.status == "pending":
            raise Conflict(_l("Your request to join is already waiting for approval."))
        raise Conflict(_l("You are already a member of this community."), code="already_member")
    if community.visibility == "hidden":
        raise NotFound()
    status = "active" if community.visibility == "public" else "pending"
    return _add_member(user, community, status, actor=user)


def join_by_invite(user: User, community_or_token: str) -> Membership:
    """Join any community (hidden ones too) with its invite token."""
    community = db.session.scalar(
        select(Community).where(Community.invite_token == community_or_token)
    )
    if community is None:
        raise NotFound(_l("This invite link is not valid (any more)."), code="invalid_invite")
    existing = permissions.membership_of(user, community)
    if existing is not None:
        if existing.status == "banned":
            raise Forbidden(_l("You have been banned from this community."), code="banned")
        if existing.status == "active":
            return existing
        with unit_of_work():
            existing.status = "active"
            existing.joined_at = utcnow()
            _recount(community)
        _changed(existing, user, "approved")
        return existing
    return _add_member(user, community, "active", actor=user)


def _add_member(user: User, community: Community, status: str, actor: User) -> Membership:
    try:
        with unit_of_work():
            membership = Membership(
                user_id=user.id,
                community_id=community.id,
                role="member",
                status=status,
                joined_at=utcnow() if status == "active" else None,
            )
            db.session.add(membership)
            _recount(community)
    except IntegrityError as exc:
        # A double click: the first request already created the membership.
        raise Conflict(
            _l("You are already a member of this community."), code="already_member"
        ) from exc
    _changed(membership, actor, "joined" if status == "active" else "requested")
    return membership


def leave(user: User, community: Community) -> None:
    """Leave, or withdraw a pending request. The last coordinator must hand over first."""
    membership = permissions.membership_of(user, community)
    if membership is None or membership.status == "banned":
        raise NotFound(_l("You are not a member of this community."))
    with unit_of_work():
        is_coordinator = membership.role == "coordinator" and membership.status == "active"
        if is_coordinator and _coordinator_count(community) <= 1:
            raise Conflict(
                _l("You are the last coordinator. Make another member coordinator first."),
                code="last_coordinator",
            )
        db.session.delete(membership)
        _recount(community)
    _changed(membership, user, "left")


def _target_membership(community: Community, user_id: int) -> Membership:
    membership = db.session.scalar(
        select(Membership).where(
            Membership.community_id == community.id, Membership.user_id == user_id
        )
    )
    if membership is None:
        raise NotFound(_l("That person is not a member of this community."))
    return membership


def change_member(
    actor: User,
    community: Community,
    user_id: int,
    *,
    role: str | None = None,
    status: str | None = None,
) -> Membership:
    """Set a member's role and/or status (approve, ban, unban). Coordinators only.

    The community always keeps at least one active coordinator.
    """
    permissions.authorize(actor, "community.manage", community)
    if role is None and status is None:
        raise ValidationError(_l("Say which role or status to set."))
    if role is not None and role not in ROLES:
        raise ValidationError(fields={"role": _l("Choose member, moderator or coordinator.")})
    if status is not None and status not in ("active", "banned"):
        raise ValidationError(fields={"status": _l("Choose active or banned.")})
    membership = _target_membership(community, user_id)
    before = (membership.role, membership.status)
    with unit_of_work():
        was_coordinator = membership.role == "coordinator" and membership.status == "active"
        if role is not None:
            membership.role = role
        if status is not None:
            if status == "active" and membership.joined_at is None:
                membership.joined_at = utcnow()
            membership.status = status
        if membership.status == "banned":
            membership.role = "member"
        still = membership.role == "coordinator" and membership.status == "active"
        if was_coordinator and not still:
            db.session.flush()
            if _coordinator_count(community) < 1:
                raise Conflict(
                    _l("A community needs at least one coordinator."), code="last_coordinator"
                )
        _recount(community)
        record(
            actor,
            "membership.change",
            "user",
            user_id,
            community_id=community.id,
            before={"role": before[0], "status": before[1]},
            after={"role": membership.role, "status": membership.status},
        )
    change = (
        "banned"
        if membership.status == "banned"
        else ("approved" if before[1] == "pending" and membership.status == "active" else "role")
    )
    _changed(membership, actor, change)
    return membership


def reject_request(actor: User, community: Community, user_id: int) -> None:
    """Turn down a pending request to join (the person may ask again later)."""
    permissions.authorize(actor, "community.manage", community)
    membership = _target_membership(community, user_id)
    if membership.status != "pending":
        raise Conflict(_l("There is no pending request from that person."))
    with unit_of_work():
        db.session.delete(membership)
        record(actor, "membership.reject", "user", user_id, community_id=community.id)
    _changed(membership, actor, "rejected")


def rotate_invite(actor: User, community: Community) -> Community:
    """Make a new invite link; the old one stops working."""
    permissions.authorize(actor, "community.invite", community)
    with unit_of_work():
        community.invite_token = secrets.token_urlsafe(24)
        db.session.add(community)
        record(
            actor, "community.rotate_invite", "community", community.id, community_id=community.id
        )
    return community


#: a review decision -> (the status it sets, the statuses it applies to)
REVIEWS = {
    "approved": ("active", ("pending", "rejected")),
    "rejected": ("rejected", ("pending",)),
    "archived": ("archived", ("active",)),
    "restored": ("active", ("archived",)),
}


def review(actor: User, community: Community, decision: str, note: str = "") -> Community:
    """A site admin approves, rejects (a reason is required), archives or restores a
    community; audited, and its coordinators are told (``community_reviewed``)."""
    permissions.authorize(actor, "community.review", community)
    if decision not in REVIEWS:
        raise ValidationError(fields={"decision": _l("Choose one of the options.")})
    note = note.strip()
    if decision == "rejected" and not note:
        raise ValidationError(fields={"note": _l("Say why, so the creator can put it right.")})
    if len(note) > 500:
        raise ValidationError(fields={"note": _l("At most %(n)d characters.", n=500)})
    status, applies_to = REVIEWS[decision]
    with unit_of_work():
        current = db.session.get(Community, community.id, with_for_update=True)
        if current is None:
            raise NotFound(UNKNOWN)
        if current.status not in applies_to:
            raise Conflict(_l("This community was already reviewed."), code="already_reviewed")
        current.status = status
        current.review_note = note
        record(
            actor,
            f"community.{decision}",
            "community",
            current.id,
            community_id=current.id,
            note=note,
        )
    signals.send_after_commit(
        signals.community_reviewed,
        current,
        community=current,
        actor=actor,
        decision=decision,
        note=note,
    )
    return current
