"""What an entity said, and who disputes it: ``factdb report entity NAME``.

Its statements grouped by claim, each labelled (``speaking``): ``own`` (the entity is the
named speaker), ``member`` (a member speaks: an entity ``part_of`` it, directly or through a
chain, or a person whose first recorded role is with it or a member, as parties are
reckoned), ``affiliated`` (an anonymous speaker affiliated with it or a member) and
``relayed`` (it is in the statement's via chain: it carried someone else's words, taking no
stance); the first three speak for the entity and make its sides; the speakers (joint speakers
too) on the other side of the claims it supports (``disputed_by``) and of the claims it
opposes (``disputes``), unspecified reports there counted apart as statements
(``unspecified_reports``: they are nobody's words, not a speaker); its names, party and
roles. Access path: ``ix_statements_speaker_said`` for its own statements, then
``ix_statements_claim_cover`` for the other statements on those claims.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select, text
from sqlalchemy.orm import Session, aliased

from factdb.counts import any_side_sql
from factdb.errors import InvalidInput
from factdb.models import Entity, EntityName, EntityRole
from factdb.reports.common import (
    MAX_CHAIN,
    PARTY_UP_SQL,
    iso_date,
    load_parties,
    load_statements,
    rating_record,
    speaker_label,
    statement_record,
)
from factdb.resolver import resolve_entity
from factdb.verdicts import verdict_records

__all__ = ["entity_report"]


def entity_report(
    session: Session, name: str, *, include_retracted: bool = False, limit: int | None = None
) -> dict[str, Any]:
    """The entity called ``name`` (any alias): statements by claim, opponents, roles, and the
    ratings of what it said; ``limit`` lists only the first claims (the summary counts all)."""
    if limit is not None and limit < 1:
        raise InvalidInput(f"--limit must be at least 1, got {limit}")
    entity = resolve_entity(session, name)
    aliases = list(
        session.scalars(
            select(EntityName.name)
            .where(EntityName.entity_id == entity.id, EntityName.is_primary.is_(False))
            .order_by(EntityName.name)
        )
    )
    parent = aliased(Entity)
    part_of = session.scalar(select(parent.name).where(parent.id == entity.part_of_id)) if entity.part_of_id else None
    organization = aliased(Entity)
    role_query = (
        select(EntityRole, organization.name)
        .outerjoin(organization, organization.id == EntityRole.organization_id)
        .where(EntityRole.entity_id == entity.id)
        .order_by(EntityRole.started_on.is_(None), EntityRole.started_on, EntityRole.id)  # undated roles last
    )
    roles = [
        {
            "title": role.title,
            "organization": org_name,
            "started_on": iso_date(role.started_on, role.started_on_precision),
            "started_on_precision": role.started_on_precision,
            "ended_on": iso_date(role.ended_on, role.ended_on_precision),
            "ended_on_precision": role.ended_on_precision,
        }
        for role, org_name in session.execute(role_query)
    ]
    party = load_parties(session, [entity.id]).get(entity.id, entity.name)

    members = _members(session, entity.id)
    voices = [entity.id, *members]
    own = load_statements(
        session,
        [
            "(s.speaker_id IN :voices OR (s.speaker_id IS NULL AND s.speaker_affiliation_id IN :voices)"
            " OR s.id IN (SELECT v.statement_id FROM statement_via v WHERE v.entity_id = :speaker_id)"
            " OR s.id IN (SELECT j.statement_id FROM statement_speakers j WHERE j.speaker_id IN :voices"
            " OR (j.speaker_id IS NULL AND j.speaker_affiliation_id IN :voices)))"
        ],
        {"voices": voices, "speaker_id": entity.id},
        include_retracted=True,
    )
    for row in own:
        row["speaking"] = _speaking(row, entity.id, members)
    counted = [r for r in own if r["retracted_at"] is None and r["speaking"] != "relayed"]
    relayed = [r for r in own if r["retracted_at"] is None and r["speaking"] == "relayed"]
    shown = own if include_retracted else [r for r in own if r["retracted_at"] is None]
    claim_ids = sorted({r["claim_id"] for r in counted})
    others = _other_speakers(session, claim_ids, voices)

    sides_by_claim: dict[int, set[str]] = {}
    for row in counted:
        sides = sides_by_claim.setdefault(row["claim_id"], set())
        if row["side"] is not None:  # a no-comment takes no side
            sides.add(row["side"])
    claims: dict[str, dict[str, Any]] = {}
    for row in shown:
        group = claims.setdefault(
            row["claim_key"],
            {"claim": row["claim_key"], "text": row["claim_text"], "side": None, "statements": []},
        )
        sides = sides_by_claim.get(row["claim_id"], set())
        relays = row["speaking"] == "relayed" and row["retracted_at"] is None
        if len(sides) == 2:
            group["side"] = "both"
        elif sides:
            group["side"] = next(iter(sides))
        elif relays or group["side"] == "relayed":
            group["side"] = "relayed"  # it only carried others' words on this claim
        group["statements"].append({**statement_record(row), "speaking": row["speaking"]})

    disputed_by: dict[tuple, set[str]] = {}
    disputes: dict[tuple, set[str]] = {}
    # unspecified reports on the other side: statements, never a speaker (revision 0027)
    reports: dict[str, set[int]] = {"disputed_by": set(), "disputes": set()}
    for row in others:
        sides = sides_by_claim.get(row["claim_id"], set())
        nobody = row["reports_statement"] is not None
        who = (speaker_label(row), row["anonymous"], row["party"])
        if row["side"] == "oppose" and "support" in sides:
            if nobody:
                reports["disputed_by"].add(row["reports_statement"])
            else:
                disputed_by.setdefault(who, set()).add(row["claim_key"])
        if row["side"] == "support" and "oppose" in sides:
            if nobody:
                reports["disputes"].add(row["reports_statement"])
            else:
                disputes.setdefault(who, set()).add(row["claim_key"])

    scorecard, rated = _scorecard(session, counted, sides_by_claim)
    return {
        "report": "entity",
        "entity": {"name": entity.name, "kind": entity.kind, "aliases": aliases, "part_of": part_of, "party": party},
        "roles": roles,
        "members": sorted(members.values()),
        "summary": {
            "statements": len(counted),
            "own": sum(1 for r in counted if r["speaking"] == "own"),
            "by_members": sum(1 for r in counted if r["speaking"] == "member"),
            "affiliated": sum(1 for r in counted if r["speaking"] == "affiliated"),
            "relayed": len(relayed),
            "supporting": sum(1 for r in counted if r["side"] == "support"),
            "opposing": sum(1 for r in counted if r["side"] == "oppose"),
            "no_comment": sum(1 for r in counted if r["side"] is None),
            "claims": len(claim_ids),
            "retracted": sum(1 for r in own if r["retracted_at"] is not None),
        },
        "limit": limit,
        "claims": sorted(claims.values(), key=lambda c: c["claim"])[:limit],
        "scorecard": scorecard,
        "verdicts": rated,
        "disputed_by": _speakers(disputed_by),
        "disputes": _speakers(disputes),
        "unspecified_reports": {key: len(ids) for key, ids in reports.items()},
    }


# The other speakers on the entity's claims, once per claim, side and speaker, joint speakers
# too (the opponents need no statement's detail: reading every statement of a much-discussed
# claim through load_statements cost seconds per entity page of report site). Counted
# statements only (copy_of_id IS NULL): a copy has its head's speaker, and what only an
# earlier version of a source said is not said (factdb.sourcing). An anonymous id is one
# speaker in its source (source_id is kept for those only), a joint one's too (revision 0063).
# Unspecified reports (anonymous_kind reports) are nobody: kept one row per statement
# (reports_statement), to be counted as statements, never listed as a speaker.
_OTHERS_SQL = f"""
SELECT claim_id, claim_key, side, speaker_id, speaker, speaker_description, speaker_affiliation_id, affiliation,
       anonymous_id, source_id, anonymous_kind, reports_statement, min(first_id) AS first_id
