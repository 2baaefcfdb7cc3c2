"""Trust commands: ``history``, ``check``, ``search`` and ``source attach-text``."""

from __future__ import annotations

from pathlib import Path

import click

from factdb import vocab
from factdb.checks import fails, run_checks
from factdb.cli.common import LIST_FORMATS, App, echo, format_option, pass_app
from factdb.errors import InvalidInput
from factdb.history import history_listing
from factdb.quotes import attach_text as attach
from factdb.render import render_listing, to_json
from factdb.resolver import resolve_source
from factdb.search import SearchFilters
from factdb.search import search as run_search

SEVERITIES = ("error", "warning", "info")


# --- history --------------------------------------------------------------------------------


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
    echo(_render(columns, rows, fmt))


def _render(columns: list[str], rows: list[dict], fmt: str) -> str:
    return render_listing(columns, rows, fmt)


# --- attach-text ----------------------------------------------------------------------------


@click.command("attach-text")
@click.argument("source")
@click.argument("text_file", metavar="FILE", type=click.Path(exists=True, dir_okay=False, path_type=Path, allow_dash=True))
@format_option(LIST_FORMATS)
@pass_app
def attach_text(app: App, source: str, text_file: Path, fmt: str) -> None:
    """Store a source's text (kept local, never exported) and check its direct quotes in it.

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
        echo(_render(["status", "statement", "offset", "quote"], report["quotes"], fmt))


# --- check ----------------------------------------------------------------------------------


@click.command()
@click.option("--fail-on", type=click.Choice(SEVERITIES), default="error", show_default=True,
              help="Exit 1 when a finding is at least this severe.")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True,
              help="text: one finding per line; json: a list of findings.")
@pass_app
def check(app: App, fail_on: str, fmt: str) -> None:
    """Data-quality findings, one per line: SEVERITY  code  subject  message.

    \b
    Example:
      factdb check
      factdb check --fail-on warning --format json
    """
    with app.reading() as session:
        findings = run_checks(session)
    if fmt == "json":
        echo(to_json(findings))
    else:
        for finding in findings:
            click.echo(f"{finding['severity'].upper():<8} {finding['code']}  {finding['subject']}  {finding['message']}")
        if not findings:
            click.echo("No findings.", err=True)
    if fails(findings, fail_on):
        raise click.exceptions.Exit(1)


# --- search ---------------------------------------------------------------------------------


@click.command()
@click.argument("text")
@click.option("--speaker", metavar="NAME", help="Only statements by this speaker (any alias).")
@click.option("--since", metavar="DATE", help="Only statements said on or after DATE (YYYY[-MM[-DD]]).")
@click.option("--until", metavar="DATE", help="Only statements said on or before DATE.")
@click.option("--stance", type=click.Choice(vocab.STANCES), help="Only statements with this stance.")
@click.option("--claim", metavar="KEY", help="Only this claim and its statements.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@format_option(LIST_FORMATS)
@pass_app
def search(app: App, text: str, speaker: str | None, since: str | None, until: str | None,
           stance: str | None, claim: str | None, limit: int, fmt: str) -> None:
    """Claims and quotes matching TEXT, best first; matched words are marked **so**.

    Every word must occur; "double quotes" make a phrase, a trailing * a prefix. Speaker,
    stance and date filters return statements only.

    \b
    Example:
      factdb search "absolutely complicit"
      factdb search weapons --speaker Panetta --since 2011-07 --format json
    """
    filters = SearchFilters(speaker=speaker, stance=stance, since=since, until=until, claim=claim, limit=limit)
    with app.reading() as session:
        results = run_search(session, text, filters)
    columns = ["kind", "claim", "speaker", "stance", "said_on", "snippet"]
    echo(_render(columns, results, fmt))
