"""Issue 14: a password in a database URL is never printed or stored: not by ``info``, not in
error messages, not in the command history records (also when the CLI is called from Python)."""

from __future__ import annotations

import json
import shlex

import pytest
import sqlalchemy
from click.testing import CliRunner

from factdb.cli import cli, recorded_command
from factdb.db import display_url, mask_secrets, resolve_url

SECRET = "S3cr3t-pw"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (f"postgresql+psycopg://alice:{SECRET}@db.example/factdb", "postgresql+psycopg://alice:***@db.example/factdb"),
        (f"postgresql://:{SECRET}@db.example/factdb", "postgresql://:***@db.example/factdb"),
        (f"postgresql://alice@db.example/factdb?password={SECRET}&sslmode=require",
         "postgresql://alice@db.example/factdb?password=***&sslmode=require"),
        (f"postgresql://alice@db.example/factdb?sslmode=require&PASSWORD={SECRET}",
         "postgresql://alice@db.example/factdb?sslmode=require&PASSWORD=***"),
        (f"postgresql://alice:p@ss@{SECRET}@db.example/factdb", "postgresql://alice:***@db.example/factdb"),
        ("postgresql://alice@db.example/factdb", "postgresql://alice@db.example/factdb"),
        ("sqlite:////home/alice/factdb.sqlite3", "sqlite:////home/alice/factdb.sqlite3"),
    ],
)
def test_every_form_of_password_is_masked(url, shown):
    assert display_url(url) == shown
    assert mask_secrets(f"cannot open {url} now") == f"cannot open {shown} now"


def test_an_unencoded_at_sign_stays_in_the_password():
    resolved = resolve_url("postgresql://alice:p@ss@db.example/factdb", {}, None)  # type: ignore[arg-type]
    assert resolved == "postgresql+psycopg://alice:p%40ss@db.example/factdb"
    assert sqlalchemy.engine.make_url(resolved).password == "p@ss"
    assert sqlalchemy.engine.make_url(resolved).host == "db.example"


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql://alice:{SECRET}@127.0.0.1:1/factdb",
        f"postgresql://:{SECRET}@127.0.0.1:1/factdb",
        f"postgresql://alice@127.0.0.1:1/factdb?password={SECRET}",
        f"postgresql://alice:x@{SECRET}@127.0.0.1:1/factdb",
    ],
)
def test_error_messages_mask_the_password(url):
    for args in (["info"], ["init"], ["claim", "list"]):
        result = CliRunner().invoke(cli, ["--db", url, *args])
        assert result.exit_code == 1
        assert SECRET not in result.output and "Traceback" not in result.output
        assert result.stderr.startswith("Error: Cannot ")


def test_the_recorded_command_masks_urls():
    assert recorded_command(["--db", f"postgresql://a:{SECRET}@h/d", "claim", "add", "Iran arms militias"]) == (
        "factdb --db 'postgresql://a:***@h/d' claim add 'Iran arms militias'"
    )
    assert recorded_command([f"--db=postgresql://a@h/d?password={SECRET}", "info"]) == (
        "factdb '--db=postgresql://a@h/d?password=***' info"
    )


def test_history_records_the_command_as_called_from_python(db_url):
    result = CliRunner().invoke(cli, ["--db", db_url, "claim", "add", "Iran arms militias in Basra", "--key", "k1"])
    assert result.exit_code == 0, result.output
    shown = json.loads(CliRunner().invoke(cli, ["--db", db_url, "history", "k1", "--format", "json"]).stdout)
    (entry,) = shown
    assert entry["command"] == "factdb " + shlex.join(
        ["--db", display_url(db_url), "claim", "add", "Iran arms militias in Basra", "--key", "k1"])


def _with_password(url: str) -> str:
    """The test's PostgreSQL URL with a password added (the test server trusts local users)."""
    scheme, rest = url.split("://", 1)
    user, host = rest.split("@", 1)
    return f"{scheme}://{user}:{SECRET}@{host}"


def test_no_table_holds_the_password_after_a_session(db_url):
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL: an SQLite URL has no password")
    url = _with_password(db_url)
    runner = CliRunner()
    for args in (
        ["entity", "add", "Iran", "--kind", "government"],
        ["source", "add", "--key", "afp-1", "--outlet", "AFP", "--create"],
        ["claim", "add", "Iran arms militias", "--key", "iran-arms"],
        ["attribute", "iran-arms", "--speaker", "Iran", "--stance", "denies", "--source", "afp-1"],
        ["claim", "edit", "iran-arms", "--note", "checked"],
        ["info"],
    ):
        result = runner.invoke(cli, ["--db", url, *args])
        assert result.exit_code == 0, (args, result.output)
        assert SECRET not in result.output
    engine = sqlalchemy.create_engine(db_url)
    try:
        with engine.connect() as conn:
            tables = sqlalchemy.inspect(conn).get_table_names()
            found = {
                table: conn.execute(sqlalchemy.text(
                    f'SELECT count(*) FROM "{table}" t WHERE t::text LIKE :secret'), {"secret": f"%{SECRET}%"}).scalar_one()
                for table in tables
            }
            commands = conn.execute(sqlalchemy.text("SELECT command FROM history ORDER BY id")).scalars().all()
    finally:
        engine.dispose()
    assert {table: n for table, n in found.items() if n} == {}
    assert commands and all(":***@" in command for command in commands), commands
