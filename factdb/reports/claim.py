"""The claim dossier: ``factdb report claim CLAIM``.

Everything an editor needs about one claim: a summary of its sourcing, who stands on each
side (grouped by party), every statement in date order, and the linked claims. A fixed number
of queries whatever the number of statements (the statements come in one query through
``ix_statements_claim_cover``, whose leading column is ``claim_id``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from factdb.reports.common import (
    iso_date,
    load_statements,
    party_groups,
    statement_record,
    voices,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = ["claim_report", "claim_status", "sourcing_summary"]


def claim_status(supporting: int, opposing: int) -> str:
    """``contested`` (both sides), ``one-sided`` (support only), ``only-disputed`` (opposition
    only) or ``no-statements``."""
    if supporting and opposing:
        return "contested"
    if supporting:
        return "one-sided"
    if opposing:
        return "only-disputed"
    return "no-statements"


def sourcing_summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts over counted (non-retracted) statements: sides, voices, sources, dates."""
    supporting = [r for r in rows if r["side"] == "support"]
    opposing = [r for r in rows if r["side"] == "oppose"]
    named, anonymous = voices(rows)
    dated = [r for r in rows if r["said_on"] is not None]
    first = min(dated, key=lambda r: r["said_on"], default=None)
    last = max(dated, key=lambda r: r["said_on"], default=None)
    return {
        "statements": len(rows),
        "supporting": len(supporting),
        "opposing": len(opposing),
        "speakers": named + anonymous,
        "named_speakers": named,
        "anonymous_speakers": anonymous,
        "sources": len({r["source_id"] for r in rows}),
        "independent_sources": len({r["group_key"] for r in rows}),
        "outlets": len({r["outlet_id"] for r in rows}),
        "supporting_sources": len({r["source_id"] for r in supporting}),
        "supporting_independent_sources": len({r["group_key"] for r in supporting}),
        "supporting_outlets": len({r["outlet_id"] for r in supporting}),
        "first_said_on": iso_date(first["said_on"], first["said_on_precision"]) if first else None,
        "first_said_on_precision": first["said_on_precision"] if first else None,
        "last_said_on": iso_date(last["said_on"], last["said_on_precision"]) if last else None,
        "last_said_on_precision": last["said_on_precision"] if last else None,
        "undated": len(rows) - len(dated),
        "status": claim_status(len(supporting), len(opposing)),
    }


def claim_report(session: Session, claim_key: str, *, include_retracted: bool = False) -> dict[str, Any]:
    """The dossier of one claim (by key or id), as plain data.

    Retracted statements are left out of every count; with ``include_retracted`` they are
    listed among the statements (marked), still uncounted.
    """
    from sqlalchemy import select, union_all

    from factdb.models import Claim, ClaimLink, ClaimTag, Statement
    from factdb.resolver import resolve_claim

    claim = resolve_claim(session, claim_key)
    tags = list(session.scalars(select(ClaimTag.tag).where(ClaimTag.claim_id == claim.id).order_by(ClaimTag.tag)))

    outgoing = select(
        ClaimLink.kind, ClaimLink.to_claim_id.label("other_id"), ClaimLink.id, literal_text("outgoing")
    ).where(ClaimLink.from_claim_id == claim.id)
    incoming = select(
        ClaimLink.kind, ClaimLink.from_claim_id.label("other_id"), ClaimLink.id, literal_text("incoming")
    ).where(ClaimLink.to_claim_id == claim.id)
    links = union_all(outgoing, incoming).subquery()
    link_query = (
        select(links.c.kind, links.c.direction, Claim.key, Claim.text)
        .join(Claim, Claim.id == links.c.other_id)
        .order_by(links.c.direction.desc(), links.c.kind, Claim.key)
    )
    linked = [
        {"kind": kind, "direction": direction, "claim": key, "text": text}
        for kind, direction, key, text in session.execute(link_query)
    ]

    rows = load_statements(session, Statement.claim_id == claim.id, include_retracted=True)
    counted = [r for r in rows if r["retracted_at"] is None]
    shown = rows if include_retracted else counted
    summary = sourcing_summary(counted)
    summary["retracted"] = len(rows) - len(counted)
    return {
        "report": "claim",
        "claim": {"key": claim.key, "text": claim.text, "tags": tags, "note": claim.note},
        "summary": summary,
        "sides": {
            "support": party_groups([r for r in counted if r["side"] == "support"]),
            "oppose": party_groups([r for r in counted if r["side"] == "oppose"]),
        },
        "statements": [statement_record(r) for r in shown],
        "linked_claims": linked,
    }


def literal_text(value: str):  # noqa: ANN201
    from sqlalchemy import String, literal

    return literal(value, String).label("direction")
