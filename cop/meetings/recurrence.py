"""Recurrence: expand an RFC 5545 RRULE in the planning zone into UTC start times.

The rule is applied to the *local* wall-clock start (08:00 WITA stays 08:00
WITA on every date), then each occurrence is converted to UTC for storage.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from flask_babel import lazy_gettext as _l

from cop.core.errors import ValidationError
from cop.meetings.limits import SERIES_MAX

#: the most occurrences one series may create
MAX_OCCURRENCES = SERIES_MAX
ALLOWED_FREQ = {"WEEKLY", "MONTHLY"}
#: the parts of an RRULE a meeting series may use (what the schedule form writes)
RULE_PARTS = {"FREQ", "COUNT", "UNTIL", "INTERVAL", "WKST", "BYDAY", "BYMONTHDAY"}


#: a BYDAY entry: a weekday, in a monthly rule with the week of the month before it
#: (1 to 5, or -1 to -5 counting from the end: 2SA, -1FR)
_WEEKDAY = re.compile(r"(MO|TU|WE|TH|FR|SA|SU)")
_MONTHLY_WEEKDAY = re.compile(r"([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)")


def _check_parts(parts: dict[str, str]) -> None:
    """The parts a meeting series can have, and their values; dateutil judges the rest.

    dateutil indexes a list with BYDAY's week number (``+99SA`` is an IndexError)
    and searches up to the year 9999 for a day that cannot exist (``6SA``,
    ``BYSETPOS=9``, BYDAY with a BYMONTHDAY it never falls on: half a second
    each), so those are refused here, with a message, before it runs.
    """
    unknown = set(parts) - RULE_PARTS
    if unknown or {"BYDAY", "BYMONTHDAY"} <= set(parts):
        raise ValidationError(
            fields={
                "recurrence": _l(
                    "A rule may use FREQ, COUNT, UNTIL, INTERVAL, WKST and BYDAY or "
                    "BYMONTHDAY (one of the two)."
                )
            }
        )
    monthday = parts.get("BYMONTHDAY")
    if monthday is not None and (
        parts.get("FREQ") != "MONTHLY"
        or not all(
            re.fullmatch(r"-?\d{1,2}", day) and 1 <= abs(int(day)) <= 31
            for day in monthday.split(",")
        )
    ):
        raise ValidationError(
            fields={"recurrence": _l("BYMONTHDAY takes days of the month, 1 to 31 or -1 to -31.")}
        )
    byday = parts.get("BYDAY")
    if byday is not None:
        pattern = _MONTHLY_WEEKDAY if parts.get("FREQ") == "MONTHLY" else _WEEKDAY
        if not all(pattern.fullmatch(day) for day in byday.split(",")):
            raise ValidationError(
                fields={
                    "recurrence": _l(
                        "BYDAY takes weekdays (MO to SU); a monthly rule may put the week "
                        "before it, 1 to 5 or -1 to -5 (2SA, -1FR)."
                    )
                }
            )
    interval = parts.get("INTERVAL")
    if interval is not None and not (interval.isdigit() and 1 <= int(interval) <= 12):
        raise ValidationError(fields={"recurrence": _l("INTERVAL is a whole number from 1 to 12.")})


def expand(rule: str, first_start: datetime, zone: str) -> list[datetime]:
    """The UTC start times ``rule`` gives from ``first_start`` (aware), in ``zone``.

    Refuses rules without COUNT or UNTIL, frequencies other than weekly or
    monthly, and more than MAX_OCCURRENCES occurrences.
    """
    text = (rule or "").strip().upper().removeprefix("RRULE:")
    parts = dict(p.split("=", 1) for p in text.split(";") if "=" in p)
    if parts.get("FREQ") not in ALLOWED_FREQ:
        raise ValidationError(fields={"recurrence": _l("Repeat weekly or monthly (FREQ).")})
    if "COUNT" not in parts and "UNTIL" not in parts:
        raise ValidationError(
            fields={"recurrence": _l("Say how often (COUNT) or until when (UNTIL) it repeats.")}
        )
    _check_parts(parts)
    tz = ZoneInfo(zone)
    local = first_start.astimezone(tz).replace(tzinfo=None)
    until: datetime | None = None
    if "UNTIL" in parts:
        # dateutil wants a naive UNTIL with a naive DTSTART; a trailing Z means UTC.
        raw_until = parts["UNTIL"]
        try:
            if raw_until.endswith("Z"):
                value = datetime.strptime(raw_until, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
                until = value.astimezone(tz).replace(tzinfo=None)
            elif "T" in raw_until:
                until = datetime.strptime(raw_until, "%Y%m%dT%H%M%S")
            else:
                until = datetime.strptime(raw_until, "%Y%m%d").replace(
                    hour=23, minute=59, second=59
                )
        except (ValueError, OverflowError) as exc:
            raise ValidationError(fields={"recurrence": _l("UNTIL is not a valid date.")}) from exc
    if until is not None:
        parts["UNTIL"] = until.strftime("%Y%m%dT%H%M%S")
    # COUNT is applied here, so COUNT and UNTIL together mean "whichever comes first"
    # (RFC 5545 allows one of them only, and dateutil warns about both).
    count = parts.pop("COUNT", None)
    text = ";".join(f"{k}={v}" for k, v in parts.items())
    try:
        limit = int(count) if count is not None else None
        if limit is not None and limit > MAX_OCCURRENCES:
            raise ValueError("too many")
        if limit is not None and limit < 1:
            raise ValueError("COUNT below 1")
        rr = rrulestr(text, dtstart=local)
        occurrences = []
        for when in rr:
            occurrences.append(when)
            if len(occurrences) == limit:
                break
            if len(occurrences) > MAX_OCCURRENCES:
                raise ValueError("too many")
    except ValidationError:
        raise
    except (ValueError, TypeError, IndexError, OverflowError) as exc:
        if "too many" in str(exc):
            raise ValidationError(
                fields={
                    "recurrence": _l("A series can have at most %(n)d meetings.", n=MAX_OCCURRENCES)
                }
            ) from exc
        raise ValidationError(fields={"recurrence": _l("This repeat rule is not valid.")}) from exc
    if not occurrences:
        raise ValidationError(fields={"recurrence": _l("This rule gives no dates.")})
    return [when.replace(tzinfo=tz).astimezone(UTC) for when in occurrences]
