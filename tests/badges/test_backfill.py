"""Backfill equals live awarding; the leaderboard equals its formula applied by hand."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select

from cop.badges import points, services
from cop.badges.models import Award, MonthlyPoints, ScoredAction
from cop.core.types import utcnow
from cop.discussions import services as discussion_services
from cop.discussions.models import Post, Topic
from cop.extensions import db
from cop.meetings import services as meeting_services
from cop.meetings.models import ActionItem, Meeting
from cop.meetings.services.minutes import ActionItemData
from cop.resources import services as resource_services
from cop.resources.models import Resource
from tests.badges import held


def _live_history(app, factory):
    """A small community's month through the real services (signals award live)."""
    owner = factory.user(name="Ibu Ketua")
    community = factory.community(owner)
    people = [factory.user(name=f"Guru {i}") for i in range(6)]
    for person in people:
        factory.member(community, person)
    topics = [factory.topic(community, people[i]) for i in range(3)]
    replies = [factory.post(topics[i], people[(i + 1) % 6]) for i in range(3)]
    resource = factory.resource(community, people[2])
    meetings = [
        factory.meeting(
            community,
            owner,
            starts_in=timedelta(hours=-3 - i),
            agenda=[{"title": "Materi", "presenter_id": people[0].id}],
        )
        for i in range(3)
    ]
    with app.app_context():
        merge = db.session.merge
        for liker in [owner, *people]:  # the authors' own likes count for nothing
            discussion_services.react(merge(liker), db.session.get(Post, replies[0].id), "like")
            resource_services.record_download(merge(liker), db.session.get(Resource, resource.id))
            resource_services.set_like(merge(liker), db.session.get(Resource, resource.id), True)
        discussion_services.mark_solution(
            merge(people[0]), db.session.get(Topic, topics[0].id), replies[0].id
        )
        for meeting in meetings:
            for person in people[:4]:
                meeting_services.mark(merge(owner), db.session.get(Meeting, meeting.id), person.id)
        meeting = db.session.get(Meeting, meetings[0].id)
        meeting_services.save_minutes(
            merge(owner),
            meeting,
            "Notulen rapat",
            action_items=[ActionItemData("Kirim modul", people[3].id)],
            publish=True,
        )
        item = db.session.scalar(select(ActionItem.id))
        meeting_services.set_action_item_done(merge(people[3]), item, True)
    return community


def _ledger(app):
    with app.app_context():
        rows = db.session.execute(
            select(ScoredAction.subject_key, ScoredAction.user_id, ScoredAction.credited)
        ).all()
        months = db.session.execute(
            select(MonthlyPoints.user_id, MonthlyPoints.month, MonthlyPoints.points)
        ).all()
    return sorted(map(tuple, rows)), sorted(map(tuple, months))


def test_backfill_gives_exactly_the_live_awards_and_points(app, factory):
    _live_history(app, factory)
    live_awards, live_ledger = held(app), _ledger(app)
    assert len(live_awards) >= 10  # the history earned a spread of badges
    assert {a[1] for a in live_awards} >= {
        "first-post",
        "solver",
        "nice-post",
        "useful",
        "liked-material",
        "first-meeting",
        "streak-3",
        "presenter",
        "presenter-3",
        "note-taker",
        "follow-through",
        "first-share",
        "officer",
    }
    with app.app_context():
        db.session.execute(delete(Award))
        db.session.commit()
        points.rebuild()
        services.backfill()
    assert held(app) == live_awards
    assert _ledger(app) == live_ledger


def test_leaderboard_equals_the_formula_by_hand(app, factory):
    """30 likes in one day (capped at 40 points), a meeting, a solution: by hand."""
    from tests.badges.history import History

    history = History(app, factory, pool_size=20)
    with app.app_context():
        topic = history._topic(history.owner.id)
        post = history._post(topic, history.target.id)
        topic.solution_post_id = post.id
        from cop.discussions.models import Reaction

        now = utcnow()
        for colleague in history.pool:  # 20 likes = 40 points, the cap exactly
            db.session.add(
                Reaction(post_id=post.id, user_id=colleague.id, kind="like", created_at=now)
            )
        second = history._post(topic, history.target.id)
        for colleague in history.pool[:10]:  # 10 more that day: capped to nothing
            db.session.add(
                Reaction(post_id=second.id, user_id=colleague.id, kind="like", created_at=now)
            )
        meeting = history._meeting()
        history._present(meeting, history.target.id)
        db.session.commit()
        points.rebuild(history.community.id)
        board = points.leaderboard(history.community.id, "all", now=now)
    w = points.WEIGHTS
    # two posts, the first answer to the owner's first topic (a welcome), a solution,
    # a meeting, and 30 likes capped at 40 points a day
    expected_target = (
        2 * w["post"] + w["welcome"] + w["solution"] + w["attended"] + min(30 * w["post_liked"], 40)
    )
    expected_owner = w["post"]  # the topic's first post
    by_user = {e.user_id: e for e in board}
    assert by_user[history.target.id].points == expected_target
    assert by_user[history.target.id].rank == 1
    assert by_user[history.owner.id].points == expected_owner