FROM (
  SELECT s.claim_id, c.key AS claim_key, {any_side_sql("s")} AS side, s.speaker_id, sp.name AS speaker,
         s.speaker_description, s.speaker_affiliation_id, af.name AS affiliation, s.anonymous_id,
         CASE WHEN s.anonymous_id IS NOT NULL THEN s.source_id END AS source_id, s.anonymous_kind,
         CASE WHEN s.anonymous_kind = 'reports' THEN s.id END AS reports_statement, s.id AS first_id
  FROM statements s
  JOIN claims c ON c.id = s.claim_id
  LEFT JOIN entities sp ON sp.id = s.speaker_id
  LEFT JOIN entities af ON af.id = s.speaker_affiliation_id
  WHERE s.retracted_at IS NULL AND s.copy_of_id IS NULL AND s.claim_id IN :claim_ids
    AND (s.speaker_id IS NULL OR s.speaker_id NOT IN :voices)
    AND (s.speaker_id IS NOT NULL OR s.speaker_affiliation_id IS NULL OR s.speaker_affiliation_id NOT IN :voices)
  UNION ALL
  SELECT s.claim_id, c.key, {any_side_sql("s")}, j.speaker_id, sp.name, j.speaker_description,
         j.speaker_affiliation_id, af.name, j.anonymous_id,
         CASE WHEN j.anonymous_id IS NOT NULL THEN s.source_id END, j.anonymous_kind,
         CASE WHEN j.anonymous_kind = 'reports' THEN s.id END, s.id
  FROM statement_speakers j
  JOIN statements s ON s.id = j.statement_id
  JOIN claims c ON c.id = s.claim_id
  LEFT JOIN entities sp ON sp.id = j.speaker_id
  LEFT JOIN entities af ON af.id = j.speaker_affiliation_id
  WHERE s.retracted_at IS NULL AND s.copy_of_id IS NULL AND s.claim_id IN :claim_ids
    AND (j.speaker_id IS NULL OR j.speaker_id NOT IN :voices)
    AND (j.speaker_id IS NOT NULL OR j.speaker_affiliation_id IS NULL OR j.speaker_affiliation_id NOT IN :voices)
) AS o
GROUP BY claim_id, claim_key, side, speaker_id, speaker, speaker_description, speaker_affiliation_id, affiliation,
         anonymous_id, source_id, anonymous_kind, reports_statement
