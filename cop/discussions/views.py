"""Discussion pages: topic lists, topic pages, replying, editing, moderation."""

from __future__ import annotations

import secrets
from typing import Any

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from cop.auth.models import User
from cop.communities import services as community_services
from cop.communities.queries import my_memberships
from cop.core import permissions, web
from cop.core.errors import CopError, ValidationError
from cop.core.pagination import encode_cursor
from cop.core.ratelimit import per_account_and_ip
from cop.core.urls import UrlPattern
from cop.discussions import queries, services
from cop.discussions.forms import (
    FLAG_REASON_LABELS,
    EditForm,
    FlagForm,
    MoveForm,
    ReplyForm,
    TopicForm,
)
from cop.discussions.models import Post, Topic
from cop.discussions.ratelimit import posting_limit

bp = Blueprint("discussions", __name__)


# --- helpers -----------------------------------------------------------------


def _cursor() -> str | None:
    return request.args.get("cursor") or None


def _new_token() -> str:
    return secrets.token_urlsafe(18)


def _acting_on_post(post_id: int, action: str | None = None) -> tuple[User, Post]:
    """The signed-in user and the post, if they may see it (404) and ``action`` it (403)."""
    user = web.current()
    return user, services.visible_post(user, post_id, action)


def _post_anchor(post: Post) -> str:
    """A URL of the topic page that shows ``post`` (its page starts there)."""
    cursor = encode_cursor([post.id - 1]) if post.id > 1 else None
    return url_for(".topic", topic_id=post.topic_id, cursor=cursor) + f"#post-{post.id}"


# --- topic list --------------------------------------------------------------


@bp.get("/c/<slug>/topics")
def topics(slug: str) -> ResponseReturnValue:
    """A community's topics: pinned first, then newest activity, with unread markers."""
    viewer = web.viewer()
    community = community_services.visible_community(viewer, slug, "community.view_content")
    cursor = _cursor()
    page = queries.topics(community, cursor=cursor, limit=queries.TOPICS_PER_PAGE)
    pinned = queries.pinned_topics(community) if cursor is None else []
    listed = pinned + page.items
    return render_template(
        "discussions/topics.html",
        community=community,
        page=page,
        pinned=pinned,
        reads=queries.read_states(viewer, listed),
        can_post=permissions.can(viewer, "community.participate", community),
        moderates=permissions.can(viewer, "community.moderate", community),
        flag_count=queries.open_flag_count(community)
        if permissions.can(viewer, "community.moderate", community)
        else 0,
    )


@bp.route("/c/<slug>/topics/new", methods=["GET", "POST"])
@login_required
@posting_limit
def new_topic(slug: str) -> ResponseReturnValue:
    """Start a topic (members); a preview button shows the rendered text first."""
    community = community_services.visible_community(web.viewer(), slug, "community.participate")
    form = TopicForm()
    if request.method == "GET":
        form.client_token.data = _new_token()
    preview_html, status = None, 200
    if form.is_submitted() and request.form.get("preview"):
        preview_html = services.preview(form.body.data or "")
    elif form.validate_on_submit():
        try:
            topic = services.create_topic(web.current(), community, _topic_data(form))
        except ValidationError as error:
            web.show_errors(form, error)
            status = 400
        else:
            flash(_("Your topic was posted."), "success")
            return redirect(url_for(".topic", topic_id=topic.id))
    elif form.is_submitted():
        status = 400
    return render_template(
        "discussions/new_topic.html", community=community, form=form, preview=preview_html
    ), status


def _topic_data(form: TopicForm) -> services.TopicData:
    """What the new-topic form holds, as the service takes it."""
    return services.TopicData(
        title=form.title.data or "",
        body=form.body.data or "",
        tags=form.tags.data or "",
        client_token=form.client_token.data or None,
    )


# --- topic page --------------------------------------------------------------


