"""Alembic environment for factdb.

Runs in-process: ``factdb init`` and the tests pass an open connection in
``config.attributes["connection"]``; the ``alembic`` command line (with ``-x url=...`` or
``FACTDB_DATABASE_URL``) works too, for developers.
"""

from __future__ import annotations

import os

from alembic import context

from factdb.db import MIGRATING
from factdb.models import Base

config = context.config
target_metadata = Base.metadata

# Objects the models do not describe because SQLAlchemy cannot: full-text search tables and
# their triggers are created by hand in revisions; autogenerate must leave them alone.
IGNORED_TABLE_PREFIXES = ("statements_fts", "claims_fts", "search_fts")


# Indexes the models cannot express portably: full-text (ix_fts_*) and expression indexes
# made by hand in a revision (ix_expr_*, e.g. report contested's ranking order, 0014).
IGNORED_INDEX_PREFIXES = ("ix_fts_", "ix_expr_")


def include_object(obj, name, type_, reflected, compare_to):  # noqa: ANN001, ANN201
    if type_ == "table" and name and name.startswith(IGNORED_TABLE_PREFIXES):
        return False
    return not (type_ == "index" and name and name.startswith(IGNORED_INDEX_PREFIXES))


def _configure(connection) -> None:  # noqa: ANN001
    sqlite = connection.dialect.name == "sqlite"
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=sqlite,
        compare_type=True,
        include_object=include_object,
        transaction_per_migration=False,
    )


def _run(connection) -> None:  # noqa: ANN001
    _configure(connection)
    connection.info[MIGRATING] = True
    try:
        with context.begin_transaction():
            context.run_migrations()
    finally:
        connection.info.pop(MIGRATING, None)


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return

    from factdb.db import create_engine

    url = context.get_x_argument(as_dictionary=True).get("url") or os.environ.get("FACTDB_DATABASE_URL")
    if not url:
        raise SystemExit("set FACTDB_DATABASE_URL or pass -x url=... to run alembic directly")
    engine = create_engine(url)
    with engine.connect() as conn:
        _run(conn)
        conn.commit()


if context.is_offline_mode():
    raise SystemExit("factdb migrations run online only")
run_migrations_online()
