"""``flask --app wsgi cop badges backfill [--community SLUG]``: awards and points from history."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from cop.cli import cop_cli

badges_cli = AppGroup("badges", help="Badges and points.")
cop_cli.add_command(badges_cli)


@badges_cli.command("backfill")
@click.option("--community", "slug", default=None, help="Only this community (its slug).")
@click.option("--notify", is_flag=True, help="Tell the earners of awards made now.")
def backfill_command(slug: str | None, notify: bool) -> None:
    """Evaluate every badge rule over the history and rebuild the points ledger."""
    from cop.badges import points, services
    from cop.communities import services as community_services
    from cop.core.errors import NotFound

    community_id = None
    if slug:
        try:
            community_id = community_services.get_by_slug(slug).id
        except NotFound as exc:
            raise click.BadParameter(f"no community {slug!r}", param_hint="--community") from exc
    added, _removed = points.rebuild(community_id)
    changed = services.backfill(community_id, announce=notify)
    click.echo(f"{changed} award(s) made or changed; {added} scored action(s) in the ledger.")
