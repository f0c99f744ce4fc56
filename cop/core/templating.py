"""Jinja globals and filters shared by every template."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_request_context, request, url_for
from flask_babel import get_locale, get_timezone
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from cop.core import permissions, site
from cop.core.i18n import LANGUAGE_NAMES
from cop.core.labels import enum_label
from cop.core.markdown import render_markdown
from cop.core.timezones import (
    ZONE_ABBREVIATIONS,
    isotime,
    localclock,
    localday,
    localday_key,
    when,
    zone_abbreviation,
)
from cop.core.urls import external_url


@lru_cache(maxsize=256)
def _asset_hash(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:10]


def asset_url(filename: str) -> str:
    """URL of a static file with its content hash, so it can be cached for a year."""
    static_folder = current_app.static_folder or ""
    return memo_url_for(
        "static", filename=filename, v=_asset_hash(str(Path(static_folder) / filename))
    )


#: how many built links an app keeps (a few hundred recur on every page; ids vary)
URL_MEMO_SIZE = 4096


def memo_url_for(endpoint: str, **values: Any) -> str:
    """Templates' ``url_for``: a link built once per app, address root, endpoint and
    values, then looked up (building one through the URL map costs ~10 us, and a page
    builds dozens). cop sets no ``url_defaults``, so a link depends on nothing else;
    relative endpoints, ``_external``/``_anchor``-style options and unhashable values
    are built as usual."""
    if endpoint[0] == "." or any(key[0] == "_" for key in values):
        return url_for(endpoint, **values)
    root = request.script_root if has_request_context() else ""
    key = (root, endpoint, *((k, type(v), v) for k, v in values.items()))
    memo: dict[tuple[Any, ...], str] = current_app.extensions.setdefault("cop_url_memo", {})
    try:
        found = memo.get(key)
    except TypeError:  # a list for a repeated query argument
        return url_for(endpoint, **values)
    if found is None:
        found = url_for(endpoint, **values)
        if len(memo) >= URL_MEMO_SIZE:
            memo.clear()
        memo[key] = found
    return found


def url_with(**changes: Any) -> str:
    """The current URL with some query arguments replaced (for filters and pages)."""
    args: dict[str, Any] = request.args.to_dict()
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    values: dict[str, Any] = {**(request.view_args or {}), **args}
    return url_for(request.endpoint or "dashboard.index", **values)


def filesize(size: int | None) -> str:
    """A file's size for people: "850 KB", "2,4 MB" (the viewer's locale)."""
    from flask_babel import format_decimal

    if not size:
        return "0 KB"
    if size < 1024 * 1024:
        return f"{format_decimal(max(1, round(size / 1024)))} KB"
    return f"{format_decimal(round(size / (1024 * 1024), 1))} MB"


def init_templating(app: Flask) -> None:
    """Register filters and globals."""
    # One way to show a time: ``value|when("time"|"date"|"short"|"weekday"|"full")``
    # (``localtime`` is the same filter under its older name); ``value|isotime`` for
    # <time datetime>. Babel formats with the viewer's locale and zone.
    app.jinja_env.filters["when"] = when
    app.jinja_env.filters["localtime"] = when
    app.jinja_env.filters["isotime"] = isotime
    app.jinja_env.filters["enum_label"] = enum_label
    # The output is sanitised by nh3, so it is safe to insert unescaped.
    app.jinja_env.filters["markdown"] = lambda source: Markup(render_markdown(source))  # noqa: S704
    app.jinja_env.filters["zone_abbr"] = zone_abbreviation
    app.jinja_env.filters["dict_without_none"] = lambda d: {
        k: v for k, v in d.items() if v is not None
    }
    app.jinja_env.globals.update(
        url_for=memo_url_for,
        asset_url=asset_url,
        external_url=external_url,
        url_with=url_with,
        can=permissions.can,
        csrf_token=generate_csrf,
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        ZONE_ABBREVIATIONS=ZONE_ABBREVIATIONS,
        current_locale=lambda: str(get_locale()),
        current_zone=lambda: str(get_timezone()),
        site_setting=site.get,
    )
    # chat lines: "14.03" and day separators ("Hari ini", "Kemarin", "2 Des 2026")
    app.jinja_env.filters["localclock"] = localclock
    app.jinja_env.filters["localday"] = localday
    app.jinja_env.filters["localday_key"] = localday_key
    app.jinja_env.filters["filesize"] = filesize
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True


def safe_next_url(target: str | None) -> str | None:
    """``target`` when it is a path on this site, else None (no open redirects)."""
    if not target:
        return None
    target = target.strip()
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(ord(ch) < 32 for ch in target):
        return None
    return target