def _reply_form(topic: Topic, viewer: User | None) -> ReplyForm:
    form = ReplyForm(formdata=None)
    form.client_token.data = _new_token()
    quote_id = request.args.get("quote", type=int)
    reply_to = request.args.get("reply_to", type=int)
    draft = services.draft_of(viewer, topic)
    if draft is not None:
        form.body.data = draft.body
        form.parent_id.data = str(draft.parent_id) if draft.parent_id else ""
    if reply_to:
        parent = queries.post_by_id(topic, reply_to)
        if parent is not None:
            form.parent_id.data = str(parent.id)
    if quote_id:
        quoted = queries.post_by_id(topic, quote_id)
        if quoted is not None and quoted.is_visible:
            name = quoted.author.name if quoted.author else ""
            lines = "\n".join("> " + line for line in quoted.body.splitlines())
            form.body.data = f"{name}:\n{lines}\n\n" + (form.body.data or "")
            form.parent_id.data = str(quoted.id)
    return form


def _post_links(topic: Topic) -> dict[str, UrlPattern]:
    """The links every post of a topic page carries, prepared once for the page."""
    cursor = request.args.get("cursor")
    post = "post_id"
    return {
        "post": UrlPattern("discussions.post", post),
        "react": UrlPattern("discussions.react", post),
        "reply": UrlPattern("discussions.topic", "reply_to", topic_id=topic.id, cursor=cursor),
        "quote": UrlPattern("discussions.topic", "quote", topic_id=topic.id, cursor=cursor),
        "edit": UrlPattern("discussions.edit_post", post),
        "delete": UrlPattern("discussions.delete_post", post),
        "flag": UrlPattern("discussions.flag_post", post),
        "hide": UrlPattern("discussions.hide_post", post),
        "history": UrlPattern("discussions.history", post),
    }


def _render_topic(
    topic: Topic, form: ReplyForm, status: int = 200, preview: str | None = None
) -> Any:
    viewer = web.viewer()
    page = queries.posts(topic, cursor=_cursor())
    last_read = queries.read_position(viewer, topic)
    ids = [p.id for p in page.items]
    first_unread = None
    if viewer is not None and last_read is not None:
        first_unread = next((i for i in ids if i > last_read), None)
    solution = None
    if topic.solution_post_id:
        solution = queries.post_by_id(topic, topic.solution_post_id)
    context = {
        "topic": topic,
        "community": topic.community,
        "page": page,
        "parents": queries.parents_of(page.items),
        "mine": services.my_reactions(viewer, ids),
        "last_read": last_read,
        "first_unread": first_unread,
        "jump_cursor": encode_cursor([last_read])
        if last_read is not None and topic.last_post_id and last_read < topic.last_post_id
        else None,
        "solution": solution,
        "form": form,
        "preview": preview,
        "can_reply": permissions.can(viewer, "topic.reply", topic)
        and (not topic.locked or permissions.can(viewer, "topic.moderate", topic)),
        "moderates": permissions.can(viewer, "topic.moderate", topic),
        "can_solve": permissions.can(viewer, "topic.solve", topic),
        "subscription": services.subscription_of(viewer, topic),
        "viewer_id": viewer.id if viewer else None,
        "links": _post_links(topic),
    }
    if viewer is not None and ids:
        services.mark_read(viewer, topic, ids[-1], current=last_read)
    return render_template("discussions/topic.html", **context), status


@bp.get("/t/<id:topic_id>")
def topic(topic_id: int) -> ResponseReturnValue:
    """The posts of a topic in order (20 a page); replying at the bottom."""
    topic = services.visible_topic(web.viewer(), topic_id)
    return _render_topic(topic, _reply_form(topic, web.viewer()))


@bp.post("/t/<id:topic_id>/reply")
@login_required
@posting_limit
def reply(topic_id: int) -> ResponseReturnValue:
    """Post a reply (or, with the preview button, show how it will look)."""
    user = web.current()
    topic = services.visible_topic(user, topic_id, "topic.reply")
    form = ReplyForm()
    if form.is_submitted() and request.form.get("preview"):
        return _render_topic(topic, form, preview=services.preview(form.body.data or ""))
    if not form.validate_on_submit():
        return _render_topic(topic, form, status=400)
    parent_id = int(form.parent_id.data) if form.parent_id.data else None
    try:
        post = services.reply(
            user, topic, form.body.data or "", parent_id=parent_id,
            client_token=form.client_token.data or None,
        )  # fmt: skip
    except ValidationError as error:
        web.show_errors(form, error)
        return _render_topic(topic, form, status=400)
    except CopError as error:
        flash(str(error.message), "error")
        return redirect(url_for(".topic", topic_id=topic.id))
    return redirect(_post_anchor(post))


