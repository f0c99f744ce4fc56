"""The community's learning-cycles tab: its lists are keyset-paged and cost the same
number of queries however many cycles there are."""

from __future__ import annotations

from tests.cycles import builders, login


def _fill(app, people, n):
    for _ in range(n):
        builders.lesson_study(
            app, people.community, people.coordinator, people.model, people.observers
        )
        pair = builders.pair(
            app, people.community, people.coordinator, people.model, [people.member]
        )
        builders.session(app, pair, people.model)
        builders.ptk(app, people.community, people.member, [people.observers[0]])


def test_the_tab_query_count_does_not_grow(app, client, people, count_queries):
    login(client, people.member)
    url = f"/c/{people.community.slug}/cycles"
    _fill(app, people, 2)
    client.get(url)
    with count_queries() as few:
        assert client.get(url).status_code == 200
    _fill(app, people, 5)
    with count_queries() as many:
        assert client.get(url).status_code == 200
    assert many.count == few.count


def test_long_lists_page_with_a_cursor(app, client, people):
    _fill(app, people, 3)
    login(client, people.member)
    first = client.get(f"/c/{people.community.slug}/cycles?limit=2").get_data(as_text=True)
    assert "?limit=2&amp;ls=" in first or "ls=" in first
    assert first.count('href="/lesson-studies/') == 2


def test_the_community_page_links_the_tab(client, people):
    login(client, people.member)
    page = client.get(f"/c/{people.community.slug}").get_data(as_text=True)
    assert f'href="/c/{people.community.slug}/cycles"' in page and "Siklus belajar" in page


def test_taking_part_in_a_cycle_counts_as_active_on_the_dashboard(app, people, study):
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from cop.communities.models import Community
    from cop.extensions import db
    from cop.insights import queries as insights

    def active_this_month() -> int:
        with app.app_context():
            community = db.session.get(Community, people.community.id)
            now = datetime.now(UTC)
            return insights.figures(community, now, ZoneInfo("Asia/Makassar")).active[-1]

    before = active_this_month()
    builders.observation(app, study, people.observers[0])
    assert active_this_month() == before + 1
