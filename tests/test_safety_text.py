"""Issue 14: one validation for every write path. Whatever a command accepts exports and
imports again; control characters, direction controls and zero-width characters never make
a name (or an actor) print like another; ``check`` finds names that print alike."""

from __future__ import annotations

import difflib
import json
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import make_database
from faults_support import load_base
from hypothesis import given
from hypothesis import strategies as st
from test_faults_property import SETTINGS, bad_text, command_args, huge_strings

from factdb.cli import cli


def run(url: str, *args: str, **kwargs: Any) -> Any:
    return CliRunner().invoke(cli, ["--db", url, *args], **kwargs)


@pytest.fixture
def base_url(db_url: str, dataset) -> str:
    dataset(load_base)
    return db_url


STATEMENT = "afp-2011-07-10/panetta"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--title", "Defence\nSecretary"], "title: contains a line break; it must be one line"),
        (["--title", "Defence\u2028Secretary"], "title: contains a line break; it must be one line"),
        (["--verb", "v" * 201], "verb: 201 characters is longer than the limit of 200"),
        (["--verb", "sa\nid"], "verb: contains a line break; it must be one line"),
        (["--hedge", "may\x9bbe"], "hedge: contains a control character ('\\x9b'); remove it"),
        (["--note", "a\x85b"], "note: contains a control character ('\\x85'); remove it"),
    ],
)
def test_statement_edit_refuses_what_the_importer_refuses(base_url, counts, args, message):
    before = counts()
    result = run(base_url, "statement", "edit", STATEMENT, *args)
    assert (result.exit_code, result.stderr) == (1, f"Error: {message}\n")
    assert counts() == before


@pytest.mark.parametrize(
    ("name", "message", "import_message"),
    [
        ("Bad\x9b31mName", "contains a control character ('\\x9b'); remove it",
         "contains a control character or line break; remove it"),
        ("\u202eIran", "contains an invisible direction control ('\\u202e'); remove it", None),
        ("\u200b", "must not be empty", None),
    ],
)
def test_control_and_direction_characters_are_refused_in_names_and_actors(
    base_url, counts, tmp_path, name, message, import_message
):
    before = counts()
    added = run(base_url, "entity", "add", name, "--kind", "person")
    assert (added.exit_code, added.stderr) == (1, f"Error: name: {message}\n")
    actor = run(base_url, "--as", name, "claim", "add", "Iran arms militias in Basra")
    assert (actor.exit_code, actor.stderr) == (1, f"Error: --as: {message}\n")
    bundle = tmp_path / "b.jsonl"
    bundle.write_text(json.dumps({"type": "entity", "name": name, "kind": "person"}) + "\n", encoding="utf-8")
    imported = run(base_url, "import", str(bundle))
    assert imported.exit_code == 1
    assert imported.stderr.splitlines()[0] == f"{bundle}:1: entity.name: {import_message or message}"
    assert counts() == before


def test_zero_width_characters_are_folded_out_of_names(base_url, counts, tmp_path):
    before = counts()
    lookalike = run(base_url, "entity", "add", "Ir\u200ban", "--kind", "government")
    assert (lookalike.exit_code, lookalike.stderr) == (
        1, 'Error: The name "Iran" already belongs to entity "Iran" (government).\n')
    bundle = tmp_path / "b.jsonl"
    bundle.write_text(json.dumps({"type": "entity", "name": "Ira\u2060n", "kind": "government"}) + "\n",
                      encoding="utf-8")
    imported = run(base_url, "import", str(bundle), "--summary-format", "json")
    assert imported.exit_code == 0, imported.output
    assert json.loads(imported.stdout)["counts"]["entity"] == {"created": 0, "updated": 0, "unchanged": 1}
    added = run(base_url, "entity", "add", "Mo\u200bhammad Ja\u00advad Za\u200crif", "--kind", "person")
    assert added.exit_code == 0, added.output
    shown = json.loads(run(base_url, "entity", "show", "Mohammad Javad Zarif", "--format", "json").stdout)
    assert shown["name"] == "Mohammad Javad Zarif"
    persian = run(base_url, "entity", "add", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", "--kind", "person")
    assert persian.exit_code == 0, persian.output  # a ZWNJ inside a Persian word spells: kept
    assert counts()["entities"] == before["entities"] + 2


def test_check_finds_short_names_that_print_alike(base_url):
    added = run(base_url, "entity", "add", "\u0406ran", "--kind", "government")  # a Cyrillic І
    assert added.exit_code == 0, added.output
    result = run(base_url, "check", "--format", "json")
    findings = [f for f in json.loads(result.stdout) if f["code"] == "duplicate-entity"]
    assert [(f["subject"], f["message"]) for f in findings] == [(
        "Iran | \u0406ran",
        '"Iran" and "\u0406ran" look the same but are different entities (letters of another script); '
        "merge them, or rename the one misspelt",
    )]


# --- whatever the CLI accepts, export then import into an empty database gives the same export ---

edit_args = st.tuples(
    st.sampled_from(["--title", "--verb", "--hedge", "--note", "--quote"]),
    st.one_of(bad_text, huge_strings, st.text(min_size=1, max_size=30)),
).map(lambda option: ["statement", "edit", STATEMENT, *option])
accepted_commands = st.lists(st.one_of(command_args, edit_args), min_size=1, max_size=4)


@pytest.mark.slow  # generated commands, each followed by an export and an import: .ci/run runs it
@SETTINGS
@given(commands=accepted_commands)
def test_what_the_cli_accepts_exports_and_imports_again(base_url, tmp_path, sqlite_template, commands):
    """The first database keeps what every example wrote; each export goes into a new empty one."""
    for args in commands:
        run(base_url, *args)
    first = run(base_url, "export", "--format", "jsonl")
    assert first.exit_code == 0, first.output
    bundle = tmp_path / "all.jsonl"
    bundle.write_bytes(first.stdout_bytes)
    folder = tmp_path / "empty"
    folder.mkdir(exist_ok=True)
    databases = make_database("sqlite" if base_url.startswith("sqlite") else "postgresql", folder, sqlite_template)
    empty_url = next(databases)
    try:
        imported = run(empty_url, "import", str(bundle))
        assert imported.exit_code == 0, (commands, imported.output)
        again = run(empty_url, "export", "--format", "jsonl")
        changed = difflib.unified_diff(first.stdout.splitlines(), again.stdout.splitlines(), lineterm="", n=0)
        assert again.stdout_bytes == first.stdout_bytes, (commands, "\n".join(list(changed)[:12])[:4000])
    finally:
        databases.close()
