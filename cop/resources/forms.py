"""Resource forms: sharing, and the library's filter bar (validation only)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from cop.core.labels import register_labels
from cop.resources.models import KINDS, LEVELS, LICENSES, PHASES
from cop.resources.sniff import ALLOWED_EXTENSIONS

KIND_LABELS = {
    "modul_ajar": _l("Teaching module / lesson plan (modul ajar, RPP)"),
    "lkpd": _l("Student worksheet (LKPD)"),
    "media": _l("Learning media (slides, video, audio, pictures)"),
    "asesmen": _l("Assessment (asesmen)"),
    "artikel": _l("Article or good practice"),
    "lainnya": _l("Other"),
}
KIND_SHORT = {
    "modul_ajar": _l("Modul ajar"),
    "lkpd": _l("LKPD"),
    "media": _l("Media"),
    "asesmen": _l("Asesmen"),
    "artikel": _l("Article"),
    "lainnya": _l("Other"),
}
#: school level -> its name (the same words as a community's levels)
LEVEL_LABELS = {
    "SD": _l("Primary (SD)"),
    "SMP": _l("Lower secondary (SMP)"),
    "SMA": _l("Upper secondary (SMA)"),
    "SMK": _l("Vocational (SMK)"),
}
register_labels("resource_kind", KIND_SHORT)
LICENSE_LABELS = {
    "cc-by": _l("CC BY: others may share and adapt, with credit"),
    "cc-by-sa": _l("CC BY-SA: share and adapt, with credit, under the same license"),
    "cc-by-nc": _l("CC BY-NC: share and adapt for non-commercial use, with credit"),
    "cc-by-nc-sa": _l("CC BY-NC-SA: non-commercial, with credit, same license"),
    "cc0": _l("CC0: public domain"),
    "all-rights-reserved": _l("All rights reserved"),
}
SORT_LABELS = {
    "newest": _l("Newest"),
    "downloads": _l("Most downloaded"),
    "likes": _l("Most liked"),
}
ACCEPT = ",".join(f".{ext}" for ext in ALLOWED_EXTENSIONS)
TOO_LONG = _l("At most %(max)d characters.")


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class ResourceForm(FlaskForm):
    """Share a file or a link."""

    title = StringField(
        _l("Title"),
        filters=[_strip],
        validators=[
            DataRequired(_l("This field is required.")),
            Length(min=3, max=200, message=_l("Enter a title of 3 to 200 characters.")),
        ],
        render_kw={"maxlength": 200, "placeholder": _l("e.g. LKPD Pecahan Senilai Kelas 4")},
    )
    kind = SelectField(
        _l("Kind"), choices=[SelectChoice(k, KIND_LABELS[k]) for k in KINDS], default="modul_ajar"
    )
    file = FileField(_l("File"), render_kw={"accept": ACCEPT})
    url = StringField(
        _l("or a link"),
        filters=[_strip],
        validators=[Optional(), Length(max=2000, message=TOO_LONG)],
        render_kw={"placeholder": "https://", "inputmode": "url"},
    )
    description = TextAreaField(
        _l("Description"),
        filters=[_strip],
        validators=[Optional(), Length(max=10000, message=TOO_LONG)],
        render_kw={"rows": 6},
    )
    subject = StringField(
        _l("Subject"),
        filters=[_strip],
        validators=[Optional(), Length(max=80, message=TOO_LONG)],
        render_kw={"placeholder": _l("e.g. Matematika")},
    )
    level = SelectField(
        _l("School level"),
        choices=[
            SelectChoice("", _l("Any level")),
            *(SelectChoice(lv, LEVEL_LABELS.get(lv, lv)) for lv in LEVELS),
        ],
        default="",
    )
    phase = SelectField(
        _l("Phase (fase)"),
        choices=[SelectChoice("", "-"), *(SelectChoice(p, f"Fase {p}") for p in PHASES)],
        default="",
    )
    tags = StringField(
        _l("Tags"),
        filters=[_strip],
        validators=[Optional(), Length(max=300, message=TOO_LONG)],
        render_kw={"placeholder": _l("e.g. pecahan, kelas 4, diferensiasi")},
    )
    license = SelectField(
        _l("License"),
        choices=[SelectChoice(k, LICENSE_LABELS[k]) for k in LICENSES],
        default="cc-by",
    )
    public = BooleanField(_l("Share with everyone, also outside this community"))


class LibraryFilterForm(FlaskForm):
    """The library's filter bar (GET, no CSRF; refused values are ignored)."""

    class Meta:
        csrf = False

    q = StringField(_l("Words in the title"), filters=[_strip], validators=[Length(max=100)])
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
            *(SelectChoice(lv, LEVEL_LABELS.get(lv, lv)) for lv in LEVELS),
        ],
    )
    subject = StringField(_l("Subject"), filters=[_strip], validators=[Length(max=80)])
    tag = StringField(_l("Tag"), filters=[_strip], validators=[Length(max=30)])
    sort = SelectField(
        _l("Sort"), choices=[SelectChoice(k, v) for k, v in SORT_LABELS.items()], default="newest"
    )
    featured = BooleanField(_l("Coordinators' picks only"))
