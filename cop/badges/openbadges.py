"""Open Badges 2.0 (1EdTech) hosted verification: Assertion, BadgeClass and Issuer as JSON-LD.

https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/index.html
An award's assertion lives at /badges/assertions/<id>; its ``badge`` is the
BadgeClass URL and that names the Issuer URL, all on this site, so a verifier
fetches them back (``verification: {type: hosted}``). The recipient is the
earner's email, hashed: ``sha256$`` + sha256(email + salt), with the award's salt.
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask import current_app

from cop.badges.catalogue import Badge
from cop.badges.models import Award
from cop.core.types import iso
from cop.core.urls import external_url

CONTEXT = "https://w3id.org/openbadges/v2"


def recipient_identity(email: str, salt: str) -> str:
    """The hashed recipient identity of an email with a salt."""
    digest = hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()
    return f"sha256${digest}"


def assertion(award: Award, badge: Badge) -> dict[str, Any]:
    """The hosted Assertion of an award (active; see ``revoked`` for a revoked one)."""
    doc: dict[str, Any] = {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": external_url("badges.assertion", award_id=award.id),
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": award.salt,
            "identity": recipient_identity(award.user.email or "", award.salt),
        },
        "badge": external_url("badges.badge_class", badge_slug=badge.slug),
        "verification": {"type": "hosted"},
        "issuedOn": iso(award.awarded_at),
        "image": external_url("badges.image", badge_slug=badge.slug),
        "narrative": str(badge.description),
        "evidence": external_url("badges.award", award_id=award.id),
    }
    return doc


def revoked(award: Award) -> dict[str, Any]:
    """What a revoked assertion answers (with HTTP 410)."""
    return {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": external_url("badges.assertion", award_id=award.id),
        "revoked": True,
        "revocationReason": award.revocation_reason or "revoked",
    }


def badge_class(badge: Badge) -> dict[str, Any]:
    """The BadgeClass of a badge of the catalogue."""
    return {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": external_url("badges.badge_class", badge_slug=badge.slug),
        "name": str(badge.name),
        "description": str(badge.description),
        "image": external_url("badges.image", badge_slug=badge.slug),
        "criteria": {
            "id": external_url("badges.show", badge_slug=badge.slug),
            "narrative": str(badge.description),
        },
        "issuer": external_url("badges.issuer"),
        "tags": [badge.tier, badge.family],
    }


def issuer() -> dict[str, Any]:
    """The Issuer Profile: this cop site."""
    sender = current_app.config.get("MAIL_SENDER", "")
    email = sender.split("<")[-1].rstrip(">").strip() if "@" in sender else ""
    return {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": external_url("badges.issuer"),
        "name": current_app.config.get("BADGE_ISSUER_NAME") or "cop",
        "url": external_url("dashboard.index"),
        "email": email or "noreply@cop.local",
    }
