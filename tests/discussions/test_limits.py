"""Posting rate limits (clear 429) and long threads that stay fast."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert, update

from cop.auth.models import User
from cop.core.pagination import encode_cursor
from cop.core.types import utcnow
from cop.discussions.models import Post, Topic
from cop.extensions import db
from tests.api import API, auth_headers, error_code
from tests.conftest import close_app, make_app
from tests.discussions import forum
from tests.factories import Factory


@pytest.fixture
def limited_app(database_template, tmp_path):
    """An app with the production-like posting limits."""
    application = make_app(
        database_template,
        tmp_path,
        POST_RATE_LIMIT="1 per 5 seconds",
        NEW_ACCOUNT_POST_RATE_LIMIT="1 per 30 seconds",
    )
    yield application
    close_app(application, database_template)


def test_second_reply_within_seconds_is_429(limited_app):
    client = limited_app.test_client()
    f = forum(limited_app, Factory(limited_app))
    headers = auth_headers(client, f.member)
    path = f"{API}/topics/{f.topic.id}/posts"
    assert client.post(path, json={"body": "satu"}, headers=headers).status_code == 201
    second = client.post(path, json={"body": "dua"}, headers=headers)
    assert second.status_code == 429
    assert error_code(second) == "rate_limited"
    assert second.headers.get("Retry-After")


def test_resend_with_same_client_token_is_not_limited(limited_app):
    client = limited_app.test_client()
    f = forum(limited_app, Factory(limited_app))
    headers = auth_headers(client, f.member)
    path = f"{API}/topics/{f.topic.id}/posts"
    data = {"body": "satu", "client_token": "resend-token-1"}
    first = client.post(path, json=data, headers=headers)
    again = client.post(path, json=data, headers=headers)
    assert again.status_code == 201
    assert again.get_json()["id"] == first.get_json()["id"]


def test_new_accounts_get_the_stricter_limit(limited_app):
    from cop.discussions.ratelimit import _limit

    f = forum(limited_app, Factory(limited_app))
    with limited_app.test_request_context():
        from flask_login import login_user

        user = db.session.get(User, f.member.id)
        login_user(user)
        assert _limit() == "1 per 30 seconds"
        user.created_at = utcnow() - timedelta(days=2)
        assert _limit() == "1 per 5 seconds"


def test_ten_thousand_post_topic_pages_cost_the_same(client, app, factory, count_queries):
    f = forum(app, factory)
    with app.app_context():
        now = utcnow()
        rows = [
            {
                "topic_id": f.topic.id,
                "author_id": f.coordinator.id,
                "body": f"Balasan {i}",
                "html": f"<p>Balasan {i}</p>",
                "created_at": now,
                "like_count": 0,
                "thanks_count": 0,
            }
            for i in range(9_999)
        ]
        db.session.execute(insert(Post), rows)
        last = db.session.scalar(db.select(db.func.max(Post.id)))
        db.session.execute(
            update(Topic).where(Topic.id == f.topic.id).values(post_count=10_000, last_post_id=last)
        )
        db.session.commit()
    first = f.topic.first_post_id
    cursors = {
        "first": None,
        "middle": encode_cursor([first + 5_000]),
        "last": encode_cursor([last - 10]),
    }
    counts = {}
    for name, cursor in cursors.items():
        query = {"cursor": cursor} if cursor else {}
        with count_queries() as api:
            response = client.get(f"{API}/topics/{f.topic.id}/posts", query_string=query)
        assert response.status_code == 200
        with count_queries() as page:
            assert client.get(f"/t/{f.topic.id}", query_string=query).status_code == 200
        counts[name] = (api.count, page.count)
    assert counts["first"] == counts["middle"] == counts["last"], counts


def test_previews_do_not_use_up_the_posting_limit(limited_app):
    from tests.conftest import Auth, csrf_token

    client = limited_app.test_client()
    f = forum(limited_app, Factory(limited_app))
    Auth(client).login(f.member.email)
    data = {"csrf_token": csrf_token(client), "body": "Coba **pratinjau**", "preview": "1"}
    for _ in range(2):
        assert client.post(f"/t/{f.topic.id}/reply", data=data).status_code == 200
    data.pop("preview")
    assert client.post(f"/t/{f.topic.id}/reply", data=data).status_code == 302
    assert client.post(f"/t/{f.topic.id}/reply", data=data).status_code == 429


def test_a_reply_costs_the_same_statements_for_one_watcher_or_twelve(app, factory, count_queries):
    """The watchers' notifications are one set-based insert (issue #19), not a load, a
    preferences read and an insert per watcher; every watcher still gets one."""
    from cop.discussions.models import TopicSubscription
    from cop.notifications.models import Notification

    f = forum(app, factory)
    quiet = factory.topic(f.community, f.coordinator, title="Satu pengamat")
    busy = factory.topic(f.community, f.coordinator, title="Dua belas pengamat")
    watchers = [factory.user() for _ in range(12)]
    for watcher in watchers:
        factory.member(f.community, watcher)
    with app.app_context():
        db.session.execute(
            insert(TopicSubscription),
            [{"user_id": w.id, "topic_id": busy.id, "level": "watch"} for w in watchers]
            + [{"user_id": watchers[0].id, "topic_id": quiet.id, "level": "watch"}],
        )
        db.session.commit()
    factory.post(quiet, f.member, "Pemanasan: caches and first-use lookups")
    factory.post(busy, f.member, "Pemanasan juga")
    counts = {}
    for name, topic in (("one", quiet), ("twelve", busy)):
        with count_queries() as q:
            factory.post(topic, f.member, f"Balasan yang dihitung ({name})")
        counts[name] = q.count
    assert counts["one"] == counts["twelve"], counts
    with app.app_context():
        told = db.session.scalars(
            db.select(Notification.user_id).where(
                Notification.kind == "reply", Notification.title.contains("Dua belas")
            )
        ).all()
    # two replies, each told to every watcher (and to the topic's author, who watches it)
    assert sorted(told) == sorted([w.id for w in watchers] * 2 + [f.coordinator.id] * 2)
