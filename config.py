"""Configuration classes for cop.

Every setting can be overridden from an environment variable named ``COP_<NAME>``;
``COP_CONFIG`` picks the class (development, testing, production).
"""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("COP_INSTANCE_PATH", BASE_DIR / "instance"))


class Config:
    """Defaults shared by every environment."""

    ENV_NAME = "base"
    SECRET_KEY: str | None = None
    # Earlier secret keys, still accepted for sessions and signed links after a rotation
    # (COP_SECRET_KEY_FALLBACKS=old1,old2; docs/operations.md "Rotating the secret key")
    SECRET_KEY_FALLBACKS: list[str] = []
    DATABASE_URL = f"sqlite:///{INSTANCE_DIR / 'cop.sqlite'}"
    REDIS_URL: str | None = None

    # Sessions and cookies: safe by default.
    SESSION_COOKIE_NAME = "cop_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_NAME = "cop_remember"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)
    #: a daily job deletes login sessions this long after they ended (revoked, or
    #: unused for longer than the cookies above last)
    LOGIN_SESSION_GRACE_HOURS = 24.0

    WTF_CSRF_TIME_LIMIT: int | None = None
    MAX_CONTENT_LENGTH = 25 * 1024 * 1024
    # Resource uploads: the size cap per file and where files are kept
    # (default: instance/uploads, outside the static folder).
    MAX_UPLOAD_MB = 20
    #: where members' data exports are built (default: instance/exports); kept 7 days
    EXPORT_DIR = ""
    #: log lines as plain text (a terminal) or JSON (production: one object per line)
    LOG_FORMAT = "text"
    #: how long the audit log keeps an entry (a daily job drops older ones)
    AUDIT_KEEP_DAYS = 730
    #: how long a worker keeps the site settings before reading them again
    SITE_SETTINGS_TTL = 5.0
    UPLOAD_DIR = ""

    # i18n: Bahasa Indonesia first.
    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = "Asia/Jakarta"
    LANGUAGES = ("id", "en")

    # Rate limits (Flask-Limiter syntax).
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    # Redis down: count in this process's memory (the same limits, per process) until
    # it answers again, instead of failing every limited request (tests/resilience/).
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    # Login: one counter for the page and POST /api/v1/tokens, failed attempts only;
    # per address and per account tried (cop/core/ratelimit.py).
    LOGIN_RATE_LIMIT = "10 per minute;50 per hour"
    LOGIN_ACCOUNT_RATE_LIMIT = "5 per minute;20 per hour"
    REGISTER_RATE_LIMIT = "10 per hour"
    RESET_RATE_LIMIT = "5 per hour"
    # Posting topics and replies, per user; accounts younger than a day get the second.
    POST_RATE_LIMIT = "1 per 5 seconds;120 per hour"
    NEW_ACCOUNT_POST_RATE_LIMIT = "1 per 30 seconds;20 per hour"
    # Writes, per account and (looser: a school shares one address) per address; the
    # page and the API share each counter.
    UPLOAD_RATE_LIMIT = "10 per minute;60 per hour"  # resources and chat attachments
    UPLOAD_RATE_LIMIT_IP = "30 per minute;300 per hour"
    EDIT_RATE_LIMIT = "20 per minute;200 per hour"  # post edits
    EDIT_RATE_LIMIT_IP = "60 per minute;1000 per hour"
    COMMUNITY_CREATE_RATE_LIMIT = "3 per hour;10 per day"
    COMMUNITY_CREATE_RATE_LIMIT_IP = "10 per hour;30 per day"
    TOKEN_CREATE_RATE_LIMIT = "10 per hour"  # noqa: S105 - a limit, not a secret
    TOKEN_CREATE_RATE_LIMIT_IP = "30 per hour"  # noqa: S105
    # Wrong check-in codes: per person and meeting, then per address (a hall on one
    # Wi-Fi shares it); a locked person asks the coordinator to mark them present.
    CHECKIN_ATTEMPTS = "5 per 3 hours"
    CHECKIN_ATTEMPTS_IP = "100 per hour"

    # Mail: "log" writes messages to the log and to instance/outbox; "smtp" sends them.
    MAIL_BACKEND = "log"
    MAIL_OUTBOX_DIR = str(INSTANCE_DIR / "outbox")
    MAIL_SENDER = "cop <noreply@cop.local>"
    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_TIMEOUT = 30.0  # seconds a delivery job waits for the mail server

    # The site's canonical address (env COP_BASE_URL; COP_PUBLIC_URL is the old name and
    # still read). Every absolute link (mail, calendars, certificates, QR codes, invites)
    # starts with it, never with the request's Host header. Behind nginx:
    # https://cop.example.go.id
    BASE_URL = "http://127.0.0.1:5000"
    # Hosts a request may name (Flask's TRUSTED_HOSTS; other Hosts get 400). None: every
    # host (development); production derives it from BASE_URL unless set (a list).
    TRUSTED_HOSTS: list[str] | None = None
    #: minutes in one jam pelajaran (JP), the unit of PKB hours on certificates
    PKB_JP_MINUTES = 45

    # Background jobs (cop/core/jobs, docs/jobs.md). The queue is Redis when REDIS_URL
    # is set, else a SQLite file (JOB_QUEUE_PATH, default instance/jobs.sqlite).
    JOB_QUEUE_NAME = "cop"
    JOB_QUEUE_PATH = ""
    JOB_IMMEDIATE = False  # run jobs at once in the caller (tests)
    JOB_LEASE = 300.0  # seconds a worker holds a job before it is presumed dead
    JOB_RETRY_DELAY = 30.0  # seconds before the first retry; doubles each time
    JOB_RETRY_MAX_DELAY = 3600.0
    JOB_MAX_ATTEMPTS = 8  # then the job is dead (the admin console can retry it)
    JOB_KEEP_DAYS = 14.0  # finished jobs are forgotten after this
    # a job due this many seconds ago and still queued was lost by the queue (Redis
    # restarted without persistence): the sweep sends it again
    JOB_LOST_AFTER = 90.0

    # Notifications (docs/notifications.md): the one-click unsubscribe link's lifetime,
    # the local hour (in each member's zone) after which the daily and weekly
    # (Monday) digests go out.
    UNSUBSCRIBE_MAX_AGE = 90 * 24 * 3600  # seconds
    DIGEST_HOUR = 7
    # Web Push: the VAPID private key (PEM; default instance/vapid.pem, written by
    # `cop push keys`), the contact the push services see, how long a push may wait
    # in the push service, and whether an http:// endpoint is accepted (never in
    # production: browsers only give https endpoints).
    VAPID_PRIVATE_KEY_FILE = ""
    VAPID_SUBJECT = "mailto:admin@cop.local"
    PUSH_TTL = 24 * 3600
    PUSH_TIMEOUT = 10.0
    PUSH_ALLOW_HTTP = False
    # The hosts a subscription's endpoint may name: the browsers' push services (a
    # leading "*." stands for any subdomain). The server POSTs to the endpoint, so any
    # other host is refused: a subscription cannot make it call an address of its
    # choosing (SSRF). Env: COP_PUSH_HOSTS="fcm.googleapis.com,*.push.apple.com".
    PUSH_HOSTS = [
        "fcm.googleapis.com",  # Chrome, Edge on Android, most Chromium browsers
        "updates.push.services.mozilla.com",  # Firefox
        "*.push.services.mozilla.com",
        "*.notify.windows.com",  # Edge on Windows
        "web.push.apple.com",  # Safari
        "*.push.apple.com",
    ]

    PASSWORD_RESET_MAX_AGE = 3600  # seconds
    PASSWORD_MIN_LENGTH = 10

    # Socket.IO
    SOCKETIO_ASYNC_MODE = "threading"
    SOCKETIO_CORS_ORIGINS: list[str] = []
    # The Redis pub/sub channel of the message queue; processes that share it see each
    # other's emits (give each deployment or test run its own).
    SOCKETIO_CHANNEL = "flask-socketio"
    # Per-socket event rate limit (token bucket): a burst, then events per second.
    CHAT_EVENT_BURST = 30
    CHAT_EVENT_RATE = 10
    # Refused events in a row before a flooding socket is disconnected.
    CHAT_FLOOD_DISCONNECT = 100
    # Seconds between two refreshes of the header's unread chat count (and the
    # channel tabs) while a page is visible; also refreshed when it becomes visible.
    CHAT_UNREAD_POLL = 60

    SEND_FILE_MAX_AGE_DEFAULT = timedelta(days=365)
    COMPRESS_MIMETYPES = [
        "text/html",
        "text/css",
        "text/javascript",
        "application/javascript",
        "application/json",
        "image/svg+xml",
    ]
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_MIN_SIZE = 500
    # The version of the static assets baked into their URLs (cache busting).
    PREFERRED_URL_SCHEME = "http"


