"""Hypothesis over argv, for every command: whatever a user types, factdb answers with a
result or one clear line, never an internal error or a traceback.

Each example is a command of the tree (every group walked, every leaf command) followed by a
few tokens drawn from that command's own options and choices, names the seed-000 session
knows, dates good and bad, hostile text and arguments that are not UTF-8. Assertions per
example: exit 0, 1 or 2; no traceback and no ``internal error``; a non-zero exit prints
nothing on stdout (``check --fail-on`` lists its findings first) and exactly one line on
stderr (``import`` may list its file's problems, one per line, before that line).

The fast run (about 10 s) is in every suite run; ``FACTDB_TEST_SLOW=1`` (``.ci/run``) adds
the long one, 2,500 invocations as in the review that found 86 internal errors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from factdb.cli import cli


def _leaves() -> list[tuple[list[str], click.Command]]:
    ctx = click.Context(cli)
    found: list[tuple[list[str], click.Command]] = []

    def walk(group: click.Group, path: list[str]) -> None:
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            assert command is not None, name
            if isinstance(command, click.Group):
                walk(command, [*path, name])
            else:
                found.append(([*path, name], command))

    walk(cli, [])
    return found


LEAVES = _leaves()
KNOWN = [
    "Iran", "Tehran", "Leon Panetta", "Iran state television", "AFP", "iran-arms-militias", "afp-2011-07-10",
    "iran", "1", "2", "99", "2011", "2011-07", "2011-07-11", "2011-13-01", "-1", "0",
]
HOSTILE = [
    "", " ", "-", "--", "\udcff\udcfe", "caf\udce9", "x\x00y", "a\nb", "\u202eIran", "'; DROP TABLE claims;--",
    "x" * 5000, "%s", "{}", "*", "\"unterminated", "https://example.org/a", "postgresql://u:secret@h/db",
]


def _tokens(command: click.Command) -> st.SearchStrategy[str]:
    options = [opt for p in command.params if isinstance(p, click.Option) for opt in p.opts + p.secondary_opts]
    choices = [str(c) for p in command.params if isinstance(p.type, click.Choice) for c in p.type.choices]
    own = st.sampled_from(options) if options else st.nothing()
    values = st.sampled_from(choices) if choices else st.nothing()
    return st.one_of(own, own, values, st.sampled_from(KNOWN), st.sampled_from(HOSTILE), st.text(max_size=12))


@st.composite
def argv(draw: st.DrawFn) -> list[str]:
    path, command = draw(st.sampled_from(LEAVES))
    if draw(st.integers(0, 19)) == 0:  # a wrong command name now and then
        path = [*path[:-1], draw(st.sampled_from([path[-1][:-1] or "x", path[-1] + "s", "atribute"]))]
    return [*path, *draw(st.lists(_tokens(command), max_size=6))]


def _check(result: Any, args: list[str]) -> None:
    context = (args, result.exit_code, result.output[-1000:], repr(result.exception))
    assert result.exception is None or isinstance(result.exception, SystemExit), context
    assert "Traceback" not in result.output and "internal error" not in result.output, context
    assert result.exit_code in (0, 1, 2), context
    if result.exit_code == 0:
        return
    if args[0] != "check":  # check --fail-on lists the findings, then fails in one line
        assert result.stdout == "", context
    lines = result.stderr.splitlines()
    assert lines and lines[-1].startswith("Error: "), context
    if args[0] == "import":  # a bundle's problems, one per line, then the one Error line
        assert not any(line.startswith("Error: ") for line in lines[:-1]), context
    else:
        assert len(lines) == 1, context


def _fuzz(url: str, args: list[str]) -> None:
    result = CliRunner().invoke(cli, ["--db", url, *args], input="")
    event(f"exit {result.exit_code}")
    _check(result, args)


FAST = settings(max_examples=250, deadline=None, suppress_health_check=list(HealthCheck))
LONG = settings(max_examples=2500, deadline=None, suppress_health_check=list(HealthCheck))


@FAST
@given(args=argv())
def test_any_argv_gets_a_result_or_one_line(replayed_session: str, tmp_path: Path, monkeypatch, args) -> None:
    monkeypatch.chdir(tmp_path)  # export --output and the like write here
    _fuzz(replayed_session, args)


@pytest.mark.slow  # 2,500 invocations: about 2 minutes; .ci/run runs it (FACTDB_TEST_SLOW=1)
@LONG
@given(args=argv())
def test_any_argv_gets_a_result_or_one_line_long(replayed_session: str, tmp_path: Path, monkeypatch, args) -> None:
    monkeypatch.chdir(tmp_path)
    _fuzz(replayed_session, args)
