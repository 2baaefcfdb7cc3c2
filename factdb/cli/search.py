"""``factdb search``: claims and quotes matching words."""

from __future__ import annotations

import click

from factdb import vocab
from factdb.cli.common import LIST_FORMATS, App, Choice, echo, format_option, pass_app, terminal_style
from factdb.render import render_listing, speaker_text, text_table
from factdb.search import SearchFilters
from factdb.search import search as run_search


@click.command()
@click.argument("text")
@click.option("--speaker", metavar="NAME", help="Only statements by this speaker (any alias).")
@click.option("--since", metavar="DATE", help="Only statements said on or after DATE (YYYY[-MM[-DD]]).")
@click.option("--until", metavar="DATE", help="Only statements said on or before DATE.")
@click.option("--stance", type=Choice(vocab.STANCES), help="Only statements with this stance.")
@click.option("--claim", metavar="KEY", help="Only this claim and its statements.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@format_option(LIST_FORMATS)
@pass_app
def search(app: App, text: str, speaker: str | None, since: str | None, until: str | None,
           stance: str | None, claim: str | None, limit: int, fmt: str) -> None:
    """Claims and quotes matching TEXT, best first; matched words are highlighted.

    Searches quotes, hedges and notes, speakers' names and sources' titles. Every word must
    occur; "double quotes" make a phrase, a trailing * a prefix. Speaker, stance and date
    filters return statements only. At a terminal the matched words are bold (not with
    NO_COLOR, not when piped); JSON gives their offsets in the snippet.

    \b
    Example:
      factdb search "absolutely complicit"
      factdb search weapons --speaker Panetta --since 2011-07 --format json
    """
    filters = SearchFilters(speaker=speaker, stance=stance, since=since, until=until, claim=claim, limit=limit)
    with app.reading() as session:
        results = run_search(session, text, filters)
    columns = ["kind", "claim", "speaker", "stance", "said_on", "snippet"]
    if fmt != "json":
        results = [dict(r, speaker=speaker_text(r["speaker"]) if r["speaker"] else None) for r in results]
    if fmt == "table" and results:
        style = terminal_style()
        # styles chosen here (FORCE_COLOR included): click must not strip them again
        echo(text_table(columns, results, spans={"snippet": "matches"}, style=style), color=style is not None)
    else:
        echo(render_listing(columns, results, fmt))
