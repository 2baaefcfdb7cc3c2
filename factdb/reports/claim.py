"""The claim dossier: ``factdb report claim CLAIM``.

Everything an editor needs about one claim: a summary of its sourcing, who stands on each
side (grouped by party), the reviewers' verdicts, every statement in date order (copies of one
statement in one story listed once, with the outlets carrying them), and the linked claims.
A fixed number of queries whatever the number of statements (the statements come in one query through
``ix_statements_claim_cover``, whose leading column is ``claim_id``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from sqlalchemy import bindparam, column, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import TextualSelect

from factdb.errors import InvalidInput
from factdb.reports.common import (
    iso_date,
    load_statements,
    party_groups,
    rating_record,
    speaker_label,
    statement_record,
    voices,
)
from factdb.resolver import resolve_claim
from factdb.sourcing import outlets_of, sourcing_flags, stories_of
from factdb.verdicts import verdict_records

__all__ = ["claim_report", "claim_reports", "claim_status", "sourcing_summary"]


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


def _first(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The earliest dated statement of rows (rows are in date order), as the summary names it."""
    row = next((r for r in rows if r["said_on"] is not None), None)
    if row is None:
        return None
    return {
        "key": row["key"],
        "said_on": iso_date(row["said_on"], row["said_on_precision"]),
        "said_on_precision": row["said_on_precision"],
        "speaker": speaker_label(row),
        "anonymous": row["anonymous"],
        "stance": row["stance"],
        "outlet": row["outlet"],
    }


