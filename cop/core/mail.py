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
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale

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
    to: str, subject: str, template: str, locale: str = "id", **context: Any
) -> EmailMessage:
    """Render one message now and queue its delivery (after the current unit of work commits)."""
    message = build_message(to, subject, template, locale, **context)
    jobs.enqueue("mail.deliver", key=f"mail:{message['Message-ID']}", message=message.as_string())
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
        _send_smtp(message)
    else:
        raise RuntimeError(f"Unknown MAIL_BACKEND {backend!r}")


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
