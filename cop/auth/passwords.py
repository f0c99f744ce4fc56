"""Password hashing (argon2id) and the password policy."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app
from flask_babel import lazy_gettext as _l

# Short passwords that people pick anyway; length alone does not catch them.
COMMON_PASSWORDS = {
    "1234567890", "12345678910", "0123456789", "1122334455", "qwertyuiop", "password123",
    "password1234", "passw0rd123", "iloveyou123", "indonesia123", "indonesia1", "bismillah123",
    "guru123456", "gurukkg123", "sekolah123", "asdfghjkl1", "qwerty1234", "abcdefghij",
    "aaaaaaaaaa", "1111111111", "0000000000", "katasandi123", "rahasia123", "merdeka123",
}  # fmt: skip

_hashers: dict[bool, PasswordHasher] = {}


def _hasher() -> PasswordHasher:
    # Tests use cheap parameters so thousands of hashes stay fast; same algorithm.
    fast = bool(current_app.config.get("PASSWORD_HASH_FAST"))
    if fast not in _hashers:
        _hashers[fast] = (
            PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
            if fast
            else PasswordHasher()
        )
    return _hashers[fast]


def hash_password(password: str) -> str:
    """An argon2id hash with a random salt."""
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches; never raises for a wrong or broken hash."""
    try:
        return _hasher().verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why ``password`` is too weak (a translated message), or None if it is fine."""
    minimum = int(current_app.config["PASSWORD_MIN_LENGTH"])
    if len(password) < minimum:
        return str(_l("Use at least %(n)d characters.", n=minimum))
    if len(password) > 256:
        return str(_l("Use at most 256 characters."))
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or len(set(lowered)) < 4:
        return str(_l("This password is too easy to guess. Try a short sentence."))
    local = email.split("@", 1)[0].lower()
    if (local and len(local) >= 4 and local in lowered) or (
        name and name.lower().replace(" ", "") == lowered
    ):
        return str(_l("Do not use your name or email address as your password."))
    return None
