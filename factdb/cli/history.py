"""``factdb history``: every change to a claim, an entity or a source."""

from __future__ import annotations

import datetime as dt

import click

from factdb.cli.common import LIST_FORMATS, App, echo, format_option, pass_app
from factdb.dates import parse_partial_date
from factdb.errors import InvalidInput
from factdb.history import history_listing, recent_changes, shown_actor
from factdb.render import render_listing


@click.command()
@click.argument("claim", required=False)
@click.option("--entity", "entity_name", metavar="NAME", help="Changes to this entity, its names and roles.")
@click.option("--source", "source_key", metavar="KEY", help="Changes to this source and its stored text.")
@click.option("--since", metavar="DATE", help="Without CLAIM: changes from then on (YYYY-MM-DD, or a UTC time).")
@click.option("--actor", metavar="NAME", help="Without CLAIM: changes made as NAME (--as, FACTDB_ACTOR).")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Only the newest N entries (without CLAIM: changes; default 20).")
@format_option(LIST_FORMATS)
@pass_app
def history(app: App, claim: str | None, entity_name: str | None, source_key: str | None,
            since: str | None, actor: str | None, limit: int | None, fmt: str) -> None:
    """Every change to a claim and its statements: when, who, command, before -> after.

    Deleted statements stay in the history of their claim; a deleted or merged-away claim,
    entity or source keeps its history under its old key or name, and a merge winner's
    history shows the loser's earlier entries. Without CLAIM, --entity or --source: the most
    recent changes across the database, one per command, with the number `factdb undo` takes.

    \b
    Example:
      factdb history iran-arms-militias
      factdb history --entity "Kataib Hezbollah" --format json
      factdb history --source afp-2011-07-10-us-forces-pursue --limit 5
      factdb history --since 2026-12-01 --actor "desk editor" --limit 10
    """
    chosen = [v for v in (claim, entity_name, source_key) if v is not None]
    if len(chosen) > 1:
        raise click.UsageError("Give one of CLAIM, --entity NAME or --source KEY (or none, for recent changes).")
    if not chosen:
        moment = _since(since)
        with app.reading() as session:
            changes = recent_changes(session, since=moment, actor=actor, limit=limit or 20)
        shown_changes = [{**row, "who": shown_actor(row["who"], row["db_user"])} for row in changes]
        echo(render_listing(["change", "when", "who", "summary"], shown_changes, fmt, json_rows=changes))
        return
    if since is not None or actor is not None:
        raise click.UsageError("--since and --actor list recent changes: give them without CLAIM, --entity, --source.")
    with app.reading() as session:
        rows = history_listing(session, claim=claim, entity=entity_name, source=source_key, limit=limit)
    columns = ["when", "who", "command", "action", "table", "key", "changes"]
    # tables show the database user beside the --as name when they differ; JSON has both fields
    shown = [{**row, "who": shown_actor(row["who"], row["db_user"])} for row in rows]
    echo(render_listing(columns, shown, fmt, json_rows=rows))


def _since(text: str | None) -> dt.datetime | None:
    """``--since``: a date (its first moment, UTC) or an ISO time (UTC unless it says)."""
    if text is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        day = parse_partial_date(text, "--since")
        if day is None:
            raise InvalidInput("--since: give a date (YYYY-MM-DD) or a time (YYYY-MM-DDTHH:MM)") from None
        moment = dt.datetime(day.value.year, day.value.month, day.value.day)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
