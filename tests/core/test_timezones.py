"""Times are stored in UTC and shown in each user's Indonesian zone with its name."""

from datetime import UTC, datetime

import pytest

from cop.core.timezones import format_local, is_known_zone, to_zone, zone_abbreviation

NOON_UTC = datetime(2026, 12, 12, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "hour", "abbr"),
    [("Asia/Jakarta", 8, "WIB"), ("Asia/Makassar", 9, "WITA"), ("Asia/Jayapura", 10, "WIT")],
)
def test_each_zone_shows_local_hour_and_name(app, zone, hour, abbr):
    assert to_zone(NOON_UTC, zone).hour == hour
    with app.test_request_context():
        text = format_local(NOON_UTC, "HH:mm", zone=zone)
    assert text == f"{hour:02d}:00 {abbr}"


def test_known_zones_are_only_the_indonesian_three():
    assert is_known_zone("Asia/Makassar")
    assert not is_known_zone("Europe/Amsterdam")
    assert zone_abbreviation("UTC") == "UTC"


def test_stored_time_comes_back_aware_utc(app, factory):
    from cop.auth.models import User
    from cop.extensions import db

    user = factory.user()
    with app.app_context():
        stored = db.session.get(User, user.id).created_at
    assert stored.tzinfo is not None and stored.utcoffset().total_seconds() == 0
