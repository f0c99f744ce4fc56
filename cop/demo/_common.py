"""What every demo step shares: the public demo password and accounts, the
three Indonesian time zones, and the :class:`Demo` record the steps fill in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cop.auth.models import User
from cop.communities.models import Community

#: The password of every demo account (documented in README.md).
DEMO_PASSWORD = "belajar-bersama-2026"  # noqa: S105 - public on purpose
ADMIN_EMAIL = "admin@cop.local"
TEACHER_EMAIL = "guru@cop.local"

WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"


@dataclass
class Demo:
    """What the steps have made so far, by short key."""

    users: dict[str, User] = field(default_factory=dict)
    communities: dict[str, Community] = field(default_factory=dict)
    #: lines printed after seeding (credentials and hints)
    notes: list[str] = field(default_factory=list)

    def user(self, key: str) -> User:
        return self.users[key]

    def community(self, key: str) -> Community:
        return self.communities[key]
