"""What an entity said, and who disputes it: ``factdb report entity NAME``.

Its statements (as the named speaker) grouped by claim; the speakers on the other side of
the claims it supports (``disputed_by``) and of the claims it opposes (``disputes``); its
names, party and roles. Access path: ``ix_statements_speaker_said`` for its own statements,
then ``ix_statements_claim_cover`` for the other statements on those claims.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from factdb.models import Entity, EntityName, EntityRole
from factdb.reports.common import (
    iso_date,
    load_parties,
    load_statements,
    speaker_label,
    statement_record,
)
from factdb.resolver import resolve_entity

__all__ = ["entity_report"]


def entity_report(session: Session, name: str, *, include_retracted: bool = False) -> dict[str, Any]:
    """The entity called ``name`` (any alias): statements by claim, opponents, roles."""
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

    own = load_statements(session, ["s.speaker_id = :speaker_id"], {"speaker_id": entity.id}, include_retracted=True)
    counted = [r for r in own if r["retracted_at"] is None]
    shown = own if include_retracted else counted
    claim_ids = sorted({r["claim_id"] for r in counted})
    others = load_statements(
        session,
        ["s.claim_id IN :claim_ids", "(s.speaker_id IS NULL OR s.speaker_id <> :speaker_id)"],
        {"claim_ids": claim_ids, "speaker_id": entity.id},
    )

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
        group["side"] = "both" if len(sides) == 2 else (next(iter(sides)) if sides else None)
        group["statements"].append(statement_record(row))

    disputed_by: dict[tuple, set[str]] = {}
    disputes: dict[tuple, set[str]] = {}
    for row in others:
        sides = sides_by_claim.get(row["claim_id"], set())
        who = (speaker_label(row), row["anonymous"], row["party"])
        if row["side"] == "oppose" and "support" in sides:
            disputed_by.setdefault(who, set()).add(row["claim_key"])
        if row["side"] == "support" and "oppose" in sides:
            disputes.setdefault(who, set()).add(row["claim_key"])

    return {
        "report": "entity",
        "entity": {"name": entity.name, "kind": entity.kind, "aliases": aliases, "part_of": part_of, "party": party},
        "roles": roles,
        "summary": {
            "statements": len(counted),
            "supporting": sum(1 for r in counted if r["side"] == "support"),
            "opposing": sum(1 for r in counted if r["side"] == "oppose"),
            "no_comment": sum(1 for r in counted if r["side"] is None),
            "claims": len(claim_ids),
            "retracted": len(own) - len(counted),
        },
        "claims": sorted(claims.values(), key=lambda c: c["claim"]),
        "disputed_by": _speakers(disputed_by),
        "disputes": _speakers(disputes),
    }


def _speakers(found: dict[tuple, set[str]]) -> list[dict[str, Any]]:
    rows = [
        {"speaker": name, "anonymous": anonymous, "party": party, "claims": sorted(keys)}
        for (name, anonymous, party), keys in found.items()
    ]
    return sorted(rows, key=lambda r: (-len(r["claims"]), r["speaker"]))
