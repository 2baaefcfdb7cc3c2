"""Missing values and one-line usage errors for the daily-use commands.

In a terminal a missing required value is asked for (with its choices); in a script it is an
error: one line on stderr, exit code 2. Click's own usage errors (a bad choice, an unknown
option) are turned into the same one line, since scripts read the first line of stderr.
"""

from __future__ import annotations

from typing import Any

import click

from factdb.cli import common


class MissingValue(click.ClickException):
    """A wrong call (exit 2) reported on one line, without the usage block."""

    exit_code = 2


def _one_line(error: click.UsageError) -> MissingValue:
    # the root's name is "factdb" for users, whatever name the program was invoked under
    path = error.ctx.command_path.split(" ")[1:] if error.ctx is not None else []
    command = " ".join(["factdb", *path])
    return MissingValue(f"{command}: {error.format_message()}")


class _OneLineParsing:
    """Usage errors while parsing become one line, for commands and groups alike."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)  # type: ignore[misc]
        except MissingValue:
            raise
        except click.UsageError as error:
            raise _one_line(error) from None


class OneLineCommand(_OneLineParsing, click.Command):
    pass


class OneLineGroup(_OneLineParsing, click.Group):
    command_class = OneLineCommand

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except MissingValue:
            raise
        except click.UsageError as error:
            raise _one_line(error) from None


OneLineGroup.group_class = OneLineGroup


def ask(value: Any, option: str, label: str, *, choices: tuple[str, ...] | None = None, default: Any = None) -> Any:
    """``value`` when given; else a prompt in a terminal; else a one-line error (exit 2)."""
    if value is not None and value != ():
        return value
    if common.is_interactive():
        kind = click.Choice(choices) if choices else click.STRING
        return click.prompt(label, type=kind, default=default, show_choices=bool(choices))
    if default is not None:
        return default
    hint = f" (one of {', '.join(choices)})" if choices else ""
    raise MissingValue(f"Missing {option}{hint}.")


def confirm_create(name: str, kind: str) -> bool:
    """In a terminal, ask before creating an entity for an unknown name; in a script, never."""
    if not common.is_interactive():
        return False
    return click.confirm(f'No entity named "{name}". Create it as a {kind}?', default=False)
