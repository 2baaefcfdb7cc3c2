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

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from factdb.dates import format_partial_date
from factdb.models import Claim, Entity, Source, Statement, Verdict
from factdb.resolver import resolve_claim, resolve_statement

__all__ = ["claim_verdicts", "statement_verdicts", "verdict_records"]

_reviewer_table = Entity.__table__.alias("reviewer")
_speaker_table = Entity.__table__.alias("speaker")


def claim_verdicts(session: Session, claim: str | int) -> list[dict[str, Any]]:
    """The verdicts on a claim (key or id), statement-level ones included."""
    return verdict_records(session, claim_id=resolve_claim(session, claim).id)


def statement_verdicts(session: Session, statement: str | int) -> list[dict[str, Any]]:
    """The verdicts rating one statement (key or id)."""
    return verdict_records(session, statement_id=resolve_statement(session, statement).id)


@functools.cache
def _query(filters: tuple[str, ...]) -> Any:  # a Select of twenty columns
    """The verdicts with their claim, reviewer and statement, in report order, where each of
    ``filters`` (``claim_id``, ``statement_id``, ``claim_ids``) equals its bound parameter:
    built once per shape, on the tables rather than the mapped class (building the query and
    loading Verdict objects cost half of a typical dossier's time)."""
    v, claim, statement, source = (model.__table__.c for model in (Verdict, Claim, Statement, Source))
    reviewer, speaker = _reviewer_table.c, _speaker_table.c
    query = (
        select(
            v.id, v.key, v.claim_id, v.rating, v.rating_value, v.best_rating, v.worst_rating, v.reviewed_on,
            v.reviewed_on_precision, v.url, v.normalized_rating, v.note, claim.key, reviewer.name, reviewer.kind,
            statement.key, speaker.name, statement.speaker_description, statement.said_on,
            statement.said_on_precision, source.key,
        )
        .select_from(Verdict.__table__)
        .join(Claim.__table__, claim.id == v.claim_id)
        .join(_reviewer_table, reviewer.id == v.reviewer_id)
        .outerjoin(Statement.__table__, statement.id == v.statement_id)
        .outerjoin(_speaker_table, speaker.id == statement.speaker_id)
        .outerjoin(Source.__table__, source.id == statement.source_id)
        .order_by(v.reviewed_on.is_(None), v.reviewed_on.desc(), v.key)
    )  # fmt: skip
    for name in filters:
        if name == "claim_ids":
            query = query.where(v.claim_id.in_(bindparam(name, expanding=True)))
        else:
            query = query.where(v[name] == bindparam(name))
    return query


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
    given = {"claim_id": claim_id, "statement_id": statement_id, "claim_ids": claim_ids}
    params = {name: value for name, value in given.items() if value is not None}
    found = session.connection().execute(_query(tuple(params)), params).all()
    records = []
    for (
        verdict_id, key, verdict_claim_id, rating, rating_value, best, worst, reviewed_on, reviewed_precision, url,
        normalized, note, claim_key, reviewer, kind, statement_key, speaker, description, said, precision, source,
    ) in found:  # fmt: skip
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
                "id": verdict_id,
                "key": key,
                "claim": claim_key,
                "rates": "statement" if statement is not None else "claim",
                "statement": statement,
                "reviewer": {"name": reviewer, "kind": kind},
                "rating": rating,
                "rating_value": rating_value,
                "best_rating": best,
                "worst_rating": worst,
                "reviewed_on": format_partial_date(reviewed_on, reviewed_precision),
                "url": url,
                "normalized_rating": normalized,
                "claim_id": verdict_claim_id,
                "note": note,
            }
        )
    return records
