"""Meeting operations: schedule (with recurrence), edit, cancel, agenda, RSVP,
check-in, minutes and action items, reminders, feed tokens and the meeting's
discussion topic and chat channel.

Each takes the acting user explicitly, asks the permissions policy, owns its
transaction and raises cop.core.errors errors. What a meeting causes elsewhere
(notifications, the search index) goes out as a signal after the commit
(cop/signals.py, "meetings").

The work is split by activity (``scheduling``, ``agenda``, ``attendance``, ``roll``,
``certificates``, ``builds``, ``seals``, ``photos``, ``minutes``, ``reminders``, ``feeds``,
``links``). Callers use this package:
``from cop.meetings import services``, then ``services.schedule(...)``.
"""

from cop.meetings.services.agenda import add_agenda_item, delete_agenda_item, move_agenda_item
from cop.meetings.services.attendance import (
    active_member,
    attendance_of,
    check_in,
    checkin_open,
    checkin_window,
    my_rsvp,
    promote_waitlist,
    rsvp,
    visible_participant,
)
from cop.meetings.services.builds import (
    TooManyToPrintNow,
    latest_build,
    printable_now,
    ready_build,
    request_certificates_build,
)
from cop.meetings.services.certificates import (
    UNKNOWN_CERTIFICATE,
    certificate_number,
    certificates_for_manager,
    certificates_of,
    issue_certificates,
    issuer_code,
    manageable_certificate,
    my_certificate,
    my_certificate_numbers,
    revoke,
    verify,
)
from cop.meetings.services.clashes import check_clashes, clashing
from cop.meetings.services.feeds import feed_token, user_for_feed_token
from cop.meetings.services.links import chat_channel, discussion_topic
from cop.meetings.services.minutes import (
    ActionItemData,
    minutes_of,
    save_minutes,
    set_action_item_done,
)
from cop.meetings.services.photos import (
    UNKNOWN_PHOTO,
    TooManyPhotos,
    add_photo,
    delete_photo,
    meeting_photo,
    photo_bytes,
    photos_of,
)
from cop.meetings.services.reminders import due_reminders, send_reminders
from cop.meetings.services.roll import (
    GuestData,
    add_guest,
    mark,
    remove_guest,
    roll_open,
    set_status,
    validate_guest,
)
from cop.meetings.services.scheduling import (
    UNKNOWN,
    UPDATABLE,
    AgendaData,
    MeetingData,
    agenda_row,
    check_presenters,
    get_meeting,
    parse_local,
    schedule,
    update,
    validate_agenda_item,
    validate_meeting,
    visible_meeting,
)
from cop.meetings.services.seals import UNKNOWN_SEAL, remove_seal, seal_bytes, seals_of, set_seal

__all__ = [
    "UNKNOWN",
    "UNKNOWN_CERTIFICATE",
    "UNKNOWN_PHOTO",
    "UNKNOWN_SEAL",
    "UPDATABLE",
    "ActionItemData",
    "AgendaData",
    "GuestData",
    "MeetingData",
    "TooManyPhotos",
    "TooManyToPrintNow",
    "active_member",
    "add_agenda_item",
    "add_guest",
    "add_photo",
    "agenda_row",
    "attendance_of",
    "certificate_number",
    "certificates_for_manager",
    "certificates_of",
    "chat_channel",
    "check_clashes",
    "check_in",
    "check_presenters",
    "checkin_open",
    "checkin_window",
    "clashing",
    "delete_agenda_item",
    "delete_photo",
    "discussion_topic",
    "due_reminders",
    "feed_token",
    "get_meeting",
    "issue_certificates",
    "issuer_code",
    "latest_build",
    "manageable_certificate",
    "mark",
    "meeting_photo",
    "minutes_of",
    "move_agenda_item",
    "my_certificate",
    "my_certificate_numbers",
    "my_rsvp",
    "parse_local",
    "photo_bytes",
    "photos_of",
    "printable_now",
    "promote_waitlist",
    "ready_build",
    "remove_guest",
    "remove_seal",
    "request_certificates_build",
    "revoke",
    "roll_open",
    "rsvp",
    "save_minutes",
    "schedule",
    "seal_bytes",
    "seals_of",
    "send_reminders",
    "set_action_item_done",
    "set_seal",
    "set_status",
    "update",
    "user_for_feed_token",
    "validate_agenda_item",
    "validate_guest",
    "validate_meeting",
    "verify",
    "visible_meeting",
    "visible_participant",
]
