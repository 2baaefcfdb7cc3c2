"""Full-text search over claim text and notes, and statements' quotes, hedges and notes.

SQLite uses the FTS5 tables of revision 0002 (``statements_fts``, ``claims_fts``), ranked by
bm25; PostgreSQL uses ``to_tsvector('english', ...)`` GIN expression indexes, ranked by
``ts_rank``. Results are plain dicts, best first, with the matched words marked ``**so**``.

User text never reaches the FTS5 query language raw: it is cut into words and each word, or
each "double-quoted phrase", becomes an FTS5 string, so ``Robert"); DROP`` is just two words.
A word ending in ``*`` is a prefix (``complic*``). On PostgreSQL the text goes through
``websearch_to_tsquery``, which accepts any input.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Date, DateTime, bindparam
from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from factdb import vocab
from factdb.dates import format_partial_date, parse_partial_date, period_end
from factdb.errors import InvalidInput
from factdb.resolver import resolve_claim, resolve_entity

__all__ = [
    "SearchFilters",
    "search",
    "count_matches",
    "fts5_query",
    "drop_sync_triggers",
    "restore_sync_triggers",
    "MARK",
]

MARK = "**"
DEFAULT_LIMIT = 20
SNIPPET_WORDS = 16
# Same text as the expression indexes of migrations/versions/0002 (must stay identical).
STATEMENT_DOCUMENT = "coalesce(s.quote, '') || ' ' || coalesce(s.hedge, '') || ' ' || coalesce(s.note, '')"
CLAIM_DOCUMENT = "coalesce(c.text, '') || ' ' || coalesce(c.note, '')"

_PIECE = re.compile(r'"([^"]*)"|(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class SearchFilters:
    """Narrowing of a search. Any statement filter (speaker, stance, dates) leaves claims out,
    as claims have no speaker or date."""

    speaker: str | None = None
    stance: str | None = None
    since: str | None = None
    until: str | None = None
    claim: str | None = None
    limit: int = DEFAULT_LIMIT

    @property
    def statements_only(self) -> bool:
        return any(v is not None for v in (self.speaker, self.stance, self.since, self.until))


def fts5_query(text: str) -> str:
    """The FTS5 query for user text: every word or quoted phrase must occur.

    >>> fts5_query('absolutely complicit')
    '"absolutely" AND "complicit"'
    >>> fts5_query('"absolutely complicit" iran*')
    '"absolutely complicit" AND "iran"*'
    """
    parts = []
    for match in _PIECE.finditer(text):
        phrase, bare = match.groups()
        raw = phrase if phrase is not None else bare
        prefix = phrase is None and raw.endswith("*")
        words = _WORD.findall(raw)
        if not words:
            continue
        # Words hold only letters, digits and "_": nothing inside can end the FTS5 string.
        parts.append('"' + " ".join(words) + '"' + ("*" if prefix else ""))
    if not parts:
        raise InvalidInput(f'search: "{text}" has no words to search for')
    return " AND ".join(parts)


@dataclass
class _Narrowing:
    claim_id: int | None = None
    speaker_id: int | None = None
    stance: str | None = None
    since: Any = None
    until: Any = None


def _narrowing(session: Session, filters: SearchFilters) -> _Narrowing:
    narrowing = _Narrowing()
    if filters.claim is not None:
        narrowing.claim_id = resolve_claim(session, filters.claim).id
    if filters.speaker is not None:
        narrowing.speaker_id = resolve_entity(session, filters.speaker).id
    if filters.stance is not None:
        if filters.stance not in vocab.STANCES:
            raise InvalidInput(f'stance: "{filters.stance}" is not one of {", ".join(vocab.STANCES)}')
        narrowing.stance = filters.stance
    if filters.since is not None:
        narrowing.since = parse_partial_date(filters.since, "since").value  # type: ignore[union-attr]
    if filters.until is not None:
        until = parse_partial_date(filters.until, "until")
        narrowing.until = period_end(until.value, until.precision)  # type: ignore[union-attr]
    if filters.limit < 1:
        raise InvalidInput("limit: must be at least 1")
    return narrowing


# narrowing field -> its SQL condition on the statement aliased ``s``
_CONDITIONS = (
    ("claim_id", "s.claim_id = :claim_id"),
    ("speaker_id", "s.speaker_id = :speaker_id"),
    ("stance", "s.stance = :stance"),
    ("since", "s.said_on >= :since"),
    ("until", "s.said_on <= :until"),
)


def _statement_conditions(n: _Narrowing) -> tuple[list[str], dict[str, Any]]:
    where: list[str] = []
    params: dict[str, Any] = {}
    for name, condition in _CONDITIONS:
        value = getattr(n, name)
        if value is not None:
            where.append(condition)
            params[name] = value
    return where, params


def search(session: Session, text: str, filters: SearchFilters | None = None) -> list[dict[str, Any]]:
    """Claims and statements matching ``text``, best first (at most ``filters.limit``).

    Each result: ``kind`` (claim|statement), ``claim``, ``claim_text``, ``statement_id``,
    ``statement``, ``speaker``, ``stance``, ``said_on``, ``source``, ``retracted``,
    ``snippet`` (matched words between ``**``), ``rank`` (higher is better).
    """
    filters = filters or SearchFilters()
    narrowing = _narrowing(session, filters)
    postgres = session.get_bind().dialect.name == "postgresql"
    query = text if postgres else fts5_query(text)
    if postgres and not text.strip():
        raise InvalidInput("search: give at least one word")
    if not postgres:
        _ensure_page_cache(session)
    top_statements = (_pg_statements if postgres else _sqlite_statements)(session, query, narrowing, filters.limit)
    top_claims: list[tuple[int, float, str]] = []
    if not filters.statements_only:
        top_claims = (_pg_claims if postgres else _sqlite_claims)(session, query, narrowing, filters.limit)
    hits = [("statement", *hit) for hit in top_statements] + [("claim", *hit) for hit in top_claims]
    hits.sort(key=lambda hit: -hit[2])
    return _describe(session, hits[: filters.limit])


def count_matches(session: Session, text: str) -> int:
    """How many statements match ``text`` (every match, unranked): the benchmark's count."""
    if session.get_bind().dialect.name == "postgresql":
        query = (
            f"SELECT count(*) FROM statements s WHERE to_tsvector('english', {STATEMENT_DOCUMENT}) "
            "@@ websearch_to_tsquery('english', :q)"
        )
        return session.execute(sql(query), {"q": text}).scalar_one()
    query = "SELECT count(*) FROM statements_fts WHERE statements_fts MATCH :q"
    return session.execute(sql(query), {"q": fts5_query(text)}).scalar_one()


