"""Account pages: register, log in, log out, password reset, profile, tokens."""

from __future__ import annotations

import re
from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm

from cop import signals
from cop.auth import forms, queries, services
from cop.auth.handles import greeting_name
from cop.auth.models import User
from cop.badges import queries as badge_queries
from cop.core import web
from cop.core.errors import Conflict, CopError, NotFound
from cop.core.mail import send_mail
from cop.core.ratelimit import login_limits, per_ip
from cop.core.templating import safe_next_url
from cop.core.urls import external_url
from cop.extensions import limiter
from cop.privacy import policy as privacy_policy

bp = Blueprint("auth", __name__)

#: Conflict codes from the services -> the form field the message belongs to
CONFLICT_FIELDS = {"email_taken": "email", "username_taken": "username"}


def _show_error(form: FlaskForm, error: CopError) -> int:
    """Put a service error on the matching form fields; return the status to answer with."""
    fields = dict(error.fields)
    if not fields and isinstance(error, Conflict) and error.code in CONFLICT_FIELDS:
        fields = {CONFLICT_FIELDS[error.code]: error.message}
    if not fields:
        form.form_errors.append(str(error.message))
    for name, messages in fields.items():
        field = form._fields.get(name)
        target = field.errors if field is not None else form.form_errors
        for message in messages if isinstance(messages, list | tuple) else [messages]:
            target.append(str(message))
    return error.status


def _invalid_status(form: FlaskForm) -> int:
    """200 for a first view of a form, 400 when a submitted one did not validate."""
    return 400 if form.is_submitted() else 200


def _next_url(form: Any) -> str | None:
    """Where to go after logging in: only a path on this site (no open redirects)."""
    return safe_next_url(form.next.data or request.args.get("next"))


def _log_in(user: User, remember: bool = False) -> None:
    """Open a login session on the server and put its key in this browser's cookies."""
    services.start_session(user)
    login_user(user, remember=remember)


# --- register, log in, log out ------------------------------------------------


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REGISTER_RATE_LIMIT"], methods=["POST"])
def register() -> Any:
    """Create an account; the answer is the same whether the email had one or not.

    Either way a mail goes to the address (a welcome, or a notice with a reset
    link) and the browser goes to the login page, so nobody learns from this form
    which addresses have accounts (docs/security.md).
    """
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = forms.RegisterForm()
    if request.method == "GET":
        form.locale.data = str(get_locale())
        form.next.data = safe_next_url(request.args.get("next")) or ""
    if form.validate_on_submit():
        try:
            _register(form)
        except CopError as error:
            status = _show_error(form, error)
            return render_template("auth/register.html", form=form), status
        flash(
            _(
                "We have sent a message to %(email)s. Log in with that address and the "
                "password you chose.",
                email=services.normalize_email(form.email.data or ""),
            ),
            "success",
        )
        next_url = _next_url(form)
        return redirect(url_for("auth.login", next=next_url) if next_url else url_for("auth.login"))
    return render_template("auth/register.html", form=form), _invalid_status(form)


def _register(form: forms.RegisterForm) -> User | None:
    """Register the account the form describes (None: the email had one, its owner
    was mailed); a new account's acceptance of the privacy policy it was shown is kept."""
    user = services.sign_up(
        form.email.data or "",
        form.password.data or "",
        form.name.data or "",
        username=form.username.data or None,
        locale=form.locale.data or "id",
        timezone=form.timezone.data or "",
        invite_token=_invite_token(form.next.data or ""),
    )
    if user is not None:
        privacy_policy.record_acceptance(user, privacy_policy.policy_version(user.locale))
    return user


def _invite_token(next_url: str) -> str | None:
    """The invite link's token when registration came from one (``next=/c/invite/<token>``)."""
    match = re.fullmatch(r"/c/invite/([A-Za-z0-9_-]{10,100})", next_url.split("?")[0])
    return match.group(1) if match else None


