"""Database ids and integers: the one range check.

Ids and integer columns are INTEGER: 32-bit signed on PostgreSQL (``int4``),
and so the app keeps SQLite to the same range. A larger number from a URL, a
form, a JSON body, a socket event or a cursor would make PostgreSQL fail
("integer out of range", a 500); every edge checks with these instead, so the
answer is the usual 404 or 400.
"""

from __future__ import annotations

from typing import Any

from werkzeug.exceptions import NotFound
from werkzeug.routing import BaseConverter

#: the largest id (and integer) a column can hold
MAX_ID = 2**31 - 1
#: the smallest integer a column can hold
MIN_INT = -(2**31)
#: the Flask route converter for database ids (``f"/<{ID}:topic_id>"``)
ID = "id"


def is_int(value: Any) -> bool:
    """A JSON/Python integer (not a bool) that fits an INTEGER column."""
    return isinstance(value, int) and not isinstance(value, bool) and MIN_INT <= value <= MAX_ID


def is_id(value: Any, *, allow_zero: bool = False) -> bool:
    """A positive integer that can be a row id (``allow_zero``: 0 too, "from the start")."""
    return is_int(value) and (value >= 0 if allow_zero else value > 0)


class IdConverter(BaseConverter):
    """``<id:name>``: a row id in a URL, 1 to MAX_ID, written in plain digits.

    Any other run of digits (0, 007, a number past the column's range) is the
    same 404 as an id that names nothing. Raising NotFound here, rather than
    refusing the match, keeps werkzeug from trying the path's other rules, which
    would answer 405 where the caller's method belongs to a sibling route.
    """

    regex = r"\d+"
    part_isolating = True

    def to_python(self, value: str) -> int:
        """The id, or a 404 when it cannot name a row."""
        if len(value) > len(str(MAX_ID)) or value.startswith("0"):
            raise NotFound()
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise NotFound()
        return number

    def to_url(self, value: Any) -> str:
        """Ids are written as plain digits."""
        return str(int(value))
