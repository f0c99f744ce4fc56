"""Every Flask extension singleton, created unbound; ``create_app`` binds them."""

from __future__ import annotations

import logging

from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy as _SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base whose constraints get predictable names (for migrations)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class SQLAlchemy(_SQLAlchemy):
    """Flask-SQLAlchemy, whose end-of-request cleanup survives a dropped connection."""

    def _teardown_session(self, exc: BaseException | None) -> None:
        """Remove the request's session. The database may have gone away after the
        response was built (a restart): the closing ROLLBACK then fails, and the
        answer already made must still reach the client (tests/resilience/)."""
        try:
            self.session.remove()
        except sa_exc.DBAPIError:
            logging.getLogger(__name__).warning("database connection lost at request end")
            self.session.registry.clear()  # the next request starts a new session


db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
compress = Compress()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
socketio = SocketIO()
