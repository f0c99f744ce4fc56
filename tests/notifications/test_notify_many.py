"""notify_many: one notification per recipient, under the same rules as notify."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from cop.auth.models import User
from cop.extensions import db
from cop.notifications import services
from cop.notifications.models import Notification


def test_each_recipient_once_never_the_actor_nor_the_deactivated(app, factory):
    actor, first, second = factory.user(), factory.user(), factory.user()
    gone = factory.user(active=False)
    with app.app_context():
        people = [db.session.get(User, u.id) for u in (actor, first, second, first, gone)]
        added = services.notify_many(
            people, "test", _l("Your password was changed."), "/c/", actor=people[0]
        )
        assert [n.user_id for n in added] == [first.id, second.id]
        stored = db.session.scalars(select(Notification.user_id).order_by(Notification.id))
        assert list(stored) == [first.id, second.id]
