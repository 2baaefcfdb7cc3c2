"""Schema migrations in-process: upgrade or downgrade a database with Alembic, no alembic.ini.

Kept apart from :mod:`factdb.db` (the light path ``factdb info`` takes) because it loads
Alembic.
"""

from __future__ import annotations

import contextlib
import re
import warnings
from collections.abc import Iterator
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Connection, Engine

from factdb.db import current_revision, display_url, newer_schema_message, schema_head
from factdb.errors import DatabaseNotReady, InvalidInput
from factdb.resources import resource_dir
from factdb.roles import apply_grants
from factdb.search_index import refresh

__all__ = ["migrate", "is_downgrade", "known_revisions", "rebuilt_table"]


def _alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(resource_dir("migrations")))
    config.attributes["connection"] = connection
    return config


def migrate(engine: Engine, revision: str = "head") -> tuple[str | None, str]:
    """Upgrade (or downgrade, for a revision older than the current one) in-process.

    Returns (revision before, revision after). No alembic.ini is needed. ``revision`` is
    ``head``, ``base`` or a revision id (:func:`known_revisions`); anything else is refused
    before the database is read.
    """
    known = known_revisions()
    if revision not in ("head", "base", *known):
        shown = revision if len(revision) <= 40 else revision[:40] + "..."
        raise InvalidInput(f'No schema revision "{shown}"; give head, base or one of {", ".join(known)}.')
    before = current_revision(engine)
    if before is not None and before not in known_revisions():
        where = display_url(engine.url.render_as_string(hide_password=False))
        raise DatabaseNotReady(newer_schema_message(where, before))
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        driver: Any = connection.connection.driver_connection  # sqlite3's connection here
        if sqlite:
            # Batch migrations rebuild a table (copy, drop, rename) and downgrades drop tables:
            # with foreign keys enforced the drop cascades into, or is refused by, the rows
            # that refer to it. Off for the migration (the pragma is ignored inside a
            # transaction, so it goes to the driver before BEGIN), checked before COMMIT.
            driver.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin(), warnings.catch_warnings():
                # A batch rebuild reflects the tables its foreign keys reach; SQLAlchemy cannot
                # reflect an expression index and says so, but only the rebuilt table loses
                # anything and rebuilt_table() restores its indexes: not the user's concern.
                warnings.filterwarnings("ignore", message="Skipped unsupported reflection of expression-based index")
                config = _alembic_config(connection)
                if before is not None and is_downgrade(before, revision):
                    command.downgrade(config, revision)
                else:
                    command.upgrade(config, revision)
                if inspect(connection).has_table("search_fts_entities"):
                    # what the revisions queued for the search index (in the layout of revision
                    # 0064 on: below it, the queue waits for the upgrade)
                    refresh(connection)
                if revision == "head" or revision == schema_head():
                    # PostgreSQL, after `factdb roles setup`: new tables too. The grants name
                    # the models' columns, which an older revision does not all have.
                    apply_grants(connection)
                if sqlite:
                    dangling = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if dangling:
                        raise DatabaseNotReady(
                            f"Migration to {revision} would leave {len(dangling)} row(s) referring to missing rows "
                            f"(first: table {dangling[0][0]}, row {dangling[0][1]}); nothing was changed."
                        )
        finally:
            if sqlite:
                driver.execute("PRAGMA foreign_keys=ON")
    return before, current_revision(engine) or "base"


def _script() -> ScriptDirectory:
    return ScriptDirectory(str(resource_dir("migrations")))


def known_revisions() -> list[str]:
    """Every revision id, oldest first."""
    return [rev.revision for rev in reversed(list(_script().walk_revisions()))]


def is_downgrade(current: str, target: str) -> bool:
    """Whether migrating a database at ``current`` to ``target`` goes back (drops what newer
    revisions added: at ``base``, every table)."""
    if target == "base":
        return True
    if target == "head" or target == current:
        return False
    return any(rev.revision == target for rev in _script().iterate_revisions(current, "base"))


@contextlib.contextmanager
def rebuilt_table(connection: Connection, table: str, *, drop: tuple[str, ...] = ()) -> Iterator[None]:
    """For a revision: keep a table's triggers and hand-made indexes across an SQLite batch
    rebuild (copy, drop, rename), which loses every trigger of the table and the indexes that
    SQLAlchemy cannot reflect (expressions, partial). On PostgreSQL (ALTER in place) it does
    nothing.

    The triggers whose name starts with one of ``drop`` are not recreated: the revision
    replaces them itself.

    >>> with rebuilt_table(op.get_bind(), "statements", drop=("claim_counts_",)):  # doctest: +SKIP
    ...     with op.batch_alter_table("statements") as batch: ...
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    # a trigger of another table that refers to this one fails the rename too: keep those as well
    mentions = re.compile(rf"\b{re.escape(table)}\b", re.IGNORECASE)
    rows = connection.exec_driver_sql(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('trigger', 'index') "
        "AND sql IS NOT NULL ORDER BY type DESC, rowid"
    ).all()
    saved = [
        (kind, name, sql)
        for kind, name, owner, sql in rows
        if (owner == table or (kind == "trigger" and mentions.search(sql)))
    ]
    for kind, name, _sql in saved:
        if kind == "trigger":
            connection.exec_driver_sql(f'DROP TRIGGER "{name}"')
    saved = [(kind, name, sql) for kind, name, sql in saved if not (kind == "trigger" and name.startswith(drop))]
    yield
    present = {name for (name,) in connection.exec_driver_sql("SELECT name FROM sqlite_master")}
    for _kind, name, sql in saved:
        if name not in present:
            connection.exec_driver_sql(sql)
