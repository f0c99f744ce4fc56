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


# --- chat lines: localclock, localday, localday_key ------------------------------------


def test_chat_clock_and_day_separators(app):
    from datetime import UTC, datetime

    from flask_babel import force_locale

    from cop.core.timezones import localclock, localday, localday_key

    sent = datetime(2026, 12, 2, 6, 3, 58, 123456, tzinfo=UTC)  # 14.03.58 WITA
    with app.test_request_context():
        with force_locale("id"):
            assert localclock(sent, "Asia/Makassar") == "14.03"
            assert localday(sent, "Asia/Makassar", now=sent) == "Hari ini"
            later = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)
            assert localday(sent, "Asia/Makassar", now=later) == "Kemarin"
            week = datetime(2026, 12, 9, 1, 0, tzinfo=UTC)
            assert localday(sent, "Asia/Makassar", now=week) == "2 Des 2026"
        with force_locale("en"):
            assert localclock(sent, "Asia/Makassar").replace("\u202f", " ") == "2:03 PM"
            assert localday(sent, "Asia/Makassar", now=sent) == "Today"
    # 23.30 WIB on 1 Dec is already 2 Dec in WIT: the day follows the viewer's zone
    late = datetime(2026, 12, 1, 16, 30, tzinfo=UTC)
    assert localday_key(late, "Asia/Jakarta") == "2026-12-01"
    assert localday_key(late, "Asia/Jayapura") == "2026-12-02"
    assert localclock(None) == "" and localday(None) == "" and localday_key(None) == ""


# --- the one way pages show a time: when / isotime ----------------------------------------


@pytest.mark.parametrize(
    ("locale", "style", "expected"),
    [
        ("id", "time", "14.03 WITA"),
        ("en", "time", "2:03 PM WITA"),
        ("id", "date", "2 Des 2026"),
        ("id", "short", "2 Des 2026 14.03 WITA"),
        ("en", "weekday", "Wed, Dec 2 2:03 PM WITA"),
        ("id", "full", "Rabu, 02 Desember 2026 14.03 WITA"),
        ("id", "month", "Desember 2026"),
    ],
)
def test_when_formats_with_the_locale_and_zone(app, locale, style, expected):
    from datetime import UTC, datetime

    from flask_babel import force_locale

    from cop.core.timezones import when

    sent = datetime(2026, 12, 2, 6, 3, 58, tzinfo=UTC)
    with app.test_request_context(), force_locale(locale):
        assert when(sent, style, "Asia/Makassar").replace("\u202f", " ") == expected


def test_a_remembered_moment_still_follows_the_viewers_language_and_zone(app):
    """when() keeps what it formatted; the same moment asked again in another
    language or zone is formatted for that one, not handed the first answer."""
    from datetime import UTC, datetime

    from flask_babel import force_locale

    from cop.core.timezones import when

    sent = datetime(2026, 12, 2, 6, 3, tzinfo=UTC)
    with app.test_request_context():
        answers = []
        for _ in range(2):
            for locale in ("id", "en"):
                with force_locale(locale):
                    for zone in ("Asia/Jakarta", "Asia/Jayapura"):
                        answers.append(when(sent, "short", zone).replace("\u202f", " "))
                        answers.append(when(sent, "time", zone, with_zone=False))
    assert answers[:8] == [
        "2 Des 2026 13.03 WIB", "13.03", "2 Des 2026 15.03 WIT", "15.03",
        "Dec 2, 2026 1:03 PM WIB", "1:03\u202fPM", "Dec 2, 2026 3:03 PM WIT", "3:03\u202fPM",
    ]  # fmt: skip
    assert answers[8:] == answers[:8]


def test_when_refuses_an_unknown_style_and_a_clock_for_a_date(app):
    from datetime import date

    from cop.core.timezones import when

    with app.test_request_context():
        with pytest.raises(ValueError):
            when(NOON_UTC, "HH:mm")
        with pytest.raises(ValueError):
            when(date(2026, 12, 2), "time")
        assert when(None) == ""


def test_isotime_is_valid_html_with_at_most_milliseconds():
    from datetime import UTC, datetime

    from cop.core.timezones import isotime

    assert (
        isotime(datetime(2026, 12, 2, 6, 3, 58, 123456, tzinfo=UTC)) == "2026-12-02T06:03:58.123Z"
    )


def test_no_template_writes_its_own_time_format():
    """Every template shows times through ``when`` (no pattern, strftime or isoformat)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    bad = re.compile(
        r"localtime\(\"[^\"]*[Hhm]|dateformat\(|datetimeformat\(|timeformat\(|\.isoformat\("
    )
    found = [
        f"{p.relative_to(root)}: {m.group(0)}"
        for p in root.rglob("*.*")
        if p.suffix in (".html", ".txt")
        for m in bad.finditer(p.read_text(encoding="utf-8"))
    ]
    assert found == []
