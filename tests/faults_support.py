"""Shared by the fault tests: database snapshots, outcome checks and a small base bundle.

A *snapshot* is everything a refused write must leave alone: the row count of every table,
a digest of the full content of every table (history included, ordered by primary key) and
the bundle export (``factdb.transfer.export_bundle`` as JSON Lines bytes). Digests rather than
the rows: a snapshot of a database holding 1 MB quotes stays small, and a difference still
names its table. The export is optional: it is computed from the tables, so equal tables mean
an equal export, and it is the slow part of a snapshot; take it where the tables may differ
(history) but the export must not.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import Any

from click.testing import Result

# A small world the generated commands and bundles refer to (names, keys, a statement).
BASE_BUNDLE: dict[str, list[dict[str, Any]]] = {
    "entities": [
        {"name": "Iran", "kind": "government", "aliases": ["Tehran"]},
        {"name": "Leon Panetta", "kind": "person"},
        {"name": "AFP", "kind": "media", "aliases": ["Agence France-Presse"]},
        {"name": "Iran state television", "kind": "media"},
    ],
    "sources": [{"key": "afp-2011-07-10", "outlet": "AFP", "title": "US forces pursue Iraq Shiite insurgents",
                 "published_on": "2011-07-10"}],
    "claims": [{"key": "iran-arms-militias", "text": "Iran supplies weapons to Shiite militias in Iraq",
                "tags": ["iran"]}],
    "statements": [{"key": "afp-2011-07-10/panetta", "claim": "iran-arms-militias", "speaker": "Leon Panetta",
                    "stance": "asserts", "quote": "We are very concerned about Iran.", "source": "afp-2011-07-10",
                    "said_on": "2011-07-11"}],
}


def load_base(url: str) -> None:
    """Write :data:`BASE_BUNDLE` into the database at ``url`` (through the importer)."""
    from factdb.db import create_engine
    from factdb.sessions import transaction
    from factdb.transfer import KINDS, Location, load_bundle
    from factdb.transfer.schema import SECTIONS

    records = [
        (kind, dict(fields), Location("base", None, f"{SECTIONS[kind]}[{i}]"))
        for kind in KINDS
        for i, fields in enumerate(BASE_BUNDLE.get(SECTIONS[kind], []))
    ]
    engine = create_engine(url)
    try:
        with transaction(engine) as session:
            load_bundle(session, records)
    finally:
        engine.dispose()


@dataclass(frozen=True)
class Snapshot:
    counts: dict[str, int]
    tables: dict[str, str]  # table -> sha256 of its rows in primary-key order
    export: bytes | None  # None: not taken (``snapshot(url, export=False)``)


def export_bytes(engine: Any) -> bytes:
    """The whole database as a JSON Lines bundle (the exporter's bytes)."""
    from factdb.sessions import read_session
    from factdb.transfer import export_bundle, write_bundle

    stream = io.BytesIO()
    with read_session(engine) as session:
        write_bundle(export_bundle(session), stream, "jsonl")
    return stream.getvalue()


_LAYOUTS: dict[str, tuple[list[tuple[str, str]], list[str]]] = {}


def _layout(engine: Any, url: str) -> tuple[list[tuple[str, str]], list[str]]:
    """``[(table, ORDER BY clause)]`` and the tables ``row_counts`` counts, reflected once per
    database (reflection is the slow part of a snapshot on PostgreSQL)."""
    from sqlalchemy import inspect

    from factdb.db import row_counts

    if url not in _LAYOUTS:
        with engine.connect() as conn:
            inspector = inspect(conn)
            quote = conn.dialect.identifier_preparer.quote
            tables = []
            for name in sorted(inspector.get_table_names()):
                keys = inspector.get_pk_constraint(name)["constrained_columns"]
                tables.append((quote(name), ", ".join(quote(k) for k in keys) or "1"))
        _LAYOUTS[url] = tables, sorted(row_counts(engine))
    return _LAYOUTS[url]


def snapshot(url: str, *, export: bool = True) -> Snapshot:
    """Counts, table content digests and (unless ``export=False``) the export of the database at ``url``."""
    from sqlalchemy import text

    from factdb.db import create_engine

    engine = create_engine(url)
    try:
        layout, counted = _layout(engine, url)
        tables: dict[str, str] = {}
        sizes: dict[str, int] = {}
        with engine.connect() as conn:
            for name, order in layout:
                digest, size = hashlib.sha256(), 0
                for row in conn.execute(text(f"SELECT * FROM {name} ORDER BY {order}")):
                    digest.update(repr(tuple(row)).encode("utf-8", "surrogatepass"))
                    size += 1
                tables[name.strip('"')] = digest.hexdigest()
                sizes[name.strip('"')] = size
        counts = {name: sizes[name] for name in counted}
        return Snapshot(counts, tables, export_bytes(engine) if export else None)
    finally:
        engine.dispose()


def assert_same(before: Snapshot, after: Snapshot, context: object = "", *, data_only: bool = False) -> None:
    """Same counts, table content and (when both snapshots took it) export. ``data_only`` leaves
    out the tables that are not factdb's data (Alembic's, full-text index internals), which a
    migration may rebuild."""
    assert after.counts == before.counts, context
    names = set(before.counts) if data_only else set(before.tables) | set(after.tables)
    differ = sorted(name for name in names if after.tables.get(name) != before.tables.get(name))
    assert differ == [], ("tables changed", differ, context)
    if before.export is not None and after.export is not None:
        assert after.export == before.export, context


def check_outcome(result: Result, args: object = "", *, problem_lines: bool = False) -> bool:
    """Assert that a CLI run ended cleanly; return True on success, False on a refusal.

    A refusal is exit 1 or 2 with no traceback and exactly one line on stderr starting with
    ``Error: ``, a wrong call (exit 2) included. With ``problem_lines`` (``factdb import``), the lines before the final
    ``Error:`` line may list the bundle's problems, one per line, each ``FILE...: path: message``.
    """
    context = (args, result.exit_code, result.output[-2000:], repr(result.exception))
    assert result.exception is None or isinstance(result.exception, SystemExit), context
    assert "Traceback" not in result.output, context
    assert result.exit_code in (0, 1, 2), context
    if result.exit_code == 0:
        return True
    lines = result.stderr.splitlines()
    assert lines and lines[-1].startswith("Error: "), context
    assert "internal error" not in lines[-1], context
    if len(lines) > 1:
        assert problem_lines, context
        assert not any(line.startswith("Error: ") for line in lines[:-1]), context
    assert result.stdout == "", context
    return False
