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

from collections.abc import Iterable
from typing import Any

from factdb.reports.common import MAX_CHAIN
from factdb.sourcing import fold_statements

__all__ = ["mark_copies", "claims_in_sql"]


def claims_in_sql(claim_ids: Iterable[int]) -> str:
    """SQL ``IN (...)`` for a set of claim ids (ints only, so safe to inline)."""
    return "IN (" + ", ".join(str(int(i)) for i in sorted(set(claim_ids))) + ")"


def _chains(starts: str) -> str:
    """SQL ``WITH RECURSIVE copy_chain, version_chain, newest``: the story of each source
    matching ``starts`` (a WHERE on ``sources so``, or empty for every source): the newest
    version of the root of its republishes chain (a source in a cycle, or in a chain longer than
    reports.common.MAX_CHAIN, stands alone), as load_statements finds it."""
    return f"""
WITH RECURSIVE copy_chain(start_id, node_id, up_id, depth) AS (
  SELECT so.id, so.id, so.republishes_id, 0 FROM sources so {starts}
  UNION ALL
  SELECT c.start_id, so.id, so.republishes_id, c.depth + 1 FROM copy_chain c JOIN sources so ON so.id = c.up_id
  WHERE c.depth < {MAX_CHAIN}
), version_chain(start_id, node_id, depth) AS (
  SELECT r.start_id, r.node_id, 0 FROM copy_chain r WHERE r.up_id IS NULL
  UNION ALL
  SELECT c.start_id, so.id, c.depth + 1 FROM version_chain c JOIN sources so ON so.updates_id = c.node_id
  WHERE c.depth < {MAX_CHAIN}
), newest(start_id, node_id) AS (
  SELECT v.start_id, v.node_id FROM version_chain v
  WHERE NOT EXISTS (SELECT 1 FROM sources x WHERE x.updates_id = v.node_id)
)"""


_COLUMNS = ("s.id, s.claim_id, s.speaker_id, s.speaker_description, s.speaker_affiliation_id, s.stance, s.quote, "
            "s.source_id, s.retracted_at, s.copy_of_id")
# many chunks of claims (a bulk load): every source's story computed once, into this table
_STORIES = "factdb_copy_stories"


# ... and the stories that two sources or more, or a superseded version, make: the only
# ones _wanted may fold statements in
_FOLDABLE = "factdb_copy_foldable"
# a statement's story as _wanted takes it (its root, else its own source, when it has none)
_STORY_SQL = "coalesce({t}.story, {t}.root, {s}.source_id)"


def _statement_query(claims: str | None) -> str:
    where = f"WHERE s.claim_id {claims}" if claims else ""
    starts = f"WHERE so.id IN (SELECT s.source_id FROM statements s {where})" if claims else ""
    return f"""{_chains(starts)}
SELECT {_COLUMNS}, r.node_id AS root, n.node_id AS story
FROM statements s LEFT JOIN copy_chain r ON r.start_id = s.source_id AND r.up_id IS NULL
LEFT JOIN newest n ON n.start_id = s.source_id {where}"""


def _story_table_sql(postgres: bool) -> list[str]:
    """SQL making :data:`_STORIES`: per source its root and story (as :func:`_statement_query`
    joins them: one row per pair)."""
    temporary = f"CREATE TEMPORARY TABLE {_STORIES} ON COMMIT DROP AS" if postgres else (
        f"CREATE TEMP TABLE {_STORIES} AS")
    return [
        f"DROP TABLE IF EXISTS {_STORIES}",
        f"{temporary} {_chains('')} SELECT so.id AS source_id, r.node_id AS root, n.node_id AS story FROM sources so "
        "LEFT JOIN copy_chain r ON r.start_id = so.id AND r.up_id IS NULL LEFT JOIN newest n ON n.start_id = so.id",
        f"CREATE INDEX ix_{_STORIES} ON {_STORIES} (source_id)",
    ]


def _foldable_table_sql(postgres: bool) -> list[str]:
    """SQL making :data:`_FOLDABLE` from :data:`_STORIES`: the stories :func:`_wanted` may
    fold statements in, those of two sources or more, or with a superseded version (a source
    that is its root but not its newest version). A source's count, not a statement's: the
    stories table has a row per source, so this reads the sources only."""
    temporary = "CREATE TEMPORARY TABLE {} ON COMMIT DROP AS" if postgres else "CREATE TEMP TABLE {} AS"
    root, story = "coalesce(t.root, t.source_id)", "coalesce(t.story, t.root, t.source_id)"
    return [
        f"DROP TABLE IF EXISTS {_FOLDABLE}",
        f"{temporary.format(_FOLDABLE)} SELECT {story} AS story FROM {_STORIES} t GROUP BY {story} "
        f"HAVING count(*) > 1 OR max(CASE WHEN t.source_id = {root} AND {root} <> {story} THEN 1 ELSE 0 END) = 1",
        f"CREATE INDEX ix_{_FOLDABLE} ON {_FOLDABLE} (story)",
    ]


# the columns _statement_query reads, in order
(_ID, _CLAIM, _SPEAKER, _DESCRIPTION, _AFFILIATION, _STANCE, _QUOTE, _SOURCE, _RETRACTED, _COPY_OF, _ROOT,
 _STORY) = range(12)


