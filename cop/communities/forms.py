"""Community forms: validation only.

The service (``services._validate``) checks the same rules again, so the web
pages and the JSON API refuse the same input; the forms exist to give each
field its own message and to keep what the teacher typed on an error.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from cop.communities.models import KINDS, LEVELS
from cop.core.labels import register_labels

#: kind -> what it means, for people who do not know the abbreviations
KIND_LABELS = {
    "KKG": _l("KKG: primary-school teachers' working group"),
    "MGMP": _l("MGMP: subject teachers' forum"),
    "KOMBEL": _l("KOMBEL: school learning community"),
    "OTHER": _l("Another teacher group"),
}
#: kind -> the short name on badges and filters
KIND_SHORT = {
    "KKG": _l("KKG"),
    "MGMP": _l("MGMP"),
    "KOMBEL": _l("Learning community"),
    "OTHER": _l("Other group"),
}
#: school level -> its name (the abbreviation in Indonesian)
LEVEL_LABELS = {
    "SD": _l("Primary (SD)"),
    "SMP": _l("Lower secondary (SMP)"),
    "SMA": _l("Upper secondary (SMA)"),
    "SMK": _l("Vocational (SMK)"),
}
register_labels("community_kind", KIND_SHORT)
register_labels("level", LEVEL_LABELS)
# SelectChoice (WTForms 3.3+): plain tuples are deprecated.
KIND_CHOICES = [SelectChoice(kind, KIND_LABELS[kind]) for kind in KINDS]
LEVEL_CHOICES = [
    SelectChoice("", _l("Any or several levels")),
    *(SelectChoice(lv, LEVEL_LABELS[lv]) for lv in LEVELS),
]

#: visibility -> (short label, plain-language explanation)
VISIBILITY_HELP = {
    "public": (
        _l("Public"),
        _l("Anyone can find the community and join at once."),
    ),
    "private": (
        _l("Private"),
        _l(
            "Anyone can find the community and ask to join; a coordinator approves each "
            "request. Discussions and members are visible to members only."
        ),
    ),
    "hidden": (
        _l("Hidden"),
        _l(
            "The community is not listed. Teachers join only through the invite link "
            "that coordinators share."
        ),
    ),
}
VISIBILITY_CHOICES = [SelectChoice(key, label) for key, (label, _help) in VISIBILITY_HELP.items()]

ROLE_LABELS = {
    "member": _l("Member"),
    "moderator": _l("Moderator"),
    "coordinator": _l("Coordinator"),
}

REQUIRED = _l("This field is required.")
NAME_LENGTH = _l("Enter a name of 3 to 120 characters.")
TOO_LONG = _l("At most %(max)d characters.")


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _text(label: Any, limit: int, **kwargs: Any) -> StringField:
    return StringField(
        label,
        filters=[_strip],
        validators=[Optional(), Length(max=limit, message=TOO_LONG)],
        **kwargs,
    )


class CommunityForm(FlaskForm):
    """Create or edit a community."""

    name = StringField(
        _l("Name"),
        filters=[_strip],
        validators=[DataRequired(REQUIRED), Length(min=3, max=120, message=NAME_LENGTH)],
        render_kw={"maxlength": 120, "placeholder": _l("e.g. KKG Gugus 3 Tamalate")},
    )
    kind = SelectField(_l("Kind of community"), choices=KIND_CHOICES, default="KKG")
    level = SelectField(_l("School level"), choices=LEVEL_CHOICES, default="")
    subject = _text(
        _l("Subject"),
        80,
        render_kw={"maxlength": 80, "placeholder": _l("e.g. Matematika")},
    )
    province = _text(
        _l("Province"),
        80,
        render_kw={"maxlength": 80, "placeholder": _l("e.g. Sulawesi Selatan")},
    )
    city = _text(
        _l("Regency or city"),
        80,
        render_kw={"maxlength": 80, "placeholder": _l("e.g. Kota Makassar")},
    )
    description = TextAreaField(
        _l("Description"),
        filters=[_strip],
        validators=[Optional(), Length(max=5000, message=TOO_LONG)],
        render_kw={"rows": 8, "maxlength": 5000},
    )
    visibility = RadioField(_l("Who can join"), choices=VISIBILITY_CHOICES, default="public")


class DirectoryFilterForm(FlaskForm):
    """The directory's filter bar (a GET form: no CSRF, unknown choices are ignored)."""

    class Meta:
        csrf = False

    q = StringField(_l("Search"), filters=[_strip], validators=[Length(max=100)])
    kind = SelectField(
        _l("Kind"),
        choices=[
            SelectChoice("", _l("All kinds")),
            *(SelectChoice(k, KIND_SHORT[k]) for k in KINDS),
        ],
    )
    level = SelectField(
        _l("Level"),
        choices=[
            SelectChoice("", _l("All levels")),
            *(SelectChoice(lv, LEVEL_LABELS[lv]) for lv in LEVELS),
        ],
    )
    subject = StringField(_l("Subject"), filters=[_strip], validators=[Length(max=80)])
    region = StringField(
        _l("Province or regency/city"), filters=[_strip], validators=[Length(max=80)]
    )


class MemberForm(FlaskForm):
    """A coordinator's change to one membership: a new role, a new status, or both."""

    role = SelectField(
        _l("Role"),
        choices=[SelectChoice(""), *(SelectChoice(k, v) for k, v in ROLE_LABELS.items())],
        default="",
    )
    status = SelectField(
        _l("Status"),
        choices=[
            SelectChoice(""),
            SelectChoice("active", _l("Active")),
            SelectChoice("banned", _l("Banned")),
        ],
        default="",
    )
