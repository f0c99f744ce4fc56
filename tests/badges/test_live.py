"""Live awarding: the features' services send signals, badges and points follow."""

from __future__ import annotations

from sqlalchemy import select

from cop.badges.models import Award, ScoredAction
from cop.discussions import services as discussion_services
from cop.discussions.models import Post
from cop.extensions import db
from cop.notifications.models import Notification
from tests.badges import held, slugs


def _like(app, user, post_id, active=True):
    with app.app_context():
        post = db.session.get(Post, post_id)
        discussion_services.react(db.session.merge(user), post, "like", active)


def test_first_post_is_awarded_live_and_notifies_the_earner(app, factory):
    owner = factory.user()
    community = factory.community(owner)
    teacher = factory.user(locale="en")
    factory.member(community, teacher)
    factory.topic(community, teacher)
    assert "first-post" in slugs(app, teacher.id)
    with app.app_context():
        titles = db.session.scalars(
            select(Notification.title).where(
                Notification.user_id == teacher.id, Notification.kind == "badge_awarded"
            )
        ).all()
    assert any("First word" in t for t in titles)


def test_nice_post_comes_with_the_fifth_like_from_others(app, factory):
    owner = factory.user()
    community = factory.community(owner)
    author = factory.user()
    factory.member(community, author)
    topic = factory.topic(community, author)
    likers = [factory.user() for _ in range(5)]
    for liker in likers:
        factory.member(community, liker)
    _like(app, author, topic.first_post_id)  # one's own like counts for nothing
    for liker in likers[:4]:
        _like(app, liker, topic.first_post_id)
    assert "nice-post" not in slugs(app, author.id)
    _like(app, likers[4], topic.first_post_id)
    assert "nice-post" in slugs(app, author.id)
    with app.app_context():
        assert db.session.get(Post, topic.first_post_id).like_count == 6
        kinds = db.session.scalars(
            select(ScoredAction.kind).where(ScoredAction.user_id == author.id)
        ).all()
    assert sorted(kinds) == ["post"] + ["post_liked"] * 5


def test_a_withdrawn_like_takes_its_points_back_but_the_badge_stays_once(app, factory):
    owner = factory.user()
    community = factory.community(owner)
    author = factory.user()
    factory.member(community, author)
    topic = factory.topic(community, author)
    liker = factory.user()
    factory.member(community, liker)
    _like(app, liker, topic.first_post_id)
    _like(app, liker, topic.first_post_id, active=False)
    with app.app_context():
        rows = db.session.scalars(
            select(ScoredAction.kind).where(ScoredAction.user_id == author.id)
        ).all()
        award = db.session.scalar(select(Award).where(Award.user_id == author.id))
    assert rows == ["post"]
    assert award is not None and award.badge_slug == "first-post"
    assert held(app, author.id, "nice-post") == []


def test_anniversaries_fall_due_with_time_through_the_daily_job(app, factory):
    """No event announces a year in the community: the periodic job awards it on the day."""
    from datetime import timedelta

    from cop.badges import services
    from cop.communities.models import Membership
    from cop.core.jobs import queue
    from cop.core.types import utcnow

    owner = factory.user()
    community = factory.community(owner)
    year, months = factory.user(locale="en"), factory.user()
    for user, days in ((year, 366), (months, 300)):
        factory.member(community, user)
        with app.app_context():
            membership = db.session.scalar(
                select(Membership).where(
                    Membership.user_id == user.id, Membership.community_id == community.id
                )
            )
            membership.joined_at = utcnow() - timedelta(days=days)
            db.session.commit()
    assert "badges.anniversaries" in queue._periodic  # scheduled daily by every worker
    with app.app_context():
        assert services.award_anniversaries() == 1
        assert services.award_anniversaries() == 0  # once
        titles = db.session.scalars(
            select(Notification.title).where(
                Notification.user_id == year.id, Notification.kind == "badge_awarded"
            )
        ).all()
    assert "anniversary" in slugs(app, year.id)
    assert "anniversary" not in slugs(app, months.id)
    assert any("Anniversary" in t for t in titles)
