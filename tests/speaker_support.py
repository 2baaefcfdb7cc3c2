"""Helpers of the issue-12 speaker tests (joint speakers, anonymous kinds, one utterance)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner, Result

from factdb.cli import cli


def imported_elsewhere(exported: str, tmp_path: Path) -> Callable[..., Result]:
    """A new SQLite database holding the bundle ``exported``; returns its CLI invoker, after
    checking that it exports the same bundle again."""
    (tmp_path / "bundle.yaml").write_text(exported, encoding="utf-8")
    other = f"sqlite:///{tmp_path}/other.sqlite3"
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(cli, ["--db", other, *args], catch_exceptions=False)

    assert invoke("init").exit_code == 0
    assert invoke("import", str(tmp_path / "bundle.yaml")).exit_code == 0
    assert invoke("export").stdout == exported
    return invoke
