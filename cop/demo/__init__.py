"""Demo data for ``flask --app wsgi cop seed-demo``: a small, believable cop.

Everything is created through the real services, so the demo is exactly what
the app itself would make (slugs, counts, audit log, signals). The data is
built in steps, one function per feature, run in order by :func:`seed`:

    STEPS = [add_people, add_communities, ...]

A later feature adds its demo data by writing ``add_<feature>(demo)`` in a
module of this package (``cop/demo/<feature>.py``) and appending it to
``STEPS``. Each step reads what earlier steps made from the :class:`Demo`
object (``demo.user("guru")``, ``demo.community("kkg")``) and may add to it.

Every demo account has the password :data:`DEMO_PASSWORD`. Never load the
demo on a server that is reachable by others: the admin password is public.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select

from cop.auth.models import User
from cop.demo._common import ADMIN_EMAIL, DEMO_PASSWORD, TEACHER_EMAIL, Demo
from cop.demo.chat import add_chat
from cop.demo.communities import GROUPS, add_communities
from cop.demo.cycles import add_cycles
from cop.demo.discussions import add_discussions
from cop.demo.meetings import add_meetings
from cop.demo.notifications import add_notification_preferences
from cop.demo.people import PEOPLE, add_people
from cop.demo.recognition import add_recognition
from cop.demo.resources import add_resources
from cop.extensions import db

__all__ = [
    "ADMIN_EMAIL",
    "DEMO_PASSWORD",
    "GROUPS",
    "PEOPLE",
    "STEPS",
    "TEACHER_EMAIL",
    "Demo",
    "existing_demo_account",
    "has_users",
    "seed",
]

#: The demo, in order. Later features append their own ``add_<feature>`` here.
STEPS: list[Callable[[Demo], None]] = [
    add_people,
    add_communities,
    add_discussions,
    add_meetings,
    add_resources,
    add_chat,
    add_cycles,
    add_recognition,
    add_notification_preferences,
]


def has_users() -> bool:
    """True when the database holds any account (``seed-demo --if-empty`` then does nothing)."""
    return bool(db.session.scalar(select(func.count(User.id))))


def existing_demo_account() -> str | None:
    """The email of a demo account that already exists, if any."""
    emails = [person.email for person in PEOPLE]
    return db.session.scalar(select(User.email).where(User.email.in_(emails)).limit(1))


def seed() -> Demo:
    """Run every step; call inside an app context on a database without the demo."""
    demo = Demo()
    for step in STEPS:
        step(demo)
    groups = {group.key: group for group in GROUPS}
    demo.notes[:0] = [
        f"Password of every demo account: {DEMO_PASSWORD}",
        f"  admin:   {ADMIN_EMAIL} (site admin)",
        f"  teacher: {TEACHER_EMAIL} ({demo.user('guru').name}, "
        f"member of {demo.community('kkg').name})",
        "  coordinators:",
        *(
            f"    {demo.user(group.creator).email} ({demo.community(key).name})"
            for key, group in groups.items()
        ),
    ]
    return demo
