"""API: the community directory, creating, joining, members and their roles."""

from __future__ import annotations

from flask import request
from flask.typing import ResponseReturnValue

from cop.api.openapi import documented
from cop.api.views import ID, Body, bp, cursor_arg, list_json, query_choice, query_text
from cop.communities import queries as community_queries
from cop.communities import services as community_services
from cop.communities.models import KINDS, LEVELS, STATUSES
from cop.communities.serializers import community_json, member_json, membership_json
from cop.core import permissions
from cop.core.pagination import parse_limit
from cop.core.ratelimit import per_account_and_ip
from cop.core.web import current, viewer

LIST_PARAMS = ("limit", "cursor")


@bp.get("/communities")
@documented(
    "List the communities the caller may see",
    tag="communities",
    response="CommunityList",
    errors=(400,),
    auth="optional",
    query=("q", "kind", "subject", "level", "region", *LIST_PARAMS),
)
def list_communities() -> ResponseReturnValue:
    """The directory, filtered and keyset-paged by name."""
    filters = community_queries.DirectoryFilters(
        q=query_text("q"),
        kind=query_choice("kind", KINDS),
        subject=query_text("subject"),
        level=query_choice("level", LEVELS),
        region=query_text("region"),
    )
    limit = parse_limit(request.args.get("limit"))
    cursor = cursor_arg()
    user = viewer()
    page = community_queries.directory(user, filters, cursor=cursor, limit=limit)
    mine = community_queries.memberships_of(user, page.items)
    return list_json(page, lambda c: community_json(c, mine.get(c.id)))


@bp.post("/communities")
@documented(
    "Create a community (the caller becomes its coordinator)",
    tag="communities",
    status=201,
    body="CommunityCreate",
    response="Community",
    errors=(400, 409),
    rate_limited=True,
)
@per_account_and_ip("community_create", "COMMUNITY_CREATE_RATE_LIMIT")
def create_community() -> ResponseReturnValue:
    """Create a community; 409 when the chosen slug is taken."""
    user = current()
    body = Body.from_request()
    data = community_services.CommunityData(
        name=body.required("name", max_length=120),
        kind=body.required("kind"),
        visibility=body.required("visibility"),
        subject=body.text("subject", max_length=80) or "",
        level=body.text("level", nullable=True) or None,
        province=body.text("province", max_length=80) or "",
        city=body.text("city", max_length=80) or "",
        description=body.text("description", max_length=5000) or "",
    )
    slug = body.text("slug", max_length=80)
    body.done()
    community = community_services.create_community(user, data, slug=slug)
    return community_json(community, permissions.membership_of(user, community)), 201


@bp.get("/communities/<slug>")
@documented(
    "One community",
    tag="communities",
    response="Community",
    errors=(404,),
    auth="optional",
    description="Hidden communities are 404 to everyone but their members.",
)
def show_community(slug: str) -> ResponseReturnValue:
    """A community with the caller's membership."""
    user = viewer()
    community = community_services.visible_community(user, slug)
    return community_json(community, permissions.membership_of(user, community))


@bp.post("/communities/<slug>/join")
@documented(
    "Join a public community, or ask to join a private one",
    tag="communities",
    status=201,
    response="Membership",
    errors=(403, 404, 409),
    description="Public: status active; private: status pending until a coordinator approves. "
    "409 when already a member or waiting, 403 when banned, 404 for hidden communities "
    "(join those with an invite link).",
)
def join_community(slug: str) -> ResponseReturnValue:
    """Join (or request to join) a community."""
    community = community_services.visible_community(viewer(), slug)
    user = current()
    membership = community_services.join(user, community)
    return membership_json(membership, community), 201


@bp.get("/communities/<slug>/members")
@documented(
    "Members of a community with their roles",
    tag="communities",
    response="MemberList",
    errors=(400, 403, 404),
    auth="optional",
    query=("member_status", *LIST_PARAMS),
    description="Public communities show members to everyone; private and hidden ones only "
    "to their members (404 otherwise). Only coordinators may list pending or banned people.",
)
def list_members(slug: str) -> ResponseReturnValue:
    """Members, longest-standing first (keyset-paged)."""
    status = query_choice("status", STATUSES) or "active"
    limit = parse_limit(request.args.get("limit"))
    cursor = cursor_arg()
    user = viewer()
    community = community_services.visible_community(user, slug, "community.view_members")
    if status != "active":
        permissions.authorize(user, "community.manage", community)
    page = community_queries.members(community, status=status, cursor=cursor, limit=limit)
    return list_json(page, member_json)


@bp.patch(f"/communities/<slug>/members/<{ID}:user_id>")
@documented(
    "Set a member's role or status (coordinators)",
    tag="communities",
    body="MemberUpdate",
    response="Membership",
    errors=(400, 403, 404, 409),
    description="status active approves a request or lifts a ban; banned bans. "
    "403 for members who are not coordinators; 409 when it would leave the community "
    "without a coordinator.",
)
def update_member(slug: str, user_id: int) -> ResponseReturnValue:
    """Change one membership's role and/or status."""
    # The policy decides in its order: invisible (404), then logged out (401), then 403.
    community = community_services.visible_community(viewer(), slug, "community.manage")
    actor = current()
    body = Body.from_request()
    role = body.text("role")
    status = body.text("status")
    body.done()
    membership = community_services.change_member(
        actor, community, user_id, role=role, status=status
    )
    return membership_json(membership, community)
