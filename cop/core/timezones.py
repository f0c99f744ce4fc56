"""Indonesia's three time zones: store UTC, show each user's zone with its name."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from babel.dates import format_skeleton
from flask_babel import format_date, format_datetime, format_time, get_locale, get_timezone
from flask_babel import lazy_gettext as _l

#: zone name -> the abbreviation every Indonesian knows
ZONE_ABBREVIATIONS = {
    "Asia/Jakarta": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}

ZONE_CHOICES = [
    ("Asia/Jakarta", _l("WIB (Western Indonesia, UTC+7)")),
    ("Asia/Makassar", _l("WITA (Central Indonesia, UTC+8)")),
    ("Asia/Jayapura", _l("WIT (Eastern Indonesia, UTC+9)")),
]

DEFAULT_ZONE = "Asia/Jakarta"


def is_known_zone(name: str) -> bool:
    """True for the three Indonesian zones cop supports."""
    return name in ZONE_ABBREVIATIONS


def zone_abbreviation(name: str) -> str:
    """'Asia/Makassar' -> 'WITA'; unknown zones keep their IANA name."""
    return ZONE_ABBREVIATIONS.get(name, name)


def to_zone(value: datetime, zone: str) -> datetime:
    """Convert an aware datetime into ``zone``."""
    return value.astimezone(ZoneInfo(zone))


def format_local(value: datetime | None, format: str = "medium", zone: str | None = None) -> str:
    """Format ``value`` in the viewer's zone (or ``zone``) followed by WIB/WITA/WIT."""
    if value is None:
        return ""
    tz = ZoneInfo(zone) if zone else get_timezone()
    text = format_datetime(value.astimezone(tz), format, rebase=False)
    return f"{text} {zone_abbreviation(str(tz))}"


# --- the one way pages show a time -----------------------------------------------------
#: the styles of :func:`when` (every template names one; none writes a pattern)
WHEN_STYLES = ("time", "date", "long", "short", "weekday", "full", "month", "dayname")
#: styles for a calendar day (a ``date``, or the day of a moment in the zone)
DATE_STYLES = {"date": "yMMMd", "long": "yMMMMd", "month": "yMMMM", "dayname": "EEE"}


def when(
    value: datetime | date | None,
    style: str = "short",
    zone: str | None = None,
    *,
    with_zone: bool = True,
) -> str:
    """A moment for people, in the viewer's locale and zone (or ``zone``), e.g. in id / en:

    - ``time``: "14.03 WITA" / "2:03 PM WITA"
    - ``date``: "4 Des 2026" / "Dec 4, 2026" (a date alone never names the zone)
    - ``long``: "4 Desember 2026" / "December 4, 2026" (documents: certificates, reports)
    - ``short``: "4 Des 2026 14.03 WITA"
    - ``weekday``: "Jum, 4 Des 14.03 WITA" / "Fri, Dec 4 2:03 PM WITA"
    - ``full``: "Jumat, 04 Desember 2026 14.03 WITA"
    - for a calendar day (also a plain ``date``): ``month`` "Desember 2026",
      ``dayname`` "Jum"

    Babel's formats for the locale do the work (``format_date``, ``format_time``,
    a skeleton for ``weekday``); ``with_zone=False`` leaves the zone out (a line
    that names it once already).
    """
    if value is None:
        return ""
    if style not in WHEN_STYLES:
        raise ValueError(f"unknown time style {style!r}")
    locale = str(get_locale() or "id")
    if not isinstance(value, datetime):
        if style not in DATE_STYLES:
            raise ValueError(f"a date has no {style!r}")
        return _day(value, style, locale)
    return _moment(value, style, locale, zone or str(get_timezone()), with_zone)


@lru_cache(maxsize=8192)
def _moment(value: datetime, style: str, locale: str, zone: str, with_zone: bool) -> str:
    """:func:`when` for a moment, worked out once per moment, style, language and zone.

    Babel's formatting was most of a list row's time (~0.1 ms a call, twenty rows a
    page), and pages show the same moments again and again; the answer depends on
    nothing else (no "today": that is :func:`localday`'s, which is not cached).
    """
    tz = ZoneInfo(zone)
    local = value.astimezone(tz)
    if style in DATE_STYLES:
        return _day(local.date(), style, locale)
    clock = babel_dates.format_time(local, "short", locale=locale)
    if style == "time":
        text = clock
    elif style == "short":
        text = f"{babel_dates.format_date(local.date(), 'medium', locale=locale)} {clock}"
    elif style == "weekday":
        day = format_skeleton("MMMEd", local, tzinfo=tz, locale=locale)
        text = f"{day} {clock}"
    else:
        text = f"{babel_dates.format_date(local.date(), 'full', locale=locale)} {clock}"
    return f"{text} {zone_abbreviation(zone)}" if with_zone else text


def _day(day: date, style: str, locale: str) -> str:
    if style == "date":
        return babel_dates.format_date(day, "medium", locale=locale)
    if style == "dayname":
        return babel_dates.format_date(day, "EEE", locale=locale)
    return format_skeleton(DATE_STYLES[style], day, locale=locale)


def isotime(value: datetime | None) -> str:
    """A ``<time datetime>`` value: ISO 8601 in UTC to the millisecond (valid HTML)."""
    if value is None:
        return ""
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# --- chat lines: the clock, and day separators (added for the chat) -----------------


def _viewer_zone(zone: str | None) -> ZoneInfo:
    return ZoneInfo(zone) if zone else ZoneInfo(str(get_timezone()))


def localclock(value: datetime | None, zone: str | None = None) -> str:
    """The time of day in the viewer's zone and locale: "14.03" (id), "2:03 PM" (en).

    Without the zone: chat lines say it once per day, on the day separator.
    """
    if value is None:
        return ""
    return format_time(value.astimezone(_viewer_zone(zone)), "short", rebase=False)


def localday_key(value: datetime | None, zone: str | None = None) -> str:
    """The calendar day of ``value`` in the viewer's zone, "2026-12-02" (groups chat lines)."""
    if value is None:
        return ""
    return value.astimezone(_viewer_zone(zone)).date().isoformat()


def localday(value: datetime | None, zone: str | None = None, now: datetime | None = None) -> str:
    """A day separator: "Hari ini" / "Kemarin" (today, yesterday in the viewer's zone),
    else the date as "2 Des 2026" (id) or "Dec 2, 2026" (en)."""
    if value is None:
        return ""
    tz = _viewer_zone(zone)
    day = value.astimezone(tz).date()
    today = (now or datetime.now(UTC)).astimezone(tz).date()
    if day == today:
        return str(_l("Today"))
    if day == today - timedelta(days=1):
        return str(_l("Yesterday"))
    return format_date(day, "medium")
