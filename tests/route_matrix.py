"""Who may open what: endpoint x method x role -> outcome.

Outcomes: OK (allowed: a page, a redirect, or a 400/409 for the empty input
the matrix sends), LOGIN (sent to log in / 401), FORBIDDEN (403), HIDDEN (404).
The community in the world is PRIVATE, so its content is hidden from
outsiders and banned members. Later features add their rows here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
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
ADMINS = row(LOGIN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, OK, HIDDEN)
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
    # the world's token is a reset token, not a confirmation: refused for everyone
    ("auth.confirm_email", "GET"): row(HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    ("auth.resend_confirmation", "POST"): LOGGED_IN,
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
    # --- site admin area (404 for everyone but site admins) ---
    ("admin.index", "GET"): ADMINS,
    ("admin.users", "GET"): ADMINS,
    ("admin.audit", "GET"): ADMINS,
    ("admin.set_active", "POST"): ADMINS,
    ("admin.jobs_page", "GET"): ADMINS,
    ("admin.settings", "GET"): ADMINS,
    ("admin.communities", "GET"): ADMINS,
    ("admin.audit_csv", "GET"): ADMINS,
    ("admin.flags", "GET"): ADMINS,
    ("admin.set_admin", "POST"): ADMINS,
    ("admin.revoke_access", "POST"): ADMINS,
    ("admin.delete_account", "POST"): ADMINS,
    ("admin.confirm_address", "POST"): ADMINS,
    # --- personal data ---
    ("privacy.policy", "GET"): EVERYONE,
    ("privacy.my_data", "GET"): LOGGED_IN,
    ("privacy.export", "POST"): LOGGED_IN,
    # the world's export link is the member's: others are refused, visitors log in. The
    # copies of the world hold its row, not its ZIP (files are not copied), so the member
    # is told the link expired (404); tests/privacy/test_privacy.py downloads it for real.
    ("privacy.download", "GET"): row(
        LOGIN, FORBIDDEN, HIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN
    ),
    ("privacy.delete", "POST"): LOGGED_IN,
    ("privacy.cancel_delete", "POST"): LOGGED_IN,
    ("api.export_my_data", "POST"): LOGGED_IN,
    ("api.delete_me", "DELETE"): LOGGED_IN,
    ("admin.review_community", "POST"): ADMINS,
    ("admin.settings", "POST"): ADMINS,
    ("admin.retry_job", "POST"): ADMINS,
    # --- operations: anyone may ask (details only for admins, tests/jobs/test_health.py) ---
    ("healthz", "GET"): EVERYONE,
    # --- notifications (the world's notification belongs to the member) ---
    ("notifications.index", "GET"): LOGGED_IN,
    ("notifications.open", "GET"): row(LOGIN, HIDDEN, OK, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    ("notifications.mark_all_read", "POST"): LOGGED_IN,
    ("api.list_notifications", "GET"): LOGGED_IN,
    ("api.read_notifications", "POST"): LOGGED_IN,
    ("notifications.preferences_page", "GET"): LOGGED_IN,
    ("notifications.save_preferences", "POST"): LOGGED_IN,
    ("notifications.clear_bounce", "POST"): LOGGED_IN,
    # the signed token is the authority (the matrix's token is not one: 400)
    ("notifications.unsubscribe", "GET"): EVERYONE,
    ("notifications.unsubscribe", "POST"): EVERYONE,
    # --- the installable app ---
    ("pwa.manifest", "GET"): EVERYONE,
    ("pwa.service_worker", "GET"): EVERYONE,
    ("pwa.offline", "GET"): EVERYONE,
    ("api.get_preferences", "GET"): LOGGED_IN,
    ("api.put_preferences", "PUT"): LOGGED_IN,
    ("api.create_push_subscription", "POST"): LOGGED_IN,
    ("api.delete_push_subscription", "DELETE"): LOGGED_IN,
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

# --- meetings ---
# Answer and check in: active members; a site admin who is not a member may not.
MEETING_MEMBERS = row(LOGIN, HIDDEN, OK, OK, OK, FORBIDDEN, HIDDEN)
API_MEETING_MEMBERS = row(HIDDEN, HIDDEN, OK, OK, OK, FORBIDDEN, HIDDEN)
# The world's attendance and action item belong to the member.
MEMBER_ONLY = row(LOGIN, HIDDEN, OK, HIDDEN, HIDDEN, HIDDEN, HIDDEN)
EXPECTED.update(
    {
        ("meetings.calendar", "GET"): PRIVATE_CONTENT,
        ("meetings.new", "GET"): COORDINATORS,
        ("meetings.new", "POST"): COORDINATORS,
        ("meetings.show", "GET"): PRIVATE_CONTENT,
        ("meetings.edit", "GET"): COORDINATORS,
        ("meetings.edit", "POST"): COORDINATORS,
        ("meetings.cancel", "POST"): COORDINATORS,
        ("meetings.rsvp", "POST"): MEETING_MEMBERS,
        # a meeting's topic and channel are started by members; admins outside it may not post
        ("meetings.discussion", "POST"): row(LOGIN, HIDDEN, OK, OK, OK, FORBIDDEN, HIDDEN),
        ("meetings.chat", "POST"): row(LOGIN, HIDDEN, OK, OK, OK, FORBIDDEN, HIDDEN),
        ("meetings.checkin", "GET"): MEETING_MEMBERS,
        ("meetings.checkin", "POST"): MEETING_MEMBERS,
        ("meetings.qr", "GET"): COORDINATORS,
        ("meetings.attendance", "GET"): COORDINATORS,
        ("meetings.attendance", "POST"): COORDINATORS,
        ("meetings.attendance_export", "GET"): COORDINATORS,
        ("meetings.add_guest", "POST"): COORDINATORS,
        ("meetings.remove_guest", "POST"): COORDINATORS,
        ("meetings.add_agenda", "POST"): COORDINATORS,
        ("meetings.move_agenda", "POST"): COORDINATORS,
        ("meetings.delete_agenda", "POST"): COORDINATORS,
        ("meetings.minutes", "GET"): COORDINATORS,
        ("meetings.minutes", "POST"): COORDINATORS,
        ("meetings.autosave_minutes", "POST"): COORDINATORS,
        # the assignee (the member) or a coordinator; a moderator sees it but may not tick it
        ("meetings.action_item", "POST"): row(LOGIN, HIDDEN, OK, FORBIDDEN, OK, OK, HIDDEN),
        # certificates are of the world's past meeting, where the member was present
        ("meetings.certificate", "GET"): MEMBER_ONLY,
        ("meetings.my_certificate_pdf", "GET"): MEMBER_ONLY,
        ("meetings.certificates", "GET"): COORDINATORS,
        ("meetings.certificates_pdf", "GET"): COORDINATORS,
        ("meetings.certificates_zip", "GET"): COORDINATORS,
        ("meetings.report_pdf", "GET"): COORDINATORS,
        ("meetings.revoke_certificate", "POST"): COORDINATORS,
        ("meetings.verify_certificate", "GET"): EVERYONE,
        ("api.verify_certificate", "GET"): EVERYONE,
        ("api.meeting_certificates_pdf", "GET"): API_COORDINATORS,
        ("api.meeting_report_pdf", "GET"): API_COORDINATORS,
        # --- the coordinator dashboard (cop/insights) ---
        ("insights.dashboard", "GET"): COORDINATORS,
        ("insights.chart_csv", "GET"): COORDINATORS,
        ("api.community_dashboard", "GET"): API_COORDINATORS,
        ("meetings.participation", "GET"): LOGGED_IN,
        ("meetings.yearly_certificate", "GET"): LOGGED_IN,
        ("meetings.rotate_feed_token", "POST"): LOGGED_IN,
        ("meetings.user_feed", "GET"): EVERYONE,
        ("api.list_meetings", "GET"): PRIVATE_CONTENT,
        ("api.create_meeting", "POST"): API_COORDINATORS,
        ("api.show_meeting", "GET"): PRIVATE_CONTENT,
        ("api.update_meeting", "PATCH"): API_COORDINATORS,
        ("api.rsvp_meeting", "POST"): API_MEETING_MEMBERS,
        ("api.checkin_meeting", "POST"): API_MEETING_MEMBERS,
        ("api.meeting_attendance", "GET"): API_COORDINATORS,
        ("api.put_attendance", "PUT"): API_COORDINATORS,
        ("api.create_guest", "POST"): API_COORDINATORS,
        ("api.put_minutes", "PUT"): API_COORDINATORS,
        ("api.meeting_ics", "GET"): PRIVATE_CONTENT,
        ("api.community_ics", "GET"): PRIVATE_CONTENT,
        # the world's user_id is the member: themselves and admins only
        ("api.participation", "GET"): row(LOGIN, HIDDEN, OK, HIDDEN, HIDDEN, OK, HIDDEN),
    }
)


_PAST_MEETING_ROUTES = (
    "meetings.certificate",
    "meetings.my_certificate_pdf",
    "meetings.certificates",
    "meetings.certificates_pdf",
    "meetings.certificates_zip",
    "meetings.report_pdf",
    "meetings.revoke_certificate",
    "api.meeting_certificates_pdf",
    "api.meeting_report_pdf",
)


def _meetings_world(app: Any, factory: Any, world: Any) -> dict[str, Any]:
    """A meeting next week with an agenda item, the member present and an action item;
    and a past meeting where the member was present, with its certificates issued."""
    member = world.users["member"]
    coordinator = world.users["coordinator"]
    meeting = factory.meeting(world.community, coordinator, agenda=["Berbagi praktik baik"])
    factory.attendance(meeting, member)
    past = factory.meeting(world.community, coordinator, starts_in=timedelta(days=-3))
    factory.attendance(past, member)
    from cop.extensions import db
    from cop.meetings import services
    from cop.meetings.models import Meeting

    with app.app_context():
        certificate = services.issue_certificates(db.session.get(Meeting, past.id))[0]
        past_params = {f"{endpoint}:meeting_id": past.id for endpoint in _PAST_MEETING_ROUTES}
        past_params["certificate_id"] = certificate.id
        past_params["number"] = certificate.number
    with app.app_context():
        from cop.extensions import db
        from cop.meetings import services
        from cop.meetings.models import ActionItem, Guest

        guest = Guest(meeting_id=meeting.id, name="Pengawas Tamu")
        db.session.add(guest)
        item = ActionItem(
            meeting_id=meeting.id,
            community_id=meeting.community_id,
            title="Kirim modul ajar",
            assignee_id=member.id,
        )
        db.session.add(item)
        db.session.commit()
        token = services.feed_token(db.session.merge(member))
        return {
            "meeting_id": meeting.id,
            "item_id": meeting.agenda[0].id,
            "action_item_id": item.id,
            "guest_id": guest.id,
            "kind": "xlsx",
            "chart": "attendance",
            "feed_token": token,
            "year": meeting.starts_at.year,
            **past_params,
        }


WORLD_EXTRAS.append(_meetings_world)


# --- resources ---
# The world's resource is a file the member shared in the private community
# (not public): invisible to outsiders, visitors and the banned member.
def _resources_world(app: Any, factory: Any, world: Any) -> dict[str, Any]:
    resource = factory.resource(world.community, world.users["member"], title="LKPD Rahasia")
    return {"resource_id": resource.id}


WORLD_EXTRAS.append(_resources_world)

_MEMBERS_ONLY = row(LOGIN, HIDDEN, OK, OK, OK, OK, HIDDEN)
# sharing needs an active membership: a site admin outside the community may not post
_SHARE = row(LOGIN, HIDDEN, OK, OK, OK, FORBIDDEN, HIDDEN)
EXPECTED.update(
    {
        ("resources.global_library", "GET"): EVERYONE,
        ("resources.library", "GET"): PRIVATE_CONTENT,
        ("resources.new", "GET"): _SHARE,
        ("resources.new", "POST"): _SHARE,
        ("resources.show", "GET"): PRIVATE_CONTENT,
        ("resources.download", "GET"): PRIVATE_CONTENT,
        ("resources.like", "POST"): _MEMBERS_ONLY,
        ("resources.feature", "POST"): row(LOGIN, HIDDEN, FORBIDDEN, FORBIDDEN, OK, OK, HIDDEN),
        ("resources.hide", "POST"): row(LOGIN, HIDDEN, FORBIDDEN, OK, OK, OK, HIDDEN),
        # the member is the uploader; moderators and coordinators may remove too
        ("resources.delete", "POST"): _MEMBERS_ONLY,
        ("api.list_resources", "GET"): PRIVATE_CONTENT,
        ("api.create_resource", "POST"): row(HIDDEN, HIDDEN, OK, OK, OK, FORBIDDEN, HIDDEN),
        ("api.show_resource", "GET"): PRIVATE_CONTENT,
        ("api.download_resource", "GET"): PRIVATE_CONTENT,
    }
)

# --- discussions ---
# The world's topic is started by the member; the moderator flagged its first post.
# Site admins see and moderate everything but are not members: they cannot post.
MEMBERS_POST = row(LOGIN, HIDDEN, OK, OK, OK, FORBIDDEN, HIDDEN)
AUTHOR_OR_MODERATORS = row(LOGIN, HIDDEN, OK, OK, OK, OK, HIDDEN)
MODERATORS = row(LOGIN, HIDDEN, FORBIDDEN, OK, OK, OK, HIDDEN)
# Editing is the author's alone: moderators (and admins) hide or delete, never edit.
AUTHOR_ONLY = row(LOGIN, HIDDEN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, HIDDEN)
SEES_TOPIC = row(LOGIN, HIDDEN, OK, OK, OK, OK, HIDDEN)
# Flagging is for someone else's post: the member wrote the one flagged here.
FLAG_OTHERS_POST = row(LOGIN, HIDDEN, FORBIDDEN, OK, OK, FORBIDDEN, HIDDEN)

EXPECTED.update(
    {
        ("discussions.topics", "GET"): PRIVATE_CONTENT,
        ("discussions.new_topic", "GET"): MEMBERS_POST,
        ("discussions.new_topic", "POST"): MEMBERS_POST,
        ("discussions.topic", "GET"): PRIVATE_CONTENT,
        ("discussions.reply", "POST"): MEMBERS_POST,
        ("discussions.preview", "POST"): LOGGED_IN,
        ("discussions.save_draft", "POST"): MEMBERS_POST,
        ("discussions.subscribe", "POST"): SEES_TOPIC,
        ("discussions.moderate_topic", "POST"): MODERATORS,
        ("discussions.move_topic", "GET"): MODERATORS,
        ("discussions.move_topic", "POST"): MODERATORS,
        ("discussions.solution", "POST"): AUTHOR_OR_MODERATORS,
        ("discussions.post", "GET"): PRIVATE_CONTENT,
        ("discussions.edit_post", "GET"): AUTHOR_ONLY,
        ("discussions.edit_post", "POST"): AUTHOR_ONLY,
        ("discussions.delete_post", "POST"): AUTHOR_OR_MODERATORS,
        ("discussions.react", "POST"): MEMBERS_POST,
        ("discussions.flag_post", "GET"): FLAG_OTHERS_POST,
        ("discussions.flag_post", "POST"): FLAG_OTHERS_POST,
        ("discussions.hide_post", "POST"): MODERATORS,
        ("discussions.history", "GET"): MODERATORS,
        ("discussions.flags", "GET"): MODERATORS,
        ("discussions.resolve_flag", "POST"): MODERATORS,
        ("search.index", "GET"): EVERYONE,
        ("api.list_topics", "GET"): PRIVATE_CONTENT,
        ("api.create_topic", "POST"): MEMBERS_POST,
        ("api.show_topic", "GET"): PRIVATE_CONTENT,
        ("api.list_posts", "GET"): PRIVATE_CONTENT,
        ("api.create_post", "POST"): MEMBERS_POST,
        ("api.update_post", "PATCH"): AUTHOR_ONLY,
        ("api.delete_post", "DELETE"): AUTHOR_OR_MODERATORS,
        ("api.react", "POST"): MEMBERS_POST,
        ("api.set_solution", "POST"): AUTHOR_OR_MODERATORS,
        ("api.search_api", "GET"): EVERYONE,
    }
)


def _discussions_world(app: Any, factory: Any, world: Any) -> dict[str, Any]:
    """A topic by the member in the private community, and a flag on its first post."""
    from cop.discussions import services
    from cop.extensions import db

    topic = factory.topic(
        world.community, world.users["member"], title="Asesmen awal", body="Bagaimana caranya?"
    )
    with app.app_context():
        moderator = db.session.merge(world.users["moderator"])
        post = services.get_post(topic.first_post_id or 0)
        flag = services.flag_post(moderator, post, "other", "cek")
        return {"topic_id": topic.id, "post_id": post.id, "flag_id": flag.id}


WORLD_EXTRAS.append(_discussions_world)
# --- chat ---
# Chat is for members (and site admins reading); outsiders and banned members get 404.
CHAT_MEMBERS = row(LOGIN, HIDDEN, OK, OK, OK, OK, HIDDEN)
EXPECTED.update(
    {
        ("chat.index", "GET"): LOGGED_IN,
        ("chat.community", "GET"): CHAT_MEMBERS,
        ("chat.channel", "GET"): CHAT_MEMBERS,
        ("chat.create_channel", "POST"): row(LOGIN, HIDDEN, FORBIDDEN, FORBIDDEN, OK, OK, HIDDEN),
        ("api.list_channels", "GET"): row(LOGIN, HIDDEN, OK, OK, OK, OK, HIDDEN),
        ("api.list_messages", "GET"): row(LOGIN, HIDDEN, OK, OK, OK, OK, HIDDEN),
        ("api.chat_unread", "GET"): LOGGED_IN,
    }
)


def _chat_world(app: Any, factory: Any, world: Any) -> dict[str, Any]:
    """The private community's general channel with one message of the member."""
    message = factory.message(
        world.community, world.users["member"], "Halo semua", client_id="matrix-1"
    )
    return {"channel_id": message.channel_id}


