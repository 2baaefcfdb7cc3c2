"""``factdb init`` and ``factdb info``: create or upgrade the database, and describe it.

``info`` must start fast (bench/startup.py): this module imports only the light
:mod:`factdb.db` and :mod:`factdb.render`; Alembic is imported when ``init`` runs.
"""

from __future__ import annotations

import click

from factdb.cli.common import LIST_FORMATS, App, echo, format_option, pass_app
from factdb.db import current_revision, display_url, row_counts, schema_head
from factdb.render import render_record


@click.command()
@click.option("--revision", default="head", show_default=True, help="Target schema revision (for downgrades too).")
@pass_app
def init(app: App, revision: str) -> None:
    """Create the database, or upgrade it to the newest schema.

    \b
    Example:
      factdb init
      factdb --db postgresql+psycopg://postgres@127.0.0.1:5432/test init
    """
    from factdb.migrate import migrate  # Alembic: only init needs it, info stays light

    engine = app.engine(must_exist=False, check_schema=False)
    before, after = migrate(engine, revision)
    where = display_url(app.url)
    if before == after:
        echo(f"{where}: schema already at revision {after}.")
    elif before is None:
        echo(f"{where}: created, schema revision {after}.")
    else:
        echo(f"{where}: schema {before} -> {after}.")


@click.command()
@format_option(LIST_FORMATS)
@pass_app
def info(app: App, fmt: str) -> None:
    """Show the database in use, its schema revision and row counts per table.

    \b
    Example:
      factdb info
      factdb info --format json
    """
    engine = app.engine()
    data = {
        "database": display_url(app.url),
        "backend": engine.dialect.name,
        "schema_revision": current_revision(engine),
        "schema_head": schema_head(),
        "row_counts": row_counts(engine),
    }
    echo(render_record(data, fmt, title="factdb database"))
