"""Large imports run without the row-by-row triggers of ``statements`` and ``claims``.

Every inserted statement fires the search-queue trigger (revision 0011: the statement goes
into ``search_fts_queue``, to be indexed at commit) and the claim-count trigger (revision
0003); together they cost more than the insert itself. For a large import the importer stops
them when the statements begin and catches up at the end, in the import's transaction (a
rollback or a kill undoes both):

- the search index gets the rows added since the marker in one streamed pass
  (:func:`factdb.search_index.index_new`);
- the counts of the claims that got new statements are recomputed set-based;
- rows that existed before and are UPDATEd meanwhile are queued for the search index by hand,
  and their claims (before and after) are recounted at the end.

SQLite drops the triggers (DDL is cheap there and the import holds the only write lock
anyway); PostgreSQL keeps the queue triggers and skips them for this transaction only
(``SET LOCAL factdb.bulk_load``), so the search index needs no DDL.

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
from factdb.search_index import enqueue, resume_queue, suspend_queue

__all__ = ["SUSPEND_AT", "Suspension"]

# Statements in the first batch (of at most loading.BATCH) from which an import into a
# filled database suspends the triggers; an import into an empty ``statements`` always does.
SUSPEND_AT = 4000

_QUEUED = {"statements": "s", "claims": "c"}


class Suspension:
    """The triggers stopped for one import, and what must be redone for them at the end."""

    def __init__(self, conn: Any, created_at: Any):
        self.conn = conn
        self.created_at = created_at  # the rows' created_at, as the driver took it
        self.search_markers = suspend_queue(conn)
        self.count_marker = drop_claim_count_triggers(conn)
        self.touched_claims: set[int] = set()

    def after_update(self, table: str, ids: Iterable[int], claim_ids: Iterable[int] = ()) -> None:
        """Queue updated rows from before the suspension for the search index; remember claims
        to recount."""
        if table in _QUEUED:
            limit = self.search_markers[table]
            enqueue(self.conn, _QUEUED[table], [rid for rid in ids if rid <= limit])
        self.touched_claims.update(claim_ids)

    def restore(self) -> None:
        """Index and count what was loaded meanwhile; start the triggers again."""
        resume_queue(self.conn, self.search_markers)
        if self.conn.dialect.name == "postgresql":
            # only the claims of the import's own statements: those of another writer's
            # statements (ids interleave with the import's) count themselves, and locking them
            # here would hold that writer until the import commits
            created_at = self.created_at.isoformat()
            restore_claim_count_triggers(self.conn, self.count_marker, created_at=created_at)
        else:
            # into an empty table every claim is new to the counts: a plain recount of all is
            # cheaper than testing each statement against the set of claims with new statements
            restore_claim_count_triggers(self.conn, self.count_marker or None)
        if self.touched_claims:
            rebuild_claim_counts(self.conn, self.touched_claims)
