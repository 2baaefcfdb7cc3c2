"""Shell completion of claim keys, entity names and source keys (Click's ``shell_complete``).

Completion runs on every Tab press: it reads the selected database (``--db`` given before the
command, else ``$FACTDB_DATABASE_URL``, else the default file) with one plain query through
SQLAlchemy Core, never the ORM or the models, and offers nothing on any failure (a missing
database, an old schema), since a completion must never print an error into the shell.
Enable it with ``eval "$(_FACTDB_COMPLETE=bash_source factdb)"`` (zsh: ``zsh_source``;
fish: ``fish_source``).
"""

from __future__ import annotations

import os
from typing import Any

import click
from click.shell_completion import CompletionItem

__all__ = ["claim_keys", "entity_names", "source_keys"]

LIMIT = 50  # a shell shows no more than a screenful anyway


def _candidates(ctx: click.Context, sql: str, incomplete: str) -> list[CompletionItem]:
    try:
        from sqlalchemy import text

        from factdb.cli.common import default_database_path
        from factdb.db import create_engine, resolve_url, sqlite_path

        root = ctx.find_root()
        url = resolve_url(root.params.get("db_option"), os.environ, default_database_path())
        path = sqlite_path(url)
        if path is not None and not path.is_file():  # connecting would create the file
            return []
        engine = create_engine(url)
        try:
            with engine.connect() as conn:
                pattern = incomplete.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_").lower() + "%"
                rows = conn.execute(text(sql), {"pattern": pattern, "limit": LIMIT}).scalars().all()
        finally:
            engine.dispose()
    except Exception:  # noqa: BLE001 - a completion offers nothing rather than an error in the shell
        return []
    return [CompletionItem(str(value)) for value in dict.fromkeys(rows)]


def claim_keys(ctx: click.Context, param: Any, incomplete: str) -> list[CompletionItem]:
    """Claim keys starting with what is typed."""
    return _candidates(ctx, "SELECT key FROM claims WHERE lower(key) LIKE :pattern ESCAPE '\\' "
                            "ORDER BY key LIMIT :limit", incomplete)


def entity_names(ctx: click.Context, param: Any, incomplete: str) -> list[CompletionItem]:
    """Entity names and aliases starting with what is typed (case-insensitive)."""
    return _candidates(ctx, "SELECT name FROM entity_names WHERE lower(name) LIKE :pattern ESCAPE '\\' "
                            "ORDER BY name LIMIT :limit", incomplete)


def source_keys(ctx: click.Context, param: Any, incomplete: str) -> list[CompletionItem]:
    """Source keys starting with what is typed."""
    return _candidates(ctx, "SELECT key FROM sources WHERE lower(key) LIKE :pattern ESCAPE '\\' "
                            "ORDER BY key LIMIT :limit", incomplete)
