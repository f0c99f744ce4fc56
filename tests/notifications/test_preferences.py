"""Preferences: defaults, the page, the API, muted communities, in-app off, quiet hours."""

from datetime import UTC, datetime

import pytest
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from cop.auth.models import User
from cop.core.jobs.models import Job
from cop.extensions import db
from cop.notifications import preferences, services
from cop.notifications.kinds import KINDS
from cop.notifications.models import Notification, NotificationPreference
from tests.conftest import csrf_token


def _prefs(app, user):
    with app.app_context():
        return preferences.preferences_of(db.session.get(User, user.id))


def _notify(app, recipient, kind="mention", community_id=None):
    with app.app_context():
        return services.notify(
            db.session.get(User, recipient.id),
            kind,
            _l("Your password was changed."),
            "/c/",
            community_id=community_id,
        )


def _api(client, method, path, body=None):
    token = csrf_token(client)
    return client.open(path, method=method, json=body, headers={"X-CSRFToken": token})


def test_a_new_account_gets_every_kinds_defaults_without_rows(app, factory):
    user = factory.user()
    prefs = _prefs(app, user)
    assert prefs.choice(KINDS[0]).as_json() == {"inapp": True, "push": True, "email": "immediate"}
    assert {name: c.email for name, c in prefs.choices.items()}["resources"] == "weekly"
    with app.app_context():
        assert db.session.scalars(select(NotificationPreference)).all() == []


def test_the_page_saves_choices_mutes_and_quiet_hours(app, factory, client, auth):
    user = factory.user(locale="en")
    owner = factory.user()
    community = factory.community(owner)
    factory.member(community, user)
    auth.login(user.email)
    page = client.get("/notifications/preferences")
    assert page.status_code == 200 and "Quiet hours" in page.get_data(as_text=True)
    form = {"csrf_token": csrf_token(client), "quiet_start": "21:00", "quiet_end": "06:00"}
    form |= {"muted": str(community.id), "mention-inapp": "1", "mention-email": "daily"}
    response = client.post("/notifications/preferences", data=form)
    assert response.status_code == 302
    prefs = _prefs(app, user)
    assert prefs.choices["mention"].as_json() == {"inapp": True, "push": False, "email": "daily"}
    assert prefs.choices["badges"].inapp is False  # an unticked box is a choice too
    assert (prefs.quiet_start, prefs.quiet_end) == (21 * 60, 6 * 60)
    assert prefs.muted == {community.id}


def test_the_page_refuses_half_quiet_hours(app, factory, client, auth):
    user = factory.user(locale="en")
    auth.login(user.email)
    form = {"csrf_token": csrf_token(client), "quiet_start": "21:00", "quiet_end": ""}
    response = client.post("/notifications/preferences", data=form)
    assert response.status_code == 400
    assert "both the start and the end" in response.get_data(as_text=True)
    assert _prefs(app, user).quiet_start is None


def test_api_reads_and_changes_only_what_is_given(app, factory, client, auth):
    user = factory.user()
    community = factory.community(user)
    auth.login(user.email)
    body = client.get("/api/v1/me/preferences").get_json()
    assert body["kinds"]["mention"] == {"inapp": True, "push": True, "email": "immediate"}
    assert body["quiet_hours"] is None and body["muted_communities"] == []
    changed = _api(
        client,
        "PUT",
        "/api/v1/me/preferences",
        {
            "kinds": {"watched": {"email": "weekly"}},
            "quiet_hours": {"start": "22:00", "end": "05:30"},
            "muted_communities": [community.slug],
        },
    )
    assert changed.status_code == 200, changed.get_json()
    body = changed.get_json()
    assert body["kinds"]["watched"] == {"inapp": True, "push": False, "email": "weekly"}
    assert body["quiet_hours"] == {"start": "22:00", "end": "05:30"}
    assert body["muted_communities"] == [community.slug]
    again = _api(client, "PUT", "/api/v1/me/preferences", {"quiet_hours": None})
    assert again.get_json()["quiet_hours"] is None
    assert again.get_json()["muted_communities"] == [community.slug]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kinds": {"gossip": {"email": "daily"}}}, "gossip"),
        ({"kinds": {"mention": {"email": "hourly"}}}, "mention"),
        ({"kinds": {"mention": {"push": "yes"}}}, "mention"),
        ({"kinds": []}, "kinds"),
        ({"quiet_hours": {"start": "25:00", "end": "06:00"}}, "quiet_hours.start"),
        ({"quiet_hours": {"start": "21:00", "end": None}}, "quiet_hours"),
        ({"muted_communities": ["no-such-community"]}, "muted_communities"),
    ],
)
def test_api_refuses_bad_preferences_and_changes_nothing(app, factory, client, auth, body, field):
    user = factory.user()
    auth.login(user.email)
    response = _api(client, "PUT", "/api/v1/me/preferences", body)
    assert response.status_code == 400
    assert field in response.get_json()["error"]["fields"]
    with app.app_context():
        assert db.session.scalars(select(NotificationPreference)).all() == []


