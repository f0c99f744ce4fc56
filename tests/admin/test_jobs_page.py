"""The admin console's jobs page: the backlog, the failures, and a retry for the dead."""

from __future__ import annotations

from sqlalchemy import select

from cop.admin.models import AuditLog
from cop.core import mail
from cop.core.jobs.models import Job
from cop.core.types import utcnow
from cop.extensions import db
from tests.conftest import csrf_token


def _dead_mail(app) -> int:
    """A mail the worker gave up on (the server refused it eight times)."""
    from email.message import EmailMessage

    message = EmailMessage()
    message["To"] = "rina@sekolah.id"
    message["Subject"] = "Pengingat"
    message["Message-ID"] = "<dead@cop.local>"
    message.set_content("Besok pukul 08.00")
    with app.app_context():
        job = Job(
            kind="mail.deliver",
            key="mail:<dead@cop.local>",
            payload={"message": message.as_string()},
            state="dead",
            attempts=8,
            last_error="SMTPDataError: (451, b'try again later')",
            run_after=utcnow(),
            finished_at=utcnow(),
        )
        db.session.add(job)
        db.session.commit()
        return job.id


def test_the_page_lists_failures_and_a_retry_delivers(app, client, auth, factory):
    admin = factory.user(admin=True, locale="en")
    job_id = _dead_mail(app)
    auth.login(admin.email)
    page = client.get("/admin/jobs").get_data(as_text=True)
    assert "mail.deliver" in page
    assert "SMTPDataError" in page
    assert f"/admin/jobs/{job_id}/retry" in page
    response = client.post(f"/admin/jobs/{job_id}/retry", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 302
    assert [str(m["Message-ID"]) for m in mail.outbox] == ["<dead@cop.local>"]
    with app.app_context():
        job = db.session.get(Job, job_id)
        assert (job.state, job.attempts) == ("done", 1)
        (entry,) = db.session.scalars(select(AuditLog).where(AuditLog.action == "job.retry"))
        assert (entry.actor_id, entry.target_id) == (admin.id, job_id)
    again = client.post(
        f"/admin/jobs/{job_id}/retry",
        data={"csrf_token": csrf_token(client)},
        follow_redirects=True,
    )
    assert "nothing to retry" in again.get_data(as_text=True)
    assert len(mail.outbox) == 1


def test_the_page_speaks_indonesian_and_filters_by_state(app, client, auth, factory):
    admin = factory.user(admin=True, locale="id")
    _dead_mail(app)
    auth.login(admin.email)
    page = client.get("/admin/jobs?view=done").get_data(as_text=True)
    assert "Tugas latar" in page
    assert "mail.deliver" not in page  # the dead job is not done
    assert "mail.deliver" in client.get("/admin/jobs?view=dead").get_data(as_text=True)
    # an unknown view falls back to the problems list instead of failing
    assert client.get("/admin/jobs?view=semua").status_code == 200


def test_the_page_costs_the_same_queries_for_many_jobs(app, client, auth, factory, count_queries):
    admin = factory.user(admin=True)
    _dead_mail(app)
    auth.login(admin.email)
    client.get("/admin/jobs")
    with count_queries() as few:
        client.get("/admin/jobs")
    with app.app_context():
        db.session.add_all(
            Job(kind="mail.deliver", key=f"k{n}", payload={}, state="dead", run_after=utcnow())
            for n in range(40)
        )
        db.session.commit()
    with count_queries() as many:
        client.get("/admin/jobs")
    assert many.count == few.count
