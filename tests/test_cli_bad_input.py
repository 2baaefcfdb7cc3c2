"""Bad input of every kind: one line on stderr, exit code 1 or 2, no traceback, no row changed.

Every case runs on both backends against the seed-000 session database.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from factdb.cli import cli

ATTR = ["attribute", "iran-arms-militias", "--stance", "asserts", "--source", "afp-2011-07-10"]
BIG_QUOTE = ("We are very concerned about Iran. " * 1600)[:50_000]

CASES = [
    # unknown names: the error lists the closest matches
    (
        [*ATTR, "--speaker", "Leon Panneta"],
        1,
        'No entity named "Leon Panneta". Did you mean "Leon Panetta"? Pass --create to add it as a new person entity.',
    ),
    (
        ["attribute", "iran-arms-militia", "--stance", "asserts", "--source", "afp-2011-07-10", "--speaker", "Iran"],
        1,
        'No claim named "iran-arms-militia". Did you mean "iran-arms-militias"?',
    ),
    (
        ["attribute", "iran-arms-militias", "--stance", "asserts", "--source", "afp-2011-07-11", "--speaker", "Iran"],
        1,
        'No source named "afp-2011-07-11". Did you mean "afp-2011-07-10"?',
    ),
    (
        [*ATTR, "--speaker", "Iran", "--via", "Iran state televison"],
        1,
        'No entity named "Iran state televison". Did you mean "Iran state television"? '
        "Pass --create to add it as a new media entity.",
    ),
    ([*ATTR, "--speaker", "Iran", "--responds-to", "99"], 1, 'No statement named "99".'),
    (
        ["entity", "show", "Ketaeb Hezbolah"],
        1,
        'No entity named "Ketaeb Hezbolah". Did you mean "Kataib Hezbollah"?',
    ),
    (["entity", "merge", "Nobody", "Iran"], 1, 'No entity named "Nobody".'),
    (["claim", "show", "nothing-like-it"], 1, 'No claim named "nothing-like-it".'),
    # dates
    (
        [*ATTR, "--speaker", "Iran", "--said-on", "2011-13-01"],
        1,
        'said on: "2011-13-01" is not a valid date (month must be in 1..12)',
    ),
    (
        [*ATTR, "--speaker", "Iran", "--said-on", "11 July 2011"],
        1,
        'said on: "11 July 2011" is not a date; use YYYY-MM-DD, YYYY-MM or YYYY',
    ),
    (
        ["entity", "add", "Robert Gates", "--kind", "person", "--role", "Secretary", "--from", "2011", "--until", "2006"],
        1,
        "role: ends (2006) before it starts (2011)",
    ),
    # enumerations and wrong calls (exit 2)
    (
        [*ATTR[:2], "--stance", "claims", "--source", "afp-2011-07-10", "--speaker", "Iran"],
        2,
        "factdb attribute: Invalid value for '--stance': 'claims' is not one of "
        "'asserts', 'acknowledges', 'denies', 'disputes', 'retracts', 'no-comment'.",
    ),
    (
        [*ATTR, "--speaker", "Iran", "--certainty", "sure"],
        2,
        "factdb attribute: Invalid value for '--certainty': 'sure' is not one of "
        "'certain', 'probable', 'possible', 'unspecified'.",
    ),
    (
        ["entity", "add", "Ramin Mehmanparast", "--kind", "spokesman"],
        2,
        "factdb entity add: Invalid value for '--kind': 'spokesman' is not one of 'person', 'organization', "
        "'government', 'military-unit', 'armed-group', 'media', 'other'.",
    ),
    (
        ["claim", "link", "iran-arms-militias", "denies", "iran-arms-militias"],
        2,
        "factdb claim link: Invalid value for '{same-as|part-of|narrower-than|contradicts|supports|counters}': "
        "'denies' is not one of 'same-as', 'part-of', 'narrower-than', 'contradicts', 'supports', 'counters'.",
    ),
    (["entity", "list", "--format", "xml"], 2, "factdb entity list: Invalid value for '--format': 'xml' is not one of 'table', 'json', 'csv', 'markdown'."),
    (["entity", "frobnicate"], 2, "factdb entity: No such command 'frobnicate'."),
    (["attribute", "iran-arms-militias", "--speaker", "Iran", "--source", "afp-2011-07-10"], 2, "Missing --stance (one of asserts, acknowledges, denies, disputes, retracts, no-comment)."),
    ([*ATTR], 2, "Missing --speaker NAME or --anonymous TEXT."),
    ([*ATTR, "--speaker", "Iran", "--speaker", "Iran"], 1, 'speaker "Iran" is given twice; give each joint speaker once'),
    (["statement", "retract", "1"], 2, "Missing --reason."),
    (["source", "add", "--outlet", "AFP"], 2, "Missing --key."),
    (["entity", "add", "Nuri al-Maliki"], 2, "Missing --kind (one of person, organization, government, military-unit, armed-group, media, other)."),
    # empty text, control characters, malformed values
    (["claim", "add", "   "], 1, "claim text: must not be empty"),
    ([*ATTR, "--speaker", "Iran", "--quote", ""], 1, "quote: must not be empty"),
    (["entity", "add", "Bad\x07Name", "--kind", "person"], 1, "name: contains a control character ('\\x07'); remove it"),
    ([*ATTR, "--speaker", "Iran", "--quote", "We are\x00 concerned"], 1, "quote: contains a control character ('\\x00'); remove it"),
    (["source", "add", "--key", "afp 2011", "--outlet", "AFP"], 1, 'source key: "afp 2011" may contain only letters, digits and . _ : / - (start with a letter or digit)'),
    (["source", "add", "--key", "afp-2", "--outlet", "AFP", "--url", "not a url"], 1, 'url: "not a url" is not a URL (expected https://...)'),
    # a 50 kB quote in an otherwise invalid command changes nothing
    (
        [*ATTR, "--speaker", "Leon Panneta", "--quote", BIG_QUOTE],
        1,
        'No entity named "Leon Panneta". Did you mean "Leon Panetta"? Pass --create to add it as a new person entity.',
    ),
    # conflicts and deletes of things in use
    (["entity", "alias", "add", "Leon Panetta", "Tehran"], 1, 'The name "Tehran" already belongs to entity "Iran" (government).'),
    (["entity", "merge", "Tehran", "Iran"], 1, '"Tehran" and "Iran" are the same entity ("Iran")'),
    (
        ["entity", "delete", "AFP"],
        1,
        'Entity "AFP" is still used by 1 source as outlet (afp-2011-07-10). '
        "Merge it into another entity (`entity merge`) or change those first.",
    ),
    (
        ["entity", "delete", "Tehran"],
        1,
        'Entity "Iran" is still used by 1 statement as speaker (afp-2011-07-10/655da9c2549a). '
        "Merge it into another entity (`entity merge`) or change those first.",
    ),
    (
        ["source", "delete", "afp-2011-07-10"],
        1,
        'Source "afp-2011-07-10" is still used by 2 statement(s) (afp-2011-07-10/ccb052f7a437, '
        "afp-2011-07-10/655da9c2549a). Delete or move those first.",
    ),
    (
        ["claim", "delete", "iran-arms-militias"],
        1,
        'Claim "iran-arms-militias" is still used by 2 statement(s) (afp-2011-07-10/ccb052f7a437, '
        "afp-2011-07-10/655da9c2549a). Merge it into another claim (`claim merge`) or delete those first.",
    ),
    (
        ["statement", "delete", "1"],
        1,
        'Statement 1 ("afp-2011-07-10/ccb052f7a437") is answered by 1 statement(s) '
        "(afp-2011-07-10/655da9c2549a); change their responds-to first, or retract it instead.",
    ),
]


@pytest.mark.parametrize(("args", "code", "message"), CASES, ids=[f"case{i}" for i in range(len(CASES))])
def test_bad_input_is_one_line_and_writes_nothing(replayed_session, invoke, counts, args, code, message) -> None:
    before = counts()
    result = invoke(*args)
    assert (result.exit_code, result.stderr) == (code, f"Error: {message}\n")
    assert result.stdout == ""
    assert counts() == before


def test_sql_metacharacters_are_stored_as_text(replayed_session, invoke, counts) -> None:
    before = counts()
    name = "Robert'); DROP TABLE entities;--"
    assert invoke("entity", "add", name, "--kind", "person", "--alias", "x' OR '1'='1").exit_code == 0
    shown = invoke("entity", "show", "x' OR '1'='1", "--format", "csv")
    assert shown.stdout.splitlines()[2] == f'name,{name}'
    after = counts()
    assert after["entities"] == before["entities"] + 1
    assert after["entity_names"] == before["entity_names"] + 2


def test_a_50_kb_quote_is_stored_exactly(replayed_session, invoke) -> None:
    import json

    quote = "  " + BIG_QUOTE + "\n\tand more\n"
    result = invoke(*ATTR, "--speaker", "Leon Panetta", "--quote", quote)
    assert result.exit_code == 0, result.output
    shown = json.loads(invoke("claim", "show", "iran-arms-militias", "--format", "json").stdout)
    assert [s["quote"] for s in shown["statements"] if s["quote"] and len(s["quote"]) > 1000] == [quote]


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    junk = tmp_path / "notes.sqlite3"
    content = os.urandom(4096)
    junk.write_bytes(content)
    result = CliRunner().invoke(cli, ["--db", str(junk), "claim", "add", "Iran arms militias"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: Cannot open sqlite:///{junk} as a factdb database: file is not a database\n"
    )
    assert junk.read_bytes() == content


def test_a_database_without_the_factdb_schema(db_url: str, engine) -> None:
    """On both backends: an empty database (no tables) is refused, nothing is created."""
    from sqlalchemy import inspect, text

    with engine.begin() as conn:
        for table in ("alembic_version",):
            conn.execute(text(f"DROP TABLE {table}"))
    result = CliRunner().invoke(cli, ["--db", db_url, "entity", "list"])
    assert result.exit_code == 1
    assert result.stderr.endswith("has no factdb schema. Run `factdb init` to create it.\n")
    assert len(result.stderr.splitlines()) == 1
    with engine.connect() as conn:
        assert not inspect(conn).has_table("alembic_version")


def test_a_locked_sqlite_database(tmp_path: Path, sqlite_template: Path) -> None:
    import shutil

    path = tmp_path / "locked.sqlite3"
    shutil.copyfile(sqlite_template, path)
    runner = CliRunner()
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        result = runner.invoke(
            cli,
            ["--db", str(path), "entity", "add", "Iran", "--kind", "government"],
            env={"FACTDB_SQLITE_BUSY_TIMEOUT_MS": "50"},
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: The database is locked: another process kept its write lock (SQLite lets one writer in at a time) "
        "for longer than the 0.05 s this command waits, as a large import does; nothing was written. "
        "Try again when it is done, or wait longer with FACTDB_SQLITE_BUSY_TIMEOUT_MS.\n")
    check = sqlite3.connect(path)
    assert check.execute("SELECT count(*) FROM entities").fetchone() == (0,)
    assert check.execute("SELECT count(*) FROM history").fetchone() == (0,)
    check.close()


def test_a_locked_postgresql_table(db_url: str, engine) -> None:
    """PostgreSQL: a writer waiting on another transaction's lock gives up with one line."""
    if not db_url.startswith("postgresql"):
        pytest.skip("the SQLite case is test_a_locked_sqlite_database")
    from sqlalchemy import text

    url = db_url + "%20-clock_timeout%3D200"
    with engine.connect() as holder:
        holder.execute(text("LOCK TABLE entities IN ACCESS EXCLUSIVE MODE"))
        result = CliRunner().invoke(cli, ["--db", url, "entity", "add", "Iran", "--kind", "government"])
        holder.rollback()
    assert result.exit_code == 1
    assert result.stderr == "Error: Database error, nothing was written: canceling statement due to lock timeout\n"
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM entities")).scalar() == 0
