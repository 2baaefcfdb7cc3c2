"""Full-text search over claims and statements, ranked, with the matched words located.

What is indexed, and how the index is kept current, is :mod:`factdb.search_index`: a
statement's quote, hedge and note, its speaker's names (or the anonymous description) and its
source's title and outlet; a claim's text and note; all NFKC-normalized, with Han, kana and
Hangul split into characters. SQLite ranks with FTS5's bm25, PostgreSQL with ``ts_rank``.

User text never reaches the FTS5 query language raw: it goes through the same normalization,
is cut into words and each word, or each "double-quoted phrase", becomes an FTS5 string, so
``Robert"); DROP`` is just two words; a run of CJK characters becomes a phrase of them. A
word ending in ``*`` is a prefix (``complic*``). On PostgreSQL the text goes through
``websearch_to_tsquery``, which accepts any input.

Each result's ``snippet`` is plain text and ``matches`` lists the ``[start, end)`` character
offsets of the matched words in it; the CLI styles them at a terminal.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import Date, DateTime, bindparam
from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from factdb import vocab
from factdb.dates import format_partial_date, period_end, require_partial_date
from factdb.errors import InvalidInput
from factdb.records import speaker_record
from factdb.resolver import resolve_claim, resolve_entity
from factdb.search_index import HIGHLIGHT, SEPARATOR, search_text

__all__ = [
    "SearchFilters",
    "search",
    "count_matches",
    "fts5_query",
    "claim_candidates",
]

DEFAULT_LIMIT = 20
SNIPPET_WORDS = 16
# bm25 weights of the statement fields (body, speaker, source): a word in the quote or the
# speaker's name counts fully, one in the source's title half
WEIGHTS = (1.0, 1.0, 0.5)

_PIECE = re.compile(r'"([^"]*)"|(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)
_OPEN, _CLOSE = HIGHLIGHT


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
    >>> fts5_query('北京')
    '"北 京"'
    """
    parts = []
    for match in _PIECE.finditer(search_text(text)):
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
        narrowing.since = require_partial_date(filters.since, "since").value
    if filters.until is not None:
        until = require_partial_date(filters.until, "until")
        narrowing.until = period_end(until.value, until.precision)
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
    ``snippet`` (plain text), ``matches`` (``[start, end]`` offsets of the matched words in
    the snippet), ``rank`` (higher is better).
    """
    filters = filters or SearchFilters()
    narrowing = _narrowing(session, filters)
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres and not _WORD.search(text):
        raise InvalidInput("search: give at least one word")
    query = search_text(text) if postgres else fts5_query(text)
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
        query = ("SELECT count(*) FROM search_fts_statements f, websearch_to_tsquery('english', :q) AS q(query) "
                 "WHERE f.document @@ q.query")
        return session.execute(sql(query), {"q": search_text(text)}).scalar_one()
    query = "SELECT count(*) FROM search_fts_statements WHERE search_fts_statements MATCH :q"
    return session.execute(sql(query), {"q": fts5_query(text)}).scalar_one()


def located(marked: str) -> tuple[str, list[list[int]]]:
    """A marked snippet as (plain text, ``[start, end]`` offsets of the marked words), with the
    separators the index put between CJK characters taken out.

    >>> located("they \ue000ship\ue001 rockets")
    ('they ship rockets', [[5, 9]])
    """
    out: list[str] = []
    matches: list[list[int]] = []
    length = 0
    start = None
    for ch in marked:
        if ch == _OPEN:
            start = length
        elif ch == _CLOSE:
            if start is not None and length > start:
                if matches and matches[-1][1] == start:  # one phrase across CJK characters
                    matches[-1][1] = length
                else:
                    matches.append([start, length])
            start = None
        elif ch != SEPARATOR:
            out.append(ch)
            length += 1
    return "".join(out), matches


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


def _snippet(fts: str) -> str:
    # the best-matching field; computed in the ranking query: measured cheaper than a second
    # MATCH for the top rows
    return f"snippet({fts}, -1, '{_OPEN}', '{_CLOSE}', '…', {SNIPPET_WORDS})"


def _sqlite_top(session: Session, sql: str, params: dict[str, Any]) -> list[tuple[int, float, str]]:
    # The driver directly: this query runs once per search and SQLAlchemy's statement
    # handling was a tenth of its time.
    rows = session.connection().exec_driver_sql(sql, params).all()
    # bm25 is lower for better matches: turn it into "higher is better".
    return [(rowid, round(-score, 6), snippet) for rowid, score, snippet in rows]


def _sqlite_statements(session: Session, query: str, n: _Narrowing, limit: int) -> list[tuple[int, float, str]]:
    where, params = _statement_conditions(n)
    for name in ("since", "until"):  # stored as ISO text on SQLite
        if name in params:
            params[name] = params[name].isoformat()
    join = ""
    if where:
        join = "JOIN statements s ON s.id = search_fts_statements.rowid"
    conditions = " AND ".join(["search_fts_statements MATCH :q", *where])
    weights = ", ".join(str(w) for w in WEIGHTS)
    return _sqlite_top(
        session,
        f"SELECT search_fts_statements.rowid, bm25(search_fts_statements, {weights}) AS score, "
        f"{_snippet('search_fts_statements')} FROM search_fts_statements {join} WHERE {conditions} "
        "ORDER BY score LIMIT :limit",
        {"q": query, "limit": limit, **params},
    )


def _sqlite_claims(session: Session, query: str, n: _Narrowing, limit: int) -> list[tuple[int, float, str]]:
    params: dict[str, Any] = {"q": query, "limit": limit}
    extra = ""
    if n.claim_id is not None:
        extra = " AND search_fts_claims.rowid = :claim_id"
        params["claim_id"] = n.claim_id
    return _sqlite_top(
        session,
        f"SELECT rowid, bm25(search_fts_claims) AS score, {_snippet('search_fts_claims')} FROM search_fts_claims "
        f"WHERE search_fts_claims MATCH :q{extra} ORDER BY score LIMIT :limit",
        params,
    )


# --- PostgreSQL -----------------------------------------------------------------------------


def _pg_statements(session: Session, query: str, n: _Narrowing, limit: int) -> list[tuple[int, float, str]]:
    where, params = _statement_conditions(n)
    join = " JOIN statements s ON s.id = f.statement_id" if where else ""
    conditions = " AND ".join(["f.document @@ q.query", *where])
    top = session.execute(
        sql(f"SELECT f.statement_id, ts_rank(f.document, q.query) AS score "
            f"FROM search_fts_statements f{join}, websearch_to_tsquery('english', :q) AS q(query) WHERE {conditions} "
            "ORDER BY score DESC, f.statement_id LIMIT :limit"),
        {"q": query, "limit": limit, **params},
    ).all()
    return _pg_headlines(session, "search_fts_statements", "statement_id", ("body", "speaker", "source"), query, top)


def _pg_claims(session: Session, query: str, n: _Narrowing, limit: int) -> list[tuple[int, float, str]]:
    params: dict[str, Any] = {"q": query, "limit": limit}
    extra = ""
    if n.claim_id is not None:
        extra = " AND f.claim_id = :claim_id"
        params["claim_id"] = n.claim_id
    top = session.execute(
        sql("SELECT f.claim_id, ts_rank(f.document, q.query) AS score "
            "FROM search_fts_claims f, websearch_to_tsquery('english', :q) AS q(query) "
            f"WHERE f.document @@ q.query{extra} ORDER BY score DESC, f.claim_id LIMIT :limit"),
        params,
    ).all()
    return _pg_headlines(session, "search_fts_claims", "claim_id", ("body",), query, top)


def _pg_headlines(
    session: Session, table: str, id_column: str, fields: Sequence[str], query: str, top: Sequence[Any]
) -> list[tuple[int, float, str]]:
    """Each hit's headline: of the first field with a match (as FTS5's snippet takes the best column)."""
    if not top:
        return []
    options = f"StartSel={_OPEN}, StopSel={_CLOSE}, MaxWords={SNIPPET_WORDS}, MinWords=5, ShortWord=2"
    headlines = ", ".join(f"ts_headline('english', {field}, q.query, :options)" for field in fields)
    statement = sql(
        f"SELECT {id_column}, {headlines} FROM {table}, websearch_to_tsquery('english', :q) AS q(query) "
        f"WHERE {id_column} IN :ids"
    ).bindparams(bindparam("ids", expanding=True))
    rows = session.execute(statement, {"q": query, "options": options, "ids": [r[0] for r in top]}).all()
    chosen = {}
    for row in rows:
        marked = [text for text in row[1:] if _OPEN in text]
        chosen[row[0]] = " ".join((marked[0] if marked else row[1]).split())
    return [(row[0], round(float(row[1]), 6), chosen.get(row[0], "")) for row in top]


# --- results --------------------------------------------------------------------------------


def _describe(session: Session, hits: list[tuple[str, int, float, str]]) -> list[dict[str, Any]]:
    """Turn (kind, id, rank, snippet) into result records with two queries, not one per hit."""
    statement_ids = [hit[1] for hit in hits if hit[0] == "statement"]
    claim_ids = [hit[1] for hit in hits if hit[0] == "claim"]
    statements: dict[int, Any] = {}
    if statement_ids:
        # plain SQL, compiled once: building an ORM query per search cost more than ranking
        query = sql(
            "SELECT s.id, s.key, s.speaker_description, s.anonymous_kind, s.stance, s.said_on, s.said_on_precision, "
            "s.retracted_at, c.key AS claim_key, c.text AS claim_text, e.name AS speaker_name, e.kind AS speaker_kind, "
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
    for kind, row_id, rank, marked in hits:
        snippet, matches = located(marked)
        if kind == "statement" and row_id in statements:
            st = statements[row_id]
            results.append({
                "kind": "statement",
                "claim": st.claim_key,
                "claim_text": st.claim_text,
                "statement_id": st.id,
                "statement": st.key,
                # a group or unspecified reports (revision 0027) as every statement record says it
                "speaker": speaker_record(st.speaker_name, st.speaker_kind, st.speaker_description, st.anonymous_kind),
                "stance": st.stance,
                "said_on": format_partial_date(st.said_on, st.said_on_precision),
                "source": st.source_key,
                "retracted": st.retracted_at is not None,
                "snippet": snippet,
                "matches": matches,
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
                "matches": matches,
                "rank": rank,
            })
    return results


# --- claims like a text (extraction's claim candidates) ----------------------------------------

_COMMON_WORDS = (
    "a an the and or nor of to in on at for by with from that this these those is are was were be been being "
    "it its as he she they we i you his her their our my me us them him not no but if then than so do does "
    "did have has had will would can could should may might must said says say told tell also about after "
    "before over into out up more most very just there here what which who whom whose when where while "
    "all any some such only own other"
)
_COMMON = frozenset(_COMMON_WORDS.split())
CANDIDATE_POOL = 20  # claims ranked by the index, then re-scored by similarity


def _content_words(text: str) -> list[str]:
    words = [w.lower() for w in _WORD.findall(search_text(text))]
    return list(dict.fromkeys(w for w in words if len(w) > 2 and w not in _COMMON and not w.isdigit()))


@functools.lru_cache(maxsize=8192)
def _claim_words(text: str) -> str:
    """A claim's content words, once per claim text (an article asks about the same claims often)."""
    return " ".join(_content_words(text))


