"""``factdb check``: data-quality findings."""

from __future__ import annotations

import click

from factdb.checks import CODES, SEVERITIES, at_least, run_checks, summary
from factdb.cli.common import App, Choice, echo, format_option, limit_option, limited, pass_app
from factdb.render import render_listing

FINDING_COLUMNS = ("severity", "code", "subject", "message")
SUMMARY_COLUMNS = ("severity", "code", "findings")


@click.command()
@click.option("--fail-on", type=Choice(SEVERITIES), default="error", show_default=True,
              help="Exit 1 when a finding is at least this severe.")
@click.option("--code", "codes", multiple=True, type=Choice(tuple(CODES)), metavar="CODE",
              help="Only this kind of finding (repeatable); the other checks do not run.")
@click.option("--summary", "summarize", is_flag=True, help="One row per code: how many findings it has.")
@limit_option("findings (the most severe; --fail-on still counts them all)")
@format_option()
@pass_app
def check(app: App, fail_on: str, codes: tuple[str, ...], summarize: bool, limit: int | None, fmt: str) -> None:
    """Data-quality findings, most severe first: severity, code, subject, message.

    \b
    Example:
      factdb check
      factdb check --fail-on warning --format json
      factdb check --summary
      factdb check --code duplicate-entity --code duplicate-claim --limit 20
    """
    with app.reading() as session:
        findings = run_checks(session, codes or None)
    if summarize:
        echo(render_listing(SUMMARY_COLUMNS, summary(findings), fmt))
    else:
        echo(render_listing(FINDING_COLUMNS, limited(findings, limit, "findings"), fmt))
    failing = at_least(findings, fail_on)
    if failing:
        raise click.ClickException(f"{len(failing)} finding(s) at {fail_on} or above.")
