"""Issue 14: ``init`` never loses data unasked; a failed ``init`` leaves no file; a newer
schema gets "upgrade factdb"; a URL without a database name is refused."""

from __future__ import annotations

import sqlalchemy
from click.testing import CliRunner

from factdb.cli import cli
from factdb.db import display_url, schema_head


def test_downgrade_to_base_of_a_database_with_data_needs_yes(seeded_db, invoke, counts):
    before = counts()
    rows = sum(before.values())
    result = invoke("init", "--revision", "base")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: Downgrading {display_url(seeded_db)} from {schema_head()} to base drops every table: "
        f"all {rows} rows, history included; nothing was changed. Run again with --yes to do it.\n"
    )
    older = invoke("init", "--revision", "0010")
    assert older.exit_code == 1 and "drops what the revisions after 0010 added" in older.stderr
    assert counts() == before
    done = invoke("init", "--revision", "base", "--yes")
    assert done.exit_code == 0, done.output
    assert done.stdout == f"{display_url(seeded_db)}: schema {schema_head()} -> base.\n"


def test_downgrade_asks_at_a_terminal(seeded_db, invoke, counts, monkeypatch):
    import factdb.cli.database

    monkeypatch.setattr(factdb.cli.database, "is_interactive", lambda: True)
    before = counts()
    declined = invoke("init", "--revision", "base", input="n\n")
    assert declined.exit_code == 1
    assert declined.stdout.startswith(f"Downgrading {display_url(seeded_db)} from {schema_head()} to base drops")
    assert declined.stdout.endswith(". Continue? [y/N]: n\n")
    assert declined.stderr == "Error: Nothing was changed.\n"
    assert counts() == before
    accepted = invoke("init", "--revision", "base", input="y\n")
    assert accepted.exit_code == 0, accepted.output
    assert accepted.stdout.endswith(f"{display_url(seeded_db)}: schema {schema_head()} -> base.\n")


def test_downgrade_of_an_empty_database_does_not_ask(invoke):
    result = invoke("init", "--revision", "0013")
    assert result.exit_code == 0, result.output
    assert invoke("init").exit_code == 0


def test_an_unknown_revision_is_refused_and_a_failed_init_leaves_no_file(tmp_path):
    path = tmp_path / "new.sqlite3"
    result = CliRunner().invoke(cli, ["--db", str(path), "init", "--revision", "nonsense"])
    assert result.exit_code == 1
    assert result.stderr.startswith('Error: No schema revision "nonsense"; give head, base or one of 0001, ')
    assert list(tmp_path.iterdir()) == []


def test_a_newer_schema_asks_to_upgrade_factdb(seeded_db, invoke, counts):
    engine = sqlalchemy.create_engine(seeded_db)
    with engine.begin() as conn:
        conn.execute(sqlalchemy.text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    message = (
        f"Error: {display_url(seeded_db)} is at schema revision 9999, newer than this factdb knows "
        f"(its newest is {schema_head()}); upgrade factdb (pip install -U factdb) to use it. Nothing was changed.\n"
    )
    listing = invoke("claim", "list")
    assert (listing.exit_code, listing.stderr) == (1, message)
    init = invoke("init")
    assert init.exit_code == 1
    assert "newer than this factdb knows" in init.stderr and "upgrade factdb" in init.stderr
    assert "internal error" not in init.stderr


def test_a_postgresql_url_without_a_database_name_is_refused(db_url):
    if not db_url.startswith("postgresql"):
        url = "postgresql://user:pw@127.0.0.1:1/"
    else:
        url = db_url.split("?", 1)[0].rsplit("/", 1)[0] + "/"
    result = CliRunner().invoke(cli, ["--db", url, "init"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {display_url(url.replace('postgresql://', 'postgresql+psycopg://'))} names no database; "
        "add its name (postgresql://user@host/NAME), so that factdb never writes into the server's default database.\n"
    )
