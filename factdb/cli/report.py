"""``factdb report``: the attribution reports (claim dossier, entity, contested, sourcing,
timeline). Each command parses, calls one function of :mod:`factdb.reports`, renders."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from typing import Any

import click
from sqlalchemy.orm import Session

from factdb.cli.common import (
    REPORT_FORMATS,
    App,
    Choice,
    FilePath,
    echo,
    format_option,
    include_retracted_option,
    limit_option,
    pass_app,
)
from factdb.cli.completion import claim_keys, entity_names
from factdb.reports import (
    claim_report,
    contested_report,
    entity_report,
    render_report,
    sourcing_report,
    timeline_report,
)
from factdb.reports.render import SIDE_COLOURS
from factdb.reports.site import build_site
from factdb.sourcing import FLAGS

__all__ = ["report"]

_pager_option = click.option(
    "--no-pager", is_flag=True, help="At a terminal, print everything at once instead of through a pager."
)


def _terminal() -> bool:
    return sys.stdout.isatty()


def _colour(marker: str, text: str) -> str:
    return click.style(text, fg=SIDE_COLOURS[marker], bold=marker != "[x]")


def _render(app: App, build: Callable[[Session], dict[str, Any]], fmt: str, no_pager: bool = False) -> None:
    """Run a report and print it: at a terminal, side markers coloured (never with NO_COLOR)
    and long output through a pager (``$PAGER``, else ``less``) unless ``--no-pager``; piped
    or redirected, plain and unwrapped (``COLUMNS`` wraps it)."""
    with app.reading() as session:
        data = build(session)
    terminal = _terminal()
    colour = _colour if fmt == "table" and terminal and not os.environ.get("NO_COLOR") else None
    text = render_report(data, fmt, colour=colour)
    if terminal and not no_pager and text.count("\n") >= shutil.get_terminal_size().lines:
        # colour None lets click pass less "-R" (LESS unset) or strip the colours (another
        # pager, or a LESS without -R); True made less show every escape as "ESC[32m"
        click.echo_via_pager(text, color=None if colour is not None else False)
        return
    echo(text, color=colour is not None)


@click.group()
def report() -> None:
    """Attribution reports: a claim's dossier, an entity, contested claims, sourcing, timeline, a site.

    \b
    Every report takes --format table|json|csv|markdown|html:
      factdb report claim iran-arms-militias --format html > dossier.html
    """


@report.command("claim")
@click.argument("claim", shell_complete=claim_keys)
@include_retracted_option()
@limit_option("statements (the summary still counts them all)")
@format_option(REPORT_FORMATS)
@_pager_option
@pass_app
def claim_command(
    app: App, claim: str, include_retracted: bool, limit: int | None, fmt: str, no_pager: bool
) -> None:
    """The dossier of CLAIM (its key or id): summary, each side by party, every statement.

    \b
    Example:
      factdb report claim iran-arms-militias
      factdb report claim iran-arms-militias --format markdown --include-retracted
    """
    _render(
        app, lambda session: claim_report(session, claim, include_retracted=include_retracted, limit=limit), fmt,
        no_pager,
    )  # fmt: skip


@report.command("entity")
@click.argument("name", shell_complete=entity_names)
@include_retracted_option()
@limit_option("claims (the summary still counts them all)")
@format_option(REPORT_FORMATS)
@_pager_option
@pass_app
def entity_command(
    app: App, name: str, include_retracted: bool, limit: int | None, fmt: str, no_pager: bool
) -> None:
    """What NAME (any alias) asserted or disputed, who disputes it, whose claims it disputes.

    \b
    Example:
      factdb report entity Tehran
    """
    _render(
        app, lambda session: entity_report(session, name, include_retracted=include_retracted, limit=limit), fmt,
        no_pager,
    )  # fmt: skip


@report.command("contested")
@click.option("--tag", help="Only claims with this tag.")
@click.option("--since", metavar="DATE", help="Count only statements said on or after DATE (YYYY[-MM[-DD]]).")
@click.option("--until", metavar="DATE", help="Count only statements said on or before DATE (YYYY[-MM[-DD]]).")
@click.option("--speaker", metavar="NAME", help="Only claims on which NAME made a statement.")
@click.option(
    "--rated", metavar="RATING",
    help='Only claims a reviewer rated so ("mostly true"; "false": every rating saying false).',
)  # fmt: skip
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="How many claims.")
@format_option(REPORT_FORMATS)
@_pager_option
@pass_app
def contested_command(
    app: App, tag: str | None, since: str | None, until: str | None, speaker: str | None, rated: str | None,
    limit: int, fmt: str, no_pager: bool,
) -> None:  # fmt: skip
    """Claims with statements on both sides, most contested first (the smaller side's distinct
    speakers, then the number of statements).

    \b
    Example:
      factdb report contested --tag iraq --since 2011 --limit 10
      factdb report contested --rated false
    """
    _render(
        app,
        lambda session: contested_report(
            session, tag=tag, since=since, until=until, speaker=speaker, rated=rated, limit=limit
        ),
        fmt,
        no_pager,
    )


@report.command("sourcing")
@click.option("--tag", help="Only claims with this tag.")
@click.option("--all", "include_unflagged", is_flag=True, help="List claims without any weakness too.")
@click.option("--flag", type=click.Choice(FLAGS), help="Only claims with this flag.")
@limit_option("claims (total says how many there are)")
@format_option(REPORT_FORMATS)
@_pager_option
@pass_app
def sourcing_command(
    app: App, tag: str | None, include_unflagged: bool, flag: str | None, limit: int | None, fmt: str,
    no_pager: bool,
) -> None:  # fmt: skip
    """Claims whose sourcing is weak: one outlet, one wire story, anonymous speakers only, one
    party only, no direct quote, no verified quote, rated false yet still carried, unknown
    dates.

    \b
    Example:
      factdb report sourcing --tag iraq --format markdown
      factdb report sourcing --flag rated-false --limit 50
    """
    _render(
        app,
        lambda session: sourcing_report(
            session, tag=tag, include_unflagged=include_unflagged, flag=flag, limit=limit
        ),
        fmt,
        no_pager,
    )


@report.command("timeline")
@click.option("--claim", metavar="CLAIM", help="Only this claim's statements.")
@click.option("--tag", help="Only statements on claims with this tag.")
@click.option("--speaker", metavar="NAME", help="Only this speaker's statements.")
@click.option("--by", type=Choice(["year", "month", "day"]), default="year", show_default=True, help="Period length.")
@include_retracted_option()
@limit_option("statements of the chronology (the periods still count them all)")
@format_option(REPORT_FORMATS)
@_pager_option
@pass_app
def timeline_command(
    app: App, claim: str | None, tag: str | None, speaker: str | None, by: str, include_retracted: bool,
    limit: int | None, fmt: str, no_pager: bool,
) -> None:  # fmt: skip
    """Statements over time: supporting and opposing counts per year, month or day, then the
    chronology (every statement in order, with its date's precision): who said it first.

    \b
    Example:
      factdb report timeline --claim iran-arms-militias --by month
      factdb report timeline --claim iran-arms-militias --by day --limit 20
    """
    _render(
        app,
        lambda session: timeline_report(
            session, claim=claim, tag=tag, speaker=speaker, by=by, include_retracted=include_retracted, limit=limit
        ),
        fmt,
        no_pager,
    )


@report.command("site")
@click.argument("directory", type=FilePath(file_okay=False, writable=True))
@pass_app
def site_command(app: App, directory: str) -> None:
    """Write a static HTML site of the reports into DIRECTORY: an index of every claim, a
    dossier page per claim, entity pages, the contested and sourcing pages, linked to each
    other and to the source URLs. Self-contained: open DIRECTORY/index.html from a disk.

    \b
    Example:
      factdb report site site/ && open site/index.html
    """
    with app.reading() as session:
        done = build_site(session, directory, database=app.url)
    megabytes = done["bytes"] / 1_000_000
    echo(
        f"Wrote {done['pages']:,} pages ({megabytes:,.1f} MB) to {done['directory']}: "
        f"{done['claims']:,} claims, {done['entities']:,} entities; open {done['directory']}/index.html"
    )
