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


# --- history across the database; deleted and merged-away keys ----------------------------------


def _merge_story(invoke) -> None:
    for args in (
        ["--as", "Ann", "entity", "add", "Ketaeb Hezbollah", "--kind", "armed-group"],
        ["--as", "Ann", "entity", "add", "Kataib Hezbollah", "--kind", "armed-group", "--alias", "KH"],
        ["--as", "Bob", "entity", "merge", "Ketaeb Hezbollah", "Kataib Hezbollah"],
        ["--as", "Bob", "claim", "add", "Iran arms militias in Iraq", "--key", "iran-arms"],
        ["--as", "Bob", "claim", "delete", "iran-arms"],
    ):
        result = invoke(*args)
        assert result.exit_code == 0, (args, result.output)


def test_history_without_argument_lists_recent_changes_one_per_command(db_url, invoke) -> None:
    _merge_story(invoke)
    changes = _history(invoke)
    assert [(c["who"], c["entries"], c["summary"]) for c in changes] == [
        ("Bob", 1, "delete claim iran-arms"),
        ("Bob", 1, "insert claim iran-arms"),
        ("Bob", 3,
         '"Ketaeb Hezbollah" merged into "Kataib Hezbollah"; merge name Ketaeb Hezbollah; '
         "merge entity Ketaeb Hezbollah"),
        ("Ann", 3,
         "insert entity Kataib Hezbollah; insert 2 names"),
        ("Ann", 2,
         "insert entity Ketaeb Hezbollah; insert name Ketaeb Hezbollah"),
    ]
    assert [c["change"] for c in changes] == sorted((c["change"] for c in changes), reverse=True)
    assert [c["summary"] for c in _history(invoke, "--actor", "Ann", "--limit", "1")] == [
        "insert entity Kataib Hezbollah; insert 2 names"]
    assert _history(invoke, "--since", "2999-01-01") == []
    assert len(_history(invoke, "--since", changes[0]["when"])) >= 1
    table = invoke("history", "--limit", "3")
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["change", "when", "who", "summary"]
    assert max(len(line) for line in lines) <= 80
    assert "merged" in table.stdout and "{" not in table.stdout  # names, never a dict


def test_merge_entries_show_names_and_the_winner_shows_the_losers_past(db_url, invoke) -> None:
    _merge_story(invoke)
    rows = _history(invoke, "--entity", "Kataib Hezbollah")
    assert [(r["who"], r["action"], r["table"], r["key"]) for r in rows] == [
        ("Ann", "insert", "entities", "Ketaeb Hezbollah"),  # the loser's own past
        ("Ann", "insert", "entity_names", "Ketaeb Hezbollah"),
        ("Ann", "insert", "entities", "Kataib Hezbollah"),
        ("Ann", "insert", "entity_names", "Kataib Hezbollah"),
        ("Ann", "insert", "entity_names", "KH"),
        ("Bob", "merge", "entity_names", "Ketaeb Hezbollah"),
        ("Bob", "merge", "entities", "Ketaeb Hezbollah"),
        ("Bob", "merge", "entities", "Kataib Hezbollah"),
    ]
    assert rows[-1]["changes"] == '"Ketaeb Hezbollah" merged into "Kataib Hezbollah"'


def test_a_deleted_claims_key_keeps_resolving_for_history(db_url, invoke) -> None:
    _merge_story(invoke)
    assert invoke("claim", "show", "iran-arms").exit_code == 1
    rows = _history(invoke, "iran-arms")
    assert [(r["who"], r["action"], r["key"]) for r in rows] == [("Bob", "insert", "iran-arms"), ("Bob", "delete", "iran-arms")]
    refused = invoke("history", "iran-armz")
    assert (refused.exit_code, refused.stderr) == (1, 'Error: No claim named "iran-armz".\n')
