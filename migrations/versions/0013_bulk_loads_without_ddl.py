"""claim counts: a bulk load on PostgreSQL skips the count triggers without dropping them

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 02:00:00

A large import used to drop the count triggers of revision 0003 (and the indexes of
``statements``) for its duration: DDL, under an ACCESS EXCLUSIVE lock on ``statements`` that
stopped every reader and writer of the team database until the import committed (a
``report claim`` waited 23.8 s during a 200,000-statement import). The triggers are recreated
here with a condition: they do nothing in a transaction that has set ``factdb.bulk_counts``
(``SET LOCAL``, which needs no lock), where the import recounts the claims it touched itself.
SQLite (one writer at a time, DDL without such a lock) keeps revision 0003's triggers.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WATCHED = ("claim_id", "stance", "speaker_id", "speaker_description", "speaker_affiliation_id", "retracted_at")
GUARD = "current_setting('factdb.bulk_counts', true) IS DISTINCT FROM 'on'"
CHANGED = " OR ".join(f"old.{column} IS DISTINCT FROM new.{column}" for column in WATCHED)


def _triggers(guarded: bool) -> list[str]:
    guard = f"WHEN ({GUARD}) " if guarded else ""
    changed = f"WHEN ({GUARD} AND ({CHANGED}))" if guarded else f"WHEN ({CHANGED})"
    return [
        "CREATE TRIGGER claim_counts_after_insert_delete AFTER INSERT OR DELETE ON statements "
        f"FOR EACH ROW {guard}EXECUTE FUNCTION claim_counts_sync()",
        f"CREATE TRIGGER claim_counts_after_update AFTER UPDATE OF {', '.join(WATCHED)} ON statements "
        f"FOR EACH ROW {changed} EXECUTE FUNCTION claim_counts_sync()",
    ]


def _replace(guarded: bool) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for name in ("claim_counts_after_insert_delete", "claim_counts_after_update"):
        bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON statements")
    for sql in _triggers(guarded):
        bind.exec_driver_sql(sql)


def upgrade() -> None:
    _replace(guarded=True)


def downgrade() -> None:
    _replace(guarded=False)