# --- SQLite ---------------------------------------------------------------------------------


SEARCH_PAGE_CACHE_KIB = 65536


def _ensure_page_cache(session: Session) -> None:
    """Give the connection a page cache of 64 MiB if it has less (SQLite's default is 2 MiB).

    bm25 reads the size of every matching document; with the default cache, repeated
    searches in one process re-read those pages from the OS (measured: 7.5 ms -> 5.3 ms for
    the ranked top 20 of 3,423 matches in 1M statements). Memory is only taken as pages are
    read, and only by this connection.
    """
    connection = session.connection()
    current = int(connection.exec_driver_sql("PRAGMA cache_size").scalar_one())
    kib = (
        -current if current < 0 else current * int(connection.exec_driver_sql("PRAGMA page_size").scalar_one()) // 1024
    )
    if kib < SEARCH_PAGE_CACHE_KIB:
        connection.exec_driver_sql(f"PRAGMA cache_size=-{SEARCH_PAGE_CACHE_KIB}")


def _snippets(fts: str) -> str:
    # The first column (the quote, the claim text) when it matched, else the best column.
    # Computed in the ranking query: measured cheaper than a second MATCH for the top rows.
    return (f"snippet({fts}, 0, '{MARK}', '{MARK}', '…', {SNIPPET_WORDS}), "
            f"snippet({fts}, -1, '{MARK}', '{MARK}', '…', {SNIPPET_WORDS})")


def _sqlite_top(session: Session, sql: str, params: dict[str, Any]) -> list[tuple[int, float, str]]:
    # The driver directly: this query runs once per search and SQLAlchemy's statement
    # handling was a tenth of its time.
    rows = session.connection().exec_driver_sql(sql, params).all()
    # bm25 is lower for better matches: turn it into "higher is better".
    return [(rowid, round(-score, 6), first if MARK in (first or "") else best)
            for rowid, score, first, best in rows]


