"""``factdb check``: data-quality findings."""

from __future__ import annotations

import click

from factdb.checks import SEVERITIES, at_least, run_checks
from factdb.cli.common import App, Choice, echo, format_option, pass_app
from factdb.render import render_listing

FINDING_COLUMNS = ("severity", "code", "subject", "message")


@click.command()
@click.option("--fail-on", type=Choice(SEVERITIES), default="error", show_default=True,
              help="Exit 1 when a finding is at least this severe.")
@format_option()
@pass_app
def check(app: App, fail_on: str, fmt: str) -> None:
    """Data-quality findings, most severe first: severity, code, subject, message.

    \b
    Example:
      factdb check
      factdb check --fail-on warning --format json
    """
    with app.reading() as session:
        findings = run_checks(session)
    echo(render_listing(FINDING_COLUMNS, findings, fmt))
    failing = at_least(findings, fail_on)
    if failing:
        raise click.ClickException(f"{len(failing)} finding(s) at {fail_on} or above.")
