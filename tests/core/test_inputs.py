"""The input layer (cop/core/inputs.py): no input turns into a 500, on pages and the API.

One test per class of input the outside attack found (ids, cursors, dates, null,
nesting, text, RRULE, iCalendar text); the socket events' share is in
tests/chat/test_socket_inputs.py. Messages follow the caller's language.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from cop.core.errors import ValidationError
from cop.core.inputs import MAX_JSON_DEPTH, clean_payload, json_depth
from cop.discussions.models import Topic
from cop.extensions import db
from tests.api import API, auth_headers, error_code
from tests.conftest import csrf_token
from tests.meetings import make_meeting

EN = {"Accept-Language": "en"}

# --- ids -----------------------------------------------------------------------------

#: past PostgreSQL's INTEGER (2^31 - 1), past BIGINT, absurd, zero, leading zero
BAD_IDS = ["2147483648", "9223372036854775808", "1" + "0" * 40, "0", "01"]


@pytest.mark.parametrize("value", BAD_IDS)
@pytest.mark.parametrize(
    "path",
    [
        "/meetings/{}",
        "/meetings/{}/edit",
        "/meetings/{}/attendance.csv",
        "/meetings/{}/qr.svg",
        "/t/{}",
        "/notifications/{}",
    ],
)
def test_an_id_outside_the_column_is_a_404_on_pages(client, factory, auth, path, value):
    auth.login(factory.user().email)
    assert client.get(path.format(value)).status_code == 404


@pytest.mark.parametrize("value", BAD_IDS)
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/topics/{}"),
        ("get", "/meetings/{}"),
        ("patch", "/meetings/{}"),  # a sibling route has GET: still 404, not 405
        ("patch", "/posts/{}"),
        ("delete", "/posts/{}"),
        ("get", "/resources/{}/download"),
        ("get", "/channels/{}/messages"),
        ("post", "/meetings/{}/rsvp"),
    ],
)
def test_an_id_outside_the_column_is_a_404_in_the_api(client, factory, method, path, value):
    headers = auth_headers(client, factory.user())
    response = getattr(client, method)(f"{API}{path.format(value)}", headers=headers, json={})
    assert response.status_code == 404
    assert error_code(response) == "not_found"


def test_a_post_page_with_an_oversized_id_is_a_404(client, factory, auth):
    auth.login(factory.user().email)
    response = client.post(
        "/auth/tokens/2147483648/revoke", data={"csrf_token": csrf_token(client)}
    )
    assert response.status_code == 404


def test_the_openapi_document_gives_ids_their_range(client):
    document = client.get(f"{API}/openapi.json").get_json()
    (param,) = document["paths"]["/topics/{topic_id}"]["get"]["parameters"]
    assert param["schema"] == {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}


# --- cursors -------------------------------------------------------------------------


def cursor(values: object) -> str:
    raw = json.dumps(values).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


WRONG_CURSORS = [
    cursor([1, 2]),  # the name key is text
    cursor(["a", "b"]),  # the id key is a number
    cursor(["a", 2**40]),  # past the column
    cursor([None, None]),
    cursor(["a", {"dt": "0001-01-01"}]),
    cursor({"a": 1}),
    "%%%",
    "a" * 1001,
]


@pytest.mark.parametrize("value", WRONG_CURSORS)
def test_a_wrong_cursor_is_a_400_with_a_message_for_anonymous_callers(client, factory, value):
    factory.community(factory.user(), visibility="public")
    response = client.get(f"{API}/communities", query_string={"cursor": value}, headers=EN)
    assert response.status_code == 400
    assert response.get_json()["error"] == {
        "code": "bad_cursor",
        "message": "The page cursor is not valid.",
    }


def test_a_wrong_cursor_on_a_page_is_a_400_in_indonesian(client, factory):
    community = factory.community(factory.user(), visibility="public")
    response = client.get(f"/c/{community.slug}/resources", query_string={"cursor": "%%%"})
    assert response.status_code == 400
    assert "Kursor halaman tidak valid." in response.get_data(as_text=True)


# --- dates ---------------------------------------------------------------------------


@pytest.fixture
def coordinator_headers(client, factory):
    owner = factory.user(locale="en")
    community = factory.community(owner)
    return community, auth_headers(client, owner)


@pytest.mark.parametrize(
    "value",
    [
        "0001-01-01T08:00:00+07:00",  # UTC conversion overflows
        "9999-12-31T23:00:00-12:00",
        "1969-12-31T08:00:00",
        "2027-02-30T08:00:00",
        "tomorrow",
        20270109,
        None,
        ["2027-01-09T08:00:00"],
    ],
)
def test_a_bad_meeting_date_is_a_400(client, coordinator_headers, value):
    community, headers = coordinator_headers
    response = client.post(
        f"{API}/communities/{community.slug}/meetings",
        headers=headers,
        json={
            "title": "Rapat rutin",
            "starts_at": value,
            "ends_at": "2027-01-09T10:00:00+08:00",
            "timezone": "Asia/Makassar",
            "mode": "offline",
            "location": "SDN 1",
        },
    )
    assert response.status_code == 400
    assert "starts_at" in response.get_json()["error"]["fields"]


def test_year_one_on_the_schedule_page_is_a_form_error(client, factory, auth):
    owner = factory.user()
    community = factory.community(owner)
    auth.login(owner.email)
    response = client.post(
        f"/c/{community.slug}/meetings/new",
        data={
            "csrf_token": csrf_token(client),
            "title": "Rapat rutin",
            "kind": "routine",
            "date": "0001-01-01",
            "start_time": "08:00",
            "end_time": "10:00",
            "timezone": "Asia/Jayapura",
            "mode": "offline",
            "location": "SDN 1",
        },
    )
    assert response.status_code == 400  # the form again, with the error at the field
    assert "Pilih tanggal antara 1970 dan 2199." in response.get_data(as_text=True)


# --- null, empty slug ----------------------------------------------------------------


def test_null_ids_do_not_mark_every_notification_read(app, client, factory):
    reader = factory.user(locale="en")
    author = factory.user()
    community = factory.community(reader)
    factory.member(community, author)
    topic = factory.topic(community, reader, title="Asesmen diagnostik")
    factory.post(topic, author, "Saya juga @" + reader.username)
    headers = auth_headers(client, reader)
    unread = client.get(f"{API}/notifications?unread=1", headers=headers).get_json()["items"]
    assert unread
    response = client.post(f"{API}/notifications/read", headers=headers, json={"ids": None})
    assert response.status_code == 400
    assert response.get_json()["error"]["fields"] == {"ids": "Must be a list of ids."}
    again = client.get(f"{API}/notifications?unread=1", headers=headers).get_json()["items"]
    assert len(again) == len(unread)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "KKG Gugus 3", "kind": "KKG", "visibility": "public", "slug": ""}, "slug"),
        ({"name": "KKG Gugus 3", "kind": "KKG", "visibility": "public", "city": None}, "city"),
        ({"name": "KKG Gugus 3", "kind": None, "visibility": "public"}, "kind"),
        ({"name": "K" * 121, "kind": "KKG", "visibility": "public"}, "name"),
        (
            {"name": "KKG", "kind": "KKG", "visibility": "public", "description": "x" * 5001},
            "description",
        ),
    ],
)
def test_null_empty_and_long_fields_creating_a_community_are_a_400(client, factory, body, field):
    headers = auth_headers(client, factory.user())
    response = client.post(f"{API}/communities", headers=headers, json=body)
    assert response.status_code == 400
    assert field in response.get_json()["error"]["fields"]


def test_a_null_role_is_a_400(client, factory):
    owner = factory.user()
    member = factory.user()
    community = factory.community(owner)
    factory.member(community, member)
    response = client.patch(
        f"{API}/communities/{community.slug}/members/{member.id}",
        headers=auth_headers(client, owner),
        json={"role": None},
    )
    assert response.status_code == 400
    assert "role" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "Modul", "kind": "modul_ajar", "url": "https://e.id", "tags": None}, "tags"),
        ({"title": "Modul", "kind": "modul_ajar", "url": "https://e.id", "public": None}, "public"),
        ({"title": "Modul", "kind": "modul_ajar", "url": "https://e.id/\nx"}, "url"),
    ],
)
def test_null_tags_booleans_and_broken_links_are_a_400(client, factory, body, field):
    owner = factory.user()
    community = factory.community(owner)
    response = client.post(
        f"{API}/communities/{community.slug}/resources",
        headers=auth_headers(client, owner),
        json=body,
    )
    assert response.status_code == 400
    assert field in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("number", ["3.0", "3e0"])
def test_a_whole_number_written_with_a_fraction_is_an_integer(client, factory, number):
    owner = factory.user()
    community = factory.community(owner)
    topic = factory.topic(community, owner, title="Asesmen diagnostik")
    with client.application.app_context():
        first = db.session.get(Topic, topic.id).first_post_id
    response = client.post(
        f"{API}/topics/{topic.id}/posts",
        headers={**auth_headers(client, owner), "Content-Type": "application/json"},
        data=json.dumps({"body": "Setuju"})[:-1]
        + ', "parent_id": '
        + number.replace("3", str(first))
        + "}",
    )
    assert response.status_code == 201, response.get_json()


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_non_finite_numbers_are_a_400(client, literal):
    response = client.post(
        f"{API}/tokens",
        data='{"email": "a@b.id", "password": ' + literal + "}",
        content_type="application/json",
    )
    assert response.status_code == 400
    assert error_code(response) == "invalid_json"


# --- nesting -------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 5_000, 200_000])
def test_deep_json_is_refused_before_parsing(client, depth):
    body = '{"email": ' + "[" * depth + "]" * depth + "}"
    response = client.post(f"{API}/tokens", data=body, content_type="application/json", headers=EN)
    assert response.status_code == 400
    assert response.get_json()["error"] == {
        "code": "too_deep",
        "message": f"The JSON is nested too deeply (at most {MAX_JSON_DEPTH} levels).",
    }


def test_json_as_deep_as_allowed_is_read(client):
    nested = "[" * (MAX_JSON_DEPTH - 1) + "]" * (MAX_JSON_DEPTH - 1)
    body = '{"email": "a@b.id", "password": "x", "name": ' + nested + "}"
    response = client.post(f"{API}/tokens", data=body, content_type="application/json")
    assert error_code(response) != "too_deep"


@pytest.mark.parametrize(
    ("text", "depth"),
    [("[]", 1), ('{"a": [{}]}', 3), ('"[[[["', 0), ('["\\"[[[", {}]', 2), ("", 0)],
)
def test_json_depth_ignores_brackets_inside_strings(text, depth):
    assert json_depth(text) == depth


# --- text ----------------------------------------------------------------------------


@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "x\\udc00y", "\\u0000"])
def test_a_lone_surrogate_or_nul_in_json_is_a_400_for_anonymous_callers(client, escape):
    body = '{"email": "a@b.id", "password": "' + escape + '"}'
    response = client.post(f"{API}/tokens", data=body, content_type="application/json")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "bad_text"
    assert error["fields"] == {"password": "Berisi karakter yang tidak diizinkan."}


def test_a_surrogate_pair_is_one_character_and_welcome(client, factory):
    headers = auth_headers(client, factory.user())
    body = '{"name": "KKG \\ud83d\\ude00 Ceria", "kind": "KKG", "visibility": "public"}'
    response = client.post(
        f"{API}/communities", data=body, headers={**headers, "Content-Type": "application/json"}
    )
    assert response.status_code == 201
    assert response.get_json()["name"] == "KKG \U0001f600 Ceria"


def test_control_characters_in_json_are_dropped(client, factory):
    headers = auth_headers(client, factory.user())
    response = client.post(
        f"{API}/communities",
        headers=headers,
        json={"name": "KKG\x07 Gugus\x1b 3\x85", "kind": "KKG", "visibility": "public"},
    )
    assert response.status_code == 201
    assert response.get_json()["name"] == "KKG Gugus 3"


def test_control_characters_in_a_form_are_dropped(app, client, factory, auth):
    user = factory.user()
    auth.login(user.email)
    response = client.post(
        "/c/new",
        data={
            "csrf_token": csrf_token(client),
            "name": "MGMP\x08 Matematika\x0b Kota",
            "kind": "MGMP",
            "visibility": "public",
        },
    )
    assert response.status_code == 302
    assert "MGMP Matematika Kota" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_nul_in_a_form_field_is_a_400_page(client, factory, auth):
    auth.login(factory.user().email)
    response = client.post(
        "/c/new", data={"csrf_token": csrf_token(client), "name": "a\x00b", "kind": "KKG"}
    )
    assert response.status_code == 400
    assert "Berisi karakter yang tidak diizinkan." in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "cleaned"),
    [
        ("a\tb\nc\r", "a\tb\nc\r"),
        ({"k\x01": ["x\x7f", {"y": "\x9fz"}]}, {"k": ["x", {"y": "z"}]}),
        ([1, 2.5, True, None], [1, 2.5, True, None]),
    ],
)
def test_clean_payload_keeps_text_and_drops_controls(app, data, cleaned):
    assert clean_payload(data) == cleaned


def test_clean_payload_names_the_top_level_field(app):
    with pytest.raises(ValidationError) as raised:
        clean_payload({"agenda": [{"title": "\ud800"}]})
    assert set(raised.value.fields) == {"agenda"}


# --- RRULE ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=MONTHLY;BYDAY=+99SA;COUNT=3",  # dateutil: IndexError
        "FREQ=MONTHLY;BYDAY=6SA;COUNT=3",  # no month has a sixth Saturday
        "FREQ=MONTHLY;BYDAY=0SA;COUNT=3",
        "FREQ=WEEKLY;BYDAY=2SA;COUNT=3",  # a week has no second Saturday
        "FREQ=MONTHLY;BYDAY=XX;COUNT=3",
        "FREQ=MONTHLY;BYDAY=;COUNT=3",
        "FREQ=MONTHLY;BYDAY=2SA;INTERVAL=0;COUNT=3",
    ],
)
def test_an_impossible_byday_is_a_400_with_a_message(client, coordinator_headers, rule):
    community, headers = coordinator_headers
    start = (datetime.now(UTC) + timedelta(days=10)).replace(microsecond=0)
    response = client.post(
        f"{API}/communities/{community.slug}/meetings",
        headers={**headers, **EN},
        json={
            "title": "KKG bulanan",
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=2)).isoformat(),
            "timezone": "Asia/Makassar",
            "mode": "offline",
            "location": "SDN 1",
            "recurrence": rule,
        },
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["fields"]["recurrence"]


# --- iCalendar -----------------------------------------------------------------------

BROKEN = "Rapat\r\nBEGIN:VEVENT\nSUMMARY:palsu; a,b\\"


def content_lines(feed: bytes) -> list[str]:
    """The unfolded content lines of a feed, each NAME[;params]:value (RFC 5545 3.1)."""
    text = feed.decode().replace("\r\n ", "").replace("\r\n\t", "")
    return [line for line in text.split("\r\n") if line]


@pytest.mark.parametrize("feed", ["community", "meeting"])
def test_newlines_in_titles_and_names_cannot_break_the_feed(app, client, factory, feed):
    owner = factory.user()
    community = factory.community(owner, name="KKG\nX-INJECTED:1", visibility="public")
    meeting = make_meeting(
        app, community, owner, title=BROKEN, location="SDN 1\nLantai 2", description="a\nb"
    )
    path = (
        f"{API}/communities/{community.slug}/calendar.ics"
        if feed == "community"
        else f"{API}/meetings/{meeting.id}/ics"
    )
    response = client.get(path, headers=auth_headers(client, owner))
    assert response.status_code == 200
    lines = content_lines(response.data)
    assert all(":" in line and not line.startswith(" ") for line in lines)
    assert [line for line in lines if line.startswith("BEGIN:VEVENT")] == ["BEGIN:VEVENT"]
    assert not any(line.startswith(("X-INJECTED", "SUMMARY:palsu")) for line in lines)
    event = next(iter(Calendar.from_ical(response.data).walk("VEVENT")))
    assert str(event["summary"]) == BROKEN.replace("\r\n", "\n")
    assert str(event["location"]) == "SDN 1\nLantai 2"
