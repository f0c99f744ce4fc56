"""``flask --app wsgi cop push keys``: make the VAPID key pair Web Push signs with."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from cop.cli import cop_cli

push_cli = AppGroup("push", help="Web Push (VAPID keys).")
cop_cli.add_command(push_cli)


@push_cli.command("keys")
@click.option(
    "--force", is_flag=True, help="Replace an existing key (every browser must subscribe again)."
)
def keys_command(force: bool) -> None:
    """Write a new VAPID private key into the instance folder and print the public key."""
    from cop.push import services

    path = services.key_path()
    try:
        public = services.generate_keys(path, force=force)
    except FileExistsError:
        raise click.ClickException(f"{path} exists; pass --force to replace it.") from None
    click.echo(f"VAPID private key written to {path}")
    click.echo(f"Public key (applicationServerKey): {public}")
