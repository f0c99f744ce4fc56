"""The API blueprint: authentication (session+CSRF or Bearer token) and shared helpers.

Route modules (``users``, ``communities``, ...) attach their views to ``bp``;
they are imported at the bottom so that importing ``bp`` registers them all.
Each view is documented with ``cop.api.openapi.documented`` so the OpenAPI
document served at /api/v1/openapi.json always lists exactly the routes there are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from flask import Blueprint, Response, g, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from cop.auth import services as auth_services
from cop.core.errors import NotAuthenticated, ValidationError
from cop.core.ids import ID as ID  # the id route converter, for the route modules
from cop.core.ids import is_id
from cop.core.pagination import Page
from cop.extensions import csrf

bp = Blueprint("api", __name__)

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

T = TypeVar("T")

#: PostgreSQL text cannot hold NUL: such input is refused before it reaches a query
NUL = "\x00"


@bp.before_request
def authenticate() -> None:
    """Bearer tokens identify the caller without cookies; cookie sessions need CSRF."""
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            raise NotAuthenticated(
                _l("Send the token as: Authorization: Bearer <token>."), code="bad_authorization"
            )
        user = auth_services.user_for_token(raw.strip())
        if user is None:
            raise NotAuthenticated(
                _l("This API token is not valid (any more)."), code="invalid_token"
            )
        g._login_user = user  # what flask_login.current_user reads
        g.api_token_auth = True
        # The app-wide last-seen hook ran before the token was read.
        auth_services.touch_last_seen(user)
        return
    g.api_token_auth = False
    if request.method not in SAFE_METHODS and current_user.is_authenticated:
        csrf.protect()


@bp.after_request
def describe_response(response: Response) -> Response:
    """Say which language messages are in, and how to authenticate after a 401."""
    response.headers.setdefault("Content-Language", str(get_locale() or "id"))
    if response.status_code == 401:
        response.headers.setdefault("WWW-Authenticate", 'Bearer realm="cop"')
    return response


def json_body() -> dict[str, Any]:
    """The request's JSON object, or a 400 in the error shape."""
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # absurdly deep nesting is malformed input, not a crash
        data = None
    if not isinstance(data, dict):
        raise ValidationError(
            _l("Send a JSON object with Content-Type: application/json."), code="invalid_json"
        )
    return data


class Body:
    """Reads typed fields from a JSON object body, collecting every problem before failing.

    ``body.required("name")`` and ``body.text("bio")`` return the value and note
    what was wrong; ``body.done()`` raises one ValidationError with all fields.
    """

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.errors: dict[str, Any] = {}

    @classmethod
    def from_request(cls) -> Body:
        """The request's JSON object (400 when it is not one)."""
        return cls(json_body())

    def text(
        self, name: str, *, max_length: int | None = None, nullable: bool = False
    ) -> str | None:
        """An optional string field; absent is None, and so is null when ``nullable``.

        ``max_length`` bounds it (the OpenAPI document's maxLength says the same).
        """
        if name not in self.data or (nullable and self.data[name] is None):
            return None
        value = self.data[name]
        if not isinstance(value, str):
            self.errors[name] = _l("Must be a string.")
            return None
        if NUL in value:
            self.errors[name] = _l("Contains a character that is not allowed.")
            return None
        if max_length is not None and len(value) > max_length:
            self.errors[name] = _l("At most %(n)d characters.", n=max_length)
            return None
        return value

    def required(self, name: str, *, max_length: int | None = None) -> str:
        """A string field that must be present and not blank ('' after noting the error)."""
        value = self.text(name, max_length=max_length)
        if value is None or not value.strip():
            self.errors.setdefault(name, _l("This field is required."))
            return ""
        return value

    def id_list(self, name: str, max_items: int = 500) -> list[int] | None:
        """An optional list of positive integer ids; absent is None (null is an error)."""
        if name not in self.data:
            return None
        value = self.data[name]
        if (
            not isinstance(value, list)
            or len(value) > max_items
            or not all(is_id(v) for v in value)
        ):
            self.errors[name] = _l("Must be a list of ids.")
            return None
        return value

    def boolean(self, name: str, default: bool = False) -> bool:
        """An optional true/false field; absent is ``default`` (also after noting the error)."""
        value = self.data.get(name, default)
        if not isinstance(value, bool):
            self.errors[name] = _l("Must be true or false.")
            return default
        return value

    def integer(
        self,
        name: str,
        *,
        minimum: int = -(2**31) + 1,
        maximum: int = 2**31 - 1,
        nullable: bool = False,
    ) -> int | None:
        """An optional whole number in ``[minimum, maximum]``; absent is None, and so is
        null when ``nullable``."""
        if name not in self.data or (nullable and self.data[name] is None):
            return None
        value = self.data[name]
        if not isinstance(value, int) or isinstance(value, bool) or not minimum <= value <= maximum:
            self.errors[name] = _l("Must be a whole number.")
            return None
        return value

    def optional_id(self, name: str, problem: Any = None, *, nullable: bool = True) -> int | None:
        """An optional row id; absent is None, and so is null unless ``nullable`` is off.
        ``problem`` names what the id is of."""
        if name not in self.data or (nullable and self.data[name] is None):
            return None
        value = self.data[name]
        if not is_id(value):
            self.errors[name] = problem or _l("Must be a whole number.")
            return None
        return value

    def done(self) -> None:
        """Raise the collected problems, if any."""
        if self.errors:
            raise ValidationError(fields=self.errors)


def query_choice(name: str, allowed: Iterable[str]) -> str:
    """An optional ``?name=`` filter that must be one of ``allowed`` ('' when absent)."""
    value = request.args.get(name, "").strip()
    options = tuple(allowed)
    if value and value not in options:
        raise ValidationError(
            fields={name: _l("Choose one of: %(options)s.", options=", ".join(options))}
        )
    return value


def query_text(name: str, max_length: int = 200) -> str:
    """An optional free-text ``?name=`` filter."""
    raw = request.args.get(name, "")
    value = raw.strip()
    if len(raw) > max_length:
        raise ValidationError(fields={name: _l("At most %(n)d characters.", n=max_length)})
    if NUL in value:
        raise ValidationError(fields={name: _l("Contains a character that is not allowed.")})
    return value


def cursor_arg() -> str | None:
    """``?cursor=`` as given; the pagination helper checks it against the sort keys."""
    return request.args.get("cursor") or None


def list_json(page: Page[T], item: Callable[[T], dict[str, Any]]) -> dict[str, Any]:
    """The list shape: ``{"items": [...], "next": cursor or null}``."""
    return {"items": [item(row) for row in page.items], "next": page.next_cursor}


# Route modules register their views on ``bp`` when imported.
from cop.api import (  # noqa: E402,F401
    badges,
    chat,
    communities,
    cycles,
    discussions,
    insights,
    meeting_attendance,
    meeting_calendar,
    meeting_documents,
    meeting_minutes,
    meeting_photos,
    meeting_roll,
    meetings,
    mentions,
    notifications,
    openapi,
    preferences,
    privacy,
    resources,
    search,
    users,
)