def _sqlite_statements(session: Session, query: str, n: _Narrowing, limit: int) -> list[tuple[int, float, str]]:
    where, params = _statement_conditions(n)
    for name in ("since", "until"):  # stored as ISO text on SQLite
        if name in params:
            params[name] = params[name].isoformat()
    join = ""
    if where:
        join = "JOIN statements s ON s.id = statements_fts.rowid"
    conditions = " AND ".join(["statements_fts MATCH :q", *where])
    return _sqlite_top(
        session,
        f"SELECT statements_fts.rowid, bm25(statements_fts) AS score, {_snippets('statements_fts')} "
        f"FROM statements_fts {join} WHERE {conditions} ORDER BY score LIMIT :limit",
        {"q": query, "limit": limit, **params},
    )


def _sqlite_claims(session: Session, query: str, n: _Narrowing, limit: int) -> list[tuple[int, float, str]]:
    params: dict[str, Any] = {"q": query, "limit": limit}
    extra = ""
    if n.claim_id is not None:
        extra = " AND claims_fts.rowid = :claim_id"
        params["claim_id"] = n.claim_id
    return _sqlite_top(
        session,
        f"SELECT rowid, bm25(claims_fts) AS score, {_snippets('claims_fts')} FROM claims_fts "
        f"WHERE claims_fts MATCH :q{extra} ORDER BY score LIMIT :limit",
        params,
    )


# --- PostgreSQL -----------------------------------------------------------------------------


def _pg_statements(session: Session, query: str, n: _Narrowing, limit: int) -> list[tuple[int, float, str]]:
    where, params = _statement_conditions(n)
    conditions = " AND ".join([f"to_tsvector('english', {STATEMENT_DOCUMENT}) @@ q.query", *where])
    top = session.execute(
        sql(f"SELECT s.id, ts_rank(to_tsvector('english', {STATEMENT_DOCUMENT}), q.query) AS score "
            f"FROM statements s, websearch_to_tsquery('english', :q) AS q(query) WHERE {conditions} "
            "ORDER BY score DESC, s.id LIMIT :limit"),
        {"q": query, "limit": limit, **params},
    ).all()
    return _pg_headlines(session, "statements s", STATEMENT_DOCUMENT, "s.id", query, top)


def _pg_claims(session: Session, query: str, n: _Narrowing, limit: int) -> list[tuple[int, float, str]]:
    params: dict[str, Any] = {"q": query, "limit": limit}
    extra = ""
    if n.claim_id is not None:
        extra = " AND c.id = :claim_id"
        params["claim_id"] = n.claim_id
    top = session.execute(
        sql(f"SELECT c.id, ts_rank(to_tsvector('english', {CLAIM_DOCUMENT}), q.query) AS score "
            f"FROM claims c, websearch_to_tsquery('english', :q) AS q(query) "
            f"WHERE to_tsvector('english', {CLAIM_DOCUMENT}) @@ q.query{extra} "
            "ORDER BY score DESC, c.id LIMIT :limit"),
        params,
    ).all()
    return _pg_headlines(session, "claims c", CLAIM_DOCUMENT, "c.id", query, top)


def _pg_headlines(
    session: Session, table: str, document: str, id_column: str, query: str, top: Sequence[Any]
) -> list[tuple[int, float, str]]:
    if not top:
        return []
    options = f"StartSel={MARK}, StopSel={MARK}, MaxWords={SNIPPET_WORDS}, MinWords=5, ShortWord=2"
    statement = sql(
        f"SELECT {id_column}, ts_headline('english', {document}, websearch_to_tsquery('english', :q), :options) "
        f"FROM {table} WHERE {id_column} IN :ids"
    ).bindparams(bindparam("ids", expanding=True))
    rows = session.execute(statement, {"q": query, "options": options, "ids": [r[0] for r in top]}).all()
    headlines = {row[0]: " ".join(row[1].split()) for row in rows}
    return [(row[0], round(float(row[1]), 6), headlines.get(row[0], "")) for row in top]


# --- results --------------------------------------------------------------------------------


