"""KKG/MGMP meetings: schedule, agenda, RSVP, check-in, minutes, reminders, calendars."""
