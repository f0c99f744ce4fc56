"""Registration that does not tell whether an email already has an account.

Both outcomes answer the same and send one mail: a new address gets its
welcome, an address that already has an account gets a notice that someone
tried to register with it, with a link to choose a new password. Either way
the password is hashed first, so the answer also takes the same time.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l

from cop.auth.models import User
from cop.auth.services.accounts import (
    email_confirmation_token,
    find_by_email,
    normalize_email,
    password_reset_token,
    register,
)
from cop.core import site
from cop.core.errors import Conflict, Forbidden, ValidationError
from cop.core.mail import send_mail
from cop.core.timezones import DEFAULT_ZONE
from cop.core.urls import external_url


def sign_up(
    email: str,
    password: str,
    name: str,
    *,
    username: str | None = None,
    locale: str = "id",
    timezone: str = DEFAULT_ZONE,
    invite_token: str | None = None,
) -> User | None:
    """Register (as ``register``) and mail the address; None when it had an account.

    Edges answer both outcomes identically; a taken username is still a Conflict
    (handles are public), and invalid input a ValidationError. The site's settings
    come first: registration closed, invite only (``invite_token`` must name a
    community's current invite link), allowed email domains.
    """
    check_registration(email, invite_token)
    try:
        user = register(
            email,
            password,
            name,
            username=username,
            locale=locale,
            timezone=timezone,
            confirmed=False,
        )
    except Conflict as error:
        if error.code != "email_taken":
            raise
        _mail_owner(email)
        return None
    send_confirmation(user)
    return user


def check_registration(email: str, invite_token: str | None) -> None:
    """Refuse a registration the site's settings do not allow (the same answer for every
    address, so it tells nothing about accounts)."""
    from cop.communities.queries import by_invite_token

    mode = site.get("registration")
    if mode == "closed":
        raise Forbidden(
            _l("Registration is closed on this site. Ask its admin for an account."),
            code="registration_closed",
        )
    if mode == "invite" and (not invite_token or by_invite_token(invite_token[:100]) is None):
        raise Forbidden(
            _l("On this site you join through a community's invite link: ask its coordinator."),
            code="invite_only",
        )
    if not site.email_domain_allowed(normalize_email(email)):
        domains = ", ".join(site.get("allowed_email_domains"))
        message = _l("Register with an address of %(domains)s.", domains=domains)
        raise ValidationError(message, fields={"email": message})


def _mail_owner(email: str) -> None:
    """Tell the owner of ``email`` that someone tried to register with it."""
    owner = find_by_email(email)
    if owner is None or not owner.active:
        return  # a deactivated account hears nothing (it cannot log in or reset)
    send_mail(
        owner.email,
        _l("Someone tried to register with your address"),
        "register_attempt",
        locale=owner.locale,
        user=owner,
        login_url=external_url("auth.login"),
        reset_url=external_url("auth.reset_password", token=password_reset_token(owner)),
        minutes=int(current_app.config["PASSWORD_RESET_MAX_AGE"]) // 60,
    )


def send_confirmation(user: User) -> None:
    """The welcome mail with the link that confirms the address (sent again on request)."""
    send_mail(
        user.email,
        _l("Welcome to cop"),
        "welcome",
        locale=user.locale,
        user=user,
        url=external_url("auth.login"),
        confirm_url=external_url("auth.confirm_email", token=email_confirmation_token(user)),
    )