@bp.get("/confirm/<token>")
def confirm_email(token: str) -> Any:
    """The link in the welcome mail: the address is proven; posting is open."""
    user = services.confirm_email(token)
    flash(_("Thank you: %(email)s is confirmed.", email=user.email), "success")
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    return redirect(url_for("auth.login"))


@bp.post("/confirm/resend")
@login_required
def resend_confirmation() -> Any:
    """Send the confirmation link again (the welcome mail was lost)."""
    user = web.current()
    if user.email_confirmed_at is None:
        services.send_confirmation(user)
        flash(_("We sent the link again to %(email)s.", email=user.email), "info")
    return redirect(url_for("dashboard.index"))


@bp.route("/login", methods=["GET", "POST"])
@login_limits(succeeded=lambda response: response.status_code == 302)
def login() -> Any:
    """Log in with email and password."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = forms.LoginForm()
    if request.method == "GET":
        form.next.data = safe_next_url(request.args.get("next")) or ""
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form), _invalid_status(form)
    user = services.authenticate(form.email.data or "", form.password.data or "")
    if user is None:
        # The same answer for an unknown email, a wrong password and a disabled account.
        form.form_errors.append(_("The email or password is not correct."))
        return render_template("auth/login.html", form=form), 200
    first_time = user.last_seen_at is None  # registration no longer logs in
    _log_in(user, remember=bool(form.remember.data))
    # Greeted by name without titles: "Bu Rina Marlina, S.Pd." reads "Rina Marlina";
    # a new account is pointed at the communities to join.
    name = greeting_name(user.name)
    if first_time:
        flash(
            _("Welcome to cop, %(name)s! Join a community of teachers to get started.", name=name),
            "success",
        )
    else:
        flash(_("Welcome back, %(name)s.", name=name), "success")
    return redirect(_next_url(form) or url_for("dashboard.index"))


@bp.post("/logout")
@login_required
def logout() -> Any:
    """Log out of this browser: its session ends on the server (a copied cookie is
    worthless afterwards) and its live chat connection closes."""
    user = web.current()
    services.end_session(user.session_key)
    signals.user_logged_out.send(user, user=user)
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("dashboard.index"))


@bp.post("/sessions/revoke")
@login_required
def revoke_sessions() -> Any:
    """Log out everywhere: every browser, remember-me cookie and live connection."""
    services.revoke_sessions(web.current())
    logout_user()
    flash(_("You have been logged out on every device."), "info")
    return redirect(url_for("dashboard.index"))


# --- password reset -------------------------------------------------------------


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RESET_RATE_LIMIT"], methods=["POST"])
def reset_request() -> Any:
    """Ask for a reset link; the answer never reveals whether the account exists."""
    form = forms.ResetRequestForm()
    if not form.validate_on_submit():
        return render_template("auth/reset_request.html", form=form), _invalid_status(form)
    user = services.find_by_email(form.email.data or "")
    if user is not None and user.active:
        token = services.password_reset_token(user)
        send_mail(
            user.email,
            _l("Reset your cop password"),
            "reset_password",
            locale=user.locale,
            user=user,
            url=external_url("auth.reset_password", token=token),
            minutes=int(current_app.config["PASSWORD_RESET_MAX_AGE"]) // 60,
        )
    flash(
        _(
            "If an account exists for that address, we have sent it a link to choose a new "
            "password. Check your inbox (and the spam folder)."
        ),
        "info",
    )
    return redirect(url_for("auth.login"))


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> Any:
    """Choose a new password from the link in the email."""
    try:
        services.user_for_reset_token(token)
    except NotFound as error:
        return render_template("auth/reset_invalid.html", message=error.message), error.status
    form = forms.ResetPasswordForm()
    status = _invalid_status(form)
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data or "")
        except NotFound as error:  # used or expired while the form was open
            return render_template("auth/reset_invalid.html", message=error.message), error.status
        except CopError as error:
            status = _show_error(form, error)
        else:
            if current_user.is_authenticated:
                logout_user()  # the reset ended every session, this one included
            flash(_("Your password has been changed. Log in with the new one."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form, token=token), status


# --- profile and password ---------------------------------------------------------


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile() -> Any:
    """Edit your own profile; "Preview" shows the rendered bio without saving."""
    user = web.current()
    form = forms.ProfileForm(obj=user)
    if request.method == "GET":
        form.level.data = user.level or ""
    preview = form.bio.data or ""
    if not form.validate_on_submit():
        return _render_profile(form, preview), _invalid_status(form)
    if "preview" in request.form:
        return _render_profile(form, preview), 200
    try:
        services.update_profile(user, _profile_data(form))
    except CopError as error:
        status = _show_error(form, error)
        return _render_profile(form, preview), status
    flash(_("Your profile has been saved."), "success")
    return redirect(url_for("auth.profile"))


def _profile_data(form: forms.ProfileForm) -> services.Profile:
    """What the profile form says, as the service's input."""
    return services.Profile(
        name=form.name.data,
        username=form.username.data,
        school=form.school.data,
        subjects=form.subjects.data,
        level=form.level.data,
        province=form.province.data,
        city=form.city.data,
        timezone=form.timezone.data,
        locale=form.locale.data,
        bio=form.bio.data,
    )


