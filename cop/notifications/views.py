"""The notification list, opening one, marking them read; preferences; unsubscribe."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required

from cop.auth.models import User
from cop.communities import queries as community_queries
from cop.core import web
from cop.core.errors import CopError
from cop.core.pagination import parse_limit
from cop.core.templating import safe_next_url
from cop.extensions import csrf
from cop.notifications import delivery, forms, preferences, queries, services
from cop.notifications.kinds import BY_NAME, KINDS, Kind
from cop.push import services as push_services

bp = Blueprint("notifications", __name__)


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    """All notifications, newest first; unread ones stand out."""
    page = queries.for_user(
        current_user,
        unread_only=request.args.get("unread") == "1",
        cursor=request.args.get("cursor"),
        limit=parse_limit(request.args.get("limit"), default=30),
    )
    return render_template("notifications/index.html", page=page)


@bp.get("/<id:notification_id>")
@login_required
def open(notification_id: int) -> ResponseReturnValue:
    """Mark one read and go where it points."""
    notification = services.open_notification(web.current(), notification_id)
    if notification is None:
        abort(404)
    return redirect(safe_next_url(notification.url) or url_for("notifications.index"))


@bp.post("/read")
@login_required
def mark_all_read() -> ResponseReturnValue:
    """Mark every notification read."""
    count = services.mark_read(web.current())
    flash(
        ngettext(
            "%(num)d notification marked as read.", "%(num)d notifications marked as read.", count
        ),
        "success",
    )
    return redirect(url_for("notifications.index"))


def _render_preferences(form: forms.PreferencesForm, prefs: preferences.Preferences) -> str:
    user = web.current()
    return render_template(
        "notifications/preferences.html",
        form=form,
        prefs=prefs,
        kinds=KINDS,
        memberships=community_queries.my_memberships(user),
        bounce=preferences.bounce_of(user.email),
        vapid_public_key=push_services.public_key(),
    )


@bp.get("/preferences")
@login_required
def preferences_page() -> ResponseReturnValue:
    """How each kind of notification reaches me, muted communities, quiet hours."""
    prefs = preferences.preferences_of(web.current())
    form = forms.PreferencesForm(
        quiet_start=preferences.clock(prefs.quiet_start),
        quiet_end=preferences.clock(prefs.quiet_end),
    )
    return _render_preferences(form, prefs)


@bp.post("/preferences")
@login_required
def save_preferences() -> ResponseReturnValue:
    """Store the whole form: every kind's choices, the muted communities, quiet hours."""
    user = web.current()
    form = forms.PreferencesForm()
    try:
        if not form.validate_on_submit():
            raise CopError(_("The form expired; please try again."))
        preferences.save_preferences(
            user,
            forms.read_choices(request.form),
            quiet_start=preferences.parse_clock(form.quiet_start.data, "quiet_start"),
            quiet_end=preferences.parse_clock(form.quiet_end.data, "quiet_end"),
            muted=forms.read_muted(request.form),
        )
    except CopError as error:
        flash(str(error.message), "error")
        for messages in error.fields.values():
            for message in messages:
                flash(str(message), "error")
        return _render_preferences(form, preferences.preferences_of(user)), error.status
    flash(_("Your notification preferences are saved."), "success")
    return redirect(url_for("notifications.preferences_page"))


@bp.post("/preferences/bounce")
@login_required
def clear_bounce() -> ResponseReturnValue:
    """My address works again: send mail to it again."""
    preferences.clear_bounce(web.current())
    flash(_("We will send e-mail to your address again."), "success")
    return redirect(url_for("notifications.preferences_page"))


def _unsubscribe_target(token: str) -> tuple[User, list[Kind]] | None:
    found = delivery.read_unsubscribe_token(token)
    if found is None:
        return None
    user = queries.active_user(found[0])
    kinds = [BY_NAME[name] for name in found[1] if name in BY_NAME]
    return (user, kinds) if user is not None and kinds else None


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str) -> ResponseReturnValue:
    """One-click unsubscribe (RFC 8058), logged out: GET asks, POST turns the e-mail off.

    Mail clients POST ``List-Unsubscribe=One-Click`` here; the signed token is the
    authority, so there is no CSRF token (and a link scanner's GET changes nothing).
    """
    target = _unsubscribe_target(token)
    if target is None:
        return render_template("notifications/unsubscribe_invalid.html"), 400
    user, kinds = target
    done = request.method == "POST"
    if done:
        preferences.turn_off_email(user, [kind.name for kind in kinds])
    with force_locale(user.locale or "id"):  # the page speaks the member's language
        return render_template("notifications/unsubscribe.html", kinds=kinds, done=done)


def init_app(app: Flask) -> None:
    """Put the unread count in every page's context (one small query when logged in)."""

    @app.context_processor
    def _unread() -> dict[str, object]:
        def unread_notifications() -> int:
            if not current_user.is_authenticated:
                return 0
            return queries.unread_count(current_user)

        return {"unread_notifications": unread_notifications}
