"""Notifications: created in the recipient's language, announced after commit, read and listed."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from cop import signals
from cop.auth.models import User
from cop.core.db import unit_of_work
from cop.extensions import db
from cop.notifications import services
from cop.notifications.models import Notification
from tests.conftest import csrf_token


def _notify(app, recipient, actor=None, url="/c/", title=None):
    with app.app_context():
        user = db.session.get(User, recipient.id)
        by = db.session.get(User, actor.id) if actor else None
        return services.notify(
            user, "test", title or _l("Your password was changed."), url, actor=by
        )


def test_title_is_rendered_in_the_recipients_language(app, factory):
    english = factory.user(locale="en")
    note = _notify(app, english)
    assert note.title == "Your password was changed."


def test_a_member_who_switches_language_reads_earlier_notifications_in_the_new_one(
    client, auth, app, factory
):
    user = factory.user(locale="id")
    _notify(app, user, title=_l("Minutes published: %(title)s", title="Rapat Desember"))
    _notify(app, user, title="Teks tetap dari versi lama")  # a plain string stays as written
    with app.app_context():
        row = db.session.get(User, user.id)
        row.locale = "en"
        db.session.commit()
    auth.login(user.email)
    page = client.get("/notifications/").get_data(as_text=True)
    assert "Minutes published: Rapat Desember" in page
    assert "Notulen terbit" not in page
    assert "Teks tetap dari versi lama" in page
    api = app.test_client()
    body = api.get("/api/v1/notifications", headers=_token(api, user)).get_json()
    assert body["items"][1]["title"] == "Minutes published: Rapat Desember"


def test_a_message_whose_translation_lost_a_variable_falls_back_to_the_stored_title(app):
    from cop.core.i18n import portable, render_portable

    message = portable(_l("Minutes published: %(title)s", title="Rapat"))
    assert message == {"f": "g", "s": ["Minutes published: %(title)s"], "v": {"title": "Rapat"}}
    with app.test_request_context():
        assert render_portable({**message, "v": {}}, "stored") == "stored"
        assert render_portable(None, "stored") == "stored"
        assert render_portable(message, "stored") == "Notulen terbit: Rapat"


def test_nobody_is_notified_of_their_own_action(app, factory):
    user = factory.user()
    assert _notify(app, user, actor=user) is None
    with app.app_context():
        assert db.session.scalar(select(func.count(Notification.id))) == 0


@contextmanager
def announcements() -> Iterator[list[int]]:
    """The ids of the notifications announced (``notification_created``) meanwhile."""
    announced: list[int] = []

    def receiver(sender, notification):
        announced.append(notification.id)

    signals.notification_created.connect(receiver)
    try:
        yield announced
    finally:
        signals.notification_created.disconnect(receiver)


def test_signal_fires_after_commit_and_not_after_rollback(app, factory):
    user = factory.user()
    with announcements() as announced, app.app_context():
        recipient = db.session.get(User, user.id)
        with pytest.raises(RuntimeError), unit_of_work():
            services.notify(recipient, "test", "rolled back")
            raise RuntimeError("the outer work fails")
        assert announced == []
        kept = services.notify(recipient, "test", "kept")
    assert announced == [kept.id]


def test_list_page_shows_own_notifications_and_the_bell_count(client, auth, app, factory):
    user = factory.user(locale="en")
    other = factory.user()
    _notify(app, user, title="Pak Budi replied to your question")
    _notify(app, other, title="Not for you")
    auth.login(user.email)
    page = client.get("/notifications/").get_data(as_text=True)
    assert "Pak Budi replied to your question" in page
    assert "Not for you" not in page
    assert 'data-unread="1"' in page


def test_opening_marks_read_and_redirects_on_site_only(client, auth, app, factory):
    user = factory.user()
    inside = _notify(app, user, url="/c/")
    outside = _notify(app, user, url="https://evil.example/")
    auth.login(user.email)
    assert client.get(f"/notifications/{inside.id}").headers["Location"] == "/c/"
    assert client.get(f"/notifications/{outside.id}").headers["Location"] == "/notifications/"
    assert factory.get(Notification, inside.id).read_at is not None


def test_someone_elses_notification_is_404(client, auth, app, factory):
    note = _notify(app, factory.user())
    intruder = factory.user()
    auth.login(intruder.email)
    assert client.get(f"/notifications/{note.id}").status_code == 404
    assert factory.get(Notification, note.id).read_at is None


def test_mark_all_read(client, auth, app, factory):
    user = factory.user()
    ids = [_notify(app, user).id for _ in range(3)]
    auth.login(user.email)
    client.post("/notifications/read", data={"csrf_token": csrf_token(client)})
    assert all(factory.get(Notification, i).read_at is not None for i in ids)


def _token(client, user):
    response = client.post(
        "/api/v1/tokens", json={"email": user.email, "password": "pelangi-senja-42"}
    )
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


def test_api_lists_newest_first_with_unread_filter(client, app, factory):
    user = factory.user()
    first, second = _notify(app, user), _notify(app, user)
    headers = _token(client, user)
    client.post("/api/v1/notifications/read", json={"ids": [first.id]}, headers=headers)
    body = client.get("/api/v1/notifications", headers=headers).get_json()
    assert [n["id"] for n in body["items"]] == [second.id, first.id]
    assert body["items"][1]["read_at"] is not None
    unread = client.get("/api/v1/notifications?unread=1", headers=headers).get_json()
    assert [n["id"] for n in unread["items"]] == [second.id]


def test_api_marks_only_the_callers_notifications(client, app, factory):
    user, other = factory.user(), factory.user()
    theirs = _notify(app, other)
    headers = _token(client, user)
    response = client.post("/api/v1/notifications/read", json={"ids": [theirs.id]}, headers=headers)
    assert response.get_json() == {"marked": 0}
    assert factory.get(Notification, theirs.id).read_at is None


@pytest.mark.parametrize("ids", ["1", [1, "2"], [True], [-1], [2**64], {"a": 1}])
def test_api_refuses_bad_id_lists(client, factory, ids):
    headers = _token(client, factory.user())
    response = client.post("/api/v1/notifications/read", json={"ids": ids}, headers=headers)
    assert response.status_code == 400
    assert "ids" in response.get_json()["error"]["fields"]


def test_list_page_runs_the_same_queries_for_1_or_25_notifications(
    client, auth, app, factory, count_queries
):
    user = factory.user()
    auth.login(user.email)
    client.get("/")  # the first request after login records last-seen: not part of the page
    measured = []
    for total in (1, 25):
        while _count(app, user) < total:
            _notify(app, user)
        with count_queries() as q:
            assert client.get("/notifications/").status_code == 200
        measured.append(q.count)
    assert measured[0] == measured[1]


def _count(app, user):
    with app.app_context():
        return db.session.scalar(
            select(func.count(Notification.id)).where(Notification.user_id == user.id)
        )


# --- dedup keys: one unread notification per recipient and key ---------------------------


def _notify_keyed(app, recipient, key="flag:post:7"):
    with app.app_context():
        user = db.session.get(User, recipient.id)
        note = services.notify(user, "flag", "A post was flagged", "/c/", dedup_key=key)
        return None if note is None else note.id


def _unread_keys(app, recipient):
    with app.app_context():
        return sorted(
            db.session.scalars(
                select(Notification.dedup_key).where(
                    Notification.user_id == recipient.id, Notification.read_at.is_(None)
                )
            )
        )


def test_a_repeated_dedup_key_adds_nothing_while_the_first_is_unread(app, factory):
    user, other = factory.user(), factory.user()
    assert _notify_keyed(app, user) is not None
    assert _notify_keyed(app, user) is None
    assert _notify_keyed(app, user, key="flag:post:8") is not None
    assert _notify_keyed(app, other) is not None
    assert _unread_keys(app, user) == ["flag:post:7", "flag:post:8"]


def test_a_dedup_key_notifies_again_once_the_first_was_read(app, factory):
    user = factory.user()
    _notify_keyed(app, user)
    with app.app_context():
        services.mark_read(db.session.get(User, user.id))
    assert _notify_keyed(app, user) is not None
    assert _unread_keys(app, user) == ["flag:post:7"]


def test_a_skipped_duplicate_is_not_announced(app, factory):
    user = factory.user()
    with announcements() as announced:
        first = _notify_keyed(app, user)
        _notify_keyed(app, user)
    assert announced == [first]


def test_the_database_refuses_a_second_unread_row_with_the_same_key(app, factory):
    """The rule lives in a partial unique index, not only in ``notify``."""
    user = factory.user()
    _notify_keyed(app, user)
    with app.app_context():
        duplicate = Notification(user_id=user.id, kind="flag", title="again", data={})
        duplicate.dedup_key = "flag:post:7"
        db.session.add(duplicate)
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
