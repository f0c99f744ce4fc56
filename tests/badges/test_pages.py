"""Recognition pages and API: profile badges, badge page, leaderboard, bad input, query counts."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cop.badges import points, services
from cop.badges.models import Award
from cop.extensions import db
from tests.badges.history import History
from tests.conftest import csrf_token

EN = {"Accept-Language": "en"}


def _world(app, factory, n_members: int = 3):
    """A community where the target and ``n_members`` colleagues attended meetings."""
    history = History(app, factory, pool_size=n_members)
    for _ in range(3):
        history.unit("attendance_streak")
    with app.app_context():
        for colleague in history.pool:
            meeting = history._meeting()
            history._present(meeting, colleague.id)
        db.session.commit()
        points.rebuild(history.community.id)
        services.backfill(history.community.id)
    return history


def test_the_profile_shows_badges_by_tier_and_points(app, client, factory):
    history = _world(app, factory)
    with app.test_request_context():
        from flask import url_for

        path = url_for("auth.user_profile", username=history.target.username)
    page = client.get(path, headers=EN)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f"<title>{history.target.name} · cop</title>" in text
    body = text.split("<body", 1)[1]
    assert "Three in a row" in body and "Bronze" in body
    assert "Points and participation" in body


@pytest.mark.parametrize("n_members", [2, 12])
def test_the_badge_page_lists_holders_in_constant_queries(
    app, client, factory, count_queries, n_members
):
    _world(app, factory, n_members)
    client.get("/badges/first-meeting")
    with count_queries() as counter:
        response = client.get("/badges/first-meeting", headers=EN)
    assert response.status_code == 200
    assert response.get_data(as_text=True).count("Rekan ") == n_members
    assert counter.count <= 6, counter.count


@pytest.mark.parametrize("n_members", [2, 12])
def test_the_leaderboard_page_is_constant_queries(app, client, factory, count_queries, n_members):
    history = _world(app, factory, n_members)
    path = f"/c/{history.community.slug}/leaderboard?period=all"
    client.get(path)
    with count_queries() as counter:
        response = client.get(path, headers=EN)
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Pak Target" in text and "How points are counted" in text
    assert counter.count <= 8, counter.count


def test_the_api_leaderboard_matches_the_ledger(app, client, factory):
    history = _world(app, factory, 3)
    body = client.get(f"/api/v1/communities/{history.community.slug}/leaderboard?period=all")
    assert body.status_code == 200
    items = body.get_json()["items"]
    # the owner came to the same 3 meetings as the target; each colleague to one
    assert items[1] == {
        "user": {"id": history.target.id, "name": "Pak Target"},
        "points": 3 * points.WEIGHTS["attended"],
        "rank": 1,
    }
    assert [i["rank"] for i in items] == [1, 1, 3, 3, 3]  # equal points share a rank
    assert [i["points"] for i in items[2:]] == [points.WEIGHTS["attended"]] * 3


@pytest.mark.parametrize("period", ["week", "", "MONTH", "all;drop", "x" * 300])
def test_a_bad_period_is_a_readable_400(app, client, factory, period):
    history = _world(app, factory, 1)
    api = client.get(
        f"/api/v1/communities/{history.community.slug}/leaderboard?period={period}", headers=EN
    )
    if period == "":
        assert api.status_code == 200  # no period: this month
        return
    assert api.status_code == 400
    assert api.get_json()["error"]["message"] == "The period must be month, semester or all."
    page = client.get(f"/c/{history.community.slug}/leaderboard?period={period}")
    assert page.status_code == 400
    assert "Periode harus" in page.get_data(as_text=True)  # Indonesian by default


def test_user_badges_api_hides_private_awards_from_others(app, client, factory, auth):
    history = _world(app, factory, 1)
    with app.app_context():
        award = db.session.scalar(
            select(Award).where(Award.badge_slug == "streak-3", Award.user_id == history.target.id)
        )
        services.set_private(db.session.merge(history.target), award, True)
    others = client.get(f"/api/v1/users/{history.target.id}/badges").get_json()["items"]
    assert "streak-3" not in {a["badge"]["slug"] for a in others}
    assert {"badge", "awarded_at", "reason", "assertion_url"} <= set(others[0])
    auth.login(history.target.email)
    mine = client.get(f"/api/v1/users/{history.target.id}/badges").get_json()["items"]
    assert "streak-3" in {a["badge"]["slug"] for a in mine}
    assert client.get("/api/v1/users/999999/badges").status_code == 404


def test_catalogue_api_lists_every_badge(client):
    from cop.badges import catalogue

    items = client.get("/api/v1/badges").get_json()["items"]
    assert len(items) == len(catalogue.BADGES) >= 30
    assert {"slug", "name", "description", "tier"} <= set(items[0])


def test_a_hidden_leaderboard_shows_only_to_coordinators(app, client, factory, auth):
    history = _world(app, factory, 1)
    auth.login(history.owner.email)
    response = client.post(
        f"/c/{history.community.slug}/leaderboard/visibility",
        data={"hidden": "1", "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 302
    assert client.get(f"/c/{history.community.slug}/leaderboard").status_code == 200
    auth.logout()
    auth.login(history.target.email)
    assert client.get(f"/c/{history.community.slug}/leaderboard").status_code == 403
    api = client.get(f"/api/v1/communities/{history.community.slug}/leaderboard")
    assert api.status_code == 403


def test_the_earner_makes_an_award_private_from_its_page(app, client, factory, auth):
    history = _world(app, factory, 1)
    with app.app_context():
        award_id = db.session.scalar(
            select(Award.id).where(
                Award.badge_slug == "streak-3", Award.user_id == history.target.id
            )
        )
    auth.login(history.target.email)
    client.post(
        f"/badges/awards/{award_id}/privacy",
        data={"private": "1", "csrf_token": csrf_token(client)},
    )
    auth.logout()
    assert client.get(f"/badges/assertions/{award_id}").status_code == 404


def test_badge_image_is_an_svg_per_tier(client):
    gold = client.get("/badges/images/expert.svg")
    assert gold.mimetype == "image/svg+xml" and "#f3c845" in gold.get_data(as_text=True)
    assert client.get("/badges/images/nope.svg").status_code == 404
