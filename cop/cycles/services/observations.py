"""Observation sheets: what each observer saw students do, by student code only.

Phones submit with a ``client_id`` of their own, so a double tap, a retry or an
offline queue sent again stores one row. A note that looks like a full name is
refused until the observer confirms it is not one (``confirmed``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from cop import signals
from cop.auth.models import User
from cop.core import permissions
from cop.core.db import unit_of_work
from cop.core.errors import Conflict, NotFound, ValidationError
from cop.core.ids import is_id
from cop.cycles import limits
from cop.cycles.models import LessonStudy, Observation
from cop.cycles.services import common
from cop.extensions import db
from cop.resources import services as resource_services
from cop.resources.storage import get_storage

UNKNOWN_OBSERVATION = _l("That observation does not exist.")
#: photos an observation may carry (the chat's image handling shrinks them)
PHOTO_TYPES = {"jpg", "jpeg", "png", "webp"}


@dataclass
class ObservationData:
    """One line of the observation sheet."""

    client_id: str
    student_code: str
    moment: str
    note: str
    #: the observer confirmed that the note names no student
    confirmed: bool = False
    photo: resource_services.Upload | None = None


def _find(observer: User, client_id: str) -> Observation | None:
    return db.session.scalar(
        select(Observation).where(
            Observation.observer_id == observer.id, Observation.client_id == client_id
        )
    )


def _validate(data: ObservationData) -> ObservationData:
    errors: dict[str, Any] = {}
    data.client_id = (data.client_id or "").strip()
    if not limits.CLIENT_ID_RE.match(data.client_id):
        errors["client_id"] = _l("The page sent no valid client id: reload it and try again.")
    data.student_code = (data.student_code or "").strip().upper()
    if not limits.STUDENT_CODE_RE.match(data.student_code):
        errors["student_code"] = _l("Write the student's code, such as S07 or A-3: never a name.")
    data.moment = common.text(data.moment, "moment", errors, limits.MOMENT_MAX, required=True)
    data.note = common.text(data.note, "note", errors, limits.NOTE_MAX, required=True)
    if "note" not in errors and limits.looks_like_a_name(data.note) and not data.confirmed:
        errors["note"] = _l(
            "This looks like a student's full name. Name students by their code only; "
            "if it is not a name, tick the box to confirm."
        )
    if errors:
        raise ValidationError(fields=errors, code="invalid_observation")
    return data


def _check_open(study: LessonStudy) -> None:
    if study.published:
        raise Conflict(
            _l("The reflection is published: the observation sheets are closed."),
            code="sheets_closed",
        )
    if study.stage == "plan":
        raise Conflict(
            _l("Observations open once the lesson is taught (the do stage)."),
            code="sheets_not_open",
        )


def _store_photo(upload: resource_services.Upload) -> tuple[str, str]:
    """Keep an observation's photo, shrunk like a chat photo; (storage key, content type)."""
    from cop.chat.attachments import FORMAT_TYPES, IMAGE_FORMATS, process_image

    spooled, _filename, ext = resource_services.receive_upload(upload)
    storage = get_storage()
    try:
        if ext not in PHOTO_TYPES:
            raise ValidationError(fields={"photo": _l("Attach a photo (JPEG, PNG or WebP).")})
        full, thumb, _w, _h = process_image(spooled.path, ext, storage.tmp_dir)
        thumb.discard()
        content_type = FORMAT_TYPES[IMAGE_FORMATS[ext]][0]
        return storage.put(full), content_type
    finally:
        spooled.discard()


def record_observation(
    observer: User, study: LessonStudy, data: ObservationData
) -> tuple[Observation, bool]:
    """Store one observation (observers); returns (observation, created). The same
    ``client_id`` again returns the first one, whatever else it carries."""
    permissions.authorize(observer, "lesson_study.observe", study)
    client_id = (data.client_id or "").strip()
    earlier = _find(observer, client_id) if client_id else None
    if earlier is not None:
        return earlier, False
    _check_open(study)
    data = _validate(data)
    photo_key, photo_type = _store_photo(data.photo) if data.photo else (None, "")
    try:
        with unit_of_work():
            observation = Observation(
                lesson_study_id=study.id,
                observer_id=observer.id,
                client_id=data.client_id,
                student_code=data.student_code,
                moment=data.moment,
                note=data.note,
                photo_key=photo_key,
                photo_type=photo_type,
            )
            db.session.add(observation)
            db.session.flush()
            signals.send_after_commit(
                signals.observation_recorded,
                observation,
                observation=observation,
                study=study,
                observer=observer,
            )
    except IntegrityError:
        # The same submission twice at once: the first one stands.
        if photo_key:
            get_storage().delete(photo_key)
        first = _find(observer, data.client_id)
        if first is None:  # pragma: no cover - another constraint failed
            raise
        return first, False
    return observation, True


def visible_observation(
    user: User | None, observation_id: int, action: str = "lesson_study.view"
) -> Observation:
    """An observation whose lesson study ``user`` may ``action``."""
    observation = db.session.get(Observation, observation_id) if is_id(observation_id) else None
    study = db.session.get(LessonStudy, observation.lesson_study_id) if observation else None
    permissions.visible(user, action, study, missing=UNKNOWN_OBSERVATION)
    assert observation is not None
    return observation


def open_photo(observation: Observation) -> IO[bytes]:
    """The observation's photo for reading (the caller closes it)."""
    if not observation.photo_key:
        raise NotFound(_l("This observation has no photo."))
    return get_storage().open(observation.photo_key)
