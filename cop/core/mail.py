"""Outgoing mail. Backends: ``log`` (log + .eml files in the outbox folder, the
embedded default), ``smtp`` (a real server) and ``memory`` (tests).

``send_mail`` renders the message in the request (its language, its links) and
enqueues the job ``mail.deliver`` keyed by the Message-ID; a worker delivers it,
retrying with backoff while the mail server is down (cop/core/jobs). A request
never waits for the mail server, and a rolled-back request sends nothing.
"""

from __future__ import annotations

import email
import email.policy
import smtplib
import ssl
import time
import uuid
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale

from cop import signals
from cop.core import jobs

#: Messages sent with the ``memory`` backend, newest last (tests read these).
outbox: list[EmailMessage] = []


def build_message(
    to: str, subject: str, template: str, locale: str, **context: Any
) -> EmailMessage:
    """Render ``email/<template>.txt`` and ``.html`` in the recipient's language."""
    with force_locale(locale):
        text = render_template(f"email/{template}.txt", **context)
        html = render_template(f"email/{template}.html", **context)
        subject = str(subject)
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="cop.local")
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def send_mail(
    to: str,
    subject: str,
    template: str,
    locale: str = "id",
    *,
    headers: dict[str, str] | None = None,
    key: str | None = None,
    run_after: datetime | None = None,
    **context: Any,
) -> EmailMessage:
    """Render one message now and queue its delivery (after the current unit of work commits).

    ``headers`` are added as they are (List-Unsubscribe); ``key`` replaces the
    Message-ID as the job's dedup key (a digest: once per member and period);
    ``run_after`` holds it back (quiet hours).
    """
    message = build_message(to, subject, template, locale, **context)
    for name, value in (headers or {}).items():
        message[name] = value
    jobs.enqueue(
        "mail.deliver",
        key=key or f"mail:{message['Message-ID']}",
        run_after=run_after,
        message=message.as_string(),
    )
    return message


@jobs.handler("mail.deliver")
def deliver(message: str) -> None:
    """The job: hand one rendered message to the configured backend (raises to retry)."""
    parsed = email.message_from_string(message, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    deliver_now(parsed)


def deliver_now(message: EmailMessage) -> None:
    """Deliver with the configured backend, in this thread."""
    backend = current_app.config["MAIL_BACKEND"]
    if backend == "memory":
        outbox.append(message)
    elif backend == "log":
        _write_to_outbox(message)
    elif backend == "smtp":
        try:
            _send_smtp(message)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as error:
            reason = _permanent_refusal(error)
            if reason is None:
                raise  # 4xx: the server is busy or greylisting, try again later
            address = str(message["To"])
            signals.mail_refused.send(message, address=address, reason=reason)
            raise jobs.Gone(f"the mail server refused {address}: {reason}") from None
    else:
        raise RuntimeError(f"Unknown MAIL_BACKEND {backend!r}")


def _permanent_refusal(
    error: smtplib.SMTPRecipientsRefused | smtplib.SMTPDataError,
) -> str | None:
    """The server's reason when it refused for good (5xx), None for a temporary 4xx."""
    answers: list[tuple[int, bytes | str]]
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        answers = list(error.recipients.values())
    else:
        answers = [(error.smtp_code, error.smtp_error)]
    for code, text in answers:
        if 500 <= int(code) < 600:
            detail = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
            return f"{code} {detail}"[:300]
    return None


def _write_to_outbox(message: EmailMessage) -> None:
    folder = Path(current_app.config["MAIL_OUTBOX_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}.eml"
    path.write_bytes(bytes(message))
    current_app.logger.info(
        "Mail to %s: %s (saved to %s)\n%s",
        message["To"],
        message["Subject"],
        path,
        message.get_body(("plain",)).get_content(),  # type: ignore[union-attr]
    )


def _send_smtp(message: EmailMessage) -> None:
    config = current_app.config
    cls = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with cls(
        config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=float(config["MAIL_TIMEOUT"])
    ) as smtp:
        if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
            smtp.starttls(context=ssl.create_default_context())
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(message)
