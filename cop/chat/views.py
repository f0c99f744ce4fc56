"""Chat pages: a community's channels and one channel's live page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from cop.auth.models import User
from cop.chat import attachments, queries, services
from cop.chat.forms import ChannelForm
from cop.chat.models import MAX_BODY, Channel
from cop.communities import services as community_services
from cop.communities.models import Community
from cop.core import permissions, web
from cop.core.errors import Conflict, ValidationError
from cop.core.ids import ID, is_id
from cop.resources.download import guard

bp = Blueprint("chat", __name__)

#: messages shown when a channel page opens (older ones load on scroll)
PAGE_MESSAGES = 50


def _community(slug: str) -> Community:
    """The community when the user may read its chat; 404 otherwise."""
    community = community_services.visible_community(web.current(), slug, "chat.view_community")
    services.ensure_general_channel(community)
    return community


def _channels_with_unread(user: User, community: Community) -> tuple[list[Channel], dict[int, int]]:
    channels = queries.channels_of(community.id)
    return channels, queries.unread_counts(user.id, [c.id for c in channels])


@bp.get("/c/<slug>")
@login_required
def community(slug: str) -> ResponseReturnValue:
    """The community's channels with unread counts; coordinators add channels here."""
    found = _community(slug)
    channels, unread = _channels_with_unread(web.current(), found)
    manages = permissions.can(web.current(), "chat.manage_channels", found)
    return render_template(
        "chat/community.html",
        community=found,
        channels=channels,
        chat_unread=unread,
        form=ChannelForm() if manages else None,
    )


@bp.post("/c/<slug>/channels")
@login_required
def create_channel(slug: str) -> ResponseReturnValue:
    """Add a channel (coordinators)."""
    found = _community(slug)
    permissions.authorize(web.current(), "chat.manage_channels", found)
    form = ChannelForm()
    if form.validate_on_submit():
        try:
            channel = services.create_channel(web.current(), found, form.name.data or "")
        except (ValidationError, Conflict) as error:
            messages = list(error.fields.values()) or [error.message]
            form.name.errors = [*form.name.errors, *messages]
        else:
            flash(_("The channel is ready."), "success")
            return redirect(url_for(".channel", channel_id=channel.id))
    channels, unread = _channels_with_unread(web.current(), found)
    return render_template(
        "chat/community.html", community=found, channels=channels, chat_unread=unread, form=form
    ), 400


@bp.get(f"/<{ID}:channel_id>")
@login_required
def channel(channel_id: int) -> ResponseReturnValue:
    """One channel: the latest messages, live updates with JavaScript, older ones by link."""
    user = web.current()
    found = permissions.visible(
        user, "chat.view", queries.channel(channel_id), missing=queries.CHANNEL_UNKNOWN
    )
    before = request.args.get("before", type=int)
    if before is not None and not is_id(before):
        before = None
    messages = queries.messages_before(found.id, before, PAGE_MESSAGES)
    channels, unread = _channels_with_unread(user, found.community)
    last_read = queries.last_read(user.id, found.id)
    if messages and before is None and found.last_message_id > last_read:
        services.mark_read(user, found, found.last_message_id)
    context: dict[str, Any] = {
        "channel": found,
        "community": found.community,
        "channels": channels,
        "chat_unread": unread,
        "messages": messages,
        "older": messages[0].id if len(messages) == PAGE_MESSAGES else None,
        "can_send": permissions.can(user, "chat.send", found),
        "moderates": permissions.can(user, "community.moderate", found.community),
        "max_body": MAX_BODY,
        "last_read": last_read,
    }
    return render_template("chat/channel.html", **context)


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    """Every channel of the user's communities with its unread count, grouped by
    community: where the header's chat count leads."""
    user = web.current()
    channels = queries.channels_of_user(user.id)
    unread = queries.unread_counts(user.id, [c.id for c in channels])
    communities: dict[int, tuple[Community, list[Channel]]] = {}
    for ch in channels:
        communities.setdefault(ch.community_id, (ch.community, []))[1].append(ch)
    return render_template(
        "chat/index.html",
        groups=list(communities.values()),
        chat_unread=unread,
        total=sum(unread.values()),
    )


@bp.app_context_processor
def _chat_unread() -> dict[str, Any]:
    """``unread_chat()`` for the header: one bounded query, only when a page asks."""

    def unread_chat() -> int:
        user = web.viewer()
        return 0 if user is None else queries.unread_total(user.id)

    return {"unread_chat": unread_chat, "chat_unread_cap": queries.UNREAD_CAP}


# --- photos and files -------------------------------------------------------------------


def _attachment_response(attachment_id: int, *, thumb: bool) -> ResponseReturnValue:
    """The stored photo (or its thumbnail) inline, a file as a download; access is
    checked on every request (``chat.view_attachment``), nothing is cached publicly."""
    found = permissions.visible(
        web.current(),
        "chat.view_attachment",
        attachments.get(attachment_id),
        missing=_("That photo or file does not exist."),
    )
    image = found.kind == "image"
    response = send_file(
        attachments.open_stored(found, thumb=thumb),
        mimetype=found.content_type or "application/octet-stream",
        as_attachment=not image,
        download_name=found.filename,
        conditional=False,
        etag=False,
        max_age=0,
    )
    return guard(response, "private, max-age=3600")


@bp.get(f"/attachments/<{ID}:attachment_id>")
@login_required
def attachment(attachment_id: int) -> ResponseReturnValue:
    """A photo at full size, or a file."""
    return _attachment_response(attachment_id, thumb=False)


@bp.get(f"/attachments/<{ID}:attachment_id>/thumb")
@login_required
def attachment_thumb(attachment_id: int) -> ResponseReturnValue:
    """A photo's thumbnail (a file has none: the file itself)."""
    return _attachment_response(attachment_id, thumb=True)
