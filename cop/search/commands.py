"""``flask --app wsgi cop search reindex``: build the search index again from the data.

The index keeps what a reader sees of a text (plain text, no Markdown), and
older versions of cop stored the Markdown source: after upgrading, run this
once so their snippets lose the ``**`` and ``#`` too. Run it also after a
restore, ``cop copy-database`` or a bulk import: it indexes every topic, post,
resource and meeting from their tables (100,000 posts in well under a minute).
Safe to run at any time.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from cop.cli import cop_cli

search_cli = AppGroup("search", help="The search index.")
cop_cli.add_command(search_cli)


@search_cli.command("reindex")
def reindex_command() -> None:
    """Build the search index again from every topic, post, resource and meeting."""
    from cop.search import services, sources

    click.echo(f"{services.reindex(sources.every_document())} document(s) written again.")
