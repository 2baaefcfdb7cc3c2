"""Large imports run with the row-by-row triggers of ``statements`` and ``claims`` dropped.

Every inserted statement fires the full-text sync trigger (SQLite, revision 0002) and the
claim-count trigger (revision 0003); together they cost more than the insert itself. For a
large import the importer drops them when the statements begin and restores them at the end,
in the import's transaction (a rollback or a kill brings them back with everything else):

- the FTS index gets the rows added since the marker in one ``INSERT ... SELECT``;
- the counts of the claims that got new statements are recomputed set-based;
- rows that existed before and are UPDATEd meanwhile are kept right one by one: their old
  text leaves the FTS index before the update and the new text enters after it, and their
  claims (before and after) are recounted at the end.

Small imports (a seed, a few hundred records into a filled database) keep the live triggers:
simpler, and as fast at that size.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from factdb.counts import (
    drop_claim_count_triggers,
    rebuild_claim_counts,
    restore_claim_count_triggers,
)
from factdb.search import drop_sync_triggers, restore_sync_triggers

__all__ = ["SUSPEND_AT", "Suspension"]

# Statements in the first batch (of at most loading.BATCH) from which an import into a
# filled database suspends the triggers; an import into an empty ``statements`` always does.
SUSPEND_AT = 4000

_FTS = {"statements": ("statements_fts", "quote, hedge, note"), "claims": ("claims_fts", "text, note")}


class Suspension:
    """The triggers dropped for one import, and what must be redone for them at the end."""

    def __init__(self, conn: Any):
        self.conn = conn
        self.sqlite = conn.dialect.name == "sqlite"
        # PostgreSQL keeps its full-text index as an expression index: no trigger to drop.
        self.fts_marker = drop_sync_triggers(conn) if self.sqlite else None
        self.count_marker = drop_claim_count_triggers(conn)
        self.touched_claims: set[int] = set()

    def _old_ids(self, table: str, ids: Iterable[int]) -> list[int]:
        """The ids already in the FTS index (rows from before the suspension); none for a
        table without one."""
        if self.fts_marker is None or table not in _FTS:
            return []
        limit = self.fts_marker[_FTS[table][0]]
        return [rid for rid in ids if rid <= limit]

    def before_update(self, table: str, ids: Iterable[int]) -> None:
        """Take the current text of rows about to be updated out of the FTS index."""
        old = self._old_ids(table, ids)
        if old:
            fts, cols = _FTS[table]
            self._each(
                f"INSERT INTO {fts}({fts}, rowid, {cols}) SELECT 'delete', id, {cols} FROM {table} WHERE id IN", old
            )

    def after_update(self, table: str, ids: Iterable[int], claim_ids: Iterable[int] = ()) -> None:
        """Put the new text of updated rows into the FTS index; remember claims to recount."""
        old = self._old_ids(table, ids)
        if old:
            fts, cols = _FTS[table]
            self._each(f"INSERT INTO {fts}(rowid, {cols}) SELECT id, {cols} FROM {table} WHERE id IN", old)
        self.touched_claims.update(claim_ids)

    def _each(self, sql: str, ids: list[int]) -> None:
        for start in range(0, len(ids), 500):
            chunk = ", ".join(str(int(i)) for i in ids[start : start + 500])
            self.conn.exec_driver_sql(f"{sql} ({chunk})")

    def restore(self) -> None:
        """Index and count what was loaded meanwhile; recreate the triggers."""
        if self.fts_marker is not None:
            restore_sync_triggers(self.conn, self.fts_marker)
        # into an empty table every claim is new to the counts: a plain recount of all is
        # cheaper than testing each statement against the set of claims with new statements
        restore_claim_count_triggers(self.conn, self.count_marker or None)
        if self.touched_claims:
            rebuild_claim_counts(self.conn, self.touched_claims)
