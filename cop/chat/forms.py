"""Chat forms: adding a channel."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class ChannelForm(FlaskForm):
    """A coordinator names a new channel."""

    name = StringField(_l("Channel name"), validators=[DataRequired(), Length(max=80)])
