"""Every command has help text and an example in the README (sqlite-utils' test_docs habit)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from factdb.cli import cli

README = Path(__file__).resolve().parent.parent / "README.md"


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    for name, command in sorted(group.commands.items()):
        if command.hidden:
            continue
        path = (*prefix, name)
        yield path, command
        if isinstance(command, click.Group):
            yield from _commands(command, path)


COMMANDS = list(_commands(cli))


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_command_has_help(path: tuple[str, ...], command: click.Command) -> None:
    assert command.help and command.help.strip(), f"factdb {' '.join(path)} has no help text"


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_command_has_readme_example(path: tuple[str, ...], command: click.Command) -> None:
    readme = README.read_text(encoding="utf-8")
    assert f"factdb {' '.join(path)}" in readme, f"README has no example of factdb {' '.join(path)}"
