"""Throttles on the one rate limiter (Flask-Limiter, ``cop.extensions.limiter``).

Every throttle counts in the limiter's storage (Redis when configured, else
memory), so pages and the API share a counter when they share a scope:

- ``per_account_and_ip(scope, setting)``: a decorator for a write action (uploads,
  edits, community and token creation). The signed-in account has a bucket
  (``<SETTING>``) and so does the address (``<SETTING>_IP``, looser: a school's
  teachers often share one address).
- ``login_limits(succeeded)``: the login counter shared by the login page and
  ``POST /api/v1/tokens``, per address and per account (the email tried); only
  attempts that failed are counted.
- ``Budget``: a counter that services keep themselves, for limits that depend on
  the outcome (wrong check-in codes) or on who turned out to be asking (tokens
  made with a password are the account's, known only once it is checked).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import current_app, request
from flask_limiter.util import get_remote_address
from flask_login import current_user
from limits import parse_many

from cop.extensions import limiter

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])


def account_key() -> str:
    """The signed-in account's bucket (the address for visitors)."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"ip:{get_remote_address()}"


def ip_key() -> str:
    """The client address's bucket (the proxy's X-Forwarded-For with PROXY_COUNT)."""
    return f"ip:{get_remote_address()}"


def _anonymous() -> bool:
    return not current_user.is_authenticated


def _setting(name: str) -> Callable[[], str]:
    return lambda: str(current_app.config[name])


def per_account_and_ip(
    scope: str, setting: str, methods: tuple[str, ...] = ("POST",)
) -> Callable[[F], F]:
    """Limit a write action per account (``setting``) and per address (``setting_IP``).

    Routes that share ``scope`` (the page and the API doing the same thing) share
    both counters. Visitors are not counted per account (they are refused by the
    view anyway) but still per address.
    """
    by_account = limiter.shared_limit(
        _setting(setting),
        scope=f"{scope}:account",
        key_func=account_key,
        exempt_when=_anonymous,
        methods=list(methods),
    )
    by_ip = per_ip(scope, f"{setting}_IP", methods)

    def decorate(view: F) -> F:
        return by_ip(by_account(view))  # type: ignore[return-value]

    return decorate


def per_ip(scope: str, setting: str, methods: tuple[str, ...] = ("POST",)) -> Callable[[F], F]:
    """Limit an action per client address (``setting``), shared by the routes of ``scope``."""
    return limiter.shared_limit(  # type: ignore[return-value]
        _setting(setting), scope=f"{scope}:ip", key_func=ip_key, methods=list(methods)
    )


def _login_email() -> str:
    """The account a login attempt names (form field or JSON ``email``), normalised."""
    data: Any = request.get_json(silent=True) if request.is_json else request.form
    email = data.get("email") if hasattr(data, "get") else None
    if not isinstance(email, str):
        return "account:none"
    return "account:" + email.strip().lower()[:254]


def login_limits(succeeded: Callable[[Any], bool]) -> Callable[[F], F]:
    """The login throttle, one counter for the page and the API: per address
    (``LOGIN_RATE_LIMIT``) and per account tried (``LOGIN_ACCOUNT_RATE_LIMIT``).
    ``succeeded(response)`` says which answers logged someone in (not counted)."""

    def failed(response: Any) -> bool:
        return not succeeded(response)

    by_ip = limiter.shared_limit(
        _setting("LOGIN_RATE_LIMIT"),
        scope="login:ip",
        key_func=ip_key,
        methods=["POST"],
        deduct_when=failed,
    )
    by_account = limiter.shared_limit(
        _setting("LOGIN_ACCOUNT_RATE_LIMIT"),
        scope="login:account",
        key_func=_login_email,
        methods=["POST"],
        deduct_when=failed,
    )

    def decorate(view: F) -> F:
        return by_ip(by_account(view))  # type: ignore[return-value]

    return decorate


@dataclass(frozen=True)
class Budget:
    """Uses counted in the limiter's storage, for a service to consult.

    ``exhausted(*keys)`` is true once one of the ``setting``'s windows is used up;
    ``spend(*keys)`` counts one use. A storage outage does not lock anyone out: it
    is logged and the action goes through uncounted.
    """

    scope: str
    setting: str

    def _items(self) -> list[Any]:
        return list(parse_many(str(current_app.config[self.setting])))

    def _keys(self, keys: tuple[str, ...]) -> tuple[str, ...]:
        return (str(current_app.config.get("RATELIMIT_KEY_PREFIX", "cop")), self.scope, *keys)

    def exhausted(self, *keys: str) -> bool:
        if not current_app.config.get("RATELIMIT_ENABLED", True):
            return False
        try:
            return any(not limiter.limiter.test(item, *self._keys(keys)) for item in self._items())
        except Exception:  # the storage is down: fail open, the code is long anyway
            log.warning("rate limit storage unavailable for %s", self.scope, exc_info=True)
            return False

    def spend(self, *keys: str) -> None:
        if not current_app.config.get("RATELIMIT_ENABLED", True):
            return
        try:
            for item in self._items():
                limiter.limiter.hit(item, *self._keys(keys))
        except Exception:
            log.warning("rate limit storage unavailable for %s", self.scope, exc_info=True)
