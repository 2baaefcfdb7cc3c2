"""Sourcing weaknesses per claim: ``factdb report sourcing``.

The flags and their definition are :mod:`factdb.sourcing`'s (the one definition of
independent sourcing that ``factdb check`` uses too): one outlet, one wire story, anonymous
speakers only, one party only, no direct quote, quotes none of which is verified, rated false
yet still carried, unknown dates. Retracted statements never count, and copies of one
statement in one story count once.

A fixed number of queries: all counted statements in one query, their context (via chains,
parties, stories) in one, the claims' verdicts in one. With ``--limit N`` (and not
``--all``) the ranking is read from the flags stored per claim (:mod:`factdb.claim_flags`,
the index ``ix_expr_claims_sourcing``): the first N flagged claims, and only their
statements, whatever the size of the database; ``total`` is a count over that index.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from factdb.errors import InvalidInput
from factdb.normalize import normalize_tag
from factdb.reports.common import SUBSET_LIMIT, load_statements, rating_record
from factdb.sourcing import FLAG_BITS, FLAGS, sourcing_flags
from factdb.verdicts import verdict_records

__all__ = ["FLAGS", "sourcing_report", "sourcing_flags", "claim_sourcing"]


def claim_sourcing(
    session: Session, conditions: list[str] | None = None, params: dict[str, Any] | None = None
) -> dict[int, dict[str, Any]]:
    """Per claim id: ``{"claim", "text", "rows", "flags"}`` for every claim with a counted
    statement matching ``conditions`` (on statements ``s``), in three queries."""
    by_claim: dict[int, dict[str, Any]] = {}
    for row in load_statements(session, conditions or [], params or {}):
        entry = by_claim.setdefault(
            row["claim_id"], {"claim": row["claim_key"], "text": row["claim_text"], "rows": [], "flags": []}
        )
        entry["rows"].append(row)
    ids = sorted(by_claim)
    verdicts: dict[int, list[dict[str, Any]]] = {}
    records = verdict_records(session, claim_ids=ids) if len(ids) <= SUBSET_LIMIT else verdict_records(session)
    for record in records:
        verdicts.setdefault(record["claim_id"], []).append(record)
    for claim_id, entry in by_claim.items():
        entry["verdicts"] = verdicts.get(claim_id, [])
        entry["flags"] = sourcing_flags(entry["rows"], entry["verdicts"])
    return by_claim


def sourcing_report(
    session: Session,
    *,
    tag: str | None = None,
    include_unflagged: bool = False,
    flag: str | None = None,
    limit: int | None = None,
) -> dict[str, Any]:
    """Every claim with at least one flag (all claims with statements when
    ``include_unflagged``; only those with ``flag`` when given), most flags first, then by
    claim key; the first ``limit`` of them (``total`` says how many there were)."""
    if flag is not None and flag not in FLAGS:
        raise InvalidInput(f'--flag must be one of {", ".join(FLAGS)}; got "{flag}"')
    if limit is not None and limit < 1:
        raise InvalidInput(f"--limit must be at least 1, got {limit}")
    conditions, params = [], {}
    if tag is not None:
        # claim_tags' tag index: tag -> claims
        conditions.append("s.claim_id IN (SELECT t.claim_id FROM claim_tags t WHERE t.tag = :tag)")
        params["tag"] = tag = normalize_tag(tag)
    if limit is not None and not include_unflagged:
        return _ranked_report(session, tag, flag, limit)
    claims: list[dict[str, Any]] = []
    for entry in claim_sourcing(session, conditions, params).values():
        flags = entry["flags"]
        if flag is not None and flag not in {f["flag"] for f in flags}:
            continue
        if not flags and not include_unflagged:
            continue
        claims.append(_claim_row(entry))
    claims.sort(key=lambda c: (-len(c["flags"]), c["claim"]))
    total = len(claims)
    if limit is not None:
        claims = claims[:limit]
    return _report(tag, flag, limit, total, claims)


def _report(tag: str | None, flag: str | None, limit: int | None, total: int, claims: list) -> dict[str, Any]:
    return {"report": "sourcing", "filters": {"tag": tag, "flag": flag}, "limit": limit, "total": total,
            "claims": claims}  # fmt: skip


def _claim_row(entry: dict[str, Any]) -> dict[str, Any]:
    rows = entry["rows"]
    return {
        "claim": entry["claim"],
        "text": entry["text"],
        "statements": len(rows),
        "supporting": sum(1 for r in rows if r["side"] == "support"),
        "opposing": sum(1 for r in rows if r["side"] == "oppose"),
        "no_comment": sum(1 for r in rows if r["side"] is None),
        "ratings": [rating_record(v) for v in entry["verdicts"]],
        "flags": entry["flags"],
    }


def _ranked_report(session: Session, tag: str | None, flag: str | None, limit: int) -> dict[str, Any]:
    """The first ``limit`` claims in the stored ranking (factdb.claim_flags), their flags and
    details computed from their statements only."""
    where = ["c.sourcing_flag_count > 0"]  # the partial index's condition, so the planner takes it
    params: dict[str, Any] = {"limit": limit}
    if flag is not None:
        where.append(f"(c.sourcing_flags & {FLAG_BITS[flag]}) <> 0")
    if tag is not None:
        where.append("c.id IN (SELECT t.claim_id FROM claim_tags t WHERE t.tag = :tag)")
        params["tag"] = tag
    condition = " AND ".join(where)
    connection = session.connection()
    total = int(connection.execute(text(f"SELECT count(*) FROM claims c WHERE {condition}"), params).scalar() or 0)
    ids = [row[0] for row in connection.execute(text(
        f"SELECT c.id FROM claims c WHERE {condition} ORDER BY c.sourcing_flag_count DESC, c.key LIMIT :limit"
    ), params)]  # fmt: skip
    found = claim_sourcing(session, ["s.claim_id IN :claim_ids"], {"claim_ids": ids or [0]})
    claims = [_claim_row(found[claim_id]) for claim_id in ids if claim_id in found]
    return _report(tag, flag, limit, total, claims)
