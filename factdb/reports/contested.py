"""Claims with statements on both sides, ranked: ``factdb report contested``.

Ranking rule: the claims whose *smaller* side has the most distinct speakers come first
(a claim with three speakers on each side is more contested than one with ten accusers and a
single denial); ties go to the claim with more counted statements, then to the older claim.
Distinct speakers on a side are the distinct named speakers plus each anonymous statement
(an anonymous speaker's identity is unknown, so each counts once). Retracted statements are
not counted.

The ranking is one aggregate query over ``ix_statements_claim_cover`` (claim_id, stance,
speaker_id, retracted_at): SQLite and PostgreSQL answer it from the index alone, in claim
order, without reading the statements table. Only the ``--since/--until`` filters read the
table (for ``said_on``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from factdb.dates import parse_partial_date, period_end
from factdb.vocab import OPPOSING_STANCES, SUPPORTING_STANCES

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = ["DEFAULT_LIMIT", "contested_report"]

DEFAULT_LIMIT = 20


def contested_report(
    session: Session,
    *,
    tag: str | None = None,
    since: str | None = None,
    until: str | None = None,
    speaker: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> dict[str, Any]:
    """The most contested claims, best first (see the module docstring for the rule).

    ``since``/``until`` are partial dates (``2011``, ``2011-07``, ``2011-07-11``) bounding the
    statements counted (undated statements then drop out); ``tag`` keeps claims with that tag;
    ``speaker`` (any alias) keeps claims on which that entity made a statement.
    """
    from sqlalchemy import case, func, select

    from factdb.errors import InvalidInput
    from factdb.models import Claim, ClaimTag, Statement
    from factdb.resolver import resolve_entity

    if limit < 1:
        raise InvalidInput(f"--limit must be at least 1, got {limit}")
    supports = Statement.stance.in_(SUPPORTING_STANCES)
    opposes = Statement.stance.in_(OPPOSING_STANCES)
    supporting = func.sum(case((supports, 1), else_=0))
    opposing = func.sum(case((opposes, 1), else_=0))
    supporting_speakers = func.count(func.distinct(case((supports, Statement.speaker_id)))) + func.sum(
        case((supports & Statement.speaker_id.is_(None), 1), else_=0)
    )
    opposing_speakers = func.count(func.distinct(case((opposes, Statement.speaker_id)))) + func.sum(
        case((opposes & Statement.speaker_id.is_(None), 1), else_=0)
    )
    smaller_side = case((supporting_speakers < opposing_speakers, supporting_speakers), else_=opposing_speakers)
    ranking = (
        select(
            Statement.claim_id,
            supporting.label("supporting"),
            opposing.label("opposing"),
            supporting_speakers.label("supporting_speakers"),
            opposing_speakers.label("opposing_speakers"),
            func.count().label("statements"),
        )
        .where(Statement.retracted_at.is_(None))
        .group_by(Statement.claim_id)
        .having(supporting > 0, opposing > 0)
        .order_by(smaller_side.desc(), func.count().desc(), Statement.claim_id)
        .limit(limit)
    )
    filters: dict[str, Any] = {"tag": tag, "since": None, "until": None, "speaker": None}
    if tag is not None:
        # claim_tags' index on tag: tag -> claims
        ranking = ranking.where(Statement.claim_id.in_(select(ClaimTag.claim_id).where(ClaimTag.tag == tag)))
    if since is not None:
        start = _date(since, "--since")
        ranking = ranking.where(Statement.said_on >= start.value)
        filters["since"] = start.iso()
    if until is not None:
        end = _date(until, "--until")
        ranking = ranking.where(Statement.said_on <= period_end(end.value, end.precision))
        filters["until"] = end.iso()
    if speaker is not None:
        entity = resolve_entity(session, speaker)
        # ix_statements_speaker_said: the speaker's statements -> their claims
        ranking = ranking.where(Statement.claim_id.in_(select(Statement.claim_id).where(Statement.speaker_id == entity.id)))
        filters["speaker"] = entity.name

    ranked = [row._asdict() for row in session.execute(ranking)]
    ids = [row["claim_id"] for row in ranked]
    claims = {cid: (key, text) for cid, key, text in session.execute(select(Claim.id, Claim.key, Claim.text).where(Claim.id.in_(ids)))}
    tags: dict[int, list[str]] = {}
    tag_query = select(ClaimTag.claim_id, ClaimTag.tag).where(ClaimTag.claim_id.in_(ids)).order_by(ClaimTag.tag)
    for claim_id, claim_tag in session.execute(tag_query):
        tags.setdefault(claim_id, []).append(claim_tag)

    rows = []
    for rank, row in enumerate(ranked, start=1):
        key, text = claims[row["claim_id"]]
        rows.append(
            {
                "rank": rank,
                "claim": key,
                "text": text,
                "tags": tags.get(row["claim_id"], []),
                "statements": int(row["statements"]),
                "supporting": int(row["supporting"]),
                "opposing": int(row["opposing"]),
                "supporting_speakers": int(row["supporting_speakers"]),
                "opposing_speakers": int(row["opposing_speakers"]),
            }
        )
    return {"report": "contested", "filters": filters, "limit": limit, "claims": rows}


def _date(text: str, option: str):  # noqa: ANN202
    from factdb.errors import InvalidInput

    parsed = parse_partial_date(text, option)
    if parsed is None:
        raise InvalidInput(f"{option}: give a date as YYYY-MM-DD, YYYY-MM or YYYY")
    return parsed
