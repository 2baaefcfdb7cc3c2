"""``factdb source``: add, list, show, edit, delete, and attach-text (a source's stored text)."""

from __future__ import annotations

from pathlib import Path

import click

from factdb.cli.common import (
    App,
    Choice,
    FilePath,
    echo,
    format_option,
    limit_option,
    limited,
    pass_app,
    require_a_change,
)
from factdb.cli.completion import source_keys
from factdb.cli.prompting import ask, choose_entity, created_messages
from factdb.errors import InvalidInput
from factdb.quotes import attach_text as attach
from factdb.records import outlet_text
from factdb.render import render_listing, render_record, to_json
from factdb.resolver import resolve_source
from factdb.sources import (
    SOURCE_COLUMNS,
    add_source,
    delete_source,
    edit_source,
    source_record,
    source_rows,
)
from factdb.vocab import ENTITY_KINDS, SOURCE_KINDS, TEXT_STATES


@click.group()
def source() -> None:
    """Documents that report statements: articles, press releases, transcripts.

    \b
    Example:
      factdb source add --key afp-2011-07-10 --outlet AFP --published 2011-07-10
      factdb source list --format json
    """


@source.command("add")
@click.option("--key", help="A short unique key, e.g. afp-2011-07-10.")
@click.option(
    "--kind", "kind", type=Choice(SOURCE_KINDS), default="article", show_default=True,
    help="What the document is.",
)
@click.option(
    "--outlet", "--publisher", "outlet", metavar="NAME",
    help="The publisher: any entity (a media outlet, the FBI...; any alias). Leave it out when none is known.",
)
@click.option("--title")
@click.option("--url")
@click.option("--author", "authors", multiple=True, help="An author (repeatable).")
@click.option("--published", metavar="DATE", help="Publication date: YYYY-MM-DD, YYYY-MM or YYYY.")
@click.option("--published-time", metavar="HH:MM", help='Time of day printed ("Published 11:06").')
@click.option("--modified-time", metavar="HH:MM", help='Time of day of the last change printed ("Modified 11:08").')
@click.option("--text-state", type=Choice(TEXT_STATES), help="The copy in hand is truncated or garbled.")
@click.option("--republishes", metavar="SOURCE", help="Key or URL of the source this one republishes.")
@click.option("--updates", metavar="SOURCE", help="Key or URL of the earlier version this source updates.")
@click.option("--note")
@click.option("--create", is_flag=True, help="Create the outlet when it is unknown.")
@click.option(
    "--create-kind", type=Choice(ENTITY_KINDS),
    help="Kind of a created publisher (default media for an article, transcript, interview or broadcast, else "
    "organization).",
)
@pass_app
def add(
    app: App,
    key: str | None,
    kind: str,
    outlet: str | None,
    title: str | None,
    url: str | None,
    authors: tuple[str, ...],
    published: str | None,
    republishes: str | None,
    note: str | None,
    published_time: str | None,
    modified_time: str | None,
    text_state: str | None,
    create: bool,
    create_kind: str | None,
    updates: str | None,
) -> None:
    """Add a source.

    Without --outlet the source has no outlet (an original nobody has seen: reports say
    "(no outlet)" and count it as an outlet of its own). --updates makes it a later version of
    an earlier source (an updated article): reports count the newest version.

    \b
    Example:
      factdb source add --key afp-2011-07-10 --outlet AFP --create \\
          --title "US forces pursue Iraq Shiite insurgents" --published 2011-07-10 \\
          --url https://example.org/afp --author "Mathieu Rabechault"
      factdb source add --key fbi-2020-11-05 --kind statement --publisher FBI --create
      factdb source add --key us-assessment-2020 --kind assessment --title "U.S. intelligence assessment"
      factdb source add --key afp-2011-07-10-updated --outlet AFP --updates afp-2011-07-10
    """
    key = ask(key, "--key", "Key")
    with app.transaction() as session:
        created = add_source(
            session,
            key,
            outlet,
            title=title,
            url=url,
            authors=authors,
            published_on=published,
            republishes=republishes,
            note=note,
            kind=kind,
            published_time=published_time,
            modified_time=modified_time,
            text_state=text_state,
            create=create or create_kind is not None,
            create_kind=create_kind,
            choose=choose_entity,
            updates=updates,
        )
        entities = created_messages(session)
        outlet_name = created.outlet.name if created.outlet_id is not None and created.outlet else "no outlet"
        earlier = f', a later version of "{updates}"' if updates else ""
    for line in entities:
        echo(line)
    echo(f'Added source {created.id} "{created.key}" ({outlet_name}{earlier}).')


