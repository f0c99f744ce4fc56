"""Database ids and integers: the one range check.

Ids are 64-bit signed integers (BIGINT on PostgreSQL, INTEGER on SQLite).
A larger number from a URL, a form, a JSON body or a cursor would make the
driver overflow (a 500); every edge checks with these instead, so the answer
is the usual 404 or 400.
"""

from __future__ import annotations

from typing import Any

#: the largest id (and integer) a column can hold
MAX_ID = 2**63 - 1
#: the smallest integer a column can hold
MIN_INT = -(2**63)
#: the Flask route converter for database ids (``f"/<{ID}:topic_id>"``)
ID = f"int(max={MAX_ID})"


def is_int(value: Any) -> bool:
    """A JSON/Python integer (not a bool) that fits a 64-bit column."""
    return isinstance(value, int) and not isinstance(value, bool) and MIN_INT <= value <= MAX_ID


def is_id(value: Any, *, allow_zero: bool = False) -> bool:
    """A positive integer that can be a row id (``allow_zero``: 0 too, "from the start")."""
    return is_int(value) and (value >= 0 if allow_zero else value > 0)
