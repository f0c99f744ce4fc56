"""The discussion pages: lists, topic page, replying, quoting, preview, editing."""

from __future__ import annotations

from cop.discussions.models import Draft, Post, PostRevision, Topic
from cop.extensions import db
from tests.conftest import csrf_token
from tests.discussions import forum, make_reply, make_topic

EN = {"Accept-Language": "en"}


def test_topic_list_shows_topics_with_markers(client, app, factory, auth):
    f = forum(app, factory)
    auth.login(f.coordinator.email)
    page = client.get(f"/c/{f.community.slug}/topics", headers=EN).get_data(as_text=True)
    assert "Asesmen diagnostik" in page
    assert "new" in page  # the coordinator never opened it


def test_new_topic_form_creates_topic(client, app, factory, auth):
    f = forum(app, factory)
    auth.login(f.member.email)
    response = client.post(
        f"/c/{f.community.slug}/topics/new",
        data={
            "csrf_token": csrf_token(client),
            "title": "Projek P5",
            "body": "Ide projek **P5** untuk kelas 4?",
            "tags": "p5 kelas-4",
            "client_token": "token-topic-1",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        topic = db.session.scalar(db.select(Topic).where(Topic.title == "Projek P5"))
        assert topic.tags == "p5 kelas-4"


def test_new_topic_preview_renders_without_saving(client, app, factory, auth):
    f = forum(app, factory)
    auth.login(f.member.email)
    response = client.post(
        f"/c/{f.community.slug}/topics/new",
        data={
            "csrf_token": csrf_token(client),
            "title": "Coba",
            "body": "**tebal**",
            "preview": "1",
        },
    )
    assert "<strong>tebal</strong>" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Topic.id))) == 1


def test_reply_form_posts_reply_to_a_post(client, app, factory, auth):
    f = forum(app, factory)
    auth.login(f.coordinator.email)
    response = client.post(
        f"/t/{f.topic.id}/reply",
        data={
            "csrf_token": csrf_token(client),
            "body": "Mulai dari pertanyaan pemantik.",
            "parent_id": str(f.topic.first_post_id),
            "client_token": "reply-token-1",
        },
    )
    assert response.status_code == 302
    assert "#post-" in response.headers["Location"]
    page = client.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert "in reply to Pak Anggota" in page


def test_double_submitted_reply_creates_one_post(client, app, factory, auth):
    f = forum(app, factory)
    auth.login(f.coordinator.email)
    data = {"csrf_token": csrf_token(client), "body": "Sekali saja", "client_token": "same-token-1"}
    client.post(f"/t/{f.topic.id}/reply", data=data)
    client.post(f"/t/{f.topic.id}/reply", data=data)
    with app.app_context():
        assert (
            db.session.scalar(db.select(db.func.count(Post.id)).where(Post.body == "Sekali saja"))
            == 1
        )


def test_quote_prefills_the_reply_box(client, app, factory, auth):
    f = forum(app, factory)
    auth.login(f.coordinator.email)
    page = client.get(f"/t/{f.topic.id}?quote={f.topic.first_post_id}").get_data(as_text=True)
    assert "&gt; Bagaimana cara membuat asesmen diagnostik?" in page


def test_preview_endpoint_returns_sanitised_html(client, app, factory, auth):
    f = forum(app, factory)
    auth.login(f.member.email)
    response = client.post(
        "/preview",
        data={"body": "<script>x</script> *hi*"},
        headers={"X-CSRFToken": csrf_token(client)},
    )
    assert response.get_json()["html"] == "<p>&lt;script&gt;x&lt;/script&gt; <em>hi</em></p>\n"


def test_draft_is_saved_and_restored(client, app, factory, auth):
    f = forum(app, factory)
    auth.login(f.coordinator.email)
    response = client.post(
        f"/t/{f.topic.id}/draft",
        data={"body": "Setengah jadi...", "csrf_token": csrf_token(client)},
        headers={"Accept": "application/json"},
    )
    assert response.get_json()["saved"] is True
    page = client.get(f"/t/{f.topic.id}").get_data(as_text=True)
    assert "Setengah jadi..." in page
    client.post(
        f"/t/{f.topic.id}/reply",
        data={"csrf_token": csrf_token(client), "body": "Sudah jadi"},
    )
    with app.app_context():
        assert db.session.scalar(db.select(Draft.body)) == ""


def test_edit_keeps_revision_visible_to_moderators(client, app, factory, auth):
    f = forum(app, factory)
    auth.login(f.member.email)
    client.post(
        f"/p/{f.topic.first_post_id}/edit",
        data={"csrf_token": csrf_token(client), "body": "Versi kedua"},
    )
    with app.app_context():
        assert db.session.scalar(db.select(PostRevision.body)).startswith("Bagaimana")
    assert client.get(f"/p/{f.topic.first_post_id}/history").status_code == 403
    auth.logout()
    auth.login(f.coordinator.email)
    page = client.get(f"/p/{f.topic.first_post_id}/history").get_data(as_text=True)
    assert "Bagaimana cara membuat" in page and "Versi kedua" in page


def test_read_tracking_marks_unread_then_read(client, app, factory, auth):
    f = forum(app, factory)
    auth.login(f.coordinator.email)
    client.get(f"/t/{f.topic.id}")
    make_reply(app, f.member, f.topic, "Ada yang bisa bantu?")
    listing = client.get(f"/c/{f.community.slug}/topics", headers=EN).get_data(as_text=True)
    assert "1 unread" in listing.replace("Notifications (1 unread)", "")
    page = client.get(f"/t/{f.topic.id}", headers=EN).get_data(as_text=True)
    assert 'id="unread"' in page
    listing = client.get(f"/c/{f.community.slug}/topics", headers=EN).get_data(as_text=True)
    assert "1 unread" not in listing.replace("Notifications (1 unread)", "")
    assert "topic-row unread" not in listing


def test_topic_list_query_count_is_constant(client, app, factory, auth, count_queries):
    f = forum(app, factory)
    for i in range(4):
        make_topic(app, f.member, f.community, title=f"Topik nomor {i}")
    auth.login(f.coordinator.email)
    url = f"/c/{f.community.slug}/topics"
    client.get(url)
    with count_queries() as few:
        client.get(url)
    for i in range(20):
        make_topic(app, f.member, f.community, title=f"Topik tambahan {i}")
    with count_queries() as many:
        client.get(url)
    assert many.count == few.count


def test_topic_page_query_count_is_constant(client, app, factory, auth, count_queries):
    f = forum(app, factory)
    for i in range(4):
        make_reply(app, f.coordinator, f.topic, f"Balasan {i}", parent_id=f.topic.first_post_id)
    auth.login(f.outsider.email)
    url = f"/t/{f.topic.id}"
    client.get(url)
    with count_queries() as few:
        client.get(url)
    for i in range(20):
        make_reply(
            app, f.coordinator, f.topic, f"Balasan lagi {i}", parent_id=f.topic.first_post_id
        )
    client.get(url)  # the read position moves once
    with count_queries() as many:
        client.get(url)
    assert many.count == few.count