def _render_profile(form: forms.ProfileForm, preview: str) -> str:
    """The profile form with a rendered preview of the bio."""
    return render_template("auth/profile.html", form=form, preview=preview)


@bp.route("/users/<username>")
def user_profile(username: str) -> Any:
    """A teacher's public profile and the communities the viewer may see them in."""
    user = queries.active_user_by_username(username)
    if user is None:
        raise NotFound()
    viewer = web.current() if current_user.is_authenticated else None
    memberships = queries.profile_memberships(user, viewer)
    awards = badge_queries.user_awards(user, viewer)
    standings = badge_queries.standings(user, [m.community for m in memberships])
    return render_template(
        "auth/user.html",
        user=user,
        memberships=memberships,
        awards_by_tier=badge_queries.by_tier(awards),
        standings=standings,
    )


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password() -> Any:
    """Change the password; other sessions end, this browser stays logged in."""
    form = forms.ChangePasswordForm()
    if not form.validate_on_submit():
        return render_template("auth/password.html", form=form), _invalid_status(form)
    user = web.current()
    try:
        services.change_password(
            user,
            form.current_password.data or "",
            form.new_password.data or "",
            keep_session=user.session_key,
        )
    except CopError as error:
        status = _show_error(form, error)
        return render_template("auth/password.html", form=form), status
    flash(_("Your password has been changed. Other devices have been logged out."), "success")
    return redirect(url_for("auth.profile"))


# --- API tokens -------------------------------------------------------------------


@bp.get("/tokens")
@login_required
def tokens() -> Any:
    """List your API tokens, with a form to create one."""
    return _render_tokens(forms.TokenForm())


@bp.post("/tokens")
@login_required
@per_ip("token_create", "TOKEN_CREATE_RATE_LIMIT_IP")
def create_token() -> Any:
    """Create a token and show its value once (it is never stored or shown again)."""
    form = forms.TokenForm()
    if not form.validate_on_submit():
        return _render_tokens(form), 400
    try:
        user = web.current()
        token, raw = services.create_token(user, form.name.data or "", session_id=user.session_id)
    except CopError as error:
        status = _show_error(form, error)
        return _render_tokens(form), status
    return _render_tokens(forms.TokenForm(formdata=None), new_token=token, raw_token=raw), 201


@bp.post("/tokens/<id:token_id>/revoke")
@login_required
def revoke_token(token_id: int) -> Any:
    """Revoke one of your tokens; programs using it stop working at once."""
    token = services.revoke_token(web.current(), token_id)
    flash(_("The token “%(name)s” has been revoked.", name=token.name), "info")
    return redirect(url_for("auth.tokens"))


def _render_tokens(form: forms.TokenForm, **extra: Any) -> str:
    """The token list with the create form (and a new token's value, once)."""
    return render_template(
        "auth/tokens.html",
        form=form,
        tokens=queries.tokens_of(web.current()),
        **extra,
    )
