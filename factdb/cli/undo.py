"""``factdb undo``: revert the last command, or one change, from the history it recorded."""

from __future__ import annotations

import click

from factdb.cli.common import App, echo, pass_app


@click.command()
@click.argument("change", required=False, type=click.IntRange(min=1))
@pass_app
def undo(app: App, change: int | None) -> None:
    """Revert the last command you ran (or change CHANGE, a number `factdb history` shows).

    One transaction; refused, naming what depends on it, when a later change would be
    orphaned. The undo is itself in history (and cannot be undone).

    \b
    Example:
      factdb undo
      factdb --as "desk editor" undo 246
    """
    from factdb.undo import undo_change  # the ORM: not on the path of --help

    with app.transaction() as session:
        done = undo_change(session, change)
    entries = f"{done['reverted']} row{'s' if done['reverted'] != 1 else ''}"
    echo(f"Undid change {done['change']} ({done['command'] or 'no command recorded'}): {entries} reverted.")
