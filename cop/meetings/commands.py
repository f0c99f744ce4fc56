"""``flask --app wsgi cop send-reminders``: the cron entry point for reminders."""

from __future__ import annotations

import click
from flask import current_app

from cop.cli import cop_cli


@cop_cli.command("send-reminders")
def send_reminders_command() -> None:
    """Send the meeting reminders that are due (safe to run from several places at once)."""
    from cop.meetings.scheduler import run_once

    sent = run_once(current_app._get_current_object())  # type: ignore[attr-defined]
    click.echo(f"{sent} reminder(s) sent.")
