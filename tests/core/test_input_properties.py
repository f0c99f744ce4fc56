"""Property tests of the input layer's decoders: cursors, RRULEs and file names.

Whatever comes in, each either gives a value of the right shape or raises the
one ValidationError (a 400 with a message); nothing else escapes. Fixed seed
(``derandomize``), bounded examples, no deadline.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cop.communities.models import Community
from cop.core.errors import ValidationError
from cop.core.ids import MAX_ID, MIN_INT
from cop.core.inputs import clean_payload
from cop.core.pagination import SortKey, check_cursor, encode_cursor
from cop.meetings.models import Meeting
from cop.meetings.recurrence import MAX_OCCURRENCES, expand
from cop.resources.services import sanitize_filename
from cop.resources.sniff import extension_of


def property_settings(examples: int) -> settings:
    """A fixed seed, no deadline, ``examples`` inputs."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )


# --- cursors -------------------------------------------------------------------------

#: a directory page (name, id) and a meeting list (starts_at, id)
BY_NAME = [SortKey(Community.name), SortKey(Community.id)]
BY_START = [SortKey(Meeting.starts_at, descending=True), SortKey(Meeting.id)]

names = st.text(st.characters(exclude_characters="\x00"), max_size=60)
ids = st.integers(min_value=MIN_INT, max_value=MAX_ID)
moments = st.datetimes(
    min_value=datetime(1970, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)
)


@property_settings(300)
@given(names, ids)
def test_a_cursor_round_trips_text_and_ids(name, row_id):
    assert check_cursor(encode_cursor([name, row_id]), BY_NAME) == [name, row_id]


@property_settings(300)
@given(moments, ids)
def test_a_cursor_round_trips_times(moment, row_id):
    assert check_cursor(encode_cursor([moment, row_id]), BY_START) == [moment, row_id]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=8,
)
forged = st.one_of(
    st.text(max_size=80),  # anything at all
    json_values.map(lambda v: base64.urlsafe_b64encode(json.dumps(v).encode()).decode()),
    st.tuples(json_values, json_values).map(lambda v: encode_cursor(list(v))),
    st.tuples(st.text(max_size=30), json_values).map(lambda v: encode_cursor([{"dt": v[0]}, v[1]])),
)


@property_settings(600)
@given(forged, st.sampled_from([BY_NAME, BY_START]))
def test_any_cursor_decodes_to_the_keys_types_or_is_a_400(cursor, keys):
    try:
        values = check_cursor(cursor, keys)
    except ValidationError as error:
        assert error.code == "bad_cursor"
        return
    if values is None:  # an empty cursor: the first page
        assert cursor == ""
        return
    first, last = values
    assert isinstance(last, int) and not isinstance(last, bool) and MIN_INT <= last <= MAX_ID
    if keys is BY_NAME:
        assert isinstance(first, str) and "\x00" not in first
    else:
        assert isinstance(first, datetime) and first.tzinfo is not None


# --- RRULE ---------------------------------------------------------------------------

PART_VALUES = {
    "FREQ": ["WEEKLY", "MONTHLY", "DAILY", "YEARLY", "", "NONE"],
    "COUNT": ["1", "6", "60", "61", "0", "-1", "x", "99999999999999999999"],
    "UNTIL": ["20270601", "20270601T000000", "20270601T000000Z", "00010101", "99991231", "x"],
    "INTERVAL": ["1", "2", "12", "13", "0", "x"],
    "BYDAY": ["SA", "2SA", "-1FR", "5SU", "6SA", "+99SA", "0SA", "MO,TH", "XX", ""],
    "BYMONTHDAY": ["1", "31", "-1", "32", "0", "1,15"],
    "BYSETPOS": ["1", "9"],
    "BYMONTH": ["2"],
    "WKST": ["MO", "SU", "XX"],
}
rule_parts = st.lists(
    st.sampled_from(sorted(PART_VALUES)).flatmap(
        lambda name: st.sampled_from(PART_VALUES[name]).map(lambda value: f"{name}={value}")
    ),
    min_size=1,
    max_size=5,
)
rules = st.one_of(rule_parts.map(";".join), st.text(max_size=40))
starts = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
)
zones = st.sampled_from(["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"])


@property_settings(400)
@given(rules, starts, zones)
def test_any_rule_gives_a_bounded_ordered_series_or_a_400(rule, start, zone):
    try:
        occurrences = expand(rule, start, zone)
    except ValidationError as error:
        assert set(error.fields) == {"recurrence"}
        return
    assert 1 <= len(occurrences) <= MAX_OCCURRENCES
    assert all(when.tzinfo is not None and when.utcoffset() == timedelta(0) for when in occurrences)
    assert occurrences == sorted(occurrences)
    assert occurrences[0] >= start - timedelta(seconds=1)


# --- file names ----------------------------------------------------------------------

extensions = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=5)
stems = st.text(max_size=80)
#: the last part of a path: what the name is made from (separators drop what is before)
base_names = st.text(st.characters(exclude_characters="/\\"), max_size=80)
PREFIXES = ["../", "..\\", "/etc/", "C:\\x\\", ".", " . ", ". .", "\x00", "\u202e"]
raw_names = st.one_of(
    st.text(max_size=200),
    st.tuples(stems, extensions).map(lambda p: f"{p[0]}.{p[1]}"),
    st.tuples(
        st.sampled_from(["../", "..\\", "/etc/", "C:\\x\\", ".", " . ", "\x00"]), stems, extensions
    ).map(lambda p: f"{p[0]}{p[1]}.{p[2]}"),
)


@property_settings(600)
@given(raw_names)
def test_a_sanitised_file_name_is_safe(raw):
    name = sanitize_filename(raw)
    assert name
    assert "/" not in name and "\\" not in name and "\x00" not in name
    assert not name.startswith(".")
    assert name == name.strip()
    assert all(ch.isprintable() for ch in name)
    assert len(name) <= 150


@property_settings(600)
@given(base_names.filter(lambda s: any(ch.isalnum() for ch in s)), extensions)
def test_a_sanitised_file_name_keeps_its_extension(stem, extension):
    assert extension_of(sanitize_filename(f"{stem}.{extension}")) == extension


# --- payloads ------------------------------------------------------------------------

payloads = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=10,
)


@property_settings(300)
@given(payloads)
def test_a_cleaned_payload_holds_only_storable_text(data):
    try:
        cleaned = clean_payload(data)
    except ValidationError as error:
        assert error.code in ("bad_text", "too_deep")
        return
    text = json.dumps(cleaned, ensure_ascii=False)
    text.encode("utf-8")  # no lone surrogate survives
    assert "\\u0000" not in json.dumps(cleaned)
    assert clean_payload(cleaned) == cleaned  # idempotent
