"""Claims with statements on both sides, ranked: ``factdb report contested``.

Ranking rule: the claims whose *smaller* side has the most distinct speakers come first (a
claim disputed by three speakers against three is more contested than one that ten speakers
assert and one denies, and one speaker repeating a denial five times is still one voice);
ties go to the claim with more statements, then to the claim key. Retracted statements are
not counted. A named speaker is one speaker however often they speak; an anonymous one is
its description (trimmed, ASCII letters lower-cased) with its affiliation, so "an Iranian
official" told twice is one speaker and "a cleric" another (:func:`factdb.counts.speaker_ref`).

Speed: without ``--since/--until`` the ranking reads the per-claim counts the database keeps
up to date on every write (``claims.support_statements`` ... ``oppose_speakers``, revision
0003, :mod:`factdb.counts`), through a partial index in ranking order (revision 0014: its
expressions are the ones of ``_ORDER`` below, which must stay written the same way): the top
20 are the index's first 20 entries, whatever the number of claims. ``--tag``
and ``--speaker`` only choose claims, so they read the same counts. ``--since/--until``
count only the statements of a period, which no maintained count can answer: that path
aggregates the statements themselves with the very SQL that recounts the stored counts
(:func:`factdb.counts.claim_counts_sql`: each joint speaker a speaker, one anonymous id once
per source, unspecified reports nobody), so a period covering every statement ranks exactly
as the stored counts do (correct, and as slow as the number of statements in the period,
found through ``ix_statements_said_on``).

Copies (:mod:`factdb.sourcing`): counted once, like everywhere. The maintained counts skip
a statement marked as a copy of another of its story (``statements.copy_of_id``, revision
0060, :mod:`factdb.copies`), and so does the aggregate of a period.
"""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import BindParameter, Date, TextClause, bindparam, text
from sqlalchemy.orm import Session

from factdb.counts import claim_counts_sql
from factdb.dates import period_end, require_partial_date
from factdb.errors import InvalidInput
from factdb.normalize import normalize_tag
from factdb.reports.common import rating_record
from factdb.resolver import resolve_entity
from factdb.sourcing import FALSE_RATINGS
from factdb.verdicts import verdict_records

__all__ = ["DEFAULT_LIMIT", "contested_report"]

DEFAULT_LIMIT = 20

_ORDER = (
    "ORDER BY CASE WHEN {sp} < {op} THEN {sp} ELSE {op} END DESC, {ss} + {os} DESC, c.key"
)
# Maintained counts: a pass over the claims table (100,000 rows at 1M statements).
_MAINTAINED_SQL = (
    """
SELECT c.id, c.support_statements, c.oppose_statements, c.support_speakers, c.oppose_speakers
FROM claims c
WHERE c.support_statements > 0 AND c.oppose_statements > 0{conditions}
"""
    + _ORDER.format(
        sp="c.support_speakers", op="c.oppose_speakers", ss="c.support_statements", os="c.oppose_statements"
    )
    + """
LIMIT :limit
"""
)
# A period: the stored counts' own aggregate (factdb.counts.claim_counts_sql) over the
# statements of that period (ix_statements_said_on)
_PERIOD_SQL = (
    """
SELECT c.id, a.support_statements, a.oppose_statements, a.support_speakers, a.oppose_speakers
FROM ({per_claim}) a JOIN claims c ON c.id = a.claim_id
WHERE a.support_statements > 0 AND a.oppose_statements > 0{conditions}
"""
    + _ORDER.format(
        sp="a.support_speakers", op="a.oppose_speakers", ss="a.support_statements", os="a.oppose_statements"
    )
    + """
LIMIT :limit
"""
)
_CLAIMS_SQL = "SELECT id, key, text FROM claims WHERE id IN :ids"
_TAGS_SQL = "SELECT claim_id, tag FROM claim_tags WHERE claim_id IN :ids ORDER BY tag"


@functools.cache
def _query(
    name: str, dialect: str = "", conditions: tuple[str, ...] = (), statement_conditions: tuple[str, ...] = ()
) -> TextClause:
    """The query ``name``, built once per shape (building costs more than a small run)."""
    template = {"maintained": _MAINTAINED_SQL, "period": _PERIOD_SQL, "claims": _CLAIMS_SQL, "tags": _TAGS_SQL}[name]
    sql = template.format(
        conditions="".join(f" AND {c}" for c in conditions),
        per_claim=claim_counts_sql(dialect, "".join(f" AND {c}" for c in statement_conditions)),
    ) if "{" in template else template
    binds: list[BindParameter[Any]] = [bindparam("ids", expanding=True)] if ":ids" in sql else []
    binds += [bindparam(name, type_=Date()) for name in ("since", "until") if f":{name}" in sql]
    return text(sql).bindparams(*binds)