WORLD_EXTRAS.append(_chat_world)
# --- mentions ---
# Only active members may mention; a site admin sees the content but mentions nobody.
EXPECTED.update(
    {
        ("api.list_mentionable", "GET"): row(LOGIN, HIDDEN, OK, OK, OK, FORBIDDEN, HIDDEN),
    }
)
# --- chat photos and files ---
EXPECTED.update(
    {
        ("api.upload_attachment", "POST"): row(LOGIN, HIDDEN, OK, OK, OK, FORBIDDEN, HIDDEN),
        # the member's photo, already sent: whoever reads the channel sees it
        ("chat.attachment", "GET"): CHAT_MEMBERS,
        ("chat.attachment_thumb", "GET"): CHAT_MEMBERS,
    }
)


def _png(size: tuple[int, int], colour: tuple[int, int, int]) -> Any:
    """A small PNG picture, as an upload's stream."""
    import io

    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", size, colour).save(picture, "PNG")
    picture.seek(0)
    return picture


def _chat_attachment_world(app: Any, factory: Any, world: Any) -> dict[str, Any]:
    """A photo the world's member sent in the private community's general channel."""
    from cop.chat import attachments
    from cop.chat import services as chat_services
    from cop.chat.models import Channel
    from cop.extensions import db
    from cop.resources.services import Upload

    picture = _png((40, 30), (10, 120, 200))
    with app.app_context():
        member = db.session.merge(world.users["member"])
        channel = db.session.scalar(
            db.select(Channel).where(
                Channel.community_id == world.community.id, Channel.kind == "general"
            )
        )
        attachment, _ = attachments.receive(member, channel, Upload(picture, "foto.png"), "mx-1")
        chat_services.send_message(member, channel, "", "matrix-photo", None, attachment.id)
        return {"attachment_id": attachment.id}


