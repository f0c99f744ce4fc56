"""Personal calendar feeds: the secret token in a user's feed URL."""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from cop.auth.models import User
from cop.core.db import unit_of_work
from cop.core.errors import NotFound
from cop.extensions import db
from cop.meetings.models import CalendarFeedToken


def feed_token(user: User, *, rotate: bool = False) -> str:
    """The user's secret calendar-feed token (made on first use; ``rotate`` replaces it)."""
    row = db.session.scalar(select(CalendarFeedToken).where(CalendarFeedToken.user_id == user.id))
    if row is not None and not rotate:
        return row.token
    try:
        with unit_of_work():
            if row is None:
                row = CalendarFeedToken(user_id=user.id, token=secrets.token_urlsafe(32))
                db.session.add(row)
            else:
                row.token = secrets.token_urlsafe(32)
    except IntegrityError:  # two first visits at once: the other one won
        found = db.session.scalar(
            select(CalendarFeedToken.token).where(CalendarFeedToken.user_id == user.id)
        )
        assert found is not None
        return found
    return row.token


def user_for_feed_token(token: str) -> User:
    """The owner of a feed token, or NotFound."""
    row = db.session.scalar(select(CalendarFeedToken).where(CalendarFeedToken.token == token))
    if row is None or len(token) > 64:
        raise NotFound()
    user = db.session.get(User, row.user_id)
    if user is None or not user.active:
        raise NotFound()
    return user
