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
    table = invoke("history", "--limit", "3", env={"COLUMNS": "80"})
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


# --- undo --------------------------------------------------------------------------------------

# Columns the database or the clock fills in: an undo restores the recorded values, not these.
_CLOCK = {"created_at", "updated_at", "checked_at", "attached_at"}
_BUNDLE = """claims:
  - key: iran-trains-militias
    text: Iran trains Shiite militias in Iraq
"""


def _contents(url: str) -> dict[str, list]:
    """Every row of every table but history, without clock columns, sorted."""
    import sqlalchemy

    from factdb import models as m
    from factdb.db import create_engine

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            out = {}
            for table in m.Base.metadata.sorted_tables:
                if table.name == "history":
                    continue
                columns = [c for c in table.columns if c.name not in _CLOCK]
                rows = conn.execute(sqlalchemy.select(*columns)).all()
                out[table.name] = sorted(tuple(map(repr, row)) for row in rows)
            return out
    finally:
        engine.dispose()


WRITES = [
    ["entity", "add", "Lloyd Austin", "--kind", "person", "--alias", "Austin", "--role", "Secretary", "--of", "Iran"],
    ["entity", "edit", "Iran", "--name", "Islamic Republic of Iran", "--note", "government"],
    ["entity", "alias", "add", "Iran", "Teheran"],
    ["entity", "alias", "remove", "Iran", "Tehran"],
    ["entity", "role", "add", "Leon Panetta", "CIA director", "--until", "2011-06-30"],
    ["entity", "role", "remove", "Leon Panetta", "US Secretary of Defense"],
    ["entity", "delete", "Kataib Hezbollah"],
    ["entity", "merge", "Leon Panetta", "Kataib Hezbollah"],
    ["source", "add", "--key", "reuters-2011", "--outlet", "Reuters", "--create", "--published", "2011-07-05"],
    ["source", "edit", "afp-2011-07-10", "--title", "US forces pursue insurgents"],
    ["source", "attach-text", "afp-2011-07-10", "TEXT"],
    ["claim", "add", "Iran trains militias", "--key", "iran-trains", "--tag", "iran"],
    ["claim", "edit", "iran-arms-militias", "--text", "Iran arms Shiite militias in Iraq"],
    ["claim", "link", "iran-arms-militias", "contradicts", "LINKED"],
    ["claim", "merge", "LINKED", "iran-arms-militias"],
    ["attribute", "iran-arms-militias", "--speaker", "Panetta", "--stance", "acknowledges", "--source",
     "afp-2011-07-10", "--via", "Iran state television"],
    ["dispute", "iran-arms-militias", "--speaker", "Tehran", "--source", "afp-2011-07-10", "--said-on", "2011-07-12"],
    ["statement", "edit", "1", "--stance", "acknowledges", "--quote", "We are concerned."],
    ["statement", "edit", "2", "--speaker", "Panetta", "--via", "AFP", "--source", "afp-2011-07-10"],
    ["statement", "retract", "1", "--reason", "misattributed"],
    ["statement", "delete", "2"],
    ["import", "BUNDLE"],
]


@pytest.mark.parametrize("args", WRITES, ids=lambda a: " ".join(a[:2]))
def test_undo_reverts_every_write_command(replayed_session, invoke, tmp_path, args) -> None:
    if "LINKED" in args:
        assert invoke("claim", "add", "Iran supplies militias", "--key", "iran-supplies").exit_code == 0
        args = [a if a != "LINKED" else "iran-supplies" for a in args]
    text = tmp_path / "article.txt"
    text.write_text("US forces pursue Iraq Shiite insurgents. Tehran denied it.\n", encoding="utf-8")
    bundle = tmp_path / "bundle.yaml"
    bundle.write_text(_BUNDLE, encoding="utf-8")
    args = [str(text) if a == "TEXT" else str(bundle) if a == "BUNDLE" else a for a in args]
    before = _contents(replayed_session)
    done = invoke("--as", "Ann", *args)
    assert done.exit_code == 0, done.output
    assert _contents(replayed_session) != before
    (change,) = [c["change"] for c in _history(invoke, "--limit", "1")]
    undone = invoke("--as", "Ann", "undo")
    assert undone.exit_code == 0, undone.output
    assert undone.stdout.startswith(f"Undid change {change} (")
    assert _contents(replayed_session) == before
    newest = _history(invoke, "--limit", "1")[0]
    assert newest["who"] == "Ann" and newest["summary"].startswith(f"undid change {change} (")
    again = invoke("--as", "Ann", "undo", str(change))
    assert (again.exit_code, again.stderr) == (
        1, f"Error: Change {change} was already undone (by change {newest['change']}).\n")


