"""Which privacy policy a member accepted, and when (UU PDP: consent is recorded)."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from cop.auth.models import User
from cop.core import site
from cop.core.db import unit_of_work
from cop.extensions import db
from cop.privacy.models import PrivacyAcceptance

#: the built-in policy's version (raise it when templates/privacy/policy.html changes meaning)
BUILTIN_POLICY = "builtin-1"


def policy_version(locale: str = "id") -> str:
    """The version of the policy a member is shown: the built-in one, or the site's text."""
    text = site.get(f"privacy_policy_{locale}") or site.get("privacy_policy_id") or ""
    if not text:
        return BUILTIN_POLICY
    return "site-" + hashlib.sha256(text.encode()).hexdigest()[:12]


def record_acceptance(user: User, version: str) -> PrivacyAcceptance:
    """Keep that ``user`` accepted this version of the policy (at registration)."""
    with unit_of_work():
        row = PrivacyAcceptance(user_id=user.id, version=version[:40])
        db.session.add(row)
    return row


def latest_acceptance(user: User) -> PrivacyAcceptance | None:
    """The member's last recorded acceptance."""
    return db.session.scalar(
        select(PrivacyAcceptance)
        .where(PrivacyAcceptance.user_id == user.id)
        .order_by(PrivacyAcceptance.id.desc())
    )
