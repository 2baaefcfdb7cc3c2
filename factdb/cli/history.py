"""``factdb history``: every change to a claim, an entity or a source."""

from __future__ import annotations

import click

from factdb.cli.common import LIST_FORMATS, App, echo, format_option, pass_app
from factdb.history import history_listing, shown_actor
from factdb.render import render_listing


@click.command()
@click.argument("claim", required=False)
@click.option("--entity", "entity_name", metavar="NAME", help="Changes to this entity, its names and roles.")
@click.option("--source", "source_key", metavar="KEY", help="Changes to this source and its stored text.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Only the newest N changes.")
@format_option(LIST_FORMATS)
@pass_app
def history(app: App, claim: str | None, entity_name: str | None, source_key: str | None,
            limit: int | None, fmt: str) -> None:
    """Every change to a claim and its statements: when, who, command, before -> after.

    Deleted statements stay in the history of their claim.

    \b
    Example:
      factdb history iran-arms-militias
      factdb history --entity "Kataib Hezbollah" --format json
      factdb history --source afp-2011-07-10-us-forces-pursue --limit 5
    """
    chosen = [v for v in (claim, entity_name, source_key) if v is not None]
    if len(chosen) != 1:
        raise click.UsageError("Give exactly one of CLAIM, --entity NAME or --source KEY.")
    with app.reading() as session:
        rows = history_listing(session, claim=claim, entity=entity_name, source=source_key, limit=limit)
    columns = ["when", "who", "command", "action", "table", "key", "changes"]
    # tables show the database user beside the --as name when they differ; JSON has both fields
    shown = [{**row, "who": shown_actor(row["who"], row["db_user"])} for row in rows]
    echo(render_listing(columns, shown, fmt, json_rows=rows))