def test_a_member_cannot_mute_a_community_they_are_not_in(app, factory, client, auth):
    owner = factory.user()
    hidden = factory.community(owner, visibility="hidden")
    user = factory.user()
    auth.login(user.email)
    response = _api(client, "PUT", "/api/v1/me/preferences", {"muted_communities": [hidden.slug]})
    assert response.status_code == 400


def test_a_muted_communitys_notification_is_kept_silent_and_sent_nowhere(app, factory):
    owner = factory.user()
    community = factory.community(owner)
    user = factory.user()
    factory.member(community, user)
    with app.app_context():
        preferences.set_muted(db.session.get(User, user.id), community, True)
    note = _notify(app, user, community_id=community.id)
    with app.app_context():
        row = db.session.get(Notification, note.id)
        assert row.read_at is not None  # no bell
        assert (
            db.session.scalars(select(Job).where(Job.kind == "notifications.deliver")).all() == []
        )


def test_in_app_off_keeps_the_row_read_but_still_delivers_by_mail(app, factory):
    user = factory.user()
    with app.app_context():
        member = db.session.get(User, user.id)
        preferences.save_preferences(
            member, {"mention": {"inapp": False}}, quiet_start=None, quiet_end=None
        )
    note = _notify(app, user)
    with app.app_context():
        assert db.session.get(Notification, note.id).read_at is not None
        kinds = db.session.scalars(select(Job.kind)).all()
    assert "notifications.deliver" in kinds and "mail.deliver" in kinds


@pytest.mark.parametrize(
    ("start", "end", "utc", "until"),
    [
        # WIB is UTC+7: 22:00 WIB is 15:00 UTC; quiet 21:00-06:00 ends 06:00 WIB = 23:00 UTC
        ("21:00", "06:00", datetime(2026, 12, 4, 15, 0, tzinfo=UTC), "2026-12-04T23:00"),
        ("21:00", "06:00", datetime(2026, 12, 4, 21, 0, tzinfo=UTC), "2026-12-04T23:00"),
        ("21:00", "06:00", datetime(2026, 12, 4, 23, 0, tzinfo=UTC), None),
        ("12:00", "13:00", datetime(2026, 12, 4, 5, 30, tzinfo=UTC), "2026-12-04T06:00"),
        ("12:00", "13:00", datetime(2026, 12, 4, 6, 0, tzinfo=UTC), None),
    ],
)
def test_quiet_hours_are_read_in_the_members_zone(app, factory, start, end, utc, until):
    user = factory.user(timezone="Asia/Jakarta")
    with app.app_context():
        member = db.session.get(User, user.id)
        prefs = preferences.save_preferences(
            member,
            {},
            quiet_start=preferences.parse_clock(start, "s"),
            quiet_end=preferences.parse_clock(end, "e"),
        )
        ends = preferences.quiet_until(member, prefs, utc)
    assert (ends.astimezone(UTC).strftime("%Y-%m-%dT%H:%M") if ends else None) == until


def test_the_demo_teachers_have_quiet_hours_and_the_kinds_defaults(app):
    from cop import demo

    with app.app_context():
        demo.seed()
        teacher = db.session.scalar(select(User).where(User.email == demo.TEACHER_EMAIL))
        admin = db.session.scalar(select(User).where(User.email == demo.ADMIN_EMAIL))
        prefs = preferences.preferences_of(teacher)
        assert (preferences.clock(prefs.quiet_start), preferences.clock(prefs.quiet_end)) == (
            "21:00",
            "05:30",
        )
        assert prefs.choices["mention"].email == "immediate"
        assert preferences.preferences_of(admin).quiet_start is None
        db.session.remove()


def test_no_job_when_nothing_goes_out_by_mail_or_push(app, factory):
    user = factory.user()  # no browser subscribed for pushes
    with app.app_context():
        preferences.save_preferences(
            db.session.get(User, user.id),
            {"mention": {"email": "daily"}},
            quiet_start=None,
            quiet_end=None,
        )
    _notify(app, user)
    with app.app_context():
        assert db.session.scalars(select(Job)).all() == []


def test_a_choice_with_a_field_it_does_not_have_is_refused(app, factory):
    """The API's document closes a choice to inapp, push and email: anything else is a
    400 naming the kind (schemathesis sent {"minutes": {"inapp": true, "x": 1}})."""
    from cop.core.errors import ValidationError

    user = factory.user()
    with app.app_context():
        with pytest.raises(ValidationError) as caught:
            preferences.save_preferences(
                db.session.merge(user),
                {"minutes": {"inapp": True, "colour": "red"}},
                quiet_start=None,
                quiet_end=None,
            )
        assert set(caught.value.fields) == {"minutes"}
