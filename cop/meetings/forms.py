"""Meeting forms: validation only (the services check the same rules again, with the
same limits from cop/meetings/limits.py)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    Field,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from cop.core.ids import is_id
from cop.core.labels import register_labels
from cop.core.timezones import ZONE_CHOICES
from cop.meetings import limits

KIND_LABELS = {
    "routine": _l("Routine KKG/MGMP session"),
    "workshop": _l("Workshop"),
    "lesson_study": _l("Lesson study"),
    "training": _l("Training"),
}
MODE_LABELS = {
    "offline": _l("In person"),
    "online": _l("Online"),
    "hybrid": _l("Hybrid (in person and online)"),
}
register_labels("meeting_kind", KIND_LABELS)
register_labels("meeting_mode", MODE_LABELS)
REPEAT_CHOICES = [
    SelectChoice("", _l("Does not repeat")),
    SelectChoice("monthly_nth", _l("Monthly, on the same week and weekday (e.g. 2nd Saturday)")),
    SelectChoice("monthly", _l("Monthly, on the same date")),
    SelectChoice("weekly", _l("Weekly")),
    SelectChoice("custom", _l("Custom rule (RRULE)")),
]
SCOPE_CHOICES = [
    SelectChoice("one", _l("This meeting only")),
    SelectChoice("following", _l("This and the following meetings of the series")),
]


def _scope_field() -> SelectField:
    return SelectField(_l("Apply to"), choices=SCOPE_CHOICES, default="one")


def member_choices(members: Iterable[Any], blank: Any) -> list[tuple[str, str]]:
    """Choices for a member select: ``blank`` first, then each member by id."""
    return [("", str(blank))] + [(str(u.id), u.name) for u in members]


def chosen_id(raw: str) -> int | None:
    """The id a select sent ('' or anything that is not an id: None)."""
    return int(raw) if raw.isdigit() and is_id(int(raw)) else None


def planning_year(form: FlaskForm, field: Field) -> None:
    """A date in the years meetings are planned in (year 0001 would overflow UTC)."""
    if field.data is not None and field.data.year not in limits.PLANNING_YEARS:
        raise ValidationError(
            _l(
                "Choose a date between %(first)d and %(last)d.",
                first=limits.PLANNING_YEARS.start,
                last=limits.PLANNING_YEARS.stop - 1,
            )
        )


class MeetingForm(FlaskForm):
    """Schedule or edit a meeting."""

    title = StringField(
        _l("Title"), validators=[DataRequired(), Length(min=limits.TITLE_MIN, max=limits.TITLE_MAX)]
    )
    kind = SelectField(
        _l("Kind"), choices=[SelectChoice(k, v) for k, v in KIND_LABELS.items()], default="routine"
    )
    date = DateField(_l("Date"), validators=[DataRequired(), planning_year])
    start_time = TimeField(_l("Starts at"), validators=[DataRequired()])
    end_time = TimeField(_l("Ends at"), validators=[DataRequired()])
    timezone = SelectField(_l("Time zone"), choices=[SelectChoice(k, v) for k, v in ZONE_CHOICES])
    mode = SelectField(
        _l("Where"), choices=[SelectChoice(k, v) for k, v in MODE_LABELS.items()], default="offline"
    )
    location = StringField(_l("Place"), validators=[Optional(), Length(max=limits.LOCATION_MAX)])
    online_url = StringField(
        _l("Online meeting link"), validators=[Optional(), Length(max=limits.ONLINE_URL_MAX)]
    )
    capacity = IntegerField(
        _l("Seats (empty: no limit)"),
        validators=[Optional(), NumberRange(min=limits.CAPACITY_MIN, max=limits.CAPACITY_MAX)],
    )
    pkb_hours = IntegerField(
        _l("PKB hours (jam pelajaran)"),
        default=0,
        validators=[Optional(), NumberRange(0, limits.PKB_HOURS_MAX)],
    )
    description = TextAreaField(
        _l("Description"), validators=[Optional(), Length(max=limits.DESCRIPTION_MAX)]
    )
    repeat = SelectField(_l("Repeat"), choices=REPEAT_CHOICES, default="")
    count = IntegerField(
        _l("Number of meetings"), validators=[Optional(), NumberRange(min=1, max=limits.SERIES_MAX)]
    )
    until = DateField(_l("Or until"), validators=[Optional(), planning_year])
    rrule = StringField(_l("RRULE"), validators=[Optional(), Length(max=limits.RRULE_MAX)])


class AgendaRowForm(Form):
    """One agenda row of the schedule form (empty rows are left out)."""

    title = StringField(
        _l("Agenda item"), validators=[Optional(), Length(max=limits.AGENDA_TITLE_MAX)]
    )
    presenter_id = SelectField(_l("Presenter"), coerce=str, validate_choice=False)
    duration_min = IntegerField(
        _l("Minutes"),
        validators=[Optional(), NumberRange(min=0, max=limits.AGENDA_DURATION_MAX)],
    )


#: agenda rows the schedule form shows (more are added on the meeting page)
AGENDA_FORM_ROWS = 5


class NewMeetingForm(MeetingForm):
    """Schedule a meeting (with its agenda, carried to every meeting of a series), or
    record one that already took place."""

    agenda = FieldList(
        FormField(AgendaRowForm), min_entries=AGENDA_FORM_ROWS, max_entries=limits.AGENDA_ITEMS_MAX
    )
    allow_clash = BooleanField(_l("Schedule it anyway (the other meeting stays)"))
    #: set by the view when the service refused a clash: the form then offers allow_clash
    clash = False
    recorded = BooleanField(
        _l("It already took place: record it afterwards (catat pertemuan yang sudah berlangsung)")
    )


class EditMeetingForm(MeetingForm):
    """Edit one meeting or the rest of its series."""

    scope = _scope_field()


class CancelForm(FlaskForm):
    """Cancel with a reason members will see."""

    reason = StringField(
        _l("Reason"), validators=[DataRequired(), Length(max=limits.CANCEL_REASON_MAX)]
    )
    scope = _scope_field()


class AgendaItemForm(FlaskForm):
    """Add an agenda item."""

    title = StringField(
        _l("Agenda item"), validators=[DataRequired(), Length(max=limits.AGENDA_TITLE_MAX)]
    )
    presenter_id = SelectField(_l("Presenter"), coerce=str, validate_choice=False)
    duration_min = IntegerField(
        _l("Duration (minutes)"),
        default=30,
        validators=[Optional(), NumberRange(min=0, max=limits.AGENDA_DURATION_MAX)],
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=limits.AGENDA_NOTES_MAX)])


class CheckinForm(FlaskForm):
    """A member types the code shown in the hall."""

    code = StringField(
        _l("Check-in code"), validators=[DataRequired(), Length(max=limits.CHECKIN_CODE_MAX)]
    )


ATTENDANCE_LABELS = {
    "present": _l("Present"),
    "excused": _l("Excused"),
    "sick": _l("Sick"),
    "absent": _l("Absent"),
}
register_labels("attendance_status", ATTENDANCE_LABELS)


class GuestForm(FlaskForm):
    """A guest who is not a member: name, school, role and the optional NIP/NUPTK."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=limits.GUEST_NAME_MAX)])
    school = StringField(
        _l("School or office"), validators=[Optional(), Length(max=limits.GUEST_SCHOOL_MAX)]
    )
    role = StringField(
        _l("Role (e.g. pengawas sekolah)"),
        validators=[Optional(), Length(max=limits.GUEST_ROLE_MAX)],
    )
    nip = StringField(
        _l("NIP (18 digits, optional)"),
        validators=[Optional(), Length(max=40)],
        render_kw={"inputmode": "numeric"},
    )
    nuptk = StringField(
        _l("NUPTK (16 digits, optional)"),
        validators=[Optional(), Length(max=40)],
        render_kw={"inputmode": "numeric"},
    )
    client_id = HiddenField(validators=[Optional(), Length(max=limits.CLIENT_ID_MAX)])


class MinutesForm(FlaskForm):
    """The minutes editor, with one new action item at a time."""

    body = TextAreaField(
        _l("Minutes (Markdown)"), validators=[Optional(), Length(max=limits.MINUTES_MAX)]
    )
    action_title = StringField(
        _l("New action item"), validators=[Optional(), Length(max=limits.ACTION_TITLE_MAX)]
    )
    action_assignee = SelectField(_l("Assignee"), coerce=str, validate_choice=False)
    action_due = DateField(_l("Due"), validators=[Optional()])
    publish = BooleanField(_l("Publish to members"))
