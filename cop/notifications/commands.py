"""``flask --app wsgi cop send-digests``: send the daily and weekly digests that are due."""

from __future__ import annotations

import click

from cop.cli import cop_cli


@cop_cli.command("send-digests")
def send_digests_command() -> None:
    """Send every due digest once (safe to run beside the scheduler: each is claimed)."""
    from cop.notifications.digests import send_digests

    click.echo(f"{send_digests()} digest(s) sent.")
