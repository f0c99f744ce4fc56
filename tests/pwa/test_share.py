"""WhatsApp share links (a ready Indonesian text and the link) and the link preview tags:
public content shows itself, private content only its community's name."""

import re
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest


def _share_text(html: str) -> str:
    match = re.search(r'href="(https://wa\.me/\?text=[^"]+)"', html)
    assert match, "a WhatsApp share link"
    return parse_qs(urlsplit(unescape(match.group(1))).query)["text"][0]


def _og(html: str, prop: str) -> str:
    match = re.search(rf'<meta property="og:{prop}" content="([^"]*)"', html)
    assert match, f"og:{prop}"
    return unescape(match.group(1))


def test_a_public_topic_shares_an_indonesian_text_and_shows_itself(app, factory, client, auth):
    owner = factory.user(locale="en")  # an English interface: the text is still Indonesian
    community = factory.community(owner, name="KKG Gugus 3", visibility="public")
    topic = factory.topic(community, owner, title="Asesmen diagnostik")
    auth.login(owner.email)
    html = client.get(f"/t/{topic.id}").get_data(as_text=True)
    text = _share_text(html)
    assert text.startswith("Diskusi di KKG Gugus 3: “Asesmen diagnostik”\n")
    assert text.endswith(f"/t/{topic.id}")
    assert _og(html, "title") == "Asesmen diagnostik"
    assert 'name="twitter:card" content="summary"' in html


@pytest.mark.parametrize("visibility", ["private", "hidden"])
def test_private_content_previews_only_the_community_name(app, factory, client, auth, visibility):
    owner = factory.user()
    community = factory.community(owner, name="KKG Tertutup", visibility=visibility)
    topic = factory.topic(community, owner, title="Nilai siswa kelas 5")
    auth.login(owner.email)
    html = client.get(f"/t/{topic.id}").get_data(as_text=True)
    assert _og(html, "title") == "KKG Tertutup"
    head = html.split("</head>")[0]
    assert "Nilai siswa kelas 5" not in head.split("<title>")[0]  # not in any meta tag


def test_a_meeting_shares_its_time_in_the_zone_it_was_planned_in(app, factory, client, auth):
    owner = factory.user(timezone="Asia/Jayapura")
    community = factory.community(owner, name="MGMP Matematika", visibility="public")
    meeting = factory.meeting(
        community, owner, title="Rapat bulanan", starts_in=timedelta(days=3),
        timezone="Asia/Makassar",
    )  # fmt: skip
    auth.login(owner.email)
    text = _share_text(client.get(f"/meetings/{meeting.id}").get_data(as_text=True))
    assert text.startswith("Ayo ikut pertemuan “Rapat bulanan” MGMP Matematika, ")
    assert "WITA" in text and text.endswith(f"/meetings/{meeting.id}")


def test_a_resource_has_a_share_button(app, factory, client, auth):
    owner = factory.user()
    community = factory.community(owner, name="KKG Gugus 3", visibility="public")
    resource = factory.resource(community, owner, title="LKPD pecahan")
    auth.login(owner.email)
    html = client.get(f"/resources/{resource.id}").get_data(as_text=True)
    assert _share_text(html).startswith("Bahan ajar dari KKG Gugus 3: “LKPD pecahan”")


def test_the_invite_link_can_be_shared_to_whatsapp(app, factory, client, auth):
    owner = factory.user()
    community = factory.community(owner, name="KKG Gugus 3", visibility="private")
    auth.login(owner.email)
    html = client.get(f"/c/{community.slug}").get_data(as_text=True)
    text = _share_text(html)
    assert text.startswith("Ayo bergabung dengan KKG Gugus 3 di cop:")
    assert text.endswith(f"/c/invite/{community.invite_token}")
