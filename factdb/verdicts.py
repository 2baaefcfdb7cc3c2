"""Verdicts: reviewers' ratings of a claim, or of one statement of it (ClaimReview, LIAR).

A verdict rates a claim, or the claim as one speaker made it (a statement: speaker, source,
date). The readers here give plain records, newest review first (undated last, then by key),
for ``claim show``, ``statement show`` and the reports:

- :func:`claim_verdicts` every verdict on a claim, those rating one of its statements with
  that statement (``rates``: ``"claim"`` or ``"statement"``);
- :func:`statement_verdicts` the verdicts rating one statement;
- :func:`verdict_records` the same by row ids, for callers that hold them.

>>> claim_verdicts(session, "iran-arms-militias")[0]["rating"]  # doctest: +SKIP
'Mostly true'
"""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from factdb.dates import format_partial_date
from factdb.models import Claim, Entity, Source, Statement, Verdict
from factdb.resolver import resolve_claim, resolve_statement

__all__ = ["claim_verdicts", "statement_verdicts", "verdict_records"]

_reviewer = aliased(Entity)
_speaker = aliased(Entity)


def claim_verdicts(session: Session, claim: str | int) -> list[dict[str, Any]]:
    """The verdicts on a claim (key or id), statement-level ones included."""
    return verdict_records(session, claim_id=resolve_claim(session, claim).id)


def statement_verdicts(session: Session, statement: str | int) -> list[dict[str, Any]]:
    """The verdicts rating one statement (key or id)."""
    return verdict_records(session, statement_id=resolve_statement(session, statement).id)


@functools.cache
def _base_query() -> Any:  # a Select of ten columns
    """The verdicts with their claim, reviewer and statement, in report order: built once
    (building it cost half of a dossier's time; each call only adds its WHERE)."""
    return (
        select(
            Verdict,
            Claim.key,
            _reviewer.name,
            _reviewer.kind,
            Statement.key,
            _speaker.name,
            Statement.speaker_description,
            Statement.said_on,
            Statement.said_on_precision,
            Source.key,
        )
        .join(Claim, Claim.id == Verdict.claim_id)
        .join(_reviewer, _reviewer.id == Verdict.reviewer_id)
        .outerjoin(Statement, Statement.id == Verdict.statement_id)
        .outerjoin(_speaker, _speaker.id == Statement.speaker_id)
        .outerjoin(Source, Source.id == Statement.source_id)
        .order_by(Verdict.reviewed_on.is_(None), Verdict.reviewed_on.desc(), Verdict.key)
    )


def verdict_records(
    session: Session,
    *,
    claim_id: int | None = None,
    statement_id: int | None = None,
    claim_ids: list[int] | None = None,
) -> list[dict[str, Any]]:
    """Verdicts of a claim, of a statement or of several claims (``claim_ids``), by id, in one
    query, as records::

        {"id", "key", "claim", "rates": "claim" | "statement",
         "statement": {"key", "speaker", "speaker_description", "said_on", "source"} | None,
         "reviewer": {"name", "kind"}, "rating", "rating_value", "best_rating", "worst_rating",
         "reviewed_on", "url", "normalized_rating", "claim_id", "note"}
    """
    query = _base_query()
    if claim_id is not None:
        query = query.where(Verdict.claim_id == claim_id)
    if statement_id is not None:
        query = query.where(Verdict.statement_id == statement_id)
    if claim_ids is not None:
        query = query.where(Verdict.claim_id.in_(claim_ids))
    records = []
    for verdict, claim_key, reviewer, kind, statement_key, speaker, description, said, precision, source in (
        session.execute(query).all()
    ):
        statement = None
        if statement_key is not None:
            statement = {
                "key": statement_key,
                "speaker": speaker,
                "speaker_description": description,
                "said_on": format_partial_date(said, precision),
                "source": source,
            }
        records.append(
            {
                "id": verdict.id,
                "key": verdict.key,
                "claim": claim_key,
                "rates": "statement" if statement is not None else "claim",
                "statement": statement,
                "reviewer": {"name": reviewer, "kind": kind},
                "rating": verdict.rating,
                "rating_value": verdict.rating_value,
                "best_rating": verdict.best_rating,
                "worst_rating": verdict.worst_rating,
                "reviewed_on": format_partial_date(verdict.reviewed_on, verdict.reviewed_on_precision),
                "url": verdict.url,
                "normalized_rating": verdict.normalized_rating,
                "claim_id": verdict.claim_id,
                "note": verdict.note,
            }
        )
    return records
