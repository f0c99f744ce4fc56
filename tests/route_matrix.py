"""Who may open what: endpoint x method x role -> outcome.

Outcomes: OK (allowed: a page, a redirect, or a 400/409 for the empty input
the matrix sends), LOGIN (sent to log in / 401), FORBIDDEN (403), HIDDEN (404).
The community in the world is PRIVATE, so its content is hidden from
outsiders and banned members. Later features add their rows here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ROLES = ("anonymous", "outsider", "member", "moderator", "coordinator", "admin", "banned")
OK, LOGIN, FORBIDDEN, HIDDEN = "ok", "login", "403", "404"


def row(
    anonymous: str,
    outsider: str,
    member: str,
    moderator: str,
    coordinator: str,
    admin: str,
    banned: str,
) -> dict[str, str]:
    """One table row, in ROLES order."""
    return dict(
        zip(
            ROLES, (anonymous, outsider, member, moderator, coordinator, admin, banned), strict=True
        )
    )


#: Features add builders here: ``f(app, factory, world) -> {"topic_id": 7, ...}``.
#: They create the feature's objects in the world's (private) community, owned by
#: the world's member where ownership matters, and return URL parameter values.
WORLD_EXTRAS: list[Callable[[Any, Any, Any], dict[str, Any]]] = []

EVERYONE = row(OK, OK, OK, OK, OK, OK, OK)
LOGGED_IN = row(LOGIN, OK, OK, OK, OK, OK, OK)
PRIVATE_CONTENT = row(HIDDEN, HIDDEN, OK, OK, OK, OK, HIDDEN)
# Coordinator pages: visitors are sent to log in before the slug is even read.
COORDINATORS = row(LOGIN, HIDDEN, FORBIDDEN, FORBIDDEN, OK, OK, HIDDEN)
# The same rule in the API, where the policy decides in its order: a
# private community's management is content a visitor cannot see (404).
API_COORDINATORS = row(HIDDEN, HIDDEN, FORBIDDEN, FORBIDDEN, OK, OK, HIDDEN)

EXPECTED: dict[tuple[str, str], dict[str, str]] = {
    # --- pages everyone can open ---
    ("static", "GET"): EVERYONE,
    ("dashboard.index", "GET"): EVERYONE,
    ("dashboard.set_language", "POST"): EVERYONE,
    # --- accounts ---
    ("auth.register", "GET"): EVERYONE,
    ("auth.register", "POST"): EVERYONE,
    ("auth.login", "GET"): EVERYONE,
    ("auth.login", "POST"): EVERYONE,
    ("auth.reset_request", "GET"): EVERYONE,
    ("auth.reset_request", "POST"): EVERYONE,
    ("auth.reset_password", "GET"): EVERYONE,
    ("auth.reset_password", "POST"): EVERYONE,
    ("auth.user_profile", "GET"): EVERYONE,
    ("auth.logout", "POST"): LOGGED_IN,
    ("auth.revoke_sessions", "POST"): LOGGED_IN,
    ("auth.profile", "GET"): LOGGED_IN,
    ("auth.profile", "POST"): LOGGED_IN,
    ("auth.change_password", "GET"): LOGGED_IN,
    ("auth.change_password", "POST"): LOGGED_IN,
    ("auth.tokens", "GET"): LOGGED_IN,
    ("auth.create_token", "POST"): LOGGED_IN,
    # the world's token belongs to the member: everyone else is told it does not exist
    ("auth.revoke_token", "POST"): row(LOGIN, HIDDEN, OK, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    # --- communities (the world's community is private) ---
    ("communities.directory", "GET"): EVERYONE,
    ("communities.home", "GET"): EVERYONE,
    ("communities.create", "GET"): LOGGED_IN,
    ("communities.create", "POST"): LOGGED_IN,
    ("communities.join", "POST"): LOGGED_IN,
    ("communities.leave", "POST"): LOGGED_IN,
    ("communities.invite", "GET"): LOGGED_IN,
    ("communities.invite", "POST"): LOGGED_IN,
    ("communities.members", "GET"): PRIVATE_CONTENT,
    ("communities.edit", "GET"): COORDINATORS,
    ("communities.edit", "POST"): COORDINATORS,
    ("communities.update_member", "POST"): COORDINATORS,
    ("communities.reject_member", "POST"): COORDINATORS,
    ("communities.rotate_invite", "POST"): COORDINATORS,
    # --- notifications (the world's notification belongs to the member) ---
    ("notifications.index", "GET"): LOGGED_IN,
    ("notifications.open", "GET"): row(LOGIN, HIDDEN, OK, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    ("notifications.mark_all_read", "POST"): LOGGED_IN,
    ("api.list_notifications", "GET"): LOGGED_IN,
    ("api.read_notifications", "POST"): LOGGED_IN,
    # --- JSON API ---
    ("api.openapi_document", "GET"): EVERYONE,
    ("api.create_user", "POST"): EVERYONE,
    ("api.create_token", "POST"): EVERYONE,
    ("api.me", "GET"): LOGGED_IN,
    ("api.list_communities", "GET"): EVERYONE,
    ("api.create_community", "POST"): LOGGED_IN,
    ("api.show_community", "GET"): EVERYONE,
    # a banned member is told so (403); the HTML page flashes it and redirects
    ("api.join_community", "POST"): row(LOGIN, OK, OK, OK, OK, OK, FORBIDDEN),
    ("api.list_members", "GET"): PRIVATE_CONTENT,
    ("api.update_member", "PATCH"): API_COORDINATORS,
}

# --- chat ---
# Chat is for members (and site admins reading); outsiders and banned members get 404.
CHAT_MEMBERS = row(LOGIN, HIDDEN, OK, OK, OK, OK, HIDDEN)
EXPECTED.update(
    {
        ("chat.community", "GET"): CHAT_MEMBERS,
        ("chat.channel", "GET"): CHAT_MEMBERS,
        ("chat.create_channel", "POST"): row(LOGIN, HIDDEN, FORBIDDEN, FORBIDDEN, OK, OK, HIDDEN),
        ("api.list_channels", "GET"): row(LOGIN, HIDDEN, OK, OK, OK, OK, HIDDEN),
        ("api.list_messages", "GET"): row(LOGIN, HIDDEN, OK, OK, OK, OK, HIDDEN),
    }
)


def _chat_world(app: Any, factory: Any, world: Any) -> dict[str, Any]:
    """The private community's general channel with one message of the member."""
    from cop.auth.models import User
    from cop.chat import services as chat_services
    from cop.communities.models import Community
    from cop.extensions import db

    with app.app_context():
        community = db.session.get(Community, world.community.id)
        channel = chat_services.ensure_general_channel(community)
        member = db.session.get(User, world.users["member"].id)
        chat_services.send_message(member, channel, "Halo semua", "matrix-1")
        return {"channel_id": channel.id}


WORLD_EXTRAS.append(_chat_world)
