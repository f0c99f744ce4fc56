"""The manifest, the service worker's headers, which pages it may keep, the CSP."""

from cop.pwa.views import OFFLINE_ENDPOINTS


def test_the_manifest_names_the_app_and_its_icons(client):
    response = client.get("/manifest.webmanifest")
    assert response.mimetype == "application/manifest+json"
    body = response.get_json(force=True)
    assert body["display"] == "standalone" and body["short_name"] == "cop"
    assert {icon["sizes"] for icon in body["icons"]} == {"192x192", "512x512"}
    assert any(icon["purpose"] == "maskable" for icon in body["icons"])
    for icon in body["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_the_service_worker_is_served_for_the_whole_site_and_never_stale(client):
    response = client.get("/sw.js")
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-cache"
    text = response.get_data(as_text=True)
    assert '"/offline"' in text and "/static/css/app.css?v=" in text


def test_the_csp_allows_the_worker_and_the_manifest_from_self(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "worker-src 'self'" in policy and "manifest-src 'self'" in policy


def test_a_members_topic_may_be_kept_offline_a_visitors_never(app, factory, client, auth):
    owner = factory.user()
    community = factory.community(owner, visibility="public")
    topic = factory.topic(community, owner)
    assert "discussions.topic" in OFFLINE_ENDPOINTS
    assert "X-Offline-Cache" not in client.get(f"/t/{topic.id}").headers
    auth.login(owner.email)
    assert client.get(f"/t/{topic.id}").headers["X-Offline-Cache"] == "page"
    assert "X-Offline-Cache" not in client.get("/auth/profile").headers  # not a reading page


def test_the_offline_page_says_what_still_works(client):
    page = client.get("/offline", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert "Pages you opened recently" in page.get_data(as_text=True)
