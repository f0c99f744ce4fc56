"""Every validation limit of meetings, written once: forms, services and the API use these."""

from __future__ import annotations

from datetime import timedelta

#: a meeting's title, in characters
TITLE_MIN = 3
TITLE_MAX = 200
LOCATION_MAX = 300
ONLINE_URL_MAX = 500
DESCRIPTION_MAX = 10_000
#: the years a meeting may be planned in: outside them a date is a typo (year 0001),
#: and near the ends of the calendar UTC conversion and durations overflow
PLANNING_YEARS = range(1970, 2200)
#: a meeting lasts at most this long
DURATION_MAX = timedelta(hours=24)
#: seats (``None`` is no limit)
CAPACITY_MIN = 1
CAPACITY_MAX = 10_000
#: PKB hours (jam pelajaran) a meeting counts for
PKB_HOURS_MAX = 100
CANCEL_REASON_MAX = 500

AGENDA_ITEMS_MAX = 30
AGENDA_TITLE_MAX = 200
#: one agenda item's duration, in minutes
AGENDA_DURATION_MAX = 600
AGENDA_NOTES_MAX = 5000

MINUTES_MAX = 100_000
ACTION_ITEMS_MAX = 50
ACTION_TITLE_MAX = 300

CHECKIN_CODE_MAX = 12
#: generated codes have this many characters of a 32-letter alphabet
CHECKIN_CODE_LENGTH = 8
#: check-in opens this long before the start and closes this long after the end
CHECKIN_OPENS = timedelta(hours=1)
CHECKIN_CLOSES = timedelta(hours=2)

#: a recurring series has at most this many meetings; its RRULE at most RRULE_MAX characters
SERIES_MAX = 60
RRULE_MAX = 200

#: participation records and calendars cover these calendar years
YEAR_MIN = 2000
YEAR_MAX = 2100

#: a guest on the roll
GUEST_NAME_MAX = 200
GUEST_SCHOOL_MAX = 200
GUEST_ROLE_MAX = 100
GUESTS_MAX = 200
#: NIP and NUPTK are digits only, of exactly these lengths
NIP_DIGITS = 18
NUPTK_DIGITS = 16
CLIENT_ID_MAX = 64

#: certificates: a revocation's reason; PDFs rendered in the request up to this many
#: certificates (bench/certificates_pdf.py: 200 take about N s on 2 cores)
REVOKE_REASON_MAX = 500
CERTIFICATES_PDF_MAX = 300

#: photos (dokumentasi) a meeting keeps, and a photo's caption
PHOTOS_MAX = 6
PHOTO_CAPTION_MAX = 200
