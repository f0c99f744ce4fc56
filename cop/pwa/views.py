"""The web manifest, the service worker (served from / so its scope is the whole site),
the offline page, and which pages the worker may keep for offline reading.

The worker (templates/pwa/sw.js) keeps a page only when its response says
``X-Offline-Cache: page``: set here for a logged-in member's topic, meeting,
resource, chat and home pages. A logged-out visitor's pages never carry it, so
nothing of theirs is kept but the static files and the offline page.
"""

from __future__ import annotations

import hashlib

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from cop.admin import logo
from cop.core import site
from cop.core.templating import asset_url
from cop.pwa import share

bp = Blueprint("pwa", __name__)

#: the pages a member reads again on the bus: kept by the worker for offline use
OFFLINE_ENDPOINTS = frozenset(
    {
        "dashboard.index",
        "discussions.topic",
        "discussions.topics",
        "meetings.show",
        "resources.show",
        "chat.channel",
        "chat.community",
        "communities.show",
        "notifications.index",
    }
)
#: static files the worker puts in its cache when it installs
PRECACHE = ("css/app.css", "js/app.js", "js/pwa.js", "img/logo.svg", "img/favicon.svg")
#: pages kept at most (the oldest go first)
MAX_PAGES = 40


def _manifest() -> dict[str, object]:
    icons: list[dict[str, str]] = [
        {"src": asset_url(f"img/icons/icon-{n}.png"), "sizes": f"{n}x{n}", "type": "image/png",
         "purpose": "any"}
        for n in (192, 512)
    ]  # fmt: skip
    icons.append(
        {"src": asset_url("img/icons/maskable-512.png"), "sizes": "512x512", "type": "image/png",
         "purpose": "maskable"}
    )  # fmt: skip
    return {
        "id": "/",
        "name": _("cop: teacher communities"),
        "short_name": "cop",
        "description": _("cop helps KKG, MGMP and learning communities meet, share and grow."),
        "lang": "id",
        "start_url": "/?source=pwa",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0f766e",
        "icons": icons,
    }


@bp.get("/manifest.webmanifest")
def manifest() -> ResponseReturnValue:
    """The web app manifest: what the phone shows when cop is installed."""
    response = current_app.response_class(
        current_app.json.dumps(_manifest()), mimetype="application/manifest+json"
    )
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.get("/sw.js")
def service_worker() -> ResponseReturnValue:
    """The service worker script; its version changes with the assets it precaches."""
    assets = [asset_url(name) for name in PRECACHE]
    offline = url_for("pwa.offline")
    version = hashlib.sha256("|".join([*assets, offline]).encode()).hexdigest()[:12]
    body = render_template(
        "pwa/sw.js",
        assets=assets,
        offline=offline,
        version=version,
        max_pages=MAX_PAGES,
        icon=asset_url("img/icons/icon-192.png"),
    )
    response = Response(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/site/logo/<name>")
def site_logo(name: str) -> ResponseReturnValue:
    """The site's logo (a site admin's upload); a new logo has a new name, so a year's
    caching is safe."""
    stored, content_type = logo.logo_file(name)
    response = send_file(stored, mimetype=content_type, max_age=31536000)
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/offline")
def offline() -> ResponseReturnValue:
    """What the worker shows for a page it does not have while the phone is offline."""
    return render_template("pwa/offline.html")


def site_logo_url() -> str | None:
    """The uploaded logo's URL, or None (the header shows cop's own mark)."""
    value = site.get("logo")
    return url_for("pwa.site_logo", name=logo.public_name(value)) if value else None


def init_app(app: Flask) -> None:
    """Mark the pages a logged-in member may read offline; the share helpers for templates."""
    app.jinja_env.globals.update(
        whatsapp_url=share.whatsapp_url, og_for=share.og_for, site_logo_url=site_logo_url
    )

    @app.after_request
    def _offline_cache(response: Response) -> Response:
        if (
            response.status_code == 200
            and response.mimetype == "text/html"
            and request.endpoint in OFFLINE_ENDPOINTS
            and current_user.is_authenticated
        ):
            response.headers["X-Offline-Cache"] = "page"
        return response
