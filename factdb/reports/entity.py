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

import heapq
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
    statement_record,
)
from factdb.resolver import resolve_entity
from factdb.verdicts import verdict_records

__all__ = ["entity_report"]


def entity_report(
    session: Session,
    name: str,
    *,
    include_retracted: bool = False,
    limit: int | None = None,
    opponents_limit: int | None = None,
    others: OtherSpeakers | None = None,
) -> dict[str, Any]:
    """The entity called ``name`` (any alias): statements by claim, opponents, roles, and the
    ratings of what it said; ``limit`` lists only the first claims, ``opponents_limit`` only
    the first speakers of ``disputed_by`` and ``disputes`` (the summary counts all).
    ``others``: the claims' speakers as :meth:`OtherSpeakers.load` read them for several
    entities (default: read for this one)."""
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
    # "+" keeps SQLite from reading every anonymous statement through the index on speaker_id
    # (speaker_id IS NULL) instead of the affiliation's: once per entity page, that grew with
    # the square of the data in report site
    own = load_statements(
        session,
        [
            "(s.speaker_id IN :voices OR (+s.speaker_id IS NULL AND s.speaker_affiliation_id IN :voices)"
            " OR s.id IN (SELECT v.statement_id FROM statement_via v WHERE v.entity_id = :speaker_id)"
            " OR s.id IN (SELECT j.statement_id FROM statement_speakers j WHERE j.speaker_id IN :voices"
            " OR (+j.speaker_id IS NULL AND j.speaker_affiliation_id IN :voices)))"
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
        group["statements"].append(row)
    listed = sorted(claims.values(), key=lambda c: c["claim"])[:limit]
    for group in listed:  # the records of the listed claims' statements only
        group["statements"] = [{**statement_record(row), "speaking": row["speaking"]} for row in group["statements"]]

    if others is None:
        others = OtherSpeakers.load(session, claim_ids)
    disputed_by, disputes, unspecified = others.opponents(sides_by_claim, set(voices))

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
            "disputed_by": len(disputed_by),
            "disputes": len(disputes),
        },
        "limit": limit,
        "claims": listed,
        "scorecard": scorecard,
        "verdicts": rated,
        "opponents_limit": opponents_limit,
        "disputed_by": _speakers(disputed_by, opponents_limit),
        "disputes": _speakers(disputes, opponents_limit),
        "unspecified_reports": unspecified,
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
  WHERE s.retracted_at IS NULL AND s.copy_of_id IS NULL AND {{claims}}
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
  WHERE s.retracted_at IS NULL AND s.copy_of_id IS NULL AND {{claims}}
) AS o
GROUP BY claim_id, claim_key, side, speaker_id, speaker, speaker_description, speaker_affiliation_id, affiliation,
         anonymous_id, source_id, anonymous_kind, reports_statement