def claim_candidates(session: Session, text: str, *, limit: int = 3, min_score: float = 0.35) -> list[dict[str, Any]]:
    """The existing claims most like ``text`` (an extracted content), best first: at most
    ``limit`` of ``{"key", "text", "score"}``, score in [0, 1].

    The full-text index proposes the claims sharing any of the text's words (bm25 on SQLite,
    ``ts_rank`` on PostgreSQL); each is then scored on the two texts' content words (common
    words left out) by rapidfuzz: the mean of the token-set ratio (near 1 when the content
    holds the claim's words) and the token-sort ratio (which also asks the content to say
    little else). Below ``min_score``: left out.
    """
    words = _content_words(text)[:24]
    if not words:
        return []
    if session.get_bind().dialect.name == "postgresql":
        claims = session.execute(
            sql("SELECT c.key, c.text FROM search_fts_claims f JOIN claims c ON c.id = f.claim_id, "
                "websearch_to_tsquery('english', :q) AS q(query) WHERE f.document @@ q.query "
                "ORDER BY ts_rank(f.document, q.query) DESC, f.claim_id LIMIT :limit"),
            {"q": " or ".join(words), "limit": CANDIDATE_POOL},
        ).all()
    else:
        query = " OR ".join(f'"{w}"' for w in words)  # words hold only letters, digits and "_"
        claims = session.connection().exec_driver_sql(
            "SELECT c.key, c.text FROM search_fts_claims JOIN claims c ON c.id = search_fts_claims.rowid "
            "WHERE search_fts_claims MATCH ? ORDER BY bm25(search_fts_claims) LIMIT ?",
            (query, CANDIDATE_POOL),
        ).all()
    mine = " ".join(words)
    scored = []
    for claim in claims:
        theirs = _claim_words(claim.text)
        score = (fuzz.token_set_ratio(mine, theirs) + fuzz.token_sort_ratio(mine, theirs)) / 200
        if score >= min_score:
            scored.append({"key": claim.key, "text": claim.text, "score": round(score, 2)})
    scored.sort(key=lambda c: (-c["score"], c["key"]))
    return scored[:limit]