def _wanted(rows: list[tuple]) -> dict[int, int]:
    """copy_of_id by statement id for the marked among ``rows`` (every statement of some
    claims), folded by :func:`factdb.sourcing.fold_statements`: a copy points to its head,
    the head of a statement only an earlier version made to itself."""
    # fold_statements folds within one claim's story only, and only where two sources of
    # it (or a superseded version) carry the claim: the other rows (most of a bulk load's)
    # are their own heads, so only the rows of such stories become records (a dict per row
    # for every statement of a million cost more than the fold)
    stories: dict[tuple[int, Any], list[tuple]] = {}
    for row in rows:
        if row[_RETRACTED] is not None:
            continue
        root = row[_ROOT] if row[_ROOT] is not None else row[_SOURCE]
        story = row[_STORY] if row[_STORY] is not None else root
        stories.setdefault((row[_CLAIM], story), []).append((row, root, story))
    records: list[dict[str, Any]] = []
    for story_rows in stories.values():
        if len({row[_SOURCE] for row, _root, _story in story_rows}) < 2 and not any(
            row[_SOURCE] == root != story for row, root, story in story_rows
        ):
            continue
        for row, root, story in story_rows:
            records.append({
                "id": row[_ID], "claim_id": row[_CLAIM], "speaker_id": row[_SPEAKER],
                "speaker_description": row[_DESCRIPTION], "speaker_affiliation_id": row[_AFFILIATION],
                "stance": row[_STANCE], "quote": row[_QUOTE], "retracted_at": None, "source_id": row[_SOURCE],
                "source_key": row[_SOURCE], "group_key": story, "superseded": row[_SOURCE] == root != story,
            })  # fmt: skip
    wanted: dict[int, int] = {}
    for head, members, earlier_only in fold_statements(records):
        wanted.update((m["id"], head["id"]) for m in members if m is not head or earlier_only)
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
    runner = getattr(connection, "exec_driver_sql", None) or connection.execute
    if claims is not None and not isinstance(claims, str):
        ids = sorted({int(c) for c in claims})
        # more than one chunk: the stories of every source once, not the chains again per chunk
        # (at 1M statements, 20 chunks walked most sources' chains 20 times: 20 s)
        if len(ids) > _CHUNK:
            postgres = _dialect(connection) == "postgresql"
            for sql in (*_story_table_sql(postgres), *_foldable_table_sql(postgres)):
                runner(sql)
            changed = _mark_by_story(connection, set(ids))
            for table in (_STORIES, _FOLDABLE):
                runner(f"DROP TABLE {table}")
            return changed
        return _mark(connection, claims_in_sql(ids)) if ids else set()
    return _mark(connection, claims)


_STORY_ROWS = 20_000  # rows of whole stories folded at a time (memory: a few MB)


def _mark_by_story(connection: Any, ids: set[int]) -> set[int]:
    """:func:`_mark` for the claims ``ids`` with :data:`_STORIES` and :data:`_FOLDABLE` made:
    the statements of the foldable stories, found from their sources and read in story order
    (folded a few stories at a time, those of other claims left out), then those marked in
    other stories (their marker goes). The same rows per claim and story as :func:`_mark`
    reads per chunk of claims, without a claim index lookup and a table row per statement
    of every claim (1M statements: 5.5 s for the 180k rows of foldable stories)."""
    runner = getattr(connection, "exec_driver_sql", None) or connection.execute
    story = _STORY_SQL.format(t="st", s="s")
    foldable = (f"SELECT {_COLUMNS}, st.root, st.story FROM {_STORIES} st JOIN statements s "
                f"ON s.source_id = st.source_id WHERE {story} IN (SELECT story FROM {_FOLDABLE}) ORDER BY {story}")
    marked = (f"SELECT {_COLUMNS}, st.root, st.story FROM statements s LEFT JOIN {_STORIES} st "
              f"ON st.source_id = s.source_id WHERE s.copy_of_id IS NOT NULL "
              f"AND NOT ({story} IN (SELECT story FROM {_FOLDABLE}))")
    changes: list[tuple] = []
    for sql in (foldable, marked):
        result = runner(sql)
        batch: list[tuple] = []
        last = None
        while chunk := result.fetchmany(5000):
            for row in chunk:
                at = row[_STORY] if row[_STORY] is not None else (row[_ROOT] if row[_ROOT] is not None
                                                                  else row[_SOURCE])
                if at != last and len(batch) >= _STORY_ROWS:  # only whole stories folded together
                    changes += _changes(batch)
                    batch = []
                last = at
                if row[_CLAIM] in ids:
                    batch.append(tuple(row))
        changes += _changes(batch)
    _update(connection, changes)
    return {row[_CLAIM] for row in changes}


def _changes(rows: list[tuple]) -> list[tuple]:
    """``(copy_of_id, statement id, claim id)`` of the rows whose marker must change."""
    wanted = _wanted(rows)
    return [(wanted.get(row[_ID]), row[_ID], row[_CLAIM]) for row in rows if wanted.get(row[_ID]) != row[_COPY_OF]]


def _update(connection: Any, changes: list[tuple]) -> None:
    """Store ``(copy_of_id, statement id, ...)`` markers, one batched UPDATE."""
    if not changes:
        return
    mark = "?" if _dialect(connection) == "sqlite" else "%s"
    sql = f"UPDATE statements SET copy_of_id = {mark} WHERE id = {mark}"
    values = [(copy_of, rid) for copy_of, rid, *_rest in changes]
    if hasattr(connection, "exec_driver_sql"):
        connection.exec_driver_sql(sql, values)
    elif hasattr(connection, "executemany"):  # sqlite3
        connection.executemany(sql, values)
    else:  # psycopg
        connection.cursor().executemany(sql, values)


def _mark(connection: Any, claims: str | None) -> set[int]:
    runner = getattr(connection, "exec_driver_sql", None) or connection.execute
    rows = [tuple(row) for row in runner(_statement_query(claims)).fetchall()]
    changes = _changes(rows)
    _update(connection, changes)
    return {claim_id for _copy_of, _rid, claim_id in changes}
