"""Account operations (the feature's services), re-exported from two modules:

- ``accounts``: register, authenticate, profile, passwords and reset, activation;
- ``credentials``: login sessions, API tokens, and the "still signed in" checks;
- ``signup``: registration that does not reveal whether an email has an account.

Callers keep writing ``services.register(...)``, ``services.start_session(user)``.
"""

from cop.auth.services.accounts import (
    EMAIL_RE,
    RESET_SALT,
    USERNAME_RE,
    Profile,
    authenticate,
    change_password,
    confirm_email,
    email_confirmation_token,
    find_by_email,
    normalize_email,
    password_reset_token,
    register,
    reset_password,
    revoke_sessions,
    set_active,
    touch_last_seen,
    update_profile,
    user_for_reset_token,
)
from cop.auth.services.credentials import (
    LAST_SEEN_EVERY,
    STANDING_CONDITIONS,
    TOKEN_PREFIX,
    Standing,
    create_token,
    end_session,
    revoke_token,
    standing,
    standing_params,
    start_session,
    sweep_sessions,
    user_for_session,
    user_for_token,
)
from cop.auth.services.signup import send_confirmation, sign_up

__all__ = [
    "EMAIL_RE",
    "LAST_SEEN_EVERY",
    "RESET_SALT",
    "STANDING_CONDITIONS",
    "TOKEN_PREFIX",
    "USERNAME_RE",
    "Profile",
    "Standing",
    "authenticate",
    "change_password",
    "confirm_email",
    "create_token",
    "email_confirmation_token",
    "end_session",
    "find_by_email",
    "normalize_email",
    "password_reset_token",
    "register",
    "reset_password",
    "revoke_sessions",
    "revoke_token",
    "send_confirmation",
    "set_active",
    "sign_up",
    "standing",
    "standing_params",
    "start_session",
    "sweep_sessions",
    "touch_last_seen",
    "update_profile",
    "user_for_reset_token",
    "user_for_session",
    "user_for_token",
]
