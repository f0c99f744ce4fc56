"""cop: communities of practice for Indonesian teachers.

``create_app`` only wires things together: configuration, extensions,
blueprints, socket handlers, signal receivers, error pages and the CLI.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import INSTANCE_DIR, load_config
from cop.extensions import babel, compress, csrf, db, limiter, login_manager, migrate, socketio

ROOT = Path(__file__).resolve().parent.parent


def create_app(config_name: str | None = None, overrides: dict[str, Any] | None = None) -> Flask:
    """Build a configured cop application."""
    app = Flask(
        __name__,
        instance_path=str(INSTANCE_DIR),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_mapping(load_config(config_name, overrides))
    _check_config(app)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    from cop.core.logs import init_logging

    init_logging(app)

    if app.config.get("PROXY_COUNT"):
        count = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)  # type: ignore[method-assign]

    from cop.core.inputs import init_inputs
    from cop.core.static import init_static

    init_static(app)  # before Flask-Compress reads its cache settings
    init_inputs(app)  # the id converter must exist before the blueprints' rules
    _init_extensions(app)
    _register_blueprints(app)
    _register_handlers(app)

    from cop.core.errors import register_error_handlers
    from cop.core.security import init_security
    from cop.core.templating import init_templating

    register_error_handlers(app)
    init_security(app)
    init_templating(app)

    from cop.badges import commands as _badge_commands  # noqa: F401 (cop badges ...)
    from cop.cli import cop_cli
    from cop.core import jobs
    from cop.core.health import init_health
    from cop.notifications import commands as _notification_commands  # noqa: F401
    from cop.push import commands as _push_commands  # noqa: F401 (cop push keys)
    from cop.search import commands as _search_commands  # noqa: F401 (cop search ...)

    init_health(app)
    app.cli.add_command(cop_cli)
    jobs.init_app(app)  # last: every feature has registered its job handlers by now
    return app


def _check_config(app: Flask) -> None:
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("COP_SECRET_KEY must be set (outside development and tests).")


def _init_extensions(app: Flask) -> None:
    from cop.core.db import configure_sqlite, engine_options
    from cop.core.i18n import install_template_gettext, select_locale, select_timezone
    from cop.core.inputs import SocketJSON

    redis_url = app.config.get("REDIS_URL")
    app.config.setdefault("RATELIMIT_STORAGE_URI", redis_url or "memory://")
    app.config["RATELIMIT_KEY_PREFIX"] = app.config.get("RATELIMIT_KEY_PREFIX", "cop")

    app.config.setdefault(
        "SQLALCHEMY_ENGINE_OPTIONS", engine_options(app.config["SQLALCHEMY_DATABASE_URI"])
    )
    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        timezone_selector=select_timezone,
        default_translation_directories=str(ROOT / "cop" / "translations"),
    )
    install_template_gettext(app)
    compress.init_app(app)
    limiter.init_app(app)
    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        message_queue=redis_url,
        cors_allowed_origins=app.config["SOCKETIO_CORS_ORIGINS"] or None,
        max_http_buffer_size=64 * 1024,
        json=SocketJSON,
        manage_session=False,
        channel=app.config.get("SOCKETIO_CHANNEL") or "flask-socketio",
    )


def _register_blueprints(app: Flask) -> None:
    from cop.admin.views import bp as admin_bp
    from cop.api.views import bp as api_bp
    from cop.auth.views import bp as auth_bp
    from cop.badges.views import bp as badges_bp
    from cop.chat.views import bp as chat_bp
    from cop.communities.views import bp as communities_bp
    from cop.cycles.views import bp as cycles_bp
    from cop.dashboard.views import bp as dashboard_bp
    from cop.discussions.views import bp as discussions_bp
    from cop.insights.views import bp as insights_bp
    from cop.meetings.views import bp as meetings_bp
    from cop.notifications.views import bp as notifications_bp
    from cop.privacy.views import bp as privacy_bp
    from cop.pwa.views import bp as pwa_bp
    from cop.resources.views import bp as resources_bp
    from cop.search.views import bp as search_bp

    app.register_blueprint(dashboard_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(communities_bp, url_prefix="/c")
    app.register_blueprint(notifications_bp, url_prefix="/notifications")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(meetings_bp)
    app.register_blueprint(resources_bp)
    app.register_blueprint(discussions_bp)
    app.register_blueprint(search_bp)
    app.register_blueprint(chat_bp, url_prefix="/chat")
    app.register_blueprint(badges_bp)
    app.register_blueprint(privacy_bp, url_prefix="/privacy")
    app.register_blueprint(pwa_bp)
    app.register_blueprint(insights_bp)
    app.register_blueprint(cycles_bp)
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    csrf.exempt(api_bp)  # the API checks CSRF itself for cookie sessions


def _register_handlers(app: Flask) -> None:
    from cop.auth import handlers as auth_handlers
    from cop.badges import handlers as badge_handlers
    from cop.chat import handlers as chat_handlers
    from cop.cycles import handlers as cycle_handlers
    from cop.notifications import handlers as notification_handlers
    from cop.notifications import views as notification_views
    from cop.pwa import views as pwa_views
    from cop.search import handlers as search_handlers

    auth_handlers.init_app(app)
    badge_handlers.init_app(app)
    chat_handlers.init_app(app)
    cycle_handlers.init_app(app)
    notification_handlers.init_app(app)
    notification_views.init_app(app)
    pwa_views.init_app(app)
    search_handlers.init_app(app)
