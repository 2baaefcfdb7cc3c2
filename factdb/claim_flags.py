"""Each claim's sourcing flags, stored, so that ``report sourcing --limit N`` reads N claims.

``claims.sourcing_flags`` holds which of :data:`factdb.sourcing.FLAGS` the claim has (bit
*i* for ``FLAGS[i]``), ``claims.sourcing_flag_count`` how many (revision 0061), and the
partial index ``ix_expr_claims_sourcing`` (flag count descending, then key; flagged claims
only) is the report's ranking order: the first N claims are the index's first N entries,
and only their statements are read, to give each flag's detail (which names outlets and
speakers, so it is computed when shown, never stored). The flags themselves are computed by
:func:`factdb.sourcing.sourcing_flags` (through :func:`factdb.reports.sourcing.claim_sourcing`)
and nothing else: the one definition, stored.

Kept by every write path: :func:`factdb.sessions.transaction` stores the flags of the claims
its writes touched (:mod:`factdb.touched`) before it commits, the bulk importer those of the
claims its load touched, and revision 0061 those of every claim.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from factdb.reports.sourcing import claim_sourcing
from factdb.sourcing import FLAG_BITS

__all__ = ["bits_of", "store_flags", "flags_drift"]

_CHUNK = 2000  # claims per read (their verdicts are read by id below SUBSET_LIMIT)


def bits_of(flags: Iterable[dict[str, str]]) -> int:
    """The stored form of a list of flags (:func:`factdb.sourcing.sourcing_flags`)."""
    value = 0
    for flag in flags:
        value |= FLAG_BITS[flag["flag"]]
    return value


def _computed(session: Session, ids: list[int]) -> dict[int, int]:
    found = claim_sourcing(session, ["s.claim_id IN :claim_ids"], {"claim_ids": ids})
    return {claim_id: bits_of(entry["flags"]) for claim_id, entry in found.items()}


def store_flags(session: Session, claim_ids: Iterable[int] | None) -> int:
    """Compute and store the flags of ``claim_ids`` (None: every claim); returns how many
    claims' flags changed. Reads the claims' statements, a chunk of claims at a time."""
    connection = session.connection()
    if claim_ids is None:
        ids = [row[0] for row in connection.execute(text("SELECT id FROM claims ORDER BY id"))]
    else:
        ids = sorted({int(c) for c in claim_ids})
    changed = 0
    stored = text("SELECT id, sourcing_flags FROM claims WHERE id IN :ids").bindparams(bindparam("ids", expanding=True))
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        computed = _computed(session, chunk)
        updates = [
            {"id": claim_id, "flags": computed.get(claim_id, 0), "count": computed.get(claim_id, 0).bit_count()}
            for claim_id, flags in connection.execute(stored, {"ids": chunk})
            if flags != computed.get(claim_id, 0)
        ]
        if updates:
            connection.execute(
                text("UPDATE claims SET sourcing_flags = :flags, sourcing_flag_count = :count WHERE id = :id"), updates
            )
        changed += len(updates)
    return changed


def flags_drift(session: Session) -> list[int]:
    """Ids of the claims whose stored flags differ from freshly computed ones (empty when all
    is well): for tests and checks. Reads every statement."""
    connection = session.connection()
    stored: dict[int, Any] = dict(connection.execute(text("SELECT id, sourcing_flags FROM claims")).all())
    ids = sorted(stored)
    drift = []
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        computed = _computed(session, chunk)
        drift += [claim_id for claim_id in chunk if stored[claim_id] != computed.get(claim_id, 0)]
    return drift