WORLD_EXTRAS.append(_chat_attachment_world)


# --- background jobs ---
# A dead job for the admin console's retry button.
def _jobs_world(app: Any, factory: Any, world: Any) -> dict[str, Any]:
    from cop.core.jobs.models import Job
    from cop.extensions import db

    with app.app_context():
        job = Job(kind="mail.deliver", key="matrix:dead", payload={}, state="dead", attempts=8)
        db.session.add(job)
        db.session.commit()
        return {"job_id": job.id}


WORLD_EXTRAS.append(_jobs_world)


# --- recognition ---
# The world's award belongs to the member, in the private community (sharing the
# world's resource earned it). Its verification page and assertion are public.
def _badges_world(app: Any, factory: Any, world: Any) -> dict[str, Any]:
    from sqlalchemy import select

    from cop.badges import services
    from cop.badges.models import Award
    from cop.extensions import db

    member = world.users["member"]
    with app.app_context():
        services.evaluate(member.id, world.community.id, ("resources", "community"))
        award_id = db.session.scalar(
            select(Award.id).where(Award.user_id == member.id).order_by(Award.id)
        )
    assert award_id is not None
    return {"award_id": award_id, "badge_slug": "first-share"}


WORLD_EXTRAS.append(_badges_world)


# --- personal data ---
# A ready export of the member's data, and its signed download link.
def _privacy_world(app: Any, factory: Any, world: Any) -> dict[str, Any]:
    from cop.extensions import db
    from cop.privacy import services
    from cop.privacy.models import DataExport

    member = world.users["member"]
    with app.app_context():
        services.request_export(db.session.merge(member))  # built at once (JOB_IMMEDIATE)
        export = db.session.query(DataExport).filter_by(user_id=member.id).one()
        assert export.state == "ready"
        return {"export_token": services.download_token(export)}


