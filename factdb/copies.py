"""Copies counted once in the stored counts: the marker ``statements.copy_of_id``.

One FBI statement carried by 8 republished copies is one statement (:mod:`factdb.sourcing`).
The dossier folds such copies when it reads them (:func:`factdb.sourcing.collapse_copies`);
the counts the database keeps per claim (:mod:`factdb.counts`: ``claims.support_statements``
etc. and ``claim_speakers``, read by ``report contested`` and ``claim list``) need the fold
stored, so that the count triggers can skip the copies. That is ``statements.copy_of_id``
(revision 0060): the id of the statement a row is a copy of, NULL for a statement that counts.

The rule is :func:`factdb.sourcing.statement_identity` itself (no second definition in SQL):
among the unretracted statements of one story (the root of their sources' ``republishes``
chain) with one identity (claim, speaker, stance, normalized quote), the statements of each
source are ranked by id; the k-th statements of the story's sources are one statement, whose
head is the one in the story's original (else the lowest id), and the others are copies of
it. So a claim has as many counted statements of one identity in one story as the source
that has most of them, which is what :func:`~factdb.sourcing.collapse_copies` folds to
(the same words said twice in one article were said twice). A retracted statement is never
a copy nor the head of one: retracting the original makes a copy count (it becomes the head).

Every write path keeps the marker: :func:`factdb.sessions.transaction` remarks the claims its
writes touched (:mod:`factdb.touched`: the claims of every statement written, of every
source changed and of the sources that copy it) before it commits; the bulk importer
calls :func:`mark_copies` once at the end of its load for the claims it touched
(:func:`factdb.touched.loaded_claims`). The marker
is an UPDATE of ``copy_of_id``, a column the count triggers watch, so the counts follow.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from factdb.reports.common import MAX_CHAIN
from factdb.sourcing import statement_identity

__all__ = ["mark_copies", "claims_in_sql"]


def claims_in_sql(claim_ids: Iterable[int]) -> str:
    """SQL ``IN (...)`` for a set of claim ids (ints only, so safe to inline)."""
    return "IN (" + ", ".join(str(int(i)) for i in sorted(set(claim_ids))) + ")"


def _statement_query(claims: str | None) -> str:
    where = f"WHERE s.claim_id {claims}" if claims else ""
    starts = f"WHERE so.id IN (SELECT s.source_id FROM statements s {where})" if claims else ""
    # the story of a source: the root of its republishes chain (a source in a cycle, or in a
    # chain longer than reports.common.MAX_CHAIN, stands alone), as load_statements finds it
    return f"""
WITH RECURSIVE copy_chain(start_id, node_id, up_id, depth) AS (
  SELECT so.id, so.id, so.republishes_id, 0 FROM sources so {starts}
  UNION ALL
  SELECT c.start_id, so.id, so.republishes_id, c.depth + 1 FROM copy_chain c JOIN sources so ON so.id = c.up_id
  WHERE c.depth < {MAX_CHAIN}
)
SELECT s.id, s.claim_id, s.speaker_id, s.speaker_description, s.speaker_affiliation_id, s.stance, s.quote,
  s.source_id, s.retracted_at, s.copy_of_id, r.node_id AS story
FROM statements s LEFT JOIN copy_chain r ON r.start_id = s.source_id AND r.up_id IS NULL {where}"""


# the columns _statement_query reads, in order
_ID, _CLAIM, _SPEAKER, _DESCRIPTION, _AFFILIATION, _STANCE, _QUOTE, _SOURCE, _RETRACTED, _COPY_OF, _STORY = range(11)


def _wanted(rows: list[tuple]) -> dict[int, int]:
    """copy_of_id by statement id for the copies among ``rows`` (every statement of some claims)."""
    stories: dict[tuple[int, int], list[tuple]] = defaultdict(list)
    for row in rows:
        if row[_RETRACTED] is None:
            stories[(row[_CLAIM], row[_STORY] if row[_STORY] is not None else row[_SOURCE])].append(row)
    wanted: dict[int, int] = {}
    for (_claim, story), members in stories.items():
        if len({m[_SOURCE] for m in members}) < 2:
            continue  # a story of one source has no copies (most statements: no identity computed)
        identities: dict[tuple, list[tuple]] = defaultdict(list)
        for m in members:
            identities[statement_identity({
                "claim_id": m[_CLAIM], "speaker_id": m[_SPEAKER], "speaker_description": m[_DESCRIPTION],
                "speaker_affiliation_id": m[_AFFILIATION], "stance": m[_STANCE], "quote": m[_QUOTE],
                "group_key": story, "retracted_at": None,
            })].append(m)  # fmt: skip
        for group in identities.values():
            per_source: dict[int, list[tuple]] = defaultdict(list)
            for m in sorted(group, key=lambda m: m[_ID]):
                per_source[m[_SOURCE]].append(m)
            if len(per_source) < 2:
                continue
            for rank in range(max(len(listed) for listed in per_source.values())):
                cluster = [listed[rank] for listed in per_source.values() if len(listed) > rank]
                head = min(cluster, key=lambda m: (m[_SOURCE] != story, m[_ID]))
                wanted.update((m[_ID], head[_ID]) for m in cluster if m is not head)
    return wanted


_CHUNK = 5000  # claims per read: a bounded IN list, and rows of a bounded number of claims in memory


def _dialect(connection: Any) -> str:
    dialect = getattr(connection, "dialect", None)
    if dialect is not None:
        return str(dialect.name)
    return "sqlite" if type(connection).__module__.startswith("sqlite3") else "postgresql"


def mark_copies(connection: Any, claims: str | Iterable[int] | None) -> set[int]:
    """Set ``copy_of_id`` right for every statement of ``claims`` (claim ids, a SQL
    condition on ``claim_id`` such as ``"IN (SELECT ...)"``, or None for every claim) and
    return the ids of the claims whose markers changed. One read and one batched UPDATE of
    the rows whose marker changes (their count triggers move the counts) per chunk of claims.

    ``connection``: a SQLAlchemy ``Connection`` or a DBAPI one (sqlite3, psycopg), in the
    caller's transaction."""
    if claims is not None and not isinstance(claims, str):
        ids = sorted({int(c) for c in claims})
        changed: set[int] = set()
        for start in range(0, len(ids), _CHUNK):
            changed |= mark_copies(connection, claims_in_sql(ids[start : start + _CHUNK]))
        return changed
    runner = getattr(connection, "exec_driver_sql", None) or connection.execute
    rows = [tuple(row) for row in runner(_statement_query(claims)).fetchall()]
    wanted = _wanted(rows)
    changes = [row for row in rows if wanted.get(row[_ID]) != row[_COPY_OF]]
    if changes:
        mark = "?" if _dialect(connection) == "sqlite" else "%s"
        sql = f"UPDATE statements SET copy_of_id = {mark} WHERE id = {mark}"
        values = [(wanted.get(row[_ID]), row[_ID]) for row in changes]
        if hasattr(connection, "exec_driver_sql"):
            connection.exec_driver_sql(sql, values)
        elif hasattr(connection, "executemany"):  # sqlite3
            connection.executemany(sql, values)
        else:  # psycopg
            connection.cursor().executemany(sql, values)
    return {row[_CLAIM] for row in changes}
