"""Issue 14: outputs never destroy data. ``export -o`` and ``--reject-file`` refuse the
database (and its -wal/-shm), the input and an existing file (without --force) before
anything is opened; what they write appears whole, or not at all."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from factdb.db import sqlite_path

BAD_BUNDLE = (
    "entities:\n- name: Iran\n  kind: government\n"
    "claims:\n- key: c1\n  text: Iran arms militias\n"
    "statements:\n- key: s1\n  claim: c1\n  speaker: Nobody Known\n  stance: asserts\n"
)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def companions(url: str) -> list[Path]:
    path = sqlite_path(url)
    assert path is not None
    return [path, Path(f"{path}-wal"), Path(f"{path}-shm")]


@pytest.mark.parametrize("which", [0, 1, 2])
def test_export_over_the_database_or_its_wal_is_refused(seeded_db, invoke, counts, which):
    if not seeded_db.startswith("sqlite"):
        pytest.skip("an SQLite file only: a PostgreSQL database has no file to write over")
    target = companions(seeded_db)[which]
    target.touch()
    before, size = counts(), companions(seeded_db)[0].stat().st_size
    result = invoke("export", "-o", str(target), "--force")
    assert result.exit_code == 1
    what = ["the database file", "the database's -wal file", "the database's -shm file"][which]
    assert result.stderr == f"Error: Refusing to write the output to {target}: it is {what}; nothing was written.\n"
    assert result.stdout == ""
    assert counts() == before and companions(seeded_db)[0].stat().st_size == size


def test_export_over_an_existing_file_needs_force(seeded_db, invoke, tmp_path):
    target = tmp_path / "notes.txt"
    target.write_text("my notes\n", encoding="utf-8")
    refused = invoke("export", "-o", str(target))
    assert refused.exit_code == 1
    assert refused.stderr == (
        f"Error: Refusing to overwrite {target}: the file exists; use --force to replace it. Nothing was written.\n"
    )
    assert target.read_text(encoding="utf-8") == "my notes\n"
    replaced = invoke("export", "-o", str(target), "--force", "--format", "jsonl")
    assert replaced.exit_code == 0, replaced.output
    assert target.read_bytes() == invoke("export", "--format", "jsonl").stdout_bytes
    assert target.stat().st_mode & 0o777 != 0o600  # the usual permissions, not the temporary file's
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_failed_export_leaves_the_previous_file(seeded_db, invoke, tmp_path):
    target = tmp_path / "all.yaml"
    target.write_text("previous\n", encoding="utf-8")
    result = invoke("export", "-o", str(target), "--force", "--claim", "no-such-claim")
    assert result.exit_code == 1
    assert target.read_text(encoding="utf-8") == "previous\n"
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("factdb.sqlite3")] == ["all.yaml"]


def test_export_to_a_device_needs_no_force(seeded_db, invoke):
    result = invoke("export", "-o", "/dev/null")
    assert result.exit_code == 0, result.output


def test_reject_file_equal_to_the_input_is_refused(invoke, counts, tmp_path):
    bundle = tmp_path / "bad.yaml"
    bundle.write_text(BAD_BUNDLE, encoding="utf-8")
    before, kept = counts(), digest(bundle)
    result = invoke("import", str(bundle), "--skip-invalid", "--reject-file", str(bundle), "--force")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: Refusing to write the reject file to {bundle}: it is the input file; nothing was written.\n"
    )
    assert digest(bundle) == kept and counts() == before


def test_reject_file_equal_to_the_database_is_refused(db_url, invoke, counts, tmp_path):
    if not db_url.startswith("sqlite"):
        pytest.skip("an SQLite file only")
    bundle = tmp_path / "bad.yaml"
    bundle.write_text(BAD_BUNDLE, encoding="utf-8")
    database = companions(db_url)[0]
    before, size = counts(), database.stat().st_size
    result = invoke("import", str(bundle), "--skip-invalid", "--reject-file", str(database))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: Refusing to write the reject file to {database}: it is the database file; nothing was written.\n"
    )
    assert counts() == before and database.stat().st_size == size


def test_an_existing_reject_file_needs_force(invoke, counts, tmp_path):
    bundle = tmp_path / "bad.yaml"
    bundle.write_text(BAD_BUNDLE, encoding="utf-8")
    rejects = tmp_path / "bad.yaml.rejects.jsonl"
    rejects.write_text("keep me\n", encoding="utf-8")
    before = counts()
    refused = invoke("import", str(bundle), "--skip-invalid")
    assert refused.exit_code == 1
    assert refused.stderr == (
        f"Error: Refusing to overwrite {rejects}: the file exists; use --force to replace it. Nothing was written.\n"
    )
    assert rejects.read_text(encoding="utf-8") == "keep me\n" and counts() == before
    done = invoke("import", str(bundle), "--skip-invalid", "--force")
    assert done.exit_code == 0, done.output
    assert done.stderr == f"1 refused record listed in {rejects}\n"
    assert [json.loads(line)["record"]["key"] for line in rejects.read_text(encoding="utf-8").splitlines()] == ["s1"]
    assert counts()["claims"] == before["claims"] + 1
