"""The ``factdb`` command line: Click commands only, one module per command group.

Nothing here imports SQLAlchemy; commands import the library when they run.
"""

from __future__ import annotations

import os
import shlex
import sys

import click

from factdb import __version__
from factdb.cli.common import App, translate_error

__all__ = ["cli", "main"]


class FactdbGroup(click.Group):
    """The root group: maps every library and database failure to one line on stderr."""

    def invoke(self, ctx: click.Context):  # noqa: ANN201
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except Exception as error:  # noqa: BLE001 - the one place errors become messages
            translated = translate_error(error)
            if translated is not None:
                raise translated from None
            if os.environ.get("FACTDB_DEBUG"):
                raise
            message = f"internal error: {type(error).__name__}: {error}".splitlines()[0]
            raise click.ClickException(message + " (set FACTDB_DEBUG=1 for details)") from None
        finally:
            app = ctx.find_object(App)
            if app is not None:
                app.dispose()


@click.group(cls=FactdbGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="factdb")
@click.option(
    "--db",
    "db_option",
    metavar="URL|PATH",
    help="Database: a SQLAlchemy URL or an SQLite file path. "
    "Default: $FACTDB_DATABASE_URL, else factdb.sqlite3 in the user data directory.",
)
@click.option(
    "--as",
    "actor_name",
    metavar="NAME",
    help="Who is making the change, as recorded in history (default: the OS user).",
)
@click.pass_context
def cli(ctx: click.Context, db_option: str | None, actor_name: str | None) -> None:
    """factdb: track contested claims, who made them, in which words, and who disputes them.

    \b
    Start with:
      factdb init            create the database (SQLite by default)
      factdb seed            load the seed dataset
      factdb report claim iran-arms-militias
    """
    app = ctx.ensure_object(App)
    app.db_option = db_option
    app.actor_name = actor_name
    app.command_line = "factdb " + shlex.join(sys.argv[1:]) if sys.argv else "factdb"


def _register() -> None:
    from factdb.cli import database, trust

    for command in (database.init, database.info):
        cli.add_command(command)
    from factdb.cli import claim, entity, report, source, statement

    cli.add_command(entity.entity)
    cli.add_command(source.source)
    cli.add_command(claim.claim)
    cli.add_command(statement.attribute)
    cli.add_command(statement.dispute)
    cli.add_command(statement.statement)
    cli.add_command(report.report)
    cli.add_command(trust.history)
    cli.add_command(trust.check)
    cli.add_command(trust.search)
    source.source.add_command(trust.attach_text)


_register()


def main() -> None:
    cli(prog_name="factdb")