class DevelopmentConfig(Config):
    """The embedded default: SQLite in instance/, in-process Socket.IO, mail to the log."""

    ENV_NAME = "development"
    SECRET_KEY = "dev-only-insecure-secret-key"  # noqa: S105 - development only
    PUSH_ALLOW_HTTP = True


class TestingConfig(Config):
    """Used by the test suite; each test points DATABASE_URL at its own database."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret-key"  # noqa: S105 - tests only
    LOGIN_RATE_LIMIT = "1000 per minute"
    LOGIN_ACCOUNT_RATE_LIMIT = "1000 per minute"
    UPLOAD_RATE_LIMIT = UPLOAD_RATE_LIMIT_IP = "1000 per minute"
    EDIT_RATE_LIMIT = EDIT_RATE_LIMIT_IP = "1000 per minute"
    COMMUNITY_CREATE_RATE_LIMIT = COMMUNITY_CREATE_RATE_LIMIT_IP = "1000 per minute"
    TOKEN_CREATE_RATE_LIMIT = TOKEN_CREATE_RATE_LIMIT_IP = "1000 per minute"  # noqa: S105
    CHECKIN_ATTEMPTS = CHECKIN_ATTEMPTS_IP = "1000 per minute"
    REGISTER_RATE_LIMIT = "1000 per minute"
    RESET_RATE_LIMIT = "1000 per minute"
    POST_RATE_LIMIT = "1000 per minute"
    NEW_ACCOUNT_POST_RATE_LIMIT = "1000 per minute"
    PASSWORD_HASH_FAST = True
    MAIL_BACKEND = "memory"
    JOB_IMMEDIATE = True
    # a test's app forgets its settings when it saves them; a clock-based re-read would
    # add a query to whichever request a slow machine lands after the TTL
    SITE_SETTINGS_TTL = 3600.0
    BASE_URL = "http://localhost"  # the test client's host
    PUSH_ALLOW_HTTP = True  # the test's push service stand-in listens on http://127.0.0.1
    PUSH_HOSTS = [*Config.PUSH_HOSTS, "127.0.0.1"]


class ProductionConfig(Config):
    """Behind nginx over HTTPS; SECRET_KEY must come from the environment."""

    ENV_NAME = "production"
    LOG_FORMAT = "json"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    SOCKETIO_ASYNC_MODE = "gevent"


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def _coerce(current: object, raw: str) -> object:
    """Turn an environment string into the type of the default it overrides."""
    if isinstance(current, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(current, int):
        return int(raw)
    if isinstance(current, float):
        return float(raw)
    if isinstance(current, timedelta):
        return timedelta(seconds=int(raw))
    if isinstance(current, list | tuple):
        raw = raw.strip()
        if raw.startswith("["):
            return json.loads(raw)
        return [part.strip() for part in raw.split(",") if part.strip()]
    return raw


def load_config(name: str | None = None, overrides: dict[str, object] | None = None) -> dict:
    """Build the settings dict: class defaults, then ``COP_*`` env vars, then ``overrides``."""
    name = name or os.environ.get("COP_CONFIG", "development")
    if name not in CONFIGS:
        raise RuntimeError(f"COP_CONFIG must be one of {', '.join(CONFIGS)}, not {name!r}")
    cls = CONFIGS[name]
    settings = {key: getattr(cls, key) for key in dir(cls) if key.isupper()}
    for key, raw in os.environ.items():
        if key.startswith("COP_") and key not in {"COP_CONFIG", "COP_INSTANCE_PATH"}:
            setting = key[4:]
            settings[setting] = _coerce(settings.get(setting), raw)
    settings.update(overrides or {})
    _alias_base_url(settings, overrides or {})
    settings["DATABASE_URL"] = normalize_database_url(str(settings["DATABASE_URL"]))
    settings["SQLALCHEMY_DATABASE_URI"] = settings["DATABASE_URL"]
    return settings


def _alias_base_url(settings: dict, overrides: dict[str, object]) -> None:
    """``PUBLIC_URL`` (COP_PUBLIC_URL) is the old name of ``BASE_URL``: honour it when
    ``BASE_URL`` was not given, and keep both keys equal for older readers."""
    given = "COP_BASE_URL" in os.environ or "BASE_URL" in overrides
    old = os.environ.get("COP_PUBLIC_URL") or overrides.get("PUBLIC_URL")
    if old and not given:
        settings["BASE_URL"] = str(old)
    settings["PUBLIC_URL"] = settings["BASE_URL"]
    hosts = settings.get("TRUSTED_HOSTS")
    if isinstance(hosts, str):  # COP_TRUSTED_HOSTS="cop.example.go.id,www.cop.example.go.id"
        settings["TRUSTED_HOSTS"] = [h.strip() for h in hosts.split(",") if h.strip()]
    elif hosts is None and settings.get("ENV_NAME") == "production":
        host = urlsplit(str(settings["BASE_URL"])).hostname
        settings["TRUSTED_HOSTS"] = [host] if host else None


def normalize_database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain ``postgresql://`` URLs."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
