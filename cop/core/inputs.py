"""The input layer: what every request and socket event must be before any code reads it.

One place bounds what reaches the views, the API and the socket handlers, so
no input can turn into a 500 further in:

- ids in URLs: the ``<id:...>`` route converter (cop/core/ids.py), 1 to the
  column's range, else 404;
- JSON bodies: the app's JSON provider refuses nesting deeper than
  ``MAX_JSON_DEPTH`` before parsing (a 400, not a RecursionError) and text that
  cannot be stored (below);
- text, in the path, the query string, form fields, JSON bodies and socket
  payloads: a lone UTF-16 surrogate (not encodable as UTF-8, so no database can
  store it) and NUL (PostgreSQL refuses it in text) are refused with a 400 that
  names the field, in the user's language; in form fields, JSON bodies and
  socket payloads (the text that is stored) the other C0/C1 control characters
  are dropped (tab, newline and carriage return are text).

Cursors, dates, RRULEs and links are checked where they are decoded
(cop/core/pagination.py, cop/meetings/services/scheduling.py ``parse_local`` and
the schedule form, cop/meetings/recurrence.py, ``is_web_url`` below): each
turns anything malformed into a ValidationError. docs/security.md ("Input handling") has the table.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import ImmutableMultiDict, MultiDict

from cop.core.errors import NotFound, ValidationError
from cop.core.ids import IdConverter

FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
#: JSON bodies and socket payloads nested deeper than this are refused unparsed
MAX_JSON_DEPTH = 32

#: characters no text can hold: a lone surrogate cannot be encoded as UTF-8 (no
#: database stores it) and PostgreSQL refuses NUL in text: refused
FORBIDDEN_TEXT = re.compile("[\ud800-\udfff\x00]")
#: the other control characters (tab, newline and carriage return are text): dropped
CONTROL_CHARACTERS = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

BAD_TEXT = _l("Contains a character that is not allowed.")
NOT_A_NUMBER = _l("A number in the JSON is not a finite number.")
TOO_DEEP = _l("The JSON is nested too deeply (at most %(n)d levels).", n=MAX_JSON_DEPTH)

# A JSON string (skipped whole) or a bracket: enough to measure nesting unparsed.
_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def json_depth(text: str, limit: int = MAX_JSON_DEPTH) -> int:
    """How deeply ``text`` nests arrays and objects, counting up to ``limit + 1``."""
    depth = deepest = 0
    for match in _JSON_TOKENS.finditer(text):
        piece = match.group()
        if piece in ("[", "{"):
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        elif piece in ("]", "}"):
            depth -= 1
    return deepest


def clean_text(value: str, field: str = "") -> str:
    """``value`` without control characters; a ValidationError naming ``field`` when
    it holds a character no text can hold (a lone surrogate, NUL)."""
    if FORBIDDEN_TEXT.search(value):
        raise ValidationError(
            BAD_TEXT, code="bad_text", fields={field: BAD_TEXT} if field else None
        )
    return CONTROL_CHARACTERS.sub("", value)


def clean_payload(data: Any, field: str = "", depth: int = 0) -> Any:
    """A decoded JSON body or socket payload with every string (keys too) cleaned.

    A ValidationError names the top-level field that held forbidden text; nesting
    deeper than MAX_JSON_DEPTH is refused too (socket payloads arrive parsed).
    """
    if isinstance(data, str):
        return clean_text(data, field)
    if isinstance(data, dict | list) and depth >= MAX_JSON_DEPTH:
        raise ValidationError(TOO_DEEP, code="too_deep")
    if isinstance(data, dict):
        return {
            clean_text(str(key), field or str(key)): clean_payload(
                value, field or str(key), depth + 1
            )
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [clean_payload(value, field, depth + 1) for value in data]
    return data


def _clean_multidict(values: MultiDict[str, str]) -> ImmutableMultiDict[str, str] | None:
    """A cleaned copy of a query string or form, or None when it is clean already."""
    changed = False
    cleaned: list[tuple[str, str]] = []
    for name, value in values.items(multi=True):
        if name is None:  # a multipart part without a name: nothing can read it
            changed = True
            continue
        new = (clean_text(name, name), clean_text(value, name))
        changed = changed or new != (name, value)
        cleaned.append(new)
    return ImmutableMultiDict(cleaned) if changed else None


def is_web_url(value: str, max_length: int = 2000) -> bool:
    """An http(s) link with a host and no space or control character in it.

    ``urlsplit`` quietly drops tabs and newlines (as browsers do), so they are
    refused before: stored raw, they would break a Location header or an
    iCalendar URL property.
    """
    if not value or len(value) > max_length:
        return False
    if any(ch.isspace() or ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in value):
        return False
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(host)


def _number(text: str) -> int | float:
    """A JSON number with a fraction or exponent: an int when it is whole (JSON has
    one number type: ``3.0`` is the integer 3, as JSON Schema says), else a float.
    Too large for a float (``1e999``) is a 400, not an infinity."""
    value = float(text)
    if math.isinf(value):
        raise ValidationError(NOT_A_NUMBER, code="invalid_json")
    return int(value) if value.is_integer() and abs(value) <= 2**53 else value


def _not_json(text: str) -> Any:
    """NaN and Infinity are not JSON (Python's parser accepts them): a 400."""
    raise ValidationError(NOT_A_NUMBER, code="invalid_json")


class CopJSONProvider(DefaultJSONProvider):
    """Flask's JSON, with request bodies bounded before and checked after parsing."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """Parse ``s``; too deep or holding forbidden text is a ValidationError (a 400).

        The error is not a ValueError on purpose: ``request.get_json(silent=True)``
        would swallow it into "not JSON" and lose the message.
        """
        text = s.decode("utf-8", "replace") if isinstance(s, bytes | bytearray) else s
        if json_depth(text) > MAX_JSON_DEPTH:
            raise ValidationError(TOO_DEEP, code="too_deep")
        kwargs.setdefault("parse_float", _number)
        kwargs.setdefault("parse_constant", _not_json)
        return clean_payload(super().loads(s, **kwargs))


def clean_request_text() -> None:
    """The path and query string must hold no forbidden text (400); form fields are
    cleaned like JSON strings (before any view reads them).

    A NUL is never meaningful there and PostgreSQL refuses it in text, so this
    answers up front instead of failing deep inside. Control characters in a
    query string are left alone: it is never stored, and its filters bound it.
    Values decoded from broken UTF-8 arrive as U+FFFD, never as surrogates.
    """
    if FORBIDDEN_TEXT.search(request.path):
        # The API answers as for any path that names nothing; pages show why.
        if request.path.startswith("/api/"):
            raise NotFound()
        raise ValidationError(BAD_TEXT, code="bad_text")
    for name, value in request.args.items(multi=True):
        clean_text(name, name)
        clean_text(value, name)
    if request.mimetype in FORM_TYPES:
        form = _clean_multidict(request.form)
        if form is not None:
            request.form = form


class SocketJSON:
    """The JSON module of the Socket.IO server: a packet nested deeper than
    MAX_JSON_DEPTH (a few times over, as the payload is inside the packet's event
    list) is dropped unparsed, like any malformed packet, instead of taking the
    decoder down a recursion; payloads are then checked by ``clean_payload``."""

    @staticmethod
    def dumps(*args: Any, **kwargs: Any) -> str:
        """Encode as the standard library does."""
        return json.dumps(*args, **kwargs)

    @staticmethod
    def loads(text: str | bytes, *args: Any, **kwargs: Any) -> Any:
        """Decode, refusing absurd nesting before parsing (ValueError: a bad packet)."""
        raw = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
        if json_depth(raw, 4 * MAX_JSON_DEPTH) > 4 * MAX_JSON_DEPTH:
            raise ValueError("socket packet nested too deeply")
        return json.loads(text, *args, **kwargs)


def init_inputs(app: Flask) -> None:
    """Install the id converter, the JSON provider and the text check (before blueprints)."""
    app.url_map.converters["id"] = IdConverter
    app.json = CopJSONProvider(app)
    app.before_request(clean_request_text)
