"""cop.core.web: who is asking, and service errors shown on forms."""

import pytest
from flask_login import login_user
from flask_wtf import FlaskForm
from wtforms import StringField

from cop.core import web
from cop.core.errors import NotAuthenticated, ValidationError
from cop.extensions import db


def test_a_visitor_is_no_viewer_and_no_current_user(app):
    with app.test_request_context("/"):
        assert web.viewer() is None
        with pytest.raises(NotAuthenticated):
            web.current()


def test_a_logged_in_user_is_both(app, factory):
    user = factory.user()
    with app.test_request_context("/"):
        login_user(db.session.merge(user))
        assert web.viewer() is web.current()
        assert web.current().id == user.id


class _Form(FlaskForm):
    name = StringField()


@pytest.mark.parametrize(
    ("error", "on_field", "on_form"),
    [
        (ValidationError(fields={"name": "Too long."}), ["Too long."], []),
        (ValidationError(fields={"name": ["A.", "B."]}), ["A.", "B."], []),
        (ValidationError(fields={"other": "Elsewhere."}), [], ["Elsewhere."]),
        (ValidationError("Whole form."), [], ["Whole form."]),
    ],
)
def test_show_errors_puts_messages_where_they_belong(app, error, on_field, on_form):
    with app.test_request_context("/", method="POST"):
        form = _Form(meta={"csrf": False})
        form.validate()
        web.show_errors(form, error)
        assert form.name.errors == on_field
        assert list(form.form_errors) == on_form