def contested_report(
    session: Session,
    *,
    tag: str | None = None,
    since: str | None = None,
    until: str | None = None,
    speaker: str | None = None,
    rated: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> dict[str, Any]:
    """The most contested claims, best first (see the module docstring for the rule).

    ``since``/``until`` are partial dates (``2011``, ``2011-07``, ``2011-07-11``) bounding the
    statements counted (undated statements then drop out); ``tag`` keeps claims with that tag;
    ``speaker`` (any alias) keeps claims on which that entity made a statement; ``rated``
    keeps claims a reviewer rated so (case-insensitive; ``false`` is every rating saying
    false, :data:`factdb.sourcing.FALSE_RATINGS`, and ClaimsKG's ``FALSE``). Each claim
    lists its verdicts (``ratings``).
    """
    if limit < 1:
        raise InvalidInput(f"limit: must be at least 1, got {limit}")
    conditions: list[str] = []  # on the claim (alias c)
    statement_conditions: list[str] = []  # on the statements counted (alias s)
    params: dict[str, Any] = {}
    filters: dict[str, Any] = {"tag": tag, "since": None, "until": None, "speaker": None, "rated": rated}
    if tag is not None:
        # claim_tags' index on tag: tag -> claims
        conditions.append("c.id IN (SELECT t.claim_id FROM claim_tags t WHERE t.tag = :tag)")
        params["tag"] = filters["tag"] = normalize_tag(tag)
    period: list[str] = []
    if since is not None:
        start = require_partial_date(since, "since")
        period.append("d.said_on >= :since")
        params["since"] = start.value
        filters["since"] = start.iso()
    if until is not None:
        end = require_partial_date(until, "until")
        period.append("d.said_on <= :until")
        params["until"] = period_end(end.value, end.precision)
        filters["until"] = end.iso()
    if period:
        # The period's statements by id, from ix_statements_said_on: written on ``s`` itself,
        # SQLite (no statistics) walked the index of ``copy_of_id IS NULL`` instead, every
        # statement that is no copy (1.9 s -> 0.2 s for a quarter of 1M statements)
        statement_conditions.append(f"s.id IN (SELECT d.id FROM statements d WHERE {' AND '.join(period)})")
    if speaker is not None:
        entity = resolve_entity(session, speaker)
        # ix_statements_speaker_said: the speaker's statements -> their claims; a joint speaker's too
        conditions.append(
            "(c.id IN (SELECT p.claim_id FROM statements p WHERE p.speaker_id = :speaker_id)"
            " OR c.id IN (SELECT p.claim_id FROM statement_speakers j JOIN statements p ON p.id = j.statement_id"
            " WHERE j.speaker_id = :speaker_id))"
        )
        params["speaker_id"] = entity.id
        filters["speaker"] = entity.name

    if rated is not None:
        wanted = " ".join(rated.replace("-", " ").replace("_", " ").casefold().split())
        if not wanted:
            raise InvalidInput("--rated: give a rating, e.g. false or \"mostly true\"")
        spellings = sorted(FALSE_RATINGS) if wanted == "false" else [wanted]
        # how importers spell them: "Pants on Fire", "pants-fire"
        spellings = sorted({form for w in spellings for form in (w, w.replace(" ", "-"))})
        # verdicts' claim_id index: rating -> claims
        conditions.append(
            "c.id IN (SELECT v.claim_id FROM verdicts v WHERE lower(v.rating) IN :ratings"
            " OR upper(v.normalized_rating) = :normalized)"
        )
        params["ratings"] = spellings
        params["normalized"] = wanted.upper()

    connection = session.connection()
    if statement_conditions:
        query = _query("period", connection.dialect.name, tuple(conditions), tuple(statement_conditions))
    else:
        query = _query("maintained", "", tuple(conditions))
    if rated is not None:
        query = query.bindparams(bindparam("ratings", expanding=True))
    ranked = connection.execute(query, {**params, "limit": limit}).all()
    ids = [row[0] for row in ranked]
    claims = {cid: (key, text) for cid, key, text in connection.execute(_query("claims"), {"ids": ids})}
    tags: dict[int, list[str]] = {}
    for claim_id, claim_tag in connection.execute(_query("tags"), {"ids": ids}):
        tags.setdefault(claim_id, []).append(claim_tag)

    ratings: dict[int, list[dict[str, Any]]] = {}
    for verdict in verdict_records(session, claim_ids=ids):
        ratings.setdefault(verdict["claim_id"], []).append(rating_record(verdict))

    rows = []
    for rank, (claim_id, supporting, opposing, supporting_speakers, opposing_speakers) in enumerate(ranked, start=1):
        key, text = claims[claim_id]
        rows.append(
            {
                "rank": rank,
                "claim": key,
                "text": text,
                "tags": tags.get(claim_id, []),
                "statements": int(supporting) + int(opposing),
                "supporting": int(supporting),
                "opposing": int(opposing),
                "supporting_speakers": int(supporting_speakers),
                "opposing_speakers": int(opposing_speakers),
                "ratings": ratings.get(claim_id, []),
            }
        )
    return {"report": "contested", "filters": filters, "limit": limit, "claims": rows}




def _only(params: dict[str, Any], *names: str) -> dict[str, Any]:
    return {name: params[name] for name in names if name in params}
