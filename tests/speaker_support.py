"""Helpers of the issue-12 speaker tests (joint speakers, anonymous kinds, one utterance)."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from click.testing import CliRunner, Result

from factdb.cli import cli

VERSIONS = Path(__file__).resolve().parents[1] / "migrations" / "versions"


def revision_module(filename: str) -> ModuleType:
    """A revision file imported by path (its frozen copy of trigger SQL, to compare)."""
    spec = importlib.util.spec_from_file_location(f"revision_{filename.split('_')[0]}", VERSIONS / filename)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