WORLD_EXTRAS.append(_privacy_world)

EXPECTED.update(
    {
        ("badges.index", "GET"): EVERYONE,
        ("badges.show", "GET"): EVERYONE,
        ("badges.award", "GET"): EVERYONE,
        # the earner only; who may see the award is told 403, the others 404
        ("badges.set_privacy", "POST"): row(
            LOGIN, HIDDEN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, HIDDEN
        ),
        ("badges.assertion", "GET"): EVERYONE,
        ("badges.badge_class", "GET"): EVERYONE,
        ("badges.issuer", "GET"): EVERYONE,
        ("badges.image", "GET"): EVERYONE,
        ("badges.leaderboard", "GET"): PRIVATE_CONTENT,
        ("badges.leaderboard_visibility", "POST"): COORDINATORS,
        ("api.list_badges", "GET"): EVERYONE,
        ("api.user_badges", "GET"): EVERYONE,
        ("api.community_leaderboard", "GET"): PRIVATE_CONTENT,
    }
)


# --- learning cycles (cop/cycles) ---
# The world's lesson study: the moderator is the model teacher, the member observes
# (with one observation, a photo), the coordinator opened it. The mentoring pair: the
# moderator mentors the member (one session); a site admin who coordinates nothing
# there does not learn it exists. The PTK is the member's; the outsider is its invited
# reviewer (a grant row: read and comment on THAT PTK only, tests/cycles/test_privacy.py
# opens another one).
OBSERVER_ONLY = row(LOGIN, HIDDEN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, HIDDEN)
LESSON_MANAGERS = row(LOGIN, HIDDEN, FORBIDDEN, OK, OK, OK, HIDDEN)
PAIR = row(LOGIN, HIDDEN, OK, OK, OK, HIDDEN, HIDDEN)
PTK_READERS = row(LOGIN, OK, OK, OK, OK, OK, HIDDEN)
PTK_GROUP = row(LOGIN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, HIDDEN)
EXPECTED.update(
    {
        ("cycles.index", "GET"): PRIVATE_CONTENT,
        ("cycles.new_lesson_study", "GET"): MEETING_MEMBERS,
        ("cycles.new_lesson_study", "POST"): MEETING_MEMBERS,
        ("cycles.lesson_study", "GET"): PRIVATE_CONTENT,
        ("cycles.save_plan", "POST"): MEETING_MEMBERS,
        ("cycles.comment_plan", "POST"): MEETING_MEMBERS,
        ("cycles.link_resource", "POST"): MEETING_MEMBERS,
        ("cycles.move_stage", "POST"): LESSON_MANAGERS,
        ("cycles.schedule_open_lesson", "POST"): COORDINATORS,
        ("cycles.lesson_hours", "POST"): COORDINATORS,
        ("cycles.observe", "GET"): OBSERVER_ONLY,
        ("cycles.observe", "POST"): OBSERVER_ONLY,
        ("cycles.reflection", "GET"): PRIVATE_CONTENT,
        # the model teacher (moderator), who opened it and site admins write the lessons
        ("cycles.reflection", "POST"): row(HIDDEN, HIDDEN, FORBIDDEN, OK, OK, OK, HIDDEN),
        ("cycles.summary_pdf", "GET"): PRIVATE_CONTENT,
        ("cycles.observation_photo", "GET"): PRIVATE_CONTENT,
        ("cycles.new_pair", "GET"): MEETING_MEMBERS,
        ("cycles.new_pair", "POST"): MEETING_MEMBERS,
        ("cycles.pair", "GET"): PAIR,
        ("cycles.log_session", "POST"): row(LOGIN, HIDDEN, FORBIDDEN, OK, OK, HIDDEN, HIDDEN),
        ("cycles.approve_pair", "POST"): row(
            LOGIN, HIDDEN, FORBIDDEN, FORBIDDEN, OK, HIDDEN, HIDDEN
        ),
        ("cycles.pair_hours", "POST"): row(LOGIN, HIDDEN, FORBIDDEN, FORBIDDEN, OK, HIDDEN, HIDDEN),
        ("cycles.session_feedback", "POST"): row(
            LOGIN, HIDDEN, OK, FORBIDDEN, FORBIDDEN, HIDDEN, HIDDEN
        ),
        ("cycles.new_ptk", "GET"): MEETING_MEMBERS,
        ("cycles.new_ptk", "POST"): MEETING_MEMBERS,
        ("cycles.ptk", "GET"): PTK_READERS,
        ("cycles.ptk_file", "GET"): PTK_READERS,
        ("cycles.ptk_docx", "GET"): PTK_READERS,
        ("cycles.ptk_pdf", "GET"): PTK_READERS,
        ("cycles.add_ptk_cycle", "POST"): PTK_GROUP,
        ("cycles.attach_ptk_file", "POST"): PTK_GROUP,
        ("cycles.invite_reviewer", "POST"): PTK_GROUP,
        # peer feedback: the community's members and the PTK's reviewer (not a site admin)
        ("cycles.comment_ptk", "POST"): row(LOGIN, OK, OK, OK, OK, FORBIDDEN, HIDDEN),
        ("cycles.ptk_hours", "POST"): row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK, HIDDEN),
        # the signed link is the authority: any logged-in account may accept it
        ("cycles.accept_invite", "GET"): LOGGED_IN,
        ("cycles.accept_invite", "POST"): LOGGED_IN,
        # the API: the same policy, 404 first for what the caller may not see
        ("api.list_lesson_studies", "GET"): PRIVATE_CONTENT,
        ("api.create_lesson_study", "POST"): API_MEETING_MEMBERS,
        ("api.show_lesson_study", "GET"): PRIVATE_CONTENT,
        ("api.set_lesson_stage", "PUT"): row(HIDDEN, HIDDEN, FORBIDDEN, OK, OK, OK, HIDDEN),
        ("api.list_observations", "GET"): PRIVATE_CONTENT,
        ("api.create_observation", "POST"): row(
            HIDDEN, HIDDEN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, HIDDEN
        ),
        ("api.list_mentoring_sessions", "GET"): row(HIDDEN, HIDDEN, OK, OK, OK, HIDDEN, HIDDEN),
        ("api.create_mentoring_session", "POST"): row(
            HIDDEN, HIDDEN, FORBIDDEN, OK, OK, HIDDEN, HIDDEN
        ),
    }
)


