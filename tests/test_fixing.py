"""Fixing and undoing: FACTDB_ACTOR, misplaced root options, `statement edit` of who/where/what,
`history` across the database, `undo`, the history of deleted and merged-away rows (both
backends)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from factdb.cli import cli


def _history(invoke, *args: str) -> list[dict]:
    result = invoke("history", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# --- who is acting, and where the root options go ------------------------------------------------


def test_factdb_actor_names_who_acts_and_as_overrides_it(db_url, invoke) -> None:
    invoke("entity", "add", "Iran", "--kind", "government", env={"FACTDB_ACTOR": "night desk"})
    invoke("--as", "Ann", "entity", "edit", "Iran", "--note", "x", env={"FACTDB_ACTOR": "night desk"})
    assert [(row["who"], row["action"], row["table"]) for row in _history(invoke, "--entity", "Iran")] == [
        ("night desk", "insert", "entities"),
        ("night desk", "insert", "entity_names"),
        ("Ann", "update", "entities"),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["entity", "list", "--db", "x.sqlite3"],
         "Error: factdb entity list: --db goes before the command: factdb --db URL|PATH entity list ...\n"),
        (["history", "--as", "Ann", "--entity", "Iran"],
         "Error: factdb history: --as goes before the command: factdb --as NAME history ...\n"),
        (["statement", "edit", "1", "--as", "Ann"],
         "Error: factdb statement edit: --as goes before the command: factdb --as NAME statement edit ...\n"),
    ],
)
def test_a_root_option_after_the_command_gets_a_hint(tmp_path, args, message) -> None:
    result = CliRunner().invoke(cli, args, env={"FACTDB_DATABASE_URL": f"sqlite:///{tmp_path}/none.sqlite3"})
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message)
    assert list(tmp_path.iterdir()) == []
