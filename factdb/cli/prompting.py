"""Missing values for the daily-use commands.

In a terminal a missing required value is asked for (with its choices); in a script it is an
error: one line on stderr, exit code 2, as every usage error (:class:`common.WrongCall`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from factdb.cli import common

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


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


def choose_entity(name: str, kind: str, suggestions: list[str]) -> str | None:
    """In a terminal, what to do with an unknown name: the suggestions first, numbered
    (``Did you mean 1. Lloyd Austin, 2. Austin Tice? [1/2/c(reate)/n]``), then create it, or
    no. Returns the chosen name, :data:`factdb.entities.CREATE`, or None; in a script, None."""
    from factdb.entities import CREATE  # the ORM: the prompt runs inside a write anyway

    if not common.is_interactive():
        return None
    if not suggestions:
        created = click.confirm(f'No entity named "{name}". Create it as a {kind}?', default=False)
        return CREATE if created else None
    numbers = [str(i) for i in range(1, len(suggestions) + 1)]
    offered = suggestions[0] if len(suggestions) == 1 else ", ".join(
        f"{n}. {text}" for n, text in zip(numbers, suggestions, strict=True)
    )
    answer = click.prompt(
        f'No entity named "{name}". Did you mean {offered}?',
        type=click.Choice([*numbers, "c", "create", "n", "no"], case_sensitive=False),
        default="n",
        show_choices=False,
        show_default=False,
        prompt_suffix=f" [{'/'.join(numbers)}/c(reate)/n]: ",
    ).lower()
    if answer in numbers:
        return suggestions[int(answer) - 1]
    if answer in ("c", "create"):
        return CREATE
    return None


def created_messages(session: Session) -> list[str]:
    """One line per entity a command created for an unknown name (``--create``, a prompt)."""
    from factdb.entities import created_entities

    return [f'Created entity {e.id} "{e.name}" ({e.kind}).' for e in created_entities(session)]
