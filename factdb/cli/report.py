"""``factdb report``: the attribution reports (claim dossier, entity, contested, sourcing,
timeline). Each command parses, calls one function of :mod:`factdb.reports`, renders."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click
from sqlalchemy.orm import Session

from factdb.cli.common import REPORT_FORMATS, App, Choice, echo, format_option, include_retracted_option, pass_app
from factdb.cli.completion import claim_keys, entity_names
from factdb.reports import (
    claim_report,
    contested_report,
    entity_report,
    render_report,
    sourcing_report,
    timeline_report,
)

__all__ = ["report"]

def _render(app: App, build: Callable[[Session], dict[str, Any]], fmt: str) -> None:
    with app.reading() as session:
        data = build(session)
    echo(render_report(data, fmt))


@click.group()
def report() -> None:
    """Attribution reports: a claim's dossier, an entity, contested claims, sourcing, timeline.

    \b
    Every report takes --format table|json|csv|markdown|html:
      factdb report claim iran-arms-militias --format html > dossier.html
    """


@report.command("claim")
@click.argument("claim", shell_complete=claim_keys)
@include_retracted_option()
@format_option(REPORT_FORMATS)
@pass_app
def claim_command(app: App, claim: str, include_retracted: bool, fmt: str) -> None:
    """The dossier of CLAIM (its key or id): summary, each side by party, every statement.

    \b
    Example:
      factdb report claim iran-arms-militias
      factdb report claim iran-arms-militias --format markdown --include-retracted
    """
    _render(app, lambda session: claim_report(session, claim, include_retracted=include_retracted), fmt)


@report.command("entity")
@click.argument("name", shell_complete=entity_names)
@include_retracted_option()
@format_option(REPORT_FORMATS)
@pass_app
def entity_command(app: App, name: str, include_retracted: bool, fmt: str) -> None:
    """What NAME (any alias) asserted or disputed, who disputes it, whose claims it disputes.

    \b
    Example:
      factdb report entity Tehran
    """
    _render(app, lambda session: entity_report(session, name, include_retracted=include_retracted), fmt)


@report.command("contested")
@click.option("--tag", help="Only claims with this tag.")
@click.option("--since", metavar="DATE", help="Count only statements said on or after DATE (YYYY[-MM[-DD]]).")
@click.option("--until", metavar="DATE", help="Count only statements said on or before DATE (YYYY[-MM[-DD]]).")
@click.option("--speaker", metavar="NAME", help="Only claims on which NAME made a statement.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="How many claims.")
@format_option(REPORT_FORMATS)
@pass_app
def contested_command(
    app: App, tag: str | None, since: str | None, until: str | None, speaker: str | None, limit: int, fmt: str
) -> None:
    """Claims with statements on both sides, most contested first (the smaller side's distinct
    speakers, then the number of statements).

    \b
    Example:
      factdb report contested --tag iraq --since 2011 --limit 10
    """
    _render(
        app,
        lambda session: contested_report(session, tag=tag, since=since, until=until, speaker=speaker, limit=limit),
        fmt,
    )


@report.command("sourcing")
@click.option("--tag", help="Only claims with this tag.")
@click.option("--all", "include_unflagged", is_flag=True, help="List claims without any weakness too.")
@format_option(REPORT_FORMATS)
@pass_app
def sourcing_command(app: App, tag: str | None, include_unflagged: bool, fmt: str) -> None:
    """Claims whose sourcing is weak: one outlet, one wire story, anonymous speakers only, one
    party only, no quote, unknown dates.

    \b
    Example:
      factdb report sourcing --tag iraq --format markdown
    """
    _render(app, lambda session: sourcing_report(session, tag=tag, include_unflagged=include_unflagged), fmt)


@report.command("timeline")
@click.option("--claim", metavar="CLAIM", help="Only this claim's statements.")
@click.option("--tag", help="Only statements on claims with this tag.")
@click.option("--speaker", metavar="NAME", help="Only this speaker's statements.")
@click.option("--by", type=Choice(["year", "month"]), default="year", show_default=True, help="Period length.")
@include_retracted_option()
@format_option(REPORT_FORMATS)
@pass_app
def timeline_command(
    app: App, claim: str | None, tag: str | None, speaker: str | None, by: str, include_retracted: bool, fmt: str
) -> None:
    """Statements over time: supporting and opposing counts per year or month.

    \b
    Example:
      factdb report timeline --claim iran-arms-militias --by month
    """
    _render(
        app,
        lambda session: timeline_report(
            session, claim=claim, tag=tag, speaker=speaker, by=by, include_retracted=include_retracted
        ),
        fmt,
    )
