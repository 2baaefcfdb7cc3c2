"""``factdb roles setup``: the reader and editor roles of a team database (PostgreSQL)."""

from __future__ import annotations

import click

from factdb.cli.common import App, echo, pass_app
from factdb.roles import EDITOR, READER, setup_roles


@click.group()
def roles() -> None:
    """Database roles for a team (PostgreSQL): a reader and an editor."""


@roles.command("setup")
@click.option("--reader", default=READER, show_default=True, help="Name of the read-only role.")
@click.option("--editor", default=EDITOR, show_default=True, help="Name of the role that may also write.")
@pass_app
def setup(app: App, reader: str, editor: str) -> None:
    """Create the read-only and the editor role (if missing) and grant what each needs.

    The reader may run every report, listing, export and search; the editor may also write,
    but only append to history, and never set the database user it records. Make people's
    login roles members: GRANT factdb_reader TO alice. Run it as the owner of the tables;
    `factdb init` keeps the grants current for tables later revisions add.

    \b
    Example:
      factdb --db postgresql://owner@dbhost/newsroom roles setup
      factdb --db postgresql://owner@dbhost/newsroom roles setup --reader desk_reader --editor desk_editor
    """
    done = setup_roles(app.engine(), reader, editor)
    created = ", ".join(done["created"]) or "none (both existed)"
    echo(f"Roles {done['reader']} (read) and {done['editor']} (read and write) granted on schema "
         f"{done['schema']}; created: {created}.")