def sourcing_summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts over counted (non-retracted) statements, copies of one statement counted once:
    sides, voices, sources (every source carrying a statement), independent stories and
    outlets (a copy counts as its original's outlet), dates, the first statement on each side."""
    supporting = [r for r in rows if r["side"] == "support"]
    opposing = [r for r in rows if r["side"] == "oppose"]
    named, anonymous = voices(rows)
    dated = [r for r in rows if r["said_on"] is not None]
    first = min(dated, key=lambda r: r["said_on"], default=None)
    last = max(dated, key=lambda r: r["said_on"], default=None)

    def sources(of: list[dict[str, Any]]) -> int:
        return len({source for r in of for source in r.get("sources", [r["source_id"]])})

    return {
        "statements": len(rows),
        "supporting": len(supporting),
        "opposing": len(opposing),
        "speakers": named + anonymous,
        "named_speakers": named,
        "anonymous_speakers": anonymous,
        "sources": sources(rows),
        "independent_sources": len(stories_of(rows)),
        "outlets": len(outlets_of(rows)),
        "copies": sum(len(r.get("copies", [])) for r in rows),
        "supporting_sources": sources(supporting),
        "supporting_independent_sources": len(stories_of(supporting)),
        "supporting_outlets": len(outlets_of(supporting)),
        "first_said_on": iso_date(first["said_on"], first["said_on_precision"]) if first else None,
        "first_said_on_precision": first["said_on_precision"] if first else None,
        "last_said_on": iso_date(last["said_on"], last["said_on_precision"]) if last else None,
        "last_said_on_precision": last["said_on_precision"] if last else None,
        "undated": len(rows) - len(dated),
        "first_supporting": _first(supporting),
        "first_opposing": _first(opposing),
        "status": claim_status(len(supporting), len(opposing)),
    }


def claim_report(
    session: Session, claim_key: str, *, include_retracted: bool = False, limit: int | None = None
) -> dict[str, Any]:
    """The dossier of one claim (by key or id), as plain data.

    Retracted statements are left out of every count; with ``include_retracted`` they are
    listed among the statements (marked), still uncounted. ``limit`` lists only the first
    statements (``summary`` counts them all; ``listed`` says how many are listed).
    """
    if limit is not None and limit < 1:
        raise InvalidInput(f"--limit must be at least 1, got {limit}")
    connection = session.connection()
    header = list(connection.execute(_query(), {"key": str(claim_key).strip()}).all())
    if not header:  # not a key: an id, or a name to suggest keys for
        header = list(connection.execute(_query(), {"key": resolve_claim(session, claim_key).key}).all())
    claim_id = header[0][1]
    rows = load_statements(
        session, ["s.claim_id = :claim_id"], {"claim_id": claim_id}, include_retracted=True,
        include_earlier_versions=True,
    )  # fmt: skip
    verdicts = verdict_records(session, claim_id=claim_id)
    return _dossier(header, rows, verdicts, include_retracted=include_retracted, limit=limit)


def claim_reports(session: Session, claim_ids: list[int]) -> Iterator[dict[str, Any]]:
    """The dossiers of several claims (by id, in the given order), as :func:`claim_report`
    makes each with its defaults, in the same four queries for all of them: for ``report
    site``, which asks for them a batch at a time (keep a batch under
    :data:`factdb.reports.common.SUBSET_LIMIT` statements, or its context is read whole)."""
    if not claim_ids:
        return
    connection = session.connection()
    headers: dict[int, list[Any]] = {}
    for row in connection.execute(_batch_query(), {"claim_ids": list(claim_ids)}):
        headers.setdefault(row[0], []).append(tuple(row[1:]))
    rows_of: dict[int, list[dict[str, Any]]] = {}
    for statement in load_statements(
        session, ["s.claim_id IN :claim_ids"], {"claim_ids": list(claim_ids)}, include_retracted=True,
        include_earlier_versions=True,
    ):  # fmt: skip
        rows_of.setdefault(statement["claim_id"], []).append(statement)  # date order kept within each claim
    verdicts_of: dict[int, list[dict[str, Any]]] = {}
    for verdict in verdict_records(session, claim_ids=list(claim_ids)):
        verdicts_of.setdefault(verdict["claim_id"], []).append(verdict)  # report order kept
    for claim_id in claim_ids:
        if claim_id in headers:
            yield _dossier(headers[claim_id], rows_of.get(claim_id, []), verdicts_of.get(claim_id, []))


def _dossier(
    header: list[Any],
    rows: list[dict[str, Any]],
    verdicts: list[dict[str, Any]],
    *,
    include_retracted: bool = False,
    limit: int | None = None,
) -> dict[str, Any]:
    """The dossier from its loaded parts: the header rows (part, id, key, text, note or link
    kind, direction), every statement row of the claim (retracted and earlier versions too)
    and its verdicts."""
    header = sorted(header, key=lambda row: (row[0], row[5] != "outgoing", row[4] or "", row[2]))
    claim_id, key, text, note = header[0][1:5]
    tags = [row[2] for row in header if row[0] == 1]
    linked = [
        {"kind": kind, "direction": direction, "claim": other_key, "text": other_text}
        for part, _, other_key, other_text, kind, direction in header
        if part == 2
    ]
    unretracted = [r for r in rows if r["retracted_at"] is None]
    shown = rows if include_retracted else unretracted
    # what only an earlier version of a source said is shown, never counted
    current = [r for r in unretracted if not r.get("in_earlier_version")]
    # a no-comment is shown ("asked, no comment") and counted apart, never on a side
    counted = [r for r in current if r["side"] is not None]
    summary = sourcing_summary(counted)
    summary["retracted"] = len(rows) - len(unretracted)
    summary["no_comment"] = len(current) - len(counted)
    summary["flags"] = sourcing_flags(counted, verdicts)
    return {
        "report": "claim",
        "claim": {"key": key, "text": text, "tags": tags, "note": note},
        "summary": summary,
        "sides": {
            "support": party_groups([r for r in counted if r["side"] == "support"]),
            "oppose": party_groups([r for r in counted if r["side"] == "oppose"]),
        },
        "no_comment": party_groups([r for r in current if r["side"] is None]),
        "verdicts": [rating_record(v) for v in verdicts],
        "limit": limit,
        "statements": [statement_record(r) for r in (shown if limit is None else shown[:limit])],
        "linked_claims": linked,
    }


# The claim (part 0), its tags (1) and its links from both ends (2: this claim -> other is
# "outgoing", other -> this claim "incoming") in one query: the dossier runs three in all.
_HEADER_SQL = """
SELECT 0 AS part, c.id, c.key, c.text, c.note, NULL AS direction FROM claims c WHERE c.key = :key
UNION ALL
SELECT 1, NULL, t.tag, NULL, NULL, NULL FROM claim_tags t JOIN claims c ON c.id = t.claim_id WHERE c.key = :key
UNION ALL
SELECT 2, NULL, o.key, o.text, l.kind, 'outgoing' FROM claim_links l
  JOIN claims c ON c.id = l.from_claim_id JOIN claims o ON o.id = l.to_claim_id WHERE c.key = :key
UNION ALL
SELECT 2, NULL, o.key, o.text, l.kind, 'incoming' FROM claim_links l
  JOIN claims c ON c.id = l.to_claim_id JOIN claims o ON o.id = l.from_claim_id WHERE c.key = :key
"""


# The same for a batch of claims (by id), each row led by its claim's id
_BATCH_HEADER_SQL = """
SELECT c.id AS claim_id, 0 AS part, c.id, c.key, c.text, c.note, NULL AS direction FROM claims c
  WHERE c.id IN :claim_ids
UNION ALL
SELECT t.claim_id, 1, NULL, t.tag, NULL, NULL, NULL FROM claim_tags t WHERE t.claim_id IN :claim_ids
UNION ALL
SELECT l.from_claim_id, 2, NULL, o.key, o.text, l.kind, 'outgoing' FROM claim_links l
  JOIN claims o ON o.id = l.to_claim_id WHERE l.from_claim_id IN :claim_ids
UNION ALL
SELECT l.to_claim_id, 2, NULL, o.key, o.text, l.kind, 'incoming' FROM claim_links l
  JOIN claims o ON o.id = l.from_claim_id WHERE l.to_claim_id IN :claim_ids
"""


# by position: the result metadata is built once, cached with the compiled query
_HEADER_COLUMNS = ("part", "id", "key", "text", "note", "direction")


@functools.cache
def _query() -> TextualSelect:
    return text(_HEADER_SQL).columns(*(column(name) for name in _HEADER_COLUMNS))


@functools.cache
def _batch_query() -> TextualSelect:
    query = text(_BATCH_HEADER_SQL).bindparams(bindparam("claim_ids", expanding=True))
    return query.columns(*(column(name) for name in ("claim_id", *_HEADER_COLUMNS)))
