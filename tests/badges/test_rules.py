"""Every badge rule awards exactly at its threshold, and not one action before."""

from __future__ import annotations

import pytest

from cop.badges import catalogue, services
from tests.badges import held
from tests.badges.history import History

#: metrics whose value is 0 or 1 (a state, not a count): the "one before" is the state unset
STATES = {"membership_years", "leads_community"}


def _evaluate(app, history, badge):
    with app.app_context():
        services.evaluate(history.target.id, history.community.id, (badge.family,))
    return held(app, history.target.id, badge.slug)


@pytest.mark.parametrize("badge", catalogue.BADGES, ids=lambda b: b.slug)
def test_awarded_at_the_threshold_not_before(app, factory, badge):
    history = History(app, factory, pool_size=max([5, *badge.params.values()]))
    if badge.metric in STATES:
        if badge.metric == "membership_years":
            history.set_joined(365 * badge.params["years"] - 1)
    else:
        history.units(badge.metric, badge.threshold - 1, **badge.params)
    assert _evaluate(app, history, badge) == [], "awarded one action early"
    history.unit(badge.metric, **badge.params)
    assert _evaluate(app, history, badge) == [
        (history.target.id, badge.slug, history.community.id, 1)
    ]


def test_a_repeatable_badge_counts_each_time(app, factory):
    badge = catalogue.get("nice-post")
    history = History(app, factory, pool_size=5)
    history.units(badge.metric, 3, **badge.params)
    assert _evaluate(app, history, badge)[0][3] == 3


def test_a_streak_breaks_on_a_meeting_missed(app, factory):
    badge = catalogue.get("streak-3")
    history = History(app, factory, pool_size=5)
    history.units("attendance_streak", 2)
    with app.app_context():  # a meeting the target missed (someone else came)
        from cop.extensions import db

        meeting = history._meeting()
        history._present(meeting, history.owner.id)
        db.session.commit()
    history.units("attendance_streak", 2)
    assert _evaluate(app, history, badge) == []
    history.unit("attendance_streak")
    assert _evaluate(app, history, badge) != []


def test_a_banned_member_earns_nothing(app, factory):
    badge = catalogue.get("first-meeting")
    history = History(app, factory, pool_size=1)
    history.unit("meetings_attended")
    with app.app_context():
        from cop.extensions import db

        history._membership().status = "banned"
        db.session.commit()
    assert _evaluate(app, history, badge) == []
