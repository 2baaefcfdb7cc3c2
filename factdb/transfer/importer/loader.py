"""One import's engine: batches of valid records go to their kind's loader, then the end.

:class:`Loader` builds the :class:`.context.ImportContext` of an import (the natural keys
known so far, the bulk writer, the ledger) and one loader per kind from the table
:data:`.kinds.KIND_LOADERS`; :meth:`Loader.finish` resolves the references that may point
forward (:mod:`.linking`), builds the deferred indexes and restores suspended triggers.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from factdb import claim_flags, copies, history, touched
from factdb.transfer.importer import linking, references, texts
from factdb.transfer.importer.bulk import BulkWriter
from factdb.transfer.importer.context import ImportContext, KnownKeys
from factdb.transfer.importer.inserted import highest_ids, record_inserts
from factdb.transfer.importer.kinds import KIND_LOADERS, KindLoader, Valid
from factdb.transfer.importer.ledger import Ledger
from factdb.transfer.schema import Location

__all__ = ["Loader"]


class Loader:
    """State of one import: its context, one loader per kind, and its summary."""

    def __init__(self, session: Session, ledger: Ledger):
        self.session = session
        self.summary = ledger.summary
        conn = session.connection()
        bulk = BulkWriter(conn)
        now = history.change_time(session)  # the time of the import's change
        self.ctx = ImportContext(
            conn=conn,
            keys=KnownKeys(conn, ledger),
            ledger=ledger,
            bulk=bulk,
            now=now,
            now_value=bulk.timestamp(now),
            skip_invalid=ledger.skip_invalid,
        )
        self.kinds: dict[str, KindLoader] = {kind: loader(self.ctx) for kind, loader in KIND_LOADERS.items()}
        self.highest_ids = highest_ids(conn)  # rows above these get 'insert' history
        # SQLite with its foreign keys off (a bulk import): the new rows' references are checked at the end
        self.unchecked = references.highest(conn) if references.checked_here(conn) else None

    def load(self, kind: str, valid: list[Valid]) -> None:
        """Write one batch of valid records of ``kind``."""
        self.kinds[kind].load(valid)

    def refuse(self, kind: str | None, fields: Any, location: Location, problems: list[str]) -> None:
        self.ctx.ledger.refuse(kind, fields, location, problems)

    def reference_problems(self, kind: str | None, values: dict[str, Any], location: Location) -> list[str]:
        """Dangling references of a record refused for other reasons, so all are told at once."""
        keys = self.ctx.keys
        problems: list[str] = []
        if kind in ("statement", "verdict") and "claim" in values:
            problems.extend(filter(None, [keys.claim_problem(location, values["claim"])]))
        if kind == "statement" and "source" in values:
            problems.extend(filter(None, [keys.source_problem(location, values["source"])]))
        for name in ("speaker", "speaker_affiliation", "outlet", "reviewer", "publisher"):
            if name in values:
                keys.resolve_entity(values[name], location, name, problems)
        for index, name in enumerate(values.get("via", ())):
            keys.resolve_entity(name, location, f"via[{index}]", problems)
        return problems

    def finish(self) -> None:
        """Resolve the references that may point forward (see :data:`.context.DEFERRED`)."""
        ctx = self.ctx
        if ctx.suspension is not None:  # a large load: the steps below planned for its rows
            ctx.bulk.analyze()
        linking.finish(ctx)
        ctx.bulk.build_indexes()  # before the recount, which reads statements by claim
        ctx.bulk.restore_cache()  # the end passes sort with less memory
        loaded = touched.loaded_claims(ctx.conn, self.highest_ids["statements"], ctx.now_value,
                                       sources=ctx.unlinked_sources)
        # copies of one statement count once (factdb.copies): marked before the recount
        remarked = copies.mark_copies(ctx.conn, loaded)
        if ctx.suspension is not None:
            ctx.suspension.touched_claims.update(remarked)
            ctx.suspension.restore()
            ctx.suspension = None
        claim_flags.store_flags(self.session, loaded)  # what report sourcing ranks by
        ctx.bulk.close()
        texts.anchor_quotes(self.session, ctx, self.highest_ids["statements"])
        if self.unchecked is not None:
            references.check_references(ctx.conn, self.unchecked)

    def record_history(self, label: str | None) -> None:
        """An ``insert`` entry per created row and one ``import`` entry for the whole import."""
        ctx = self.ctx
        actor = self.session.info["actor"]
        record_inserts(ctx.conn, self.highest_ids, created_at=ctx.now_value, occurred_at=ctx.now_value,
                       actor=actor.name, command=actor.command)  # fmt: skip
        counts = {kind: dict(c) for kind, c in self.summary.counts.items() if any(c.values())}
        history.record(
            self.session, "import", "bundle", row_key=label,
            after={"file": label, "counts": counts, "rejected": self.summary.rejected},
        )  # fmt: skip
