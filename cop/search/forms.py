"""The search form (the header's box and the search page's filters)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import Length, Optional

from cop.search.services import MAX_QUERY

#: the kind filter: "" is everything
KIND_LABELS = {
    "discussion": _l("Discussions"),
    "resource": _l("Teaching materials"),
    "meeting": _l("Meetings"),
}


class SearchForm(FlaskForm):
    """Words, and optionally a community (slug) and a kind (a GET form, so no CSRF)."""

    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=MAX_QUERY)])
    community = StringField(_l("Community"), validators=[Optional(), Length(max=80)])
    kind = SelectField(
        _l("Kind"),
        choices=[
            SelectChoice("", _l("Everything")),
            *(SelectChoice(k, v) for k, v in KIND_LABELS.items()),
        ],
        validate_choice=False,
        default="",
    )
