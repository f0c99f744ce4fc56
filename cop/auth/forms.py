"""Account forms: validation only. The services check the rules that matter
(email format, password strength, unique email and username) so that the web
pages and the JSON API enforce the same ones."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, Optional

from cop.auth.models import LEVELS
from cop.core.i18n import LANGUAGE_NAMES
from cop.core.timezones import DEFAULT_ZONE, ZONE_CHOICES

# SelectChoice (WTForms 3.3+): plain tuples are deprecated.
LANGUAGE_CHOICES = [SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()]
LEVEL_CHOICES = [SelectChoice("", _l("Not set")), *(SelectChoice(level) for level in LEVELS)]
ZONE_SELECT_CHOICES = [SelectChoice(zone, label) for zone, label in ZONE_CHOICES]

# Messages shared by several forms.
REQUIRED = _l("This field is required.")
PASSWORDS_DIFFER = _l("The two passwords do not match.")


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class RegisterForm(FlaskForm):
    """Create an account."""

    name = StringField(
        _l("Full name"),
        filters=[_strip],
        validators=[DataRequired(REQUIRED), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    email = EmailField(
        _l("Email"),
        filters=[_strip],
        validators=[DataRequired(REQUIRED), Length(max=254)],
        render_kw={"autocomplete": "email"},
    )
    username = StringField(
        _l("Username (optional)"),
        filters=[_strip],
        validators=[Optional(), Length(max=33)],
        render_kw={"autocomplete": "username", "autocapitalize": "none"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(REQUIRED), Length(max=256)],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[InputRequired(REQUIRED), EqualTo("password", PASSWORDS_DIFFER)],
        render_kw={"autocomplete": "new-password"},
    )
    # data-browser-zone: static/js/app.js picks the browser's zone when it is one of these
    timezone = SelectField(
        _l("Time zone"),
        choices=ZONE_SELECT_CHOICES,
        default=DEFAULT_ZONE,
        render_kw={"data-browser-zone": ""},
    )
    locale = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    # UU PDP: consent is given by a deliberate act, recorded with the policy's version
    accept_privacy = BooleanField(
        _l("I have read the privacy policy and agree to what it says cop keeps and why."),
        validators=[DataRequired(_l("Tick this box to accept the privacy policy."))],
    )
    next = HiddenField()


class LoginForm(FlaskForm):
    """Log in with email and password."""

    email = EmailField(
        _l("Email"),
        filters=[_strip],
        validators=[DataRequired(REQUIRED), Length(max=254)],
        render_kw={"autocomplete": "email"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(REQUIRED), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Keep me logged in on this device"))
    next = HiddenField()


class ResetRequestForm(FlaskForm):
    """Ask for a password reset link."""

    email = EmailField(
        _l("Email"),
        filters=[_strip],
        validators=[DataRequired(REQUIRED), Length(max=254)],
        render_kw={"autocomplete": "email"},
    )


class ResetPasswordForm(FlaskForm):
    """Choose a new password from a reset link."""

    password = PasswordField(
        _l("New password"),
        validators=[InputRequired(REQUIRED), Length(max=256)],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[InputRequired(REQUIRED), EqualTo("password", PASSWORDS_DIFFER)],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(FlaskForm):
    """Change the password while logged in."""

    current_password = PasswordField(
        _l("Current password"),
        validators=[InputRequired(REQUIRED), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        _l("New password"),
        validators=[InputRequired(REQUIRED), Length(max=256)],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[InputRequired(REQUIRED), EqualTo("new_password", PASSWORDS_DIFFER)],
        render_kw={"autocomplete": "new-password"},
    )


class ProfileForm(FlaskForm):
    """What other teachers see about you, and how cop shows things to you."""

    name = StringField(
        _l("Full name"),
        filters=[_strip],
        validators=[DataRequired(REQUIRED), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    username = StringField(
        _l("Username"),
        filters=[_strip],
        validators=[DataRequired(REQUIRED), Length(max=33)],
        render_kw={"autocapitalize": "none"},
    )
    school = StringField(_l("School"), filters=[_strip], validators=[Length(max=160)])
    subjects = StringField(_l("Subjects you teach"), filters=[_strip], validators=[Length(max=255)])
    level = SelectField(_l("Level"), choices=LEVEL_CHOICES, default="")
    province = StringField(_l("Province"), filters=[_strip], validators=[Length(max=80)])
    city = StringField(_l("Regency or city"), filters=[_strip], validators=[Length(max=80)])
    timezone = SelectField(_l("Time zone"), choices=ZONE_SELECT_CHOICES)
    locale = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    bio = TextAreaField(_l("About me"), validators=[Length(max=4000)], render_kw={"rows": 6})


class TokenForm(FlaskForm):
    """Name a new API token."""

    name = StringField(
        _l("Token name"),
        filters=[_strip],
        validators=[DataRequired(REQUIRED), Length(max=80)],
        render_kw={"placeholder": _l("e.g. School attendance system")},
    )
