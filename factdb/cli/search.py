"""``factdb search``: claims and quotes matching words."""

from __future__ import annotations

import click

from factdb import vocab
from factdb.cli.common import LIST_FORMATS, App, echo, format_option, pass_app
from factdb.render import render_listing
from factdb.search import SearchFilters
from factdb.search import search as run_search


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
    echo(render_listing(columns, results, fmt))
