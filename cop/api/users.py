"""API: register, get a token, who am I."""

from __future__ import annotations

from flask import current_app
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from cop.api.openapi import documented
from cop.api.views import Body, bp
from cop.auth import services as auth_services
from cop.auth.serializers import token_json, user_json
from cop.core.errors import NotAuthenticated
from cop.core.ratelimit import login_limits, per_ip
from cop.core.timezones import DEFAULT_ZONE
from cop.core.web import current
from cop.extensions import limiter
from cop.privacy import policy as privacy_policy


@bp.post("/users")
@documented(
    "Register an account",
    tag="users",
    status=202,
    body="UserCreate",
    response="Registration",
    errors=(400, 403, 409),
    description="The same 202 whether the email already had an account or not (a mail "
    "goes to the address either way: a welcome, or a notice with a password-reset "
    "link); then POST /tokens with the email and password. 409 only for a taken "
    "`username` (handles are public). 403 when the site's registration is closed, or "
    "invite only without a valid `invite`; 400 for an email outside the allowed domains.",
    auth="optional",
    rate_limited=True,
)
@limiter.limit(lambda: current_app.config["REGISTER_RATE_LIMIT"])
def create_user() -> ResponseReturnValue:
    """Create an account without revealing whether the email had one; 409 for a taken
    username only."""
    body = Body.from_request()
    email = body.required("email")
    password = body.required("password")
    name = body.required("name")
    username = body.text("username")
    locale = body.text("locale")
    timezone = body.text("timezone")
    invite = body.text("invite")
    body.done()
    user = auth_services.sign_up(
        email,
        password,
        name,
        username=username or None,
        locale=locale or str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"]),
        timezone=timezone or DEFAULT_ZONE,
        invite_token=invite or None,
    )
    if user is not None:  # registering through the API accepts the policy at /privacy/
        privacy_policy.record_acceptance(user, privacy_policy.policy_version(user.locale))
    return {
        "status": "accepted",
        "email": auth_services.normalize_email(email),
        "message": str(
            _l("We have sent a message to that address. Log in with it and your password.")
        ),
    }, 202


@bp.post("/tokens")
@documented(
    "Create an API token from email and password",
    tag="users",
    status=201,
    body="TokenCreate",
    response="Token",
    errors=(400, 409),
    auth="optional",
    rate_limited=True,
    description="Wrong credentials are a 401 `invalid_credentials`, with no hint which was wrong.",
)
@login_limits(succeeded=lambda response: response.status_code == 201)
@per_ip("token_create", "TOKEN_CREATE_RATE_LIMIT_IP")
def create_token() -> ResponseReturnValue:
    """Trade email and password for a named bearer token (shown once)."""
    body = Body.from_request()
    email = body.required("email")
    password = body.required("password")
    name = body.text("name")
    body.done()
    user = auth_services.authenticate(email, password)
    if user is None:
        raise NotAuthenticated(
            _l("The email or password is not correct."), code="invalid_credentials"
        )
    token, raw = auth_services.create_token(user, name or "API")
    return token_json(token, raw), 201


@bp.get("/me")
@documented("The caller's account", tag="users", response="User")
def me() -> ResponseReturnValue:
    """The authenticated caller, with their email."""
    user = current()
    return user_json(user, viewer=user)
