"""Open Badges 2.0: the hosted assertion, its BadgeClass and Issuer, the human page."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from urllib.parse import urlparse

import pytest
from sqlalchemy import select

from cop.badges import services
from cop.badges.models import Award
from cop.extensions import db
from tests.badges.history import History

OB_CONTEXT = "https://w3id.org/openbadges/v2"
# Required properties (Open Badges 2.0, "Data Classes"): Assertion, IdentityObject,
# BadgeClass, Criteria and the Issuer's Profile.
ASSERTION = {"@context", "id", "type", "recipient", "badge", "verification", "issuedOn"}
IDENTITY = {"type", "identity", "hashed"}
BADGE_CLASS = {"@context", "id", "type", "name", "description", "image", "criteria", "issuer"}
PROFILE = {"@context", "id", "type", "name", "url", "email"}


@pytest.fixture
def award(app, factory):
    history = History(app, factory, pool_size=1)
    history.unit("meetings_attended")
    with app.app_context():
        services.evaluate(history.target.id, history.community.id, ("meetings",))
        row = db.session.scalar(select(Award).where(Award.badge_slug == "first-meeting"))
        return row, history.target


def _path(url: str) -> str:
    return urlparse(url).path


def test_the_assertion_has_every_required_field_and_verifies(client, award):
    row, earner = award
    response = client.get(f"/badges/assertions/{row.id}")
    assert response.status_code == 200
    assert response.mimetype == "application/ld+json"
    doc = response.get_json()
    assert set(doc) >= ASSERTION
    assert doc["@context"] == OB_CONTEXT and doc["type"] == "Assertion"
    assert _path(doc["id"]) == f"/badges/assertions/{row.id}"  # hosted: id is its own URL
    assert doc["verification"] == {"type": "hosted"}
    assert datetime.fromisoformat(doc["issuedOn"]).tzinfo is not None
    recipient = doc["recipient"]
    assert set(recipient) >= IDENTITY and recipient["type"] == "email"
    assert recipient["hashed"] is True
    expected = hashlib.sha256((earner.email + recipient["salt"]).encode()).hexdigest()
    assert recipient["identity"] == f"sha256${expected}"
    assert earner.email not in response.get_data(as_text=True)
    badge = client.get(_path(doc["badge"])).get_json()
    assert set(badge) >= BADGE_CLASS and badge["type"] == "BadgeClass"
    assert {"narrative"} <= set(badge["criteria"])
    assert client.get(_path(badge["image"])).mimetype == "image/svg+xml"
    issuer = client.get(_path(badge["issuer"])).get_json()
    assert set(issuer) >= PROFILE and issuer["type"] in ("Issuer", "Profile")
    assert re.fullmatch(r"[^@\s]+@[^@\s]+", issuer["email"])


def test_the_verification_page_works_logged_out(client, award):
    row, earner = award
    response = client.get(f"/badges/awards/{row.id}", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert earner.name in page and "First meeting" in page and "Verified award" in page


def test_a_private_award_answers_404(app, client, award, auth):
    row, earner = award
    with app.app_context():
        services.set_private(db.session.merge(earner), db.session.get(Award, row.id), True)
    assert client.get(f"/badges/assertions/{row.id}").status_code == 404
    assert client.get(f"/badges/awards/{row.id}").status_code == 404
    auth.login(earner.email)
    assert client.get(f"/badges/awards/{row.id}").status_code == 200  # the earner still sees it


def test_a_revoked_award_answers_410_with_its_reason(app, client, award):
    row, _earner = award
    with app.app_context():
        db.session.get(Award, row.id).revoked_at = datetime.now().astimezone()
        db.session.get(Award, row.id).revocation_reason = "removed by a moderator"
        db.session.commit()
    response = client.get(f"/badges/assertions/{row.id}")
    assert response.status_code == 410
    assert response.get_json()["revoked"] is True
    assert response.get_json()["revocationReason"] == "removed by a moderator"


@pytest.mark.parametrize(
    "tampered", ["abc", "-1", "0", "1.5", "99999999999999999999999", "1%20OR%201=1"]
)
def test_a_tampered_assertion_url_is_a_json_404(client, award, tampered):
    response = client.get(f"/badges/assertions/{tampered}", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert response.get_json()["error"]["message"] == "There is no such award."