"""


class OtherSpeakers:
    """The speakers of claims, per claim and side, read once: ``report site`` loads them for
    every claim (:meth:`load` without ids) and hands them to each entity page, instead of each
    page reading again the speakers of the much-discussed claims its entity speaks on (the cost
    grew with the square of the data); ``report entity`` loads those of its entity's claims.
    Two queries (the rows and their parties)."""

    def __init__(self, by_claim: dict[int, tuple[str, dict[str | None, list[tuple]]]]) -> None:
        # claim id -> (claim key, side -> [(excluded_by, who, first_id, anonymous key)])
        self.by_claim = by_claim

    @classmethod
    def load(cls, session: Session, claim_ids: list[int] | None = None) -> OtherSpeakers:
        """The speakers of ``claim_ids`` (None: of every claim)."""
        sql = _OTHERS_SQL.replace("{claims}", "s.claim_id IN :claim_ids" if claim_ids is not None else "1 = 1")
        query = text(sql)
        params: dict[str, Any] = {}
        if claim_ids is not None:
            query = query.bindparams(bindparam("claim_ids", expanding=True))
            params["claim_ids"] = claim_ids or [0]
        # all rows at once, as tuples (a much-discussed entity's claims at 1M statements:
        # 415,000 rows, fetched one by one and read by name: 2 s of its 18)
        found = session.connection().execute(query, params).all()
        people = {row[3] if row[3] is not None else row[6] for row in found}
        parties = load_parties(session, (people - {None}) or [0])
        by_claim: dict[int, tuple[str, dict[str | None, list[tuple]]]] = {}
        shared: dict[tuple, tuple] = {}  # one tuple per distinct speaker, however many claims
        for (
            claim_id, claim_key, side, speaker_id, speaker, speaker_description, speaker_affiliation_id, affiliation,
            anonymous_id, source_id, _, reports_statement, first_id,
        ) in found:  # fmt: skip
            named = speaker_id is not None
            party_of = speaker_id if named else speaker_affiliation_id
            fallback = speaker if named else affiliation
            party = parties.get(party_of, fallback) if party_of is not None else None
            label = speaker if named else speaker_description
            who = (label, not named, party)
            who = shared.setdefault(who, who)
            # the row is left out of a page whose entity is (or is a member of) its speaker,
            # or for an anonymous speaker its affiliation
            anonymous_key = (source_id, anonymous_id) if anonymous_id is not None else None
            entry = (party_of, who, first_id, anonymous_key, reports_statement)
            sides = by_claim.setdefault(claim_id, (claim_key, {}))[1]
            sides.setdefault(side, []).append(entry)
        return cls(by_claim)

    def opponents(
        self, sides_by_claim: dict[int, set[str]], voices: set[int]
    ) -> tuple[dict[tuple, set[str]], dict[tuple, set[str]], dict[str, int]]:
        """(speakers opposing the claims the entity supports, speakers supporting the claims
        it opposes), each as (speaker, anonymous, party) -> claim keys; the entity's own voices
        left out. An anonymous id is one speaker under the first description it was recorded
        with on these claims."""
        disputed_by: dict[tuple, set[str]] = {}
        disputes: dict[tuple, set[str]] = {}
        # unspecified reports on the other side: statements, never a speaker (revision 0027)
        reports: dict[str, set[int]] = {"disputed_by": set(), "disputes": set()}
        # (first id, anonymous key, who, claim key, the table it goes to or None)
        with_ids: list[tuple] = []
        for claim_id, sides in sides_by_claim.items():
            if claim_id not in self.by_claim:
                continue
            key, speakers = self.by_claim[claim_id]
            for side, rows in speakers.items():
                found = disputed_by if side == "oppose" and "support" in sides else None
                if side == "support" and "oppose" in sides:
                    found = disputes
                for excluded_by, who, first_id, anonymous_key, reports_statement in rows:
                    if excluded_by is not None and excluded_by in voices:
                        continue
                    if reports_statement is not None:  # nobody: counted apart
                        if found is not None:
                            reports["disputed_by" if found is disputed_by else "disputes"].add(reports_statement)
                    elif anonymous_key is not None:  # named below, in the order recorded
                        with_ids.append((first_id, anonymous_key, who, key, found))
                    elif found is not None:
                        found.setdefault(who, set()).add(key)
        named_as: dict[tuple, str] = {}
        for _, anonymous_key, who, key, found in sorted(with_ids, key=lambda entry: entry[0]):
            label = named_as.setdefault(anonymous_key, who[0])
            if found is not None:
                found.setdefault((label, *who[1:]), set()).add(key)
        return disputed_by, disputes, {key: len(ids) for key, ids in reports.items()}


# Members: the entities whose party chain (factdb.reports.common: part_of, else a person's
# first role's organization) passes through the entity, walked down from it. The links up are
# read once (MATERIALIZED): SQLite otherwise read every entity again for each member found
# (a government of 612 members at 10,000 entities: 3.8 s, 0.45 s so).
_MEMBERS_SQL = f"""
WITH RECURSIVE up(child_id, parent_id) AS MATERIALIZED (
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


def _speakers(found: dict[tuple, set[str]], limit: int | None = None) -> list[dict[str, Any]]:
    """The speakers sharing most claims first (then by name), the first ``limit`` of them."""
    def rank(item: tuple[tuple, set[str]]) -> tuple:
        return (-len(item[1]), item[0][0], item[0][1], item[0][2] or "")

    # the first of thousands without sorting them all (the same as sorted(...)[:limit])
    ranked = sorted(found.items(), key=rank) if limit is None else heapq.nsmallest(limit, found.items(), key=rank)
    return [
        {"speaker": name, "anonymous": anonymous, "party": party, "claims": sorted(keys)}
        for (name, anonymous, party), keys in ranked
    ]
