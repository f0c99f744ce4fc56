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


#: a BYDAY entry: a weekday, in a monthly rule with the week of the month before it
#: (1 to 5, or -1 to -5 counting from the end: 2SA, -1FR)
_WEEKDAY = re.compile(r"(MO|TU|WE|TH|FR|SA|SU)")
_MONTHLY_WEEKDAY = re.compile(r"([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)")


def _check_parts(parts: dict[str, str]) -> None:
    """BYDAY and INTERVAL a meeting series can have; anything else dateutil judges.

    dateutil indexes a list with BYDAY's week number (``+99SA`` is an IndexError)
    and searches years ahead for a week that cannot exist (``6SA``), so an
    impossible BYDAY is refused here, with a message, before it runs.
    """
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
    if "UNTIL" in parts:
        # dateutil wants a naive UNTIL with a naive DTSTART; a trailing Z means UTC.
        until = parts["UNTIL"]
        try:
            if until.endswith("Z"):
                value = datetime.strptime(until, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
                naive = value.astimezone(tz).replace(tzinfo=None)
            elif "T" in until:
                naive = datetime.strptime(until, "%Y%m%dT%H%M%S")
            else:
                naive = datetime.strptime(until, "%Y%m%d").replace(hour=23, minute=59, second=59)
        except ValueError as exc:
            raise ValidationError(fields={"recurrence": _l("UNTIL is not a valid date.")}) from exc
        parts["UNTIL"] = naive.strftime("%Y%m%dT%H%M%S")
        text = ";".join(f"{k}={v}" for k, v in parts.items())
    try:
        if "COUNT" in parts and int(parts["COUNT"]) > MAX_OCCURRENCES:
            raise ValueError("too many")
        rr = rrulestr(text, dtstart=local)
        occurrences = []
        for when in rr:
            occurrences.append(when)
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
