"""PostgreSQL roles for a team: a reader who can run every report and search, an editor who
can also write, and the grants each needs.

``factdb roles setup`` (:func:`setup_roles`) creates two group roles (NOLOGIN; people's own
login roles are made members: ``GRANT factdb_reader TO alice``) and grants, in the schema
factdb's tables live in:

- reader: ``USAGE`` on the schema, ``SELECT`` on every table;
- editor: the reader's grants, ``INSERT``/``UPDATE``/``DELETE`` on every table but
  ``history``, ``USAGE`` on the sequences, and on ``history`` only ``SELECT`` and ``INSERT``
  of every column except ``db_user``: history is append-only for an editor, and the
  database user it records (revision 0012) is filled in by the database, not by the writer.

Default privileges make the owner's future tables readable and writable the same way, and
every upgrade (:func:`factdb.migrate.migrate` on PostgreSQL) applies the grants again when the
roles exist, so a table a later revision adds is never out of reach of either role.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.engine import Engine

from factdb.errors import InvalidInput

__all__ = ["READER", "EDITOR", "setup_roles", "grant_sql", "apply_grants"]

READER = "factdb_reader"
EDITOR = "factdb_editor"
_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
# history columns an editor may insert: all but db_user (the database fills it in)
_HISTORY_COLUMNS = ("id", "occurred_at", "actor", "command", "action", "table_name", "row_id", "row_key",
                    "claim_id", "entity_id", "linked_claim_id", '"before"', '"after"')


def _checked(name: str) -> str:
    if not _ROLE_NAME.match(name):
        raise InvalidInput(f'role name "{name}": use lower-case letters, digits and _ (at most 63)')
    return name


def grant_sql(schema: str, reader: str = READER, editor: str = EDITOR) -> list[str]:
    """The GRANT statements for the two roles on ``schema`` (idempotent)."""
    q = f'"{schema}"'
    return [
        f"GRANT USAGE ON SCHEMA {q} TO {reader}, {editor}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA {q} TO {reader}, {editor}",
        f"GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {q} TO {editor}",
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {q}.history FROM {editor}",
        f"GRANT INSERT ({', '.join(_HISTORY_COLUMNS)}) ON {q}.history TO {editor}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {q} TO {editor}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {q} GRANT SELECT ON TABLES TO {reader}, {editor}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {q} GRANT INSERT, UPDATE, DELETE ON TABLES TO {editor}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {q} GRANT USAGE, SELECT ON SEQUENCES TO {editor}",
    ]


def _roles_present(conn: Any, reader: str, editor: str) -> bool:
    found = conn.exec_driver_sql(
        "SELECT count(*) FROM pg_roles WHERE rolname IN (%s, %s)", (reader, editor)
    ).scalar()
    return int(found) == 2


def apply_grants(conn: Any, reader: str = READER, editor: str = EDITOR) -> bool:
    """Grant again, in the current schema, when both roles exist (after a migration added a
    table); return whether they did. PostgreSQL only; a no-op elsewhere."""
    if conn.dialect.name != "postgresql" or not _roles_present(conn, reader, editor):
        return False
    schema = str(conn.exec_driver_sql("SELECT current_schema()").scalar())
    for sql in grant_sql(schema, reader, editor):
        conn.exec_driver_sql(sql)
    return True


def setup_roles(engine: Engine, reader: str = READER, editor: str = EDITOR) -> dict[str, Any]:
    """Create the reader and editor roles (when missing) and grant what each needs, in one
    transaction. Returns what was done: ``{schema, reader, editor, created}``."""
    reader, editor = _checked(reader), _checked(editor)
    if engine.dialect.name != "postgresql":
        raise InvalidInput("roles setup: database roles are PostgreSQL's; an SQLite file has none "
                           "(use the file's permissions)")
    created = []
    with engine.begin() as conn:
        existing = {row[0] for row in conn.exec_driver_sql(
            "SELECT rolname FROM pg_roles WHERE rolname IN (%s, %s)", (reader, editor))}
        for role in (reader, editor):
            if role not in existing:
                conn.exec_driver_sql(f"CREATE ROLE {role} NOLOGIN")
                created.append(role)
        schema = str(conn.exec_driver_sql("SELECT current_schema()").scalar())
        for sql in grant_sql(schema, reader, editor):
            conn.exec_driver_sql(sql)
    return {"schema": schema, "reader": reader, "editor": editor, "created": created}
