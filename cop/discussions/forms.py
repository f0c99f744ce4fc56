"""Discussion forms: validation only (the services check again)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from cop.discussions.models import MAX_BODY, MAX_TITLE

TOKEN = Regexp(r"^[A-Za-z0-9_-]{8,64}$", message=_l("The form is out of date; reload the page."))

FLAG_REASON_LABELS = {
    "spam": _l("Spam or advertising"),
    "offensive": _l("Rude or offensive"),
    "off_topic": _l("Off topic"),
    "other": _l("Something else"),
}


class TopicForm(FlaskForm):
    """Start a topic."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(min=3, max=MAX_TITLE)])
    body = TextAreaField(
        _l("Your question or message"), validators=[DataRequired(), Length(max=MAX_BODY)]
    )
    tags = StringField(
        _l("Tags"),
        validators=[Optional(), Length(max=200)],
        description=_l("Up to 5 words, separated by spaces, e.g. kurikulum-merdeka asesmen"),
    )
    client_token = HiddenField(validators=[Optional(), TOKEN])


class ReplyForm(FlaskForm):
    """Reply in a topic, possibly to one post."""

    body = TextAreaField(_l("Your reply"), validators=[DataRequired(), Length(max=MAX_BODY)])
    parent_id = HiddenField(validators=[Optional(), Regexp(r"^\d{1,18}$")])
    client_token = HiddenField(validators=[Optional(), TOKEN])


class EditForm(FlaskForm):
    """Change a post's text."""

    body = TextAreaField(_l("Text"), validators=[DataRequired(), Length(max=MAX_BODY)])


class FlagForm(FlaskForm):
    """Ask the moderators to look at a post."""

    reason = SelectField(
        _l("Why?"),
        # an empty first choice: a required select must not start on a real answer
        choices=[
            SelectChoice("", _l("Choose a reason")),
            *(SelectChoice(k, v) for k, v in FLAG_REASON_LABELS.items()),
        ],
        validators=[DataRequired()],
    )
    note = TextAreaField(_l("Anything the moderators should know"), validators=[Length(max=500)])


class MoveForm(FlaskForm):
    """Move a topic to another community."""

    target = SelectField(_l("Move to"), choices=[], validators=[DataRequired()])


class SearchForm(FlaskForm):
    """Search words (a GET form, so no CSRF)."""

    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=200)])
    community = StringField(validators=[Optional(), Length(max=80)])