def _describe(session: Session, hits: list[tuple[str, int, float, str]]) -> list[dict[str, Any]]:
    """Turn (kind, id, rank, snippet) into result records with two queries, not one per hit."""
    statement_ids = [hit[1] for hit in hits if hit[0] == "statement"]
    claim_ids = [hit[1] for hit in hits if hit[0] == "claim"]
    statements: dict[int, Any] = {}
    if statement_ids:
        # plain SQL, compiled once: building an ORM query per search cost more than ranking
        query = sql(
            "SELECT s.id, s.key, s.speaker_description, s.stance, s.said_on, s.said_on_precision, "
            "s.retracted_at, c.key AS claim_key, c.text AS claim_text, e.name AS speaker_name, "
            "src.key AS source_key FROM statements s JOIN claims c ON c.id = s.claim_id "
            "JOIN sources src ON src.id = s.source_id LEFT JOIN entities e ON e.id = s.speaker_id "
            "WHERE s.id IN :ids"
        ).bindparams(bindparam("ids", expanding=True)).columns(said_on=Date, retracted_at=DateTime)
        statements = {row.id: row for row in session.execute(query, {"ids": statement_ids})}
    claims = {}
    if claim_ids:
        claim_query = sql("SELECT id, key, text FROM claims WHERE id IN :ids").bindparams(
            bindparam("ids", expanding=True)
        )
        claims = {row.id: row for row in session.execute(claim_query, {"ids": claim_ids})}
    results = []
    for kind, row_id, rank, snippet in hits:
        if kind == "statement" and row_id in statements:
            st = statements[row_id]
            results.append({
                "kind": "statement",
                "claim": st.claim_key,
                "claim_text": st.claim_text,
                "statement_id": st.id,
                "statement": st.key,
                "speaker": st.speaker_name or st.speaker_description,
                "stance": st.stance,
                "said_on": format_partial_date(st.said_on, st.said_on_precision),
                "source": st.source_key,
                "retracted": st.retracted_at is not None,
                "snippet": snippet,
                "rank": rank,
            })
        elif kind == "claim" and row_id in claims:
            claim = claims[row_id]
            results.append({
                "kind": "claim",
                "claim": claim.key,
                "claim_text": claim.text,
                "statement_id": None,
                "statement": None,
                "speaker": None,
                "stance": None,
                "said_on": None,
                "source": None,
                "retracted": False,
                "snippet": snippet,
                "rank": rank,
            })
    return results


# --- bulk loading (SQLite) ------------------------------------------------------------------

# The sync triggers of revision 0002, for a bulk load: drop them, insert, then restore them,
# which rebuilds each index once (cheaper than updating it row by row).
_SYNC = {
    "statements_fts": ("statements", ("quote", "hedge", "note")),
    "claims_fts": ("claims", ("text", "note")),
}


def _sync_triggers(fts: str) -> list[str]:
    table, columns = _SYNC[fts]
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    delete = f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old});"
    insert = f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new});"
    return [
        f"CREATE TRIGGER {fts}_after_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER {fts}_after_delete AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER {fts}_after_update AFTER UPDATE OF {cols} ON {table} BEGIN {delete} {insert} END",
    ]


def _run(connection: Any, sql: str) -> None:
    # a DBAPI sqlite3 connection or a SQLAlchemy Connection
    runner = getattr(connection, "exec_driver_sql", None) or connection.execute
    runner(sql)


def drop_sync_triggers(connection: Any) -> dict[str, int]:
    """SQLite bulk load: stop keeping the FTS indexes row by row (each row through a trigger
    costs about twice the row itself). Returns the highest ids before the load, for
    :func:`restore_sync_triggers`; run both in the load's transaction so it stays atomic."""
    marker = {}
    for fts, (table, _columns) in _SYNC.items():
        for suffix in ("after_insert", "after_delete", "after_update"):
            _run(connection, f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
        marker[fts] = _scalar(connection, f"SELECT coalesce(max(id), 0) FROM {table}")
    return marker


def restore_sync_triggers(connection: Any, marker: dict[str, int] | None = None) -> None:
    """Recreate the FTS sync triggers and index what was loaded without them.

    With the ``marker`` of :func:`drop_sync_triggers`, index only the rows added since (in
    one statement: cheap), which is right when the load only inserted; without it, rebuild
    each index from its whole table (needed when the load also updated or deleted rows).
    """
    for fts, (table, columns) in _SYNC.items():
        cols = ", ".join(columns)
        if marker is None:
            _run(connection, f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
        else:
            _run(
                connection,
                f"INSERT INTO {fts}(rowid, {cols}) SELECT id, {cols} FROM {table} WHERE id > {int(marker[fts])}",
            )
        for trigger in _sync_triggers(fts):
            _run(connection, trigger)


def _scalar(connection: Any, sql: str) -> int:
    if hasattr(connection, "exec_driver_sql"):
        return int(connection.exec_driver_sql(sql).scalar())
    return int(connection.execute(sql).fetchone()[0])
