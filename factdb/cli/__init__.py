"""The ``factdb`` command line: Click commands only, one module per command group.

Nothing here imports SQLAlchemy; commands import the library when they run.
"""

from __future__ import annotations

import gc
import importlib
import os
import shlex
import sys
from typing import Any

import click

from factdb import __version__
from factdb.cli.common import App, OneLineUsage, WrongCall, one_line_usage, translate_error
from factdb.db import mask_secrets
from factdb.normalize import printable

__all__ = ["cli", "main"]


class FactdbGroup(OneLineUsage, click.Group):
    """The root group: loads subcommands lazily, and maps every usage error (its own and its
    subcommands') and every library and database failure to one line on stderr."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        for position, arg in enumerate(args, start=1):
            try:
                arg.encode("utf-8")
            except UnicodeEncodeError:
                # the OS handed bytes that are not UTF-8 (as surrogates): nothing can store them
                raw = arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
                raise WrongCall(f'factdb: argument {position} ("{raw}") is not UTF-8 text.') from None
        # the command as given, for history: also right when called from Python (CliRunner,
        # cli.main(args)), where sys.argv is someone else's command line
        ctx.meta["factdb.args"] = list(args)
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(COMMANDS) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            self.add_command(load_command(cmd_name), cmd_name)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            loaded = self.commands.get(name)
            if loaded is not None:
                if loaded.hidden:
                    continue
                rows.append((name, loaded.get_short_help_str(limit)))
            else:
                # the short help Click would make from the first paragraph (without loading the module)
                rows.append((name, click.Command(name, help=COMMANDS[name][2]).get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as error:
            raise one_line_usage(error) from None
        except click.ClickException as error:
            if printable(error.message) == error.message:
                raise
            # one line, whatever file name it quotes
            clean = click.ClickException(printable(error.message))
            clean.exit_code = error.exit_code  # type: ignore[misc]  # a ClassVar in Click's types, read per instance
            raise clean from None
        except (click.exceptions.Exit, click.Abort, KeyboardInterrupt, BrokenPipeError):
            raise  # a broken pipe (`factdb check | head`): Click's main ends quietly
        except Exception as error:  # the one place errors become messages
            translated = translate_error(error)
            if translated is not None:
                raise translated from None
            if os.environ.get("FACTDB_DEBUG"):
                raise
            message = mask_secrets(f"internal error: {type(error).__name__}: {error}".splitlines()[0])
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
    envvar="FACTDB_ACTOR",
    help="Who is making the change, as recorded in history (default: $FACTDB_ACTOR, else the OS user).",
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
    app.command_line = recorded_command(ctx.meta.get("factdb.args", sys.argv[1:]))


def recorded_command(args: list[str]) -> str:
    """The command line kept in history, with every password masked (``--db`` URLs, any URL)."""
    return "factdb " + shlex.join(mask_secrets(part) for part in args) if args else "factdb"


# Subcommands load on first use (click's lazy-loading pattern): `factdb --help` and each
# command import only their own module. The first paragraph of each command's help is kept
# here for the command list; tests/test_docs.py checks it against the real commands.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "attribute": ("factdb.cli.statement", "attribute", "Record that a speaker takes a stance on a claim, in a source."),
    "check": (
        "factdb.cli.check",
        "check",
        "Data-quality findings, most severe first: severity, code, subject, message.",
    ),
    "claim": ("factdb.cli.claim", "claim", "Propositions, worded neutrally, that people assert or dispute."),
    "dispute": (
        "factdb.cli.statement",
        "dispute",
        "Record a denial (or, with --stance disputes, a doubt): attribute with stance denies.",
    ),
    "entity": (
        "factdb.cli.entity",
        "entity",
        "People, organizations, governments, armed groups and media outlets.",
    ),
    "export": (
        "factdb.cli.interchange",
        "export",
        "Export the database (or one claim with everything it needs) as a bundle or ClaimReview.",
    ),
    "extract": (
        "factdb.cli.extract",
        "extract",
        "Propose the statements of an article: speaker, cue, content, stance, certainty, via, date, claim.",
    ),
    "history": (
        "factdb.cli.history",
        "history",
        "Every change to a claim and its statements: when, who, command, before -> after.",
    ),
    "import": (
        "factdb.cli.interchange",
        "import_bundle",
        "Import a bundle, a spreadsheet, ClaimReview or a fact-checkers' feed in one transaction. Idempotent.",
    ),
    "info": (
        "factdb.cli.database",
        "info",
        "Show the database in use, its schema revision and row counts per table.",
    ),
    "init": ("factdb.cli.database", "init", "Create the database, or upgrade it to the newest schema."),
    "report": (
        "factdb.cli.report",
        "report",
        "Attribution reports: a claim's dossier, an entity, contested claims, sourcing, timeline, a site.",
    ),
    "roles": ("factdb.cli.roles", "roles", "Database roles for a team (PostgreSQL): a reader and an editor."),
    "search": (
        "factdb.cli.search",
        "search",
        "Claims and quotes matching TEXT, best first; matched words are highlighted.",
    ),
    "seed": (
        "factdb.cli.interchange",
        "seed",
        "Load the seed dataset (every seeds/*.yaml file, as one bundle). Idempotent.",
    ),
    "source": (
        "factdb.cli.source",
        "source",
        "Documents that report statements: articles, press releases, transcripts.",
    ),
    "statement": ("factdb.cli.statement", "statement", "List, show, edit, delete and retract statements."),
    "undo": (
        "factdb.cli.undo",
        "undo",
        "Revert the last command you ran (or change CHANGE, a number `factdb history` shows).",
    ),
}


def load_command(name: str) -> click.Command:
    """Import and return the command registered as ``name``."""
    module_name, attribute, _help = COMMANDS[name]
    command: click.Command = getattr(importlib.import_module(module_name), attribute)
    return command


# One command is one short process that may build a list of a million records (a whole
# database's timeline, an entity's statements): with Python's default thresholds the cycle
# collector walks all of them again and again (40% of a 100k-statement `report timeline`).
# Collect rarely instead; factdb makes next to no reference cycles.
GC_THRESHOLDS = (100_000, 50, 100)


def main() -> None:
    gc.set_threshold(*GC_THRESHOLDS)
    cli(prog_name="factdb")  # Click ends quietly (exit 1) on a broken pipe
