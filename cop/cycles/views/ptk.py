"""PTK pages: start one, its page (cycles with their data, peer feedback, reviewers),
the guest reviewer's signed invite, and the report outline as DOCX and PDF."""

from __future__ import annotations

from flask import Response, flash, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from cop.communities import services as community_services
from cop.core import permissions, web
from cop.core.errors import CopError, ValidationError
from cop.core.urls import external_url
from cop.cycles import documents, forms, queries, services
from cop.cycles.views import back, bp
from cop.resources import services as resource_services


@bp.route("/c/<slug>/ptk/new", methods=["GET", "POST"])
@login_required
def new_ptk(slug: str) -> ResponseReturnValue:
    """Start a PTK: title, the problem, the working group."""
    community = community_services.visible_community(web.viewer(), slug, "community.participate")
    error = None
    if request.method == "POST":
        form = request.form
        try:
            found = services.start_ptk(
                web.current(),
                community,
                form.get("title", ""),
                form.get("problem", ""),
                forms.chosen_ids(form, "member_ids"),
            )
        except ValidationError as exc:
            error = exc
        else:
            flash(_("PTK started. Plan its first cycle."), "success")
            return back(url_for(".ptk", ptk_id=found.id))
    page = render_template(
        "cycles/ptk_new.html",
        community=community,
        members=queries.member_choices(community),
        errors=error.fields if error else {},
        values=request.form,
    )
    return page, 400 if error else 200


@bp.get("/ptk/<id:ptk_id>")
@login_required
def ptk(ptk_id: int) -> ResponseReturnValue:
    """The PTK: its problem, group, cycles with data, feedback and reviewers."""
    user = web.current()
    found = services.visible_ptk(user, ptk_id)
    edits = permissions.can(user, "ptk.edit", found)
    invites = (
        {
            r.id: external_url(".accept_invite", token=services.invite_token(r))
            for r in queries.reviewers(found)
        }
        if edits
        else {}
    )
    return render_template(
        "cycles/ptk.html",
        ptk=found,
        files=queries.ptk_files(found),
        comments=queries.ptk_comments(found),
        reviewers=queries.reviewers(found),
        invites=invites,
        may={
            "edit": edits,
            "comment": permissions.can(user, "ptk.comment", found),
            "set_hours": permissions.can(user, "ptk.set_hours", found),
        },
    )


def _ptk_url(ptk_id: int, anchor: str = "") -> str:
    return url_for(".ptk", ptk_id=ptk_id) + anchor


@bp.post("/ptk/<id:ptk_id>/cycles")
@login_required
def add_ptk_cycle(ptk_id: int) -> ResponseReturnValue:
    """Add the next cycle, or update one (``cycle_id``)."""
    found = services.visible_ptk(web.viewer(), ptk_id, "ptk.edit")
    try:
        cycle = services.add_cycle(
            web.current(),
            found,
            forms.cycle_data(request.form),
            forms.chosen_id(request.form, "cycle_id"),
        )
    except CopError as error:
        return back(_ptk_url(found.id), error), 303
    flash(_("Cycle %(n)d saved.", n=cycle.number), "success")
    return back(_ptk_url(found.id, f"#cycle-{cycle.number}"))


@bp.post("/ptk/<id:ptk_id>/files")
@login_required
def attach_ptk_file(ptk_id: int) -> ResponseReturnValue:
    """Attach data (a file) to one of the PTK's cycles."""
    found = services.visible_ptk(web.viewer(), ptk_id, "ptk.edit")
    upload = request.files.get("file")
    try:
        if upload is None or not upload.filename:
            raise ValidationError(fields={"file": _("Choose a file.")})
        services.attach_file(
            web.current(),
            found,
            forms.chosen_id(request.form, "cycle_id"),
            resource_services.Upload(upload.stream, upload.filename),
        )
    except CopError as error:
        return back(_ptk_url(found.id), error), 303
    flash(_("File attached."), "success")
    return back(_ptk_url(found.id))


@bp.get("/ptk/files/<id:file_id>")
@login_required
def ptk_file(file_id: int) -> ResponseReturnValue:
    """A PTK's data file, for those who may see the PTK."""
    row = services.visible_file(web.viewer(), file_id)
    return send_file(
        services.open_file(row),
        mimetype=row.content_type,
        as_attachment=True,
        download_name=row.filename,
    )


@bp.post("/ptk/<id:ptk_id>/comments")
@login_required
def comment_ptk(ptk_id: int) -> ResponseReturnValue:
    """Peer feedback (members, the group, the PTK's reviewers)."""
    found = services.visible_ptk(web.viewer(), ptk_id, "ptk.comment")
    try:
        services.comment_ptk(
            web.current(),
            found,
            request.form.get("body", ""),
            forms.chosen_id(request.form, "cycle_id"),
        )
    except CopError as error:
        return back(_ptk_url(found.id), error), 303
    return back(_ptk_url(found.id, "#feedback"))


@bp.post("/ptk/<id:ptk_id>/invites")
@login_required
def invite_reviewer(ptk_id: int) -> ResponseReturnValue:
    """Write a signed invite link for a guest reviewer (the group)."""
    found = services.visible_ptk(web.viewer(), ptk_id, "ptk.edit")
    try:
        services.invite_reviewer(web.current(), found, request.form.get("note", ""))
    except CopError as error:
        return back(_ptk_url(found.id), error), 303
    flash(_("Invite link made: send it to the reviewer."), "success")
    return back(_ptk_url(found.id, "#reviewers"))


@bp.post("/ptk/<id:ptk_id>/hours")
@login_required
def ptk_hours(ptk_id: int) -> ResponseReturnValue:
    """Set the PKB hours the PTK credits (coordinators)."""
    found = services.visible_ptk(web.viewer(), ptk_id, "ptk.set_hours")
    try:
        services.set_ptk_hours(web.current(), found, forms.number(request.form, "hours"))
    except CopError as error:
        return back(_ptk_url(found.id), error), 303
    flash(_("Hours saved."), "success")
    return back(_ptk_url(found.id))


@bp.route("/ptk/invite/<token>", methods=["GET", "POST"])
@login_required
def accept_invite(token: str) -> ResponseReturnValue:
    """The reviewer's invite: confirm, then read and comment on that PTK."""
    reviewer = services.reviewer_for_token(token)
    if request.method == "POST":
        try:
            found = services.accept_invite(web.current(), token)
        except CopError as error:
            return render_template("cycles/refused.html", error=error, study=None), error.status
        flash(_("You can now read this PTK and give feedback."), "success")
        return back(url_for(".ptk", ptk_id=found.id))
    return render_template("cycles/invite.html", reviewer=reviewer, token=token)


@bp.get("/ptk/<id:ptk_id>/outline.docx")
@login_required
def ptk_docx(ptk_id: int) -> ResponseReturnValue:
    """The PTK's structure as a report outline (DOCX)."""
    found = services.visible_ptk(web.viewer(), ptk_id)
    return Response(
        documents.ptk_outline_docx(found),
        mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        headers={"Content-Disposition": f'attachment; filename="ptk-{found.id}.docx"'},
    )


@bp.get("/ptk/<id:ptk_id>/outline.pdf")
@login_required
def ptk_pdf(ptk_id: int) -> ResponseReturnValue:
    """The PTK's structure as a report outline (PDF)."""
    found = services.visible_ptk(web.viewer(), ptk_id)
    return Response(
        documents.ptk_outline_pdf(found),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="ptk-{found.id}.pdf"'},
    )
