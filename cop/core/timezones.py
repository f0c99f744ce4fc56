"""Indonesia's three time zones: store UTC, show each user's zone with its name."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import format_datetime, get_timezone
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
