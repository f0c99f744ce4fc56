"""Recognition pages: the catalogue, a badge, an award (and its Open Badges JSON-LD),
badge images, and a community's leaderboard."""

from __future__ import annotations

from flask import Blueprint, Response, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from cop.badges import catalogue, images, openbadges, points, queries, services
from cop.badges.catalogue import Badge
from cop.communities import services as community_services
from cop.core import permissions, web
from cop.core.errors import CopError, NotFound, error_response
from cop.core.ids import ID
from cop.core.types import utcnow
from cop.core.urls import external_url

bp = Blueprint("badges", __name__)

JSON_LD = "application/ld+json"


def _badge(slug: str) -> Badge:
    badge = catalogue.get(slug)
    if badge is None:
        raise NotFound(_("There is no such badge."))
    return badge


@bp.get("/badges/")
def index() -> ResponseReturnValue:
    """Every badge of the catalogue by family, with how many visible holders each has."""
    counts = queries.holder_counts(web.viewer())
    return render_template(
        "badges/index.html", families=catalogue.FAMILIES, badges=catalogue.BADGES, counts=counts
    )


@bp.get("/badges/<badge_slug>")
def show(badge_slug: str) -> ResponseReturnValue:
    """A badge's page: what earns it and who earned it, in communities the viewer may see."""
    badge = _badge(badge_slug)
    holders = queries.holders(badge, web.viewer())
    return render_template("badges/show.html", badge=badge, holders=holders)


@bp.get(f"/badges/awards/<{ID}:award_id>")
def award(award_id: int) -> ResponseReturnValue:
    """The human verification page of an award (public, unless the earner made it private)."""
    held = services.visible_award(web.viewer(), award_id, "award.verify")
    badge = _badge(held.badge_slug)
    status = 410 if held.revoked_at is not None else 200
    return render_template(
        "badges/award.html",
        award=held,
        badge=badge,
        subject_url=queries.subject_url(held),
        assertion_url=external_url("badges.assertion", award_id=held.id),
    ), status


@bp.post(f"/badges/awards/<{ID}:award_id>/privacy")
@login_required
def set_privacy(award_id: int) -> ResponseReturnValue:
    """The earner makes an award private (its public URL then answers 404) or public."""
    held = services.visible_award(web.current(), award_id)
    private = request.form.get("private") == "1"
    services.set_private(web.current(), held, private)
    flash(_("The award is private now.") if private else _("The award is public now."), "success")
    return redirect(url_for("badges.award", award_id=held.id))


def _json_ld(doc: dict, status: int = 200) -> Response:
    response = jsonify(doc)
    response.status_code = status
    response.mimetype = JSON_LD
    response.headers["Access-Control-Allow-Origin"] = "*"  # verifiers fetch it from anywhere
    return response


@bp.get("/badges/assertions/<award_id>")
def assertion(award_id: str) -> ResponseReturnValue:
    """An award as an Open Badges 2.0 hosted Assertion (404 private or unknown, 410 revoked)."""
    try:
        held = services.visible_award(web.viewer(), award_id, "award.verify")
    except CopError as error:
        return error_response(error.status, error.code, error.message)
    if held.revoked_at is not None:
        return _json_ld(openbadges.revoked(held), 410)
    return _json_ld(openbadges.assertion(held, _badge(held.badge_slug)))


@bp.get("/badges/classes/<badge_slug>")
def badge_class(badge_slug: str) -> ResponseReturnValue:
    """A badge as an Open Badges 2.0 BadgeClass."""
    badge = catalogue.get(badge_slug)
    if badge is None:
        return error_response(404, "not_found", _("There is no such badge."))
    return _json_ld(openbadges.badge_class(badge))


@bp.get("/badges/issuer")
def issuer() -> ResponseReturnValue:
    """This site as the Open Badges 2.0 Issuer."""
    return _json_ld(openbadges.issuer())


@bp.get("/badges/images/<badge_slug>.svg")
def image(badge_slug: str) -> ResponseReturnValue:
    """A badge's medal, drawn on the server (tier colours, initials)."""
    badge = _badge(badge_slug)
    response = Response(images.svg(badge, str(badge.name)), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@bp.get("/c/<slug>/leaderboard")
def leaderboard(slug: str) -> ResponseReturnValue:
    """The community's points this month, this semester or all time, with the formula."""
    viewer = web.viewer()
    community = community_services.visible_community(viewer, slug, "leaderboard.view")
    period = services.check_period(request.args.get("period"))
    entries = points.leaderboard(community.id, period, now=utcnow())
    return render_template(
        "badges/leaderboard.html",
        community=community,
        period=period,
        entries=entries,
        weights=points.WEIGHTS,
        caps=points.CAP_GROUPS,
        hidden=permissions.leaderboard_hidden(community),
        can_manage=permissions.can(viewer, "leaderboard.manage", community),
    )


@bp.post("/c/<slug>/leaderboard/visibility")
@login_required
def leaderboard_visibility(slug: str) -> ResponseReturnValue:
    """A coordinator hides the leaderboard from members, or shows it again."""
    user = web.current()
    community = community_services.visible_community(user, slug, "leaderboard.manage")
    hidden = request.form.get("hidden") == "1"
    services.set_leaderboard_hidden(user, community, hidden)
    flash(
        _("Only coordinators see the leaderboard now.")
        if hidden
        else _("Members see the leaderboard now."),
        "success",
    )
    return redirect(url_for("badges.leaderboard", slug=community.slug))