@source.command("list")
@click.option("--outlet", "--publisher", "outlet", metavar="NAME", help="Only sources of this outlet.")
@limit_option("sources (the newest)")
@format_option()
@pass_app
def list_(app: App, outlet: str | None, limit: int | None, fmt: str) -> None:
    """List sources, newest first.

    \b
    Example:
      factdb source list --outlet AFP --format markdown
      factdb source list --limit 20
    """
    with app.reading() as session:
        rows = source_rows(session, outlet=outlet, limit=None if limit is None else limit + 1)
    rows = limited(rows, limit, "sources")
    if fmt not in ("json", "csv"):  # JSON and CSV keep it empty: no outlet known
        rows = [{**row, "outlet": outlet_text(row["outlet"])} for row in rows]
    echo(render_listing(SOURCE_COLUMNS, rows, fmt))


@source.command("show")
@click.argument("key", shell_complete=source_keys)
@format_option()
@pass_app
def show(app: App, key: str, fmt: str) -> None:
    """Show a source by key or URL, with its versions (oldest first) when it has others.

    \b
    Example:
      factdb source show afp-2011-07-10 --format json
    """
    with app.reading() as session:
        record = source_record(session, key)
    if fmt not in ("json", "csv"):
        record["outlet"] = outlet_text(record["outlet"])
    echo(render_record(record, fmt, title=record["key"]))


@source.command("edit")
@click.argument("key")
@click.option("--kind", "kind", type=Choice(SOURCE_KINDS), help="What the document is.")
@click.option("--outlet", "--publisher", "outlet", metavar="NAME", help='The publisher ("" for none known).')
@click.option("--title")
@click.option("--url", help="New URL (\"\" clears it).")
@click.option("--author", "authors", multiple=True, help="Replaces the authors (repeatable).")
@click.option("--published", metavar="DATE", help="New date (\"\" makes it unknown).")
@click.option("--republishes", metavar="SOURCE", help="(\"\" clears it).")
@click.option("--updates", metavar="SOURCE", help="The earlier version this source updates (\"\" clears it).")
@click.option("--published-time", metavar="HH:MM", help='Time of day printed ("" clears it).')
@click.option("--modified-time", metavar="HH:MM", help='Time of day of the last change printed ("" clears it).')
@click.option("--text-state", type=Choice((*TEXT_STATES, "")), help='truncated or garbled ("" clears it).')
@click.option("--note")
@pass_app
def edit(
    app: App,
    key: str,
    outlet: str | None,
    title: str | None,
    url: str | None,
    authors: tuple[str, ...],
    published: str | None,
    republishes: str | None,
    note: str | None,
    kind: str | None,
    published_time: str | None,
    modified_time: str | None,
    text_state: str | None,
    updates: str | None,
) -> None:
    """Change fields of a source.

    \b
    Example:
      factdb source edit afp-2011-07-10 --published 2011-07-10 --author "Mathieu Rabechault"
    """
    require_a_change(
        outlet=outlet, title=title, url=url, authors=authors, published=published, republishes=republishes, note=note,
        kind=kind, published_time=published_time, modified_time=modified_time, text_state=text_state, updates=updates,
    )  # fmt: skip
    with app.transaction() as session:
        changed = edit_source(
            session,
            key,
            outlet=outlet,
            title=title,
            url=url,
            authors=list(authors) if authors else None,
            published_on=published,
            republishes=republishes,
            note=note,
            kind=kind,
            published_time=published_time,
            modified_time=modified_time,
            text_state=text_state,
            updates=updates,
        )
        done = f'Updated source {changed.id} "{changed.key}".'
    echo(done)  # after COMMIT


@source.command("delete")
@click.argument("key")
@pass_app
def delete(app: App, key: str) -> None:
    """Delete a source no statement cites (otherwise: refused, naming the statements).

    \b
    Example:
      factdb source delete afp-2011-07-10
    """
    with app.transaction() as session:
        deleted = delete_source(session, key)
    echo(f'Deleted source "{deleted}".')


@source.command("attach-text")
@click.argument("source")
@click.argument(
    "text_file", metavar="FILE", type=FilePath(exists=True, dir_okay=False, path_type=Path, allow_dash=True)
)
@format_option()
@pass_app
def attach_text(app: App, source: str, text_file: Path, fmt: str) -> None:
    """Store a source's text (kept local; `export --with-texts` carries it) and check its quotes in it.

    Every direct quote of the source is looked for (white space and typographic quotes
    normalized) and anchored; attaching changed text again reports quotes that moved or
    vanished. FILE may be - for standard input.

    \b
    Example:
      factdb source attach-text afp-2011-07-10-us-forces-pursue article.txt
    """
    try:
        with click.open_file(str(text_file), "rb") as stream:  # "-" is standard input
            raw = stream.read()
        content = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidInput(f"{text_file}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    with app.transaction() as session:
        report = attach(session, resolve_source(session, source), content)
    if fmt == "json":
        echo(to_json(report))
        return
    echo(report["summary"] + "\n")
    if report["quotes"]:
        echo(render_listing(["status", "statement", "offset", "quote"], report["quotes"], fmt))
