"""The learning cycles' documents: a lesson study's summary (PDF) and a PTK's report
outline (DOCX with python-docx, and PDF), made from the cycle's record.

PDFs go through the meetings' WeasyPrint setup (vendored fonts, no network)."""

from __future__ import annotations

import io

from docx import Document
from flask import render_template
from flask_babel import gettext as _

from cop.cycles import queries
from cop.cycles.models import PTK, LessonStudy
from cop.meetings.documents import pdf


def lesson_summary_pdf(study: LessonStudy) -> bytes:
    """The lesson study's summary: goal, team, plan, open lesson, observations grouped by
    student, and the lessons learned."""
    rows = queries.observations(study)
    html = render_template(
        "cycles/pdf/lesson_summary.html",
        study=study,
        meeting=queries.open_lesson(study),
        observations=rows,
        by_student=queries.by_student(rows),
    )
    return pdf(html)


def _outline(ptk: PTK) -> list[tuple[int, str, str]]:
    """The report's outline as (level, heading, text) rows, shared by DOCX and PDF."""
    rows: list[tuple[int, str, str]] = [
        (1, _("Chapter I. Introduction"), ""),
        (2, _("Background and the problem"), ptk.problem),
        (1, _("Chapter II. Research method"), ""),
        (2, _("Research team"), ", ".join(_team(ptk))),
        (1, _("Chapter III. Results: the cycles"), ""),
    ]
    for cycle in ptk.cycles:
        rows.append((2, _("Cycle %(n)d", n=cycle.number), ""))
        rows.append((3, _("Planning"), cycle.plan))
        rows.append((3, _("Action"), cycle.act))
        rows.append((3, _("Observation"), cycle.observe))
        rows.append((3, _("Reflection"), cycle.reflect))
    rows.append((1, _("Chapter IV. Conclusions and recommendations"), ""))
    rows.append((1, _("Appendices: data of each cycle"), ""))
    return rows


def _team(ptk: PTK) -> list[str]:
    names = [ptk.author.name] if ptk.author else []
    return names + [m.user.name for m in ptk.members]


def ptk_outline_docx(ptk: PTK) -> bytes:
    """The PTK's report outline as a Word document (headings per chapter and cycle)."""
    document = Document()
    document.core_properties.title = ptk.title
    document.add_heading(ptk.title, level=0)
    document.add_paragraph(ptk.community.name)
    for level, heading, text in _outline(ptk):
        document.add_heading(heading, level=level)
        if text:
            for paragraph in text.split("\n\n"):
                document.add_paragraph(paragraph.strip())
    files = queries.ptk_files(ptk)
    for cycle in ptk.cycles:
        for row in files.get(cycle.id, []):
            document.add_paragraph(
                _("Cycle %(n)d: %(file)s", n=cycle.number, file=row.filename), style="List Bullet"
            )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def ptk_outline_pdf(ptk: PTK) -> bytes:
    """The PTK's report outline as a PDF."""
    html = render_template(
        "cycles/pdf/ptk_outline.html", ptk=ptk, outline=_outline(ptk), files=queries.ptk_files(ptk)
    )
    return pdf(html)