@bp.post("/preview")
@login_required
def preview() -> ResponseReturnValue:
    """Live preview for the Markdown editor: ``{"html": ...}`` (sanitised)."""
    return jsonify({"html": services.preview(request.form.get("body", ""))})


@bp.post("/t/<id:topic_id>/draft")
@login_required
def save_draft(topic_id: int) -> ResponseReturnValue:
    """Keep the reply being typed on the server (called by discussions.js)."""
    user = web.current()
    topic = services.visible_topic(user, topic_id)
    parent = request.form.get("parent_id", type=int)
    if parent is not None and queries.post_by_id(topic, parent) is None:
        parent = None
    draft = services.save_draft(user, topic, request.form.get("body", ""), parent)
    if request.accept_mimetypes.best == "application/json" or request.is_json:
        return jsonify({"saved": True, "updated_at": draft.updated_at.isoformat()})
    flash(_("Your draft was saved."), "success")
    return redirect(url_for(".topic", topic_id=topic.id) + "#reply")


@bp.post("/t/<id:topic_id>/subscription")
@login_required
def subscribe(topic_id: int) -> Response:
    """Watch or mute a topic (or go back to the default)."""
    user = web.current()
    topic = services.visible_topic(user, topic_id)
    level = request.form.get("level") or None
    try:
        services.subscribe(user, topic, None if level == "default" else level)
    except CopError as error:
        flash(str(error.message), "error")
    else:
        flash(_("Your notification setting was saved."), "success")
    return redirect(url_for(".topic", topic_id=topic.id))


@bp.post("/t/<id:topic_id>/moderate")
@login_required
def moderate_topic(topic_id: int) -> Response:
    """Pin, unpin, lock or unlock (moderators)."""
    user = web.current()
    topic = services.visible_topic(user, topic_id, "topic.moderate")
    changes = {
        "pin": {"pinned": True},
        "unpin": {"pinned": False},
        "lock": {"locked": True},
        "unlock": {"locked": False},
    }.get(request.form.get("action", ""))
    if changes is None:
        flash(_("Choose what to do with the topic."), "error")
    else:
        services.set_topic_state(user, topic, **changes)
        flash(_("The topic was updated."), "success")
    return redirect(url_for(".topic", topic_id=topic.id))


@bp.route("/t/<id:topic_id>/move", methods=["GET", "POST"])
@login_required
def move_topic(topic_id: int) -> ResponseReturnValue:
    """Move a topic to another community the moderator moderates."""
    user = web.current()
    topic = services.visible_topic(user, topic_id, "topic.moderate")
    targets = [
        m.community
        for m in my_memberships(user)
        if m.community_id != topic.community_id
        and permissions.can(user, "community.moderate", m.community)
    ]
    form = MoveForm()
    form.target.choices = [SelectChoice(c.slug, c.name) for c in targets]
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("discussions/move.html", topic=topic, form=form), status
    target = community_services.visible_community(
        web.viewer(), form.target.data or "", "community.view_content"
    )
    try:
        services.move_topic(user, topic, target)
    except CopError as error:
        web.show_errors(form, error)
        return render_template("discussions/move.html", topic=topic, form=form), error.status
    flash(_("The topic was moved to %(name)s.", name=target.name), "success")
    return redirect(url_for(".topic", topic_id=topic.id))


@bp.post("/t/<id:topic_id>/solution")
@login_required
def solution(topic_id: int) -> Response:
    """Mark (or unmark) the post that solved the question."""
    user = web.current()
    topic = services.visible_topic(user, topic_id)
    post_id = request.form.get("post_id", type=int)
    try:
        services.mark_solution(user, topic, post_id)
    except ValidationError as error:
        flash(error.first_message, "error")
    else:
        flash(_("Marked as the solution.") if post_id else _("Solution cleared."), "success")
    return redirect(url_for(".topic", topic_id=topic.id))


# --- posts -------------------------------------------------------------------


@bp.get("/p/<id:post_id>")
def post(post_id: int) -> Response:
    """A link to one post: the topic page that shows it."""
    found = services.visible_post(web.viewer(), post_id)
    return redirect(_post_anchor(found))


