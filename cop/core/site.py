"""Site settings: what a site admin decides in the console, stored in the database.

Each setting is declared once here (its kind, default, bounds, label and help);
the console lists them, ``parse`` validates what is typed, ``get`` reads the
current value. Values live in ``site_settings`` (cop.admin.models.SiteSetting),
one row per changed setting; a setting never changed reads its default, which
may come from the operator's configuration (``COP_MAX_UPLOAD_MB`` is the ceiling
an admin can lower, never raise).

Reads are cached per process for ``SITE_SETTINGS_TTL`` seconds (5 by default),
so a page costs no query for them; the process that saves a change forgets its
cache at once, other workers within the TTL.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from cop.core.errors import ValidationError
from cop.core.timezones import ZONE_ABBREVIATIONS
from cop.extensions import db

#: a domain as an admin types it: "belajar.id", "sulsel.belajar.id"
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


@dataclass(frozen=True)
class Setting:
    """One setting: ``kind`` is choice, bool, int, domains, text, markdown or image (a
    stored picture's key, set only by its own upload: ``admin.logo.set_logo``)."""

    key: str
    kind: str
    label: Any
    help: Any
    default: Callable[[Flask], Any]
    choices: dict[str, Any] = field(default_factory=dict)
    minimum: int = 0
    maximum: Callable[[Flask], int] | None = None
    max_length: int = 200


def _config(name: str) -> Callable[[Flask], Any]:
    return lambda app: app.config[name]


def _constant(value: Any) -> Callable[[Flask], Any]:
    return lambda _app: value


SETTINGS: dict[str, Setting] = {
    s.key: s
    for s in (
        Setting(
            "registration",
            "choice",
            _l("Registration"),
            _l("Invite only: new accounts only through a community's invite link."),
            _constant("open"),
            choices={
                "open": _l("Open to everyone"),
                "invite": _l("Invite only"),
                "closed": _l("Closed"),
            },
        ),
        Setting(
            "allowed_email_domains",
            "domains",
            _l("Allowed email domains"),
            _l("One per line (for example belajar.id). Empty: any address may register."),
            _constant([]),
            max_length=2000,
        ),
        Setting(
            "community_creators",
            "choice",
            _l("Who may create communities"),
            _l("Site admins always may."),
            _constant("everyone"),
            choices={"everyone": _l("Every member"), "admins": _l("Site admins only")},
        ),
        Setting(
            "community_approval",
            "bool",
            _l("New communities need approval"),
            _l("A new community stays hidden until a site admin approves it."),
            _constant(False),
        ),
        Setting(
            "upload_max_mb",
            "int",
            _l("Largest upload (MB)"),
            _l("For teaching materials and chat files; at most the server's limit."),
            _config("MAX_UPLOAD_MB"),
            minimum=1,
            maximum=lambda app: int(app.config["MAX_UPLOAD_MB"]),
        ),
        Setting(
            "default_locale",
            "choice",
            _l("Default language"),
            _l("For visitors whose browser names neither language, and for mail to them."),
            _config("BABEL_DEFAULT_LOCALE"),
            choices={"id": "Bahasa Indonesia", "en": "English"},
        ),
        Setting(
            "default_timezone",
            "choice",
            _l("Default time zone"),
            _l("For visitors and new accounts."),
            _config("BABEL_DEFAULT_TIMEZONE"),
            choices={zone: f"{abbr} ({zone})" for zone, abbr in ZONE_ABBREVIATIONS.items()},
        ),
        Setting(
            "site_name",
            "text",
            _l("Site name"),
            _l("Shown in the header and in every page's title."),
            _constant("cop"),
            minimum=1,
            max_length=60,
        ),
        Setting(
            "logo",
            "image",
            _l("Logo"),
            _l(
                "A square picture (PNG, JPG or WebP), shown in the header beside the site "
                "name. Stored at 320 pixels at most, without its metadata."
            ),
            _constant(""),
        ),
        Setting(
            "privacy_policy_id",
            "markdown",
            _l("Privacy policy (Indonesian)"),
            _l("Markdown. Empty: the built-in policy."),
            _constant(""),
            max_length=20000,
        ),
        Setting(
            "privacy_policy_en",
            "markdown",
            _l("Privacy policy (English)"),
            _l("Markdown. Empty: the built-in policy."),
            _constant(""),
            max_length=20000,
        ),
    )
}


def defaults(app: Flask) -> dict[str, Any]:
    """Every setting's default for ``app``."""
    return {key: setting.default(app) for key, setting in SETTINGS.items()}


def _stored() -> dict[str, Any]:
    from cop.admin.models import SiteSetting

    rows = db.session.execute(select(SiteSetting.key, SiteSetting.value))
    return {key: value for key, value in rows if key in SETTINGS}


def current() -> dict[str, Any]:
    """All settings as they are now (cached for SITE_SETTINGS_TTL seconds per process)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    cache = app.extensions.setdefault("cop.site", {})
    ttl = float(app.config.get("SITE_SETTINGS_TTL", 5))
    now = time.monotonic()
    if "values" not in cache or now - cache["at"] > ttl:
        try:
            stored = _stored()
        except SQLAlchemyError:
            # the database is down: pages (and the error page itself) go on with the
            # defaults; nothing is cached, so the next request asks again
            db.session.rollback()
            return defaults(app)
        cache["values"] = {**defaults(app), **stored}
        cache["at"] = now
    return dict(cache["values"])


def get(key: str) -> Any:
    """One setting's current value."""
    return current()[key]


def forget() -> None:
    """Drop this process's cache (after a change is committed)."""
    current_app.extensions.pop("cop.site", None)


def _invalid(key: str, message: Any) -> ValidationError:
    return ValidationError(message, fields={key: message})


def parse(key: str, raw: Any) -> Any:
    """Turn what the form or API sent into the setting's value, or raise ValidationError."""
    setting = SETTINGS.get(key)
    if setting is None:
        raise _invalid(key, _l("There is no such setting."))
    if setting.kind == "image":
        raise _invalid(key, _l("Upload the picture with its own form."))
    if setting.kind == "bool":
        if isinstance(raw, bool):
            return raw
        if raw in ("1", "true", "on", "y"):
            return True
        if raw in ("", "0", "false", "off", None):
            return False
        raise _invalid(key, _l("Choose yes or no."))
    if not isinstance(raw, str | int) or isinstance(raw, bool):
        raise _invalid(key, _l("This value is not valid."))
    text = str(raw).strip()
    if len(text) > setting.max_length:
        raise _invalid(key, _l("At most %(n)d characters.", n=setting.max_length))
    if setting.kind == "choice":
        if text not in setting.choices:
            raise _invalid(key, _l("Choose one of the options."))
        return text
    if setting.kind == "int":
        ceiling = setting.maximum(current_app) if setting.maximum else 10**6
        if not re.fullmatch(r"\d{1,7}", text) or not setting.minimum <= int(text) <= ceiling:
            raise _invalid(
                key,
                _l("A whole number from %(low)d to %(high)d.", low=setting.minimum, high=ceiling),
            )
        return int(text)
    if setting.kind == "domains":
        domains = []
        for line in re.split(r"[\s,;]+", text.lower()):
            name = line.strip().lstrip("@")
            if not name:
                continue
            if not _DOMAIN.match(name):
                raise _invalid(
                    key,
                    _l("“%(domain)s” is not an email domain (like belajar.id).", domain=name[:80]),
                )
            if name not in domains:
                domains.append(name)
        if len(domains) > 50:
            raise _invalid(key, _l("At most 50 domains."))
        return domains
    if setting.kind == "text" and len(text) < setting.minimum:
        raise _invalid(key, _l("This field is required."))
    if any(ord(c) < 32 and c not in "\n\r\t" for c in text):
        raise _invalid(key, _l("This value is not valid."))
    return text


def email_domain_allowed(email: str) -> bool:
    """Whether an address may register under ``allowed_email_domains`` (subdomains count)."""
    allowed = get("allowed_email_domains")
    if not allowed:
        return True
    domain = email.rsplit("@", 1)[-1].lower()
    return any(domain == d or domain.endswith("." + d) for d in allowed)
