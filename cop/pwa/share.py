"""Sharing to WhatsApp and the link preview a chat shows (Open Graph / Twitter card).

``whatsapp_url(kind, ...)`` is ``https://wa.me/?text=...`` with a ready text in
Bahasa Indonesia (the groups teachers share into speak it, whatever the sharer's
interface language) followed by the link. ``og_for`` gives the preview's title and
description: the content's own for public content, only the community's name for
private or hidden content (a chat preview must not leak what outsiders may not read).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote

from flask_babel import force_locale
from flask_babel import gettext as _

from cop.core.timezones import when

WHATSAPP = "https://wa.me/?text="


def whatsapp_url(
    kind: str, title: str, url: str, *, community: str = "", at: Any = None, zone: str = ""
) -> str:
    """The wa.me link that opens WhatsApp with an Indonesian message about ``title`` at ``url``.

    A meeting's time is written in the zone it was planned in (``zone``), with its name.
    """
    with force_locale("id"):
        text = _message(kind, title, community, at, zone or None)
    return WHATSAPP + quote(f"{text}\n{url}", safe="")


def _message(kind: str, title: str, community: str, at: datetime | None, zone: str | None) -> str:
    if kind == "meeting" and at is not None:
        return _(
            "Join the meeting “%(title)s” of %(community)s, %(when)s:",
            title=title,
            community=community,
            when=when(at, "full", zone=zone),
        )
    if kind == "topic":
        return _("A discussion in %(community)s: “%(title)s”", community=community, title=title)
    if kind == "resource":
        return _(
            "Teaching material from %(community)s: “%(title)s”", community=community, title=title
        )
    return _("Join %(community)s on cop:", community=community or title)


def og_for(community: Any, title: str, description: str = "", *, public: bool) -> dict[str, str]:
    """Preview fields for content in ``community``: its own only when ``public`` (a logged-out
    visitor may see it: templates ask the policy, ``can(None, "topic.view", topic)``)."""
    if public:
        return {"og_title": title, "og_description": description}
    name = getattr(community, "name", "") or "cop"
    return {"og_title": name, "og_description": _("A community of teachers on cop.")}
