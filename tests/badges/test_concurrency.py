"""Two likes racing across a threshold make one award (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from cop.auth.models import User
from cop.badges.models import Award
from cop.discussions import services as discussion_services
from cop.discussions.models import Post
from cop.extensions import db
from cop.notifications.models import Notification
from tests.badges.history import History


def test_racing_likes_cross_the_threshold_once(app, factory):
    history = History(app, factory, pool_size=8)
    with app.app_context():
        topic = history._topic(history.owner.id)
        post_id = history._post(topic, history.target.id).id
        db.session.commit()
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def like(user_id: int) -> None:
        with app.app_context():
            try:
                user = db.session.get(User, user_id)
                post = db.session.get(Post, post_id)
                barrier.wait(timeout=10)
                discussion_services.react(user, post, "like")
            except BaseException as exc:  # reported below
                errors.append(exc)
            finally:
                db.session.remove()

    # 4 likes first, one at a time; then 4 at once: the 5th and later all cross "5 likes"
    for colleague in history.pool[:4]:
        with app.app_context():
            discussion_services.react(
                db.session.get(User, colleague.id), db.session.get(Post, post_id), "like"
            )
    threads = [threading.Thread(target=like, args=(c.id,)) for c in history.pool[4:8]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    with app.app_context():
        awards = db.session.scalar(
            select(func.count(Award.id)).where(Award.badge_slug == "nice-post")
        )
        told = db.session.scalar(
            select(func.count(Notification.id)).where(
                Notification.user_id == history.target.id,
                Notification.kind == "badge_awarded",
                Notification.data["badge"].as_string() == "nice-post",
            )
        )
        likes = db.session.get(Post, post_id).like_count
    assert awards == 1
    assert told == 1
    assert likes == 8  # the atomic counter lost none of the concurrent likes