def _cycles_world(app: Any, factory: Any, world: Any) -> dict[str, Any]:
    """A lesson study with an observation (and its photo), a mentoring pair with a
    session, and a PTK with a cycle, a data file, an accepted reviewer and an open invite."""
    from tests.cycles.builders import cycles_world

    return cycles_world(app, factory, world)


WORLD_EXTRAS.append(_cycles_world)

# --- the certificates' signature and stamp; meeting photos (dokumentasi) ---
#: the community's coordinators only: a site admin's hand is not the coordinator's
SIGNERS = row(LOGIN, HIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, HIDDEN)
EXPECTED.update(
    {
        ("meetings.seals", "GET"): SIGNERS,
        ("meetings.upload_seal", "POST"): SIGNERS,
        ("meetings.remove_seal", "POST"): SIGNERS,
        ("meetings.seal_image", "GET"): SIGNERS,
        ("meetings.photos", "GET"): COORDINATORS,
        ("meetings.add_photo", "POST"): COORDINATORS,
        ("meetings.delete_photo", "POST"): COORDINATORS,
        ("meetings.photo", "GET"): PRIVATE_CONTENT,
        ("api.meeting_photos", "GET"): PRIVATE_CONTENT,
        ("api.add_meeting_photo", "POST"): API_COORDINATORS,
        ("api.delete_meeting_photo", "DELETE"): API_COORDINATORS,
    }
)


