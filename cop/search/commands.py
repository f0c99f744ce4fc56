"""``flask --app wsgi cop search reindex``: write every stored document again.

The index keeps what a reader sees of a text (plain text, no Markdown), and
older versions of cop stored the Markdown source: after upgrading, run this
once so their snippets lose the ``**`` and ``#`` too. Safe to run at any time.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from cop.cli import cop_cli

search_cli = AppGroup("search", help="The search index.")
cop_cli.add_command(search_cli)


@search_cli.command("reindex")
def reindex_command() -> None:
    """Rewrite every search document through the indexer (plain text, fresh ranking data)."""
    from cop.search import services

    click.echo(f"{services.reindex()} document(s) written again.")
