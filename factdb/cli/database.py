"""``factdb init`` and ``factdb info``: create or upgrade the database, and describe it.

``info`` must start fast (bench/startup.py): this module imports only the light
:mod:`factdb.db` and :mod:`factdb.render`; Alembic is imported when ``init`` runs.
"""

from __future__ import annotations

from pathlib import Path

import click

from factdb.cli.common import LIST_FORMATS, App, echo, format_option, is_interactive, pass_app
from factdb.db import current_revision, display_url, row_counts, schema_head, sqlite_path
from factdb.render import render_record


@click.command()
@click.option("--revision", default="head", show_default=True, help="Target schema revision (for downgrades too).")
@click.option("--yes", is_flag=True, help="Downgrade a database that holds data without asking (needed in a script).")
@pass_app
def init(app: App, revision: str, yes: bool) -> None:
    """Create the database, or upgrade it to the newest schema.

    A downgrade (--revision with an older revision, or base) drops what the newer revisions
    added, at base every table and all history: on a database that holds data it asks at a
    terminal, and needs --yes in a script.

    \b
    Example:
      factdb init
      factdb --db postgresql+psycopg://postgres@127.0.0.1:5432/test init
      factdb init --revision base --yes
    """
    from factdb.migrate import is_downgrade, migrate  # Alembic: only init needs it, info stays light

    path = sqlite_path(app.url)
    new_file = path is not None and not path.exists()
    try:
        engine = app.engine(must_exist=False, check_schema=False)
        where = display_url(app.url)
        current = current_revision(engine)
        if current is not None and is_downgrade(current, revision):
            _confirm_downgrade(where, current, revision, sum(row_counts(engine).values()), yes)
        before, after = migrate(engine, revision)
    except BaseException:
        if new_file and path is not None:  # a failed init leaves no file behind
            app.dispose(keep=False)
            for end in ("", "-wal", "-shm", "-journal"):
                Path(f"{path}{end}").unlink(missing_ok=True)
        raise
    if before == after:
        echo(f"{where}: schema already at revision {after}.")
    elif before is None:
        echo(f"{where}: created, schema revision {after}.")
    else:
        echo(f"{where}: schema {before} -> {after}.")


def _confirm_downgrade(where: str, current: str, revision: str, rows: int, yes: bool) -> None:
    """A downgrade that loses data happens only when asked for: at a terminal, or with --yes."""
    if rows == 0 or yes:
        return
    if revision == "base":
        what = f"every table: all {rows} rows, history included"
    else:
        what = f"what the revisions after {revision} added, with its data (the database holds {rows} rows)"
    loss = f"Downgrading {where} from {current} to {revision} drops {what}"
    if not is_interactive():
        raise click.ClickException(f"{loss}; nothing was changed. Run again with --yes to do it.")
    if not click.confirm(f"{loss}. Continue?", default=False):
        raise click.ClickException("Nothing was changed.")


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