def _seals_and_photos_world(app: Any, factory: Any, world: Any) -> dict[str, Any]:
    """The coordinator's signature image, and a photo of the world's next meeting."""
    from cop.extensions import db
    from cop.meetings import services
    from cop.meetings.models import Meeting
    from cop.resources.services import Upload

    def picture() -> Any:
        return _png((60, 20), (10, 40, 160))

    with app.app_context():
        coordinator = db.session.merge(world.users["coordinator"])
        community = db.session.merge(world.community)
        services.set_seal(coordinator, community, "signature", Upload(picture(), "ttd.png"))
        meeting = db.session.get(Meeting, world.extra["meeting_id"])
        photo = services.add_photo(coordinator, meeting, Upload(picture(), "foto.png"))
        seal_params = {
            f"meetings.{endpoint}:kind": "signature"
            for endpoint in ("upload_seal", "remove_seal", "seal_image")
        }
        return {"photo_id": photo.id, **seal_params}


WORLD_EXTRAS.append(_seals_and_photos_world)

# --- the dashboard's recap, member list and reminders to quiet members ---
EXPECTED.update(
    {
        ("insights.recap_export", "GET"): COORDINATORS,
        ("insights.members_export", "GET"): COORDINATORS,
        ("insights.remind_all", "POST"): COORDINATORS,
        ("insights.remind", "POST"): COORDINATORS,
    }
)