"""


def _other_speakers(session: Session, claim_ids: list[int], voices: list[int]) -> list[dict[str, Any]]:
    """Each other speaker of the claims, per claim and side, with its party (two queries); an
    anonymous id under the first description it was recorded with."""
    query = text(_OTHERS_SQL).bindparams(bindparam("claim_ids", expanding=True), bindparam("voices", expanding=True))
    found = session.connection().execute(query, {"claim_ids": claim_ids or [0], "voices": voices})
    names = list(found.keys())
    rows = sorted(  # Row._asdict costs twice as much as zipping the keys
        (dict(zip(names, row, strict=True)) for row in found), key=lambda r: r["first_id"]
    )
    named_as: dict[tuple, str] = {}
    for row in rows:
        if row["anonymous_id"] is not None:
            row["speaker_description"] = named_as.setdefault(
                (row["source_id"], row["anonymous_id"]), row["speaker_description"]
            )
    people = {r["speaker_id"] if r["speaker_id"] is not None else r["speaker_affiliation_id"] for r in rows} - {None}
    parties = load_parties(session, people or [0])
    for row in rows:
        row["anonymous"] = row["speaker_id"] is None
        party_of = row["speaker_id"] if row["speaker_id"] is not None else row["speaker_affiliation_id"]
        fallback = row["speaker"] if row["speaker_id"] is not None else row["affiliation"]
        row["party"] = parties.get(party_of, fallback) if party_of is not None else None
    return rows


# Members: the entities whose party chain (factdb.reports.common: part_of, else a person's
# first role's organization) passes through the entity, walked down from it.
_MEMBERS_SQL = f"""
WITH RECURSIVE up(child_id, parent_id) AS (
  SELECT e.id, {PARTY_UP_SQL} FROM entities e WHERE e.part_of_id IS NOT NULL OR e.kind = 'person'
),
members(id, depth) AS (
  SELECT CAST(:entity_id AS INTEGER), 0
  UNION ALL
  SELECT u.child_id, m.depth + 1 FROM members m JOIN up u ON u.parent_id = m.id WHERE m.depth < {MAX_CHAIN}
)
SELECT DISTINCT e.id, e.name FROM members m JOIN entities e ON e.id = m.id WHERE m.id <> :entity_id
"""


def _members(session: Session, entity_id: int) -> dict[int, str]:
    """Member id -> name, in one recursive query."""
    rows = session.connection().execute(text(_MEMBERS_SQL), {"entity_id": entity_id})
    return {int(member_id): str(name) for member_id, name in rows}


def _speaking(row: dict[str, Any], entity_id: int, members: dict[int, str]) -> str:
    """How the entity speaks in a statement: its own words (as first or joint speaker), a
    member's, an anonymous speaker affiliated with it, or only relayed."""
    speakers = row.get("speakers") or [row]
    if any(s["speaker_id"] == entity_id for s in speakers):
        return "own"
    if any(s["speaker_id"] is not None and s["speaker_id"] in members for s in speakers):
        return "member"
    for s in speakers:
        affiliation = s["speaker_affiliation_id"]
        if s["speaker_id"] is None and (affiliation == entity_id or affiliation in members):
            return "affiliated"
    return "relayed"


def _scorecard(
    session: Session, counted: list[dict[str, Any]], sides: dict[int, set[str]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The ratings of what the entity said, as fact-checkers publish a scorecard: the verdicts
    rating one of its statements, and the verdicts rating a whole claim it asserted. Returns
    (``[{"rating", "verdicts", "claims"}]`` most frequent first, the verdicts themselves with
    their ``claim``)."""
    own = {r["key"] for r in counted}
    also = {c["statement"] for r in counted for c in r.get("copies", [])}
    rated = []
    for verdict in verdict_records(session, claim_ids=sorted(sides)):
        statement = verdict["statement"]
        if statement is not None and statement["key"] not in own | also:
            continue
        if statement is None and "support" not in sides.get(verdict["claim_id"], set()):
            continue
        rated.append({"claim": verdict["claim"], **rating_record(verdict)})
    breakdown: dict[str, set[str]] = {}
    counts: dict[str, int] = {}
    for verdict in rated:
        counts[verdict["rating"]] = counts.get(verdict["rating"], 0) + 1
        breakdown.setdefault(verdict["rating"], set()).add(verdict["claim"])
    scorecard = [
        {"rating": rating, "verdicts": counts[rating], "claims": len(breakdown[rating])}
        for rating in sorted(counts, key=lambda r: (-counts[r], r))
    ]
    return scorecard, rated


def _speakers(found: dict[tuple, set[str]]) -> list[dict[str, Any]]:
    rows = [
        {"speaker": name, "anonymous": anonymous, "party": party, "claims": sorted(keys)}
        for (name, anonymous, party), keys in found.items()
    ]
    return sorted(rows, key=lambda r: (-len(r["claims"]), r["speaker"]))