@bp.route("/p/<id:post_id>/edit", methods=["GET", "POST"])
@login_required
@per_account_and_ip("post_edit", "EDIT_RATE_LIMIT")
def edit_post(post_id: int) -> ResponseReturnValue:
    """Change a post; the earlier text is kept for the moderators."""
    user, found = _acting_on_post(post_id, "post.edit")
    form = EditForm(obj=found if request.method == "GET" else None)
    preview_html = None
    if form.is_submitted() and request.form.get("preview"):
        preview_html = services.preview(form.body.data or "")
    elif form.validate_on_submit():
        try:
            services.edit_post(user, found, form.body.data or "")
        except ValidationError as error:
            web.show_errors(form, error)
        else:
            flash(_("Your changes were saved."), "success")
            return redirect(_post_anchor(found))
    status = 400 if form.is_submitted() and not preview_html else 200
    return render_template(
        "discussions/edit.html", post=found, form=form, preview=preview_html
    ), status


@bp.post("/p/<id:post_id>/delete")
@login_required
def delete_post(post_id: int) -> Response:
    """Delete a post (it stays in the thread as "deleted")."""
    user, found = _acting_on_post(post_id)
    services.delete_post(user, found)
    flash(_("The post was deleted."), "success")
    return redirect(_post_anchor(found))


@bp.post("/p/<id:post_id>/react")
@login_required
def react(post_id: int) -> Response:
    """Like or thank a post; the same button again takes it back."""
    user, found = _acting_on_post(post_id, "post.react")
    kind = request.form.get("kind", "")
    active = request.form.get("active", "1") == "1"
    try:
        services.react(user, found, kind, active)
    except CopError as error:
        flash(str(error.message), "error")
    return redirect(_post_anchor(found))


@bp.route("/p/<id:post_id>/flag", methods=["GET", "POST"])
@login_required
def flag_post(post_id: int) -> ResponseReturnValue:
    """Ask the moderators to look at a post."""
    user, found = _acting_on_post(post_id, "post.flag")
    form = FlagForm()
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("discussions/flag.html", post=found, form=form), status
    try:
        services.flag_post(user, found, form.reason.data or "", form.note.data or "")
    except CopError as error:
        flash(str(error.message), "info")
    else:
        flash(_("Thank you. The moderators will look at it."), "success")
    return redirect(_post_anchor(found))


@bp.post("/p/<id:post_id>/hide")
@login_required
def hide_post(post_id: int) -> Response:
    """A moderator hides a post, or shows it again."""
    user, found = _acting_on_post(post_id)
    hidden = request.form.get("hidden", "1") == "1"
    services.set_hidden(user, found, hidden)
    flash(_("The post is hidden.") if hidden else _("The post is shown again."), "success")
    return redirect(_post_anchor(found))


@bp.get("/p/<id:post_id>/history")
@login_required
def history(post_id: int) -> ResponseReturnValue:
    """Earlier versions of a post (moderators)."""
    user, found = _acting_on_post(post_id)
    return render_template(
        "discussions/history.html", post=found, revisions=services.revisions(user, found)
    )


# --- moderation queue ----------------------------------------------------------


@bp.get("/c/<slug>/flags")
@login_required
def flags(slug: str) -> ResponseReturnValue:
    """Flagged posts waiting for a moderator."""
    community = community_services.visible_community(web.viewer(), slug, "community.moderate")
    page = queries.open_flags(community, cursor=_cursor())
    return render_template(
        "discussions/flags.html", community=community, page=page, reasons=FLAG_REASON_LABELS
    )


@bp.post("/flags/<id:flag_id>")
@login_required
def resolve_flag(flag_id: int) -> Response:
    """Hide the flagged post, or dismiss the flag."""
    user = web.current()
    flag = services.get_flag(flag_id)
    services.visible_post(user, flag.post_id)
    try:
        services.resolve_flag(user, flag, request.form.get("action", ""))
    except ValidationError as error:
        flash(error.first_message, "error")
    else:
        flash(_("The flag was handled."), "success")
    if request.form.get("back") == "admin":  # the site admins' queue of every community
        return redirect(url_for("admin.flags"))
    community = flag.post.topic.community
    return redirect(url_for(".flags", slug=community.slug))


@bp.app_template_filter("topic_cursor")
def topic_cursor(last_read_post_id: int | None) -> str | None:
    """The page cursor that starts a topic right after the last post read."""
    return encode_cursor([last_read_post_id]) if last_read_post_id else None
