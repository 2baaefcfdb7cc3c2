"""Statements over time: ``factdb report timeline [--claim | --tag | --speaker]``.

Statements are grouped by the year, month or day of their date; a statement dated only to
the year falls in the period of that year (``2011``) under ``--by month`` or ``--by day``,
listed before the months of that year (and one dated to the month in that month's period,
before its days). Copies of one statement in one story count once. The ``chronology`` lists
every statement in date order with its date's precision (``--limit`` shortens it, never the
counts), so the first accusation and the first denial are the first lines of each side. Undated
statements are counted apart. Retracted statements are left out unless
``include_retracted`` (then listed and counted in ``retracted``, never as support or
opposition). Access paths: ``ix_statements_claim_cover`` for a claim, ``claim_tags``' tag
index for a tag, ``ix_statements_speaker_said`` for a speaker.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from factdb.errors import InvalidInput
from factdb.normalize import normalize_tag
from factdb.reports.common import date_sort_key, iso_date, load_statements, speaker_label
from factdb.resolver import resolve_claim, resolve_entity

__all__ = ["timeline_report"]

GROUPINGS = ("year", "month", "day")
# Claims whose statements are read at a time by a timeline of many claims (the whole database,
# a tag): copies fold within a claim, so a claim's statements are never split between reads,
# and only the chronology's small rows are kept (a whole-database timeline of 1M statements
# held every statement's full record at once: 4.5 GB).
CLAIMS_PER_READ = 2000


def timeline_report(
    session: Session,
    *,
    claim: str | None = None,
    tag: str | None = None,
    speaker: str | None = None,
    by: str = "year",
    include_retracted: bool = False,
    limit: int | None = None,
) -> dict[str, Any]:
    """Supporting and opposing statements per period, oldest first, then the undated ones;
    and the chronology (the first ``limit`` statements, all when None)."""
    if by not in GROUPINGS:
        raise InvalidInput(f'--by must be "year", "month" or "day", got "{by}"')
    if limit is not None and limit < 1:
        raise InvalidInput(f"--limit must be at least 1, got {limit}")
    conditions: list[str] = []
    params: dict[str, Any] = {}
    filters: dict[str, Any] = {"claim": None, "tag": tag, "speaker": None}
    if claim is not None:
        found = resolve_claim(session, claim)
        conditions.append("s.claim_id = :claim_id")
        params["claim_id"] = found.id
        filters["claim"] = found.key
    if tag is not None:
        conditions.append("s.claim_id IN (SELECT t.claim_id FROM claim_tags t WHERE t.tag = :tag)")
        params["tag"] = filters["tag"] = normalize_tag(tag)
    if speaker is not None:
        entity = resolve_entity(session, speaker)
        # a joint speaker's statements too (revision 0025), as report contested --speaker
        conditions.append(
            "(s.speaker_id = :speaker_id"
            " OR s.id IN (SELECT j.statement_id FROM statement_speakers j WHERE j.speaker_id = :speaker_id))"
        )
        params["speaker_id"] = entity.id
        filters["speaker"] = entity.name

    periods: dict[str, dict[str, Any]] = {}
    undated = _period(None)
    listed: list[tuple[tuple, dict[str, Any]]] = []  # (date order, chronology row)
    many_claims = claim is None and speaker is None
    for part_conditions, part_params in _reads(session, conditions, params, tag if many_claims else None, many_claims):
        for row in load_statements(session, part_conditions, part_params, include_retracted=include_retracted):
            if row["said_on"] is None:
                bucket = undated
            else:
                label = _label(row, by)
                bucket = periods.setdefault(label, _period(label))
            order = date_sort_key(row["said_on"], row["published_on"], row["id"])
            listed.append((order, _count(bucket, row)))  # counted in its period, listed in order
        if limit is not None and len(listed) > limit:
            listed = heapq.nsmallest(limit, listed, key=lambda pair: pair[0])
    listed.sort(key=lambda pair: pair[0])
    chronology = [row for _, row in listed]
    ordered = [periods[label] for label in sorted(periods)]
    return {
        "report": "timeline",
        "filters": filters,
        "by": by,
        "periods": ordered,
        "undated": undated,
        "limit": limit,
        "chronology": chronology if limit is None else chronology[:limit],
    }


def _reads(
    session: Session, conditions: list[str], params: dict[str, Any], tag: str | None, many_claims: bool
) -> Iterator[tuple[list[str], dict[str, Any]]]:
    """The reads of a timeline: one for a claim or a speaker; for the whole database or a tag,
    one per :data:`CLAIMS_PER_READ` claims (a range of claim ids, the tag's claims for a tag)."""
    if not many_claims:
        yield conditions, params
        return
    if tag is None:
        ids = session.execute(text("SELECT id FROM claims ORDER BY id")).scalars().all()
    else:
        ids = session.execute(
            text("SELECT claim_id FROM claim_tags WHERE tag = :tag ORDER BY claim_id"), {"tag": params["tag"]}
        ).scalars().all()
    if len(ids) <= CLAIMS_PER_READ:
        yield conditions, params
        return
    for start in range(0, len(ids), CLAIMS_PER_READ):
        part = ids[start:start + CLAIMS_PER_READ]
        yield (
            [*conditions, "s.claim_id BETWEEN :first_claim AND :last_claim"],
            {**params, "first_claim": part[0], "last_claim": part[-1]},
        )


def _label(row: dict[str, Any], by: str) -> str:
    said_on, precision = row["said_on"], row["said_on_precision"]
    if by == "year" or precision == "year":
        return f"{said_on.year:04d}"
    if by == "month" or precision == "month":
        return f"{said_on.year:04d}-{said_on.month:02d}"
    return said_on.isoformat()


def _period(label: str | None) -> dict[str, Any]:
    return {"period": label, "statements": 0, "supporting": 0, "opposing": 0, "no_comment": 0, "retracted": 0}


def _count(bucket: dict[str, Any], row: dict[str, Any]) -> dict[str, Any]:
    if row["retracted_at"] is not None:
        bucket["retracted"] += 1
    else:
        bucket["statements"] += 1
        side = row["side"]
        bucket["supporting" if side == "support" else "opposing" if side == "oppose" else "no_comment"] += 1
    return {
        "key": row["key"],
        "claim": row["claim_key"],
        "said_on": iso_date(row["said_on"], row["said_on_precision"]),
        "said_on_precision": row["said_on_precision"],
        "speaker": speaker_label(row),
        "anonymous": row["anonymous"],
        "stance": row["stance"],
        "side": row["side"],
        "outlet": row["outlet"],
        "carried_by": row.get("carried_by", []),
        "quote_status": row["quote_status"],
        "retracted": row["retracted_at"] is not None,
    }
