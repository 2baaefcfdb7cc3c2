"""Sourcing weaknesses per claim: ``factdb report sourcing``.

The flags an editor must see before relying on a claim (retracted statements never count):

- ``one-outlet``: every supporting statement comes from a single outlet;
- ``one-wire-story``: the support comes from two or more sources that are all one story
  republished (syndication collapsed, see :mod:`factdb.reports.common`);
- ``anonymous-only``: every supporting statement has an anonymous speaker;
- ``one-party``: every supporting statement comes from one party (a government and its
  officials together), i.e. only one side of the dispute says it;
- ``no-quote``: no statement on either side carries a quote;
- ``dates-unknown``: at least one statement has no date, so "who said it first" is open.

A fixed number of queries: all counted statements in one query, then via chains, parties and
source groups.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from factdb.reports.common import load_statements, speaker_label

__all__ = ["FLAGS", "sourcing_report", "sourcing_flags"]

FLAGS = ("one-outlet", "one-wire-story", "anonymous-only", "one-party", "no-quote", "dates-unknown")


def sourcing_flags(rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The weaknesses of one claim's counted statements, in the order of :data:`FLAGS`."""
    flags = []
    support = [r for r in rows if r["side"] == "support"]
    if support:
        outlets = sorted({r["outlet"] for r in support})
        if len(outlets) == 1:
            flags.append(_flag("one-outlet", f"all {len(support)} supporting statement(s) come from {outlets[0]}"))
        sources = {r["source_id"] for r in support}
        groups = sorted({(r["group_key"], r["group_outlet"]) for r in support})
        if len(sources) > 1 and len(groups) == 1:
            key, outlet = groups[0]
            flags.append(_flag("one-wire-story", f"{len(sources)} supporting sources are copies of {key} ({outlet})"))
        if all(r["anonymous"] for r in support):
            speakers = ", ".join(sorted({speaker_label(r) for r in support}))
            flags.append(_flag("anonymous-only", f"every supporting speaker is anonymous: {speakers}"))
        parties = {r["party"] for r in support}
        if len(parties) == 1 and None not in parties:
            flags.append(_flag("one-party", f"all support comes from one party: {parties.pop()}"))
    if rows and not any(r["quote"] for r in rows):
        flags.append(_flag("no-quote", f"none of {len(rows)} statement(s) is quoted"))
    undated = sum(1 for r in rows if r["said_on"] is None)
    if undated:
        flags.append(_flag("dates-unknown", f"{undated} of {len(rows)} statement(s) have no date"))
    return flags


def sourcing_report(session: Session, *, tag: str | None = None, include_unflagged: bool = False) -> dict[str, Any]:
    """Every claim with at least one flag (all claims with statements when
    ``include_unflagged``), most flags first, then by claim key."""
    conditions, params = [], {}
    if tag is not None:
        # claim_tags' tag index: tag -> claims
        conditions.append("s.claim_id IN (SELECT t.claim_id FROM claim_tags t WHERE t.tag = :tag)")
        params["tag"] = tag
    by_claim: dict[str, list[dict[str, Any]]] = {}
    texts: dict[str, str] = {}
    for row in load_statements(session, conditions, params):
        by_claim.setdefault(row["claim_key"], []).append(row)
        texts[row["claim_key"]] = row["claim_text"]
    claims: list[dict[str, Any]] = []
    for key, rows in by_claim.items():
        flags = sourcing_flags(rows)
        if not flags and not include_unflagged:
            continue
        claims.append(
            {
                "claim": key,
                "text": texts[key],
                "statements": len(rows),
                "supporting": sum(1 for r in rows if r["side"] == "support"),
                "opposing": sum(1 for r in rows if r["side"] == "oppose"),
                "no_comment": sum(1 for r in rows if r["side"] is None),
                "flags": flags,
            }
        )
    claims.sort(key=lambda c: (-len(c["flags"]), c["claim"]))
    return {"report": "sourcing", "filters": {"tag": tag}, "claims": claims}


def _flag(name: str, detail: str) -> dict[str, str]:
    return {"flag": name, "detail": detail}
