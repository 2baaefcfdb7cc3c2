"""The foundation: install layout, database selection, schema, migrations, start-up cost."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy
from click.testing import CliRunner
from sqlalchemy import text

from factdb import __version__
from factdb.cli import cli
from factdb.db import (
    create_engine,
    current_revision,
    display_url,
    resolve_url,
    schema_head,
)
from factdb.migrate import migrate
from factdb.resources import resource_dir


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"factdb, version {__version__}\n"


def test_cli_import_does_not_load_sqlalchemy() -> None:
    code = "import sys, factdb.cli; print('sqlalchemy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("explicit", "env", "expected"),
    [
        ("postgresql://u:p@h/db", {"FACTDB_DATABASE_URL": "sqlite:////x.db"}, "postgresql+psycopg://u:p@h/db"),
        (None, {"FACTDB_DATABASE_URL": "sqlite:////x.db"}, "sqlite:////x.db"),
        (None, {}, "sqlite:////data/factdb/factdb.sqlite3"),
        ("/tmp/some file.db", {}, "sqlite:////tmp/some file.db"),
    ],
)
def test_database_selection_order(explicit: str | None, env: dict[str, str], expected: str) -> None:
    assert resolve_url(explicit, env, Path("/data/factdb/factdb.sqlite3")) == expected


def test_relative_path_becomes_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert resolve_url("my.db", {}, Path("/x")) == f"sqlite:///{tmp_path / 'my.db'}"


def test_password_is_masked() -> None:
    assert display_url("postgresql+psycopg://me:secret@db:5432/f") == "postgresql+psycopg://me:***@db:5432/f"


def test_init_then_info_on_a_new_file(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    runner = CliRunner()
    first = runner.invoke(cli, ["--db", str(path), "init"])
    assert first.exit_code == 0, first.output
    assert first.output == f"sqlite:///{path}: created, schema revision {schema_head()}.\n"
    again = runner.invoke(cli, ["--db", str(path), "init"])
    assert again.output == f"sqlite:///{path}: schema already at revision {schema_head()}.\n"
    info = runner.invoke(cli, ["--db", str(path), "info", "--format", "json"])
    assert info.exit_code == 0
    assert f'"schema_revision": "{schema_head()}"' in info.output
    assert '"statements": 0' in info.output


def test_init_of_a_new_file_prints_no_warning(tmp_path: Path) -> None:
    # the user's own process, not pytest's warning capture: what a terminal shows on stderr
    done = subprocess.run(
        [sys.executable, "-m", "factdb", "--db", str(tmp_path / "new.sqlite3"), "init"],
        capture_output=True, text=True, check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")


def test_env_var_selects_database(tmp_path: Path) -> None:
    path = tmp_path / "env.sqlite3"
    runner = CliRunner()
    result = runner.invoke(cli, ["init"], env={"FACTDB_DATABASE_URL": f"sqlite:///{path}"})
    assert result.exit_code == 0
    assert path.exists()


def test_missing_database_is_not_created(tmp_path: Path) -> None:
    path = tmp_path / "missing.sqlite3"
    result = CliRunner().invoke(cli, ["--db", str(path), "info"])
    assert result.exit_code == 1
    assert result.output == f"Error: No factdb database at {path}. Run `factdb init` to create it.\n"
    assert not path.exists()


def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "junk.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    result = CliRunner().invoke(cli, ["--db", str(path), "info"])
    assert result.exit_code == 1
    assert result.output == f"Error: Cannot open sqlite:///{path} as a factdb database: file is not a database\n"


def test_empty_sqlite_file_needs_init(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite3"
    path.touch()
    result = CliRunner().invoke(cli, ["--db", str(path), "info"])
    assert result.exit_code == 1
    assert result.output == f"Error: sqlite:///{path} has no factdb schema. Run `factdb init` to create it.\n"


def test_older_schema_is_refused(db_url: str) -> None:
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0013'"))
    engine.dispose()
    result = CliRunner().invoke(cli, ["--db", db_url, "info"])
    assert result.exit_code == 1
    assert "is at schema revision 0013; this factdb needs" in result.output
    assert result.output.rstrip().endswith("Run `factdb init` to upgrade.")


def test_upgrade_downgrade_upgrade(db_url: str) -> None:
    engine = create_engine(db_url)
    assert current_revision(engine) == schema_head()
    migrate(engine, "base")
    assert current_revision(engine) is None
    assert set(sqlalchemy.inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate(engine, "head")
    assert current_revision(engine) == schema_head()
    engine.dispose()


def test_alembic_check_finds_no_difference(engine) -> None:
    from alembic import command
    from alembic.config import Config

    with engine.begin() as conn:
        config = Config()
        config.set_main_option("script_location", str(resource_dir("migrations")))
        config.attributes["connection"] = conn
        command.check(config)  # raises AutogenerateDiffsDetected on any drift


def _insert_minimal(conn, **statement) -> None:
    now = dt.datetime.now(dt.UTC)
    conn.execute(
        text("INSERT INTO entities (id, name, kind, created_at, updated_at) VALUES (1, 'AFP', 'media', :n, :n)"),
        {"n": now},
    )
    conn.execute(
        text("INSERT INTO sources (id, key, outlet_id, authors, created_at, updated_at) VALUES (1, 's', 1, '[]', :n, :n)"),
        {"n": now},
    )
    conn.execute(
        text("INSERT INTO claims (id, key, text, created_at, updated_at) VALUES (1, 'c', 'A claim', :n, :n)"),
        {"n": now},
    )
    values = {"key": "st", "claim_id": 1, "speaker_id": 1, "stance": "asserts", "certainty": "unspecified",
              "source_id": 1, "created_at": now, "updated_at": now} | statement
    columns = ", ".join(values)
    params = ", ".join(f":{k}" for k in values)
    conn.execute(text(f"INSERT INTO statements ({columns}) VALUES ({params})"), values)


@pytest.mark.parametrize(
    ("override", "constraint"),
    [
        ({"claim_id": 99}, "foreign key"),
        ({"stance": "insinuates"}, "ck_statements_stance"),
        ({"certainty": "sure"}, "ck_statements_certainty"),
        ({"speaker_id": None}, "ck_statements_has_speaker"),
        ({"said_on": dt.date(2011, 7, 11)}, "ck_statements_said_on_precision"),
    ],
)
def test_database_itself_rejects_bad_statements(engine, override: dict, constraint: str) -> None:
    with pytest.raises(sqlalchemy.exc.IntegrityError) as caught, engine.begin() as conn:
        _insert_minimal(conn, **override)
    message = str(caught.value.orig).lower()
    assert constraint in message or (constraint == "foreign key" and "foreign key" in message)


def test_deleting_used_rows_is_refused_by_the_database(engine) -> None:
    with engine.begin() as conn:
        _insert_minimal(conn)
    for table in ("claims", "sources", "entities"):
        with pytest.raises(sqlalchemy.exc.IntegrityError), engine.begin() as conn:
            conn.execute(text(f"DELETE FROM {table}"))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM statements")).scalar() == 1


def test_migrations_and_seeds_ship_with_the_package() -> None:
    assert (resource_dir("migrations") / "env.py").is_file()
    assert resource_dir("seeds").is_dir()


def test_row_counts_cover_every_model_table(engine) -> None:
    from factdb.db import row_counts
    from factdb.models import Base

    assert set(row_counts(engine)) == {t.name for t in Base.metadata.sorted_tables}


def test_info_does_not_load_the_orm(tmp_path: Path) -> None:
    db = tmp_path / "x.sqlite3"
    CliRunner().invoke(cli, ["--db", str(db), "init"])
    code = (
        "import sys; from factdb.cli import cli\n"
        f"cli(['--db', {str(db)!r}, 'info'], standalone_mode=False)\n"
        "print('LOADED' if 'sqlalchemy.orm' in sys.modules else 'NOT LOADED')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "NOT LOADED"
