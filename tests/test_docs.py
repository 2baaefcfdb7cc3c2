"""Every command has help text and an example in the README (sqlite-utils' test_docs habit)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from factdb.cli import COMMANDS as LAZY_COMMANDS
from factdb.cli import cli, load_command

README = Path(__file__).resolve().parent.parent / "README.md"


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
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


@pytest.mark.parametrize("name", sorted(LAZY_COMMANDS))
def test_lazy_command_list_matches_the_commands(name: str) -> None:
    """The root's command list is shown without importing the commands; it must say what the
    commands themselves say."""
    module, attribute, first_paragraph = LAZY_COMMANDS[name]
    command = load_command(name)
    assert command.help.split("\n\n")[0] == first_paragraph
    assert (command.callback.__module__, command.callback.__name__) == (module, attribute)


def test_help_lists_every_command_without_loading_them() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from factdb.cli import cli\n"
        "try:\n    cli(['--help'], prog_name='factdb')\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('factdb.cli.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert all(f"  {name} " in out for name in LAZY_COMMANDS)
    assert out.strip().splitlines()[-1] == "['factdb.cli.common']"