def _quiet_member_world(app: Any, factory: Any, world: Any) -> dict[str, Any]:
    """A member who joined long ago and has done nothing since (someone to remind)."""
    from cop.communities.models import Membership
    from cop.core.types import utcnow
    from cop.extensions import db

    quiet = factory.user(name="Guru Sepi")
    factory.member(world.community, quiet)
    with app.app_context():
        row = db.session.scalar(db.select(Membership).where(Membership.user_id == quiet.id))
        row.joined_at = utcnow() - timedelta(days=200)
        db.session.commit()
    return {"insights.remind:user_id": quiet.id, "table": "members"}


WORLD_EXTRAS.append(_quiet_member_world)

# --- the certificates PDF built by a job (of the world's past meeting) ---
EXPECTED.update(
    {
        ("meetings.build_certificates", "POST"): COORDINATORS,
        ("meetings.built_certificates_pdf", "GET"): COORDINATORS,
    }
)


def _certificate_build_world(app: Any, factory: Any, world: Any) -> dict[str, Any]:
    """The past meeting's certificates PDF, made by the job (jobs run at once in tests)."""
    from cop.extensions import db
    from cop.meetings import services
    from cop.meetings.models import Meeting

    past_id = world.extra["meetings.certificates:meeting_id"]
    # a request context, as the job queue's worker gives its jobs (the PDF has links)
    with app.test_request_context(base_url=app.config["BASE_URL"]):
        build = services.request_certificates_build(
            db.session.merge(world.users["coordinator"]), db.session.get(Meeting, past_id), "id"
        )
        return {
            "build_id": build.id,
            "meetings.build_certificates:meeting_id": past_id,
            "meetings.built_certificates_pdf:meeting_id": past_id,
        }


WORLD_EXTRAS.append(_certificate_build_world)


# --- the site's logo (an admin's upload, shown to everyone in the header) ---
EXPECTED.update(
    {
        ("admin.upload_logo", "POST"): ADMINS,
        ("admin.remove_logo", "POST"): ADMINS,
        ("pwa.site_logo", "GET"): EVERYONE,
    }
)


def _logo_world(app: Any, factory: Any, world: Any) -> dict[str, Any]:
    """A logo the site admin uploaded."""
    from cop.admin import logo
    from cop.extensions import db
    from cop.resources.services import Upload

    picture = _png((64, 64), (15, 118, 110))
    with app.app_context():
        admin = db.session.merge(world.users["admin"])
        value = logo.set_logo(admin, Upload(picture, "logo-gugus.png"))
        return {"pwa.site_logo:name": logo.public_name(value)}


WORLD_EXTRAS.append(_logo_world)
