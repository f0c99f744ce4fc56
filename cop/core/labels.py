"""Translated labels for stored codes (a community's kind, a school level, a meeting's mode...).

Templates never print a stored code as it is ("KOMBEL", "OTHER", "hybrid"): they
write ``value|enum_label("community_kind")``. Each feature registers its label
maps once, at import time, beside its forms (``register_labels``); the core only
keeps the table, so it imports no feature. An unknown group or value shows the
code itself rather than failing a page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_LABELS: dict[str, Mapping[str, Any]] = {}


def register_labels(group: str, labels: Mapping[str, Any]) -> None:
    """Name the labels (lazy strings) of one group of codes."""
    _LABELS[group] = labels


def enum_label(value: str | None, group: str) -> str:
    """The label of ``value`` in ``group``, in the current language ("" for no value)."""
    if value is None or value == "":
        return ""
    label = _LABELS.get(group, {}).get(value)
    return str(label) if label is not None else str(value)


def labels_of(group: str) -> Mapping[str, Any]:
    """All labels of a group (for a select or a filter bar)."""
    return _LABELS.get(group, {})