def test_undo_refuses_when_a_later_change_depends_on_it(replayed_session, invoke, counts) -> None:
    assert invoke("--as", "Ann", "entity", "add", "Lloyd Austin", "--kind", "person").exit_code == 0
    (added,) = [c["change"] for c in _history(invoke, "--limit", "1")]
    assert invoke("--as", "Bob", "attribute", "iran-arms-militias", "--speaker", "Lloyd Austin", "--stance", "asserts",
                  "--source", "afp-2011-07-10").exit_code == 0
    before = counts()
    refused = invoke("--as", "Ann", "undo")
    assert refused.exit_code == 1
    assert refused.stderr.startswith(f'Error: Change {added} cannot be undone: statement "afp-2011-07-10/')
    assert refused.stderr.endswith('" uses its entity "Lloyd Austin"; undo or change that first.\n')
    assert invoke("--as", "Ann", "entity", "edit", "Lloyd Austin", "--note", "Pentagon").exit_code == 0
    assert counts()["history"] == before["history"] + 1
    later = invoke("--as", "Ann", "undo", str(added))
    assert later.exit_code == 1
    assert "later changed its entity Lloyd Austin; undo that change first." in later.stderr
    # undoing the later changes first makes it possible
    assert invoke("--as", "Ann", "undo").exit_code == 0  # the note
    assert invoke("--as", "Bob", "undo").exit_code == 0  # the statement
    assert invoke("--as", "Ann", "undo").stdout.startswith(f"Undid change {added} (")
    assert invoke("entity", "show", "Lloyd Austin").exit_code == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["undo", "99999"], 'Error: No change named "99999".\n'),
        (["--as", "nobody", "undo"], 'Error: No change to undo made as named "nobody".\n'),
    ],
)
def test_undo_refusals(replayed_session, invoke, counts, args, message) -> None:
    before = counts()
    result = invoke(*args)
    assert (result.exit_code, result.stderr) == (1, message)
    assert counts() == before


# --- statement edit: who, where, what ------------------------------------------------------------


def _statement(invoke, ref: str) -> dict:
    result = invoke("statement", "show", ref, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_statement_edit_changes_speaker_source_claim_and_via(replayed_session, invoke) -> None:
    key = _statement(invoke, "2")["key"]
    assert invoke("source", "add", "--key", "reuters-2011-07-05", "--outlet", "Reuters", "--create").exit_code == 0
    assert invoke("claim", "add", "Iran trains militias", "--key", "iran-trains").exit_code == 0
    done = invoke("--as", "Ann", "statement", "edit", "2", "--anonymous", "an Iranian official",
                  "--affiliation", "Iranian foreign ministry", "--create", "--via", "AFP", "--via", "Iran state television",
                  "--source", "reuters-2011-07-05", "--claim", "iran-trains")
    assert done.exit_code == 0, done.output
    assert done.stdout == (
        'Created entity 7 "Iranian foreign ministry" (organization).\n'
        f"Updated statement 2 ({key}).\n"
    )
    shown = _statement(invoke, key)
    assert (shown["key"], shown["speaker"]["name"], shown["speaker"]["anonymous"], shown["speaker_affiliation"],
            shown["via"], shown["source"]["key"], shown["claim"]) == (
        key, "an Iranian official", True, "Iranian foreign ministry", ["AFP", "Iran state television"],
        "reuters-2011-07-05", "iran-trains")
    # a surname, as attribute takes it; the via chain cleared
    assert invoke("statement", "edit", "2", "--speaker", "Panetta", "--no-via").exit_code == 0
    shown = _statement(invoke, "2")
    assert (shown["speaker"]["name"], shown["via"]) == ("Leon Panetta", [])
    changes = [(r["who"], r["action"], r["table"], r["changes"]) for r in _history(invoke, "iran-trains")
               if r["table"] == "statements"]
    assert {c[:3] for c in changes if c[0] == "Ann"} == {("Ann", "update", "statements")}
    recorded = "; ".join(c[3] for c in changes if c[0] == "Ann")
    for change in ("speaker_id: 1 -> null", "speaker_description: null -> an Iranian official", "claim_id: 1 -> 2",
                   "source_id: 1 -> 2"):
        assert change in recorded


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--speaker", "Panneta"], 1,
         'Error: No entity named "Panneta". Did you mean "Leon Panetta"? Pass --create to add it as a new person entity.\n'),
        (["--speaker", "Iran", "--speaker", "Tehran"], 1,
         'Error: speaker "Iran" is given twice; give each joint speaker once\n'),
        (["--via", "AFP", "--no-via"], 2, "Error: Give --via or --no-via, not both.\n"),
        (["--source", "afp-2011-07-11"], 1, 'Error: No source named "afp-2011-07-11". Did you mean "afp-2011-07-10"?\n'),
        (["--claim", "iran-arms"], 1, 'Error: No claim named "iran-arms". Did you mean "iran-arms-militias"?\n'),
        (["--affiliation", "Maysan police"], 1,
         'Error: No entity named "Maysan police". Pass --create to add it as a new organization entity.\n'),
    ],
)
def test_statement_edit_refusals_write_nothing(replayed_session, invoke, counts, args, code, message) -> None:
    before, shown = counts(), _statement(invoke, "2")
    result = invoke("statement", "edit", "2", *args)
    assert (result.exit_code, result.stderr) == (code, message)
    assert counts() == before and _statement(invoke, "2") == shown
