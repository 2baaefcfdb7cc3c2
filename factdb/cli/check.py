"""``factdb check``: data-quality findings."""

from __future__ import annotations

import click

from factdb.checks import SEVERITIES, fails, run_checks
from factdb.cli.common import App, Choice, echo, pass_app
from factdb.render import to_json


@click.command()
@click.option("--fail-on", type=Choice(SEVERITIES), default="error", show_default=True,
              help="Exit 1 when a finding is at least this severe.")
@click.option("--format", "fmt", type=Choice(("text", "json")), default="text", show_default=True,
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
            click.echo(
                f"{finding['severity'].upper():<8} {finding['code']}  {finding['subject']}  {finding['message']}"
            )
        if not findings:
            click.echo("No findings.", err=True)
    if fails(findings, fail_on):
        raise click.exceptions.Exit(1)
