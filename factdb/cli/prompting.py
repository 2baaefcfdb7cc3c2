"""Missing values for the daily-use commands.

In a terminal a missing required value is asked for (with its choices); in a script it is an
error: one line on stderr, exit code 2, as every usage error (:class:`common.WrongCall`).
"""

from __future__ import annotations

from typing import Any

import click

from factdb.cli import common


def ask(value: Any, option: str, label: str, *, choices: tuple[str, ...] | None = None, default: Any = None) -> Any:
    """``value`` when given; else a prompt in a terminal; else a one-line error (exit 2)."""
    if value is not None and value != ():
        return value
    if common.is_interactive():
        kind = common.Choice(choices) if choices else click.STRING
        return click.prompt(label, type=kind, default=default, show_choices=bool(choices))
    if default is not None:
        return default
    hint = f" (one of {', '.join(choices)})" if choices else ""
    raise common.WrongCall(f"Missing {option}{hint}.")


def confirm_create(name: str, kind: str) -> bool:
    """In a terminal, ask before creating an entity for an unknown name; in a script, never."""
    if not common.is_interactive():
        return False
    return click.confirm(f'No entity named "{name}". Create it as a {kind}?', default=False)
