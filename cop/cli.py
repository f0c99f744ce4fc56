"""The ``flask --app wsgi cop ...`` commands."""

from __future__ import annotations

import click
from flask.cli import AppGroup

cop_cli = AppGroup("cop", help="cop administration commands.")
