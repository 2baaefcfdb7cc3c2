"""Full-text search over claims and statements, ranked, with the matched words located.

What is indexed, and how the index is kept current, is :mod:`factdb.search_index`: a
statement's quote, hedge and note, its anonymous descriptions and its source's title and
outlet; an entity's names once; a claim's text and note; all NFKC-normalized, with Han, kana
and Hangul split into characters. SQLite ranks with FTS5's bm25, PostgreSQL with ``ts_rank``.

Every word or phrase of a query must occur in a statement's text, its source's title or
outlet, or the names of one of its speakers (joint speakers too) or their affiliations (as
when the names were indexed with each statement): each is looked up in the small entity
index first, and the statement index is then asked for statements whose row holds it *or*
whose speakers' id tokens name one of the entities found. A name's cost is then its
entities' posting lists, which do not grow with the statements of others. Ties in rank: the
newest statement (highest id) first.

User text never reaches the FTS5 query language raw: it goes through the same normalization,
is cut into words and each word, or each "double-quoted phrase", becomes an FTS5 string, so
``Robert"); DROP`` is just two words; a run of CJK characters becomes a phrase of them. A
word ending in ``*`` is a prefix (``complic*``). On PostgreSQL the text goes through
``websearch_to_tsquery``, which accepts any input.

Each result's ``snippet`` is plain text and ``matches`` lists the ``[start, end)`` character
offsets of the matched words in it: of the statement's row when it matched, else of the
names of the first of its speakers (or affiliations) that matched; the CLI styles them at a
terminal.
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
from factdb.search_index import HIGHLIGHT, SEPARATOR, entity_token, search_text

__all__ = [
    "SearchFilters",
    "search",
    "count_matches",
    "fts5_query",
    "claim_candidates",
]

DEFAULT_LIMIT = 20
SNIPPET_WORDS = 16
# bm25 weights of the statement fields (body, speaker: the anonymous description, source: the
# title and outlet, speakers: the ids of its speakers and their affiliations): a word in the quote or the
# speaker's name counts fully, one in the source's title half
WEIGHTS = (1.0, 1.0, 0.5, 1.0)
# A word or phrase more entities' names hold than this (``of``, ``Ministry``) is not expanded
# into the statement query (which would walk every such entity's posting list at each step):
# it filters the statements the other words found, through the speaker columns' indexes.
WIDE = 50

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


def fts5_terms(text: str) -> list[str]:
    """The FTS5 string of each word or quoted phrase of user text (all must occur).

    >>> fts5_terms('"absolutely complicit" iran*')
    ['"absolutely complicit"', '"iran"*']
    >>> fts5_terms('北京')
    ['"北 京"']
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
    return parts


def fts5_query(text: str) -> str:
    """The FTS5 query for user text in one document (a claim): every word or quoted phrase must occur.

    >>> fts5_query('absolutely complicit')
    '"absolutely" AND "complicit"'
    >>> fts5_query('"absolutely complicit" iran*')
    '"absolutely complicit" AND "iran"*'
    """
    return " AND ".join(fts5_terms(text))


def _pg_terms(text: str) -> list[str]:
    """PostgreSQL: each word or quoted phrase of user text as ``websearch_to_tsquery`` input
    (a phrase in double quotes; a trailing ``*`` is not a prefix there)."""
    parts = []
    for match in _PIECE.finditer(search_text(text)):
        phrase, bare = match.groups()
        if not _WORD.search(phrase if phrase is not None else bare):
            continue
        # the piece itself (the parser knows scripts' combining marks, which \w does not), but
        # a leading "-" is not a NOT here, as it is not on SQLite
        parts.append(f'"{phrase}"' if phrase is not None else bare.lstrip("-"))
    if not parts:
        raise InvalidInput("search: give at least one word")
    return parts


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
    backend = _backend(session)
    terms = backend.terms(text)
    top_statements = _statements(backend, terms, narrowing, filters.limit)
    top_claims: list[tuple[int, float, str]] = []
    if not filters.statements_only:
        top_claims = backend.claims(terms, narrowing, filters.limit)
    hits = [("statement", *hit) for hit in top_statements] + [("claim", *hit) for hit in top_claims]
    hits.sort(key=lambda hit: -hit[2])
    return _describe(session, hits[: filters.limit])


def _backend(session: Session) -> _Backend:
    return _Postgres(session) if session.get_bind().dialect.name == "postgresql" else _SQLite(session)


def count_matches(session: Session, text: str) -> int:
    """How many statements match ``text`` (every match, unranked): the benchmark's count."""
    backend = _backend(session)
    terms = backend.terms(text)
    if not terms:
        return 0
    query = _expanded(backend, terms)
    if query.speakers is None:
        return backend.count(query)
    return len(backend.matches(query) | {row[0] for row in backend.spoken(query, _Narrowing(), None)})


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


# --- statements: each word found in the text, the speakers or the source -------------------


@dataclass
class _Query:
    """A statement query: ``match`` for the statement index; the ``wide`` words (with the
    entities holding them) that filter its matches; and ``speakers``, entity id -> rank, when
    every word is wide: the statements of those entities match too (found by the speaker
    columns' indexes, ranked by their entity's match)."""

    match: str
    wide: list[tuple[str, list[int]]]
    speakers: dict[int, float] | None = None


def _expanded(backend: _Backend, terms: list[str]) -> _Query:
    """Each term in the statement's row, or one of the entities (as a speaker or affiliation)
    whose names hold it: in the statement index's query, or as a filter when it is wide
    (:data:`WIDE`). The narrowest term is always in the query; when it is wide too, its
    entities' statements are looked up beside the query (``speakers``)."""
    found = [(term, backend.matching(term)) for term in terms]
    narrowest = min(range(len(found)), key=lambda i: len(found[i][1]))
    term, entities = found[narrowest]
    speakers = None
    if len(entities) > WIDE:
        speakers = backend.ranks(term)  # their rank only now: bm25 doubles the lookup's cost
        entities = []
    narrow = [backend.any_of(t, listed) for i, (t, listed) in enumerate(found)
              if len(listed) <= WIDE and i != narrowest]
    narrow.insert(0, backend.any_of(term, entities))
    wide = [(t, listed) for i, (t, listed) in enumerate(found) if len(listed) > WIDE and i != narrowest]
    return _Query(backend.all_of(narrow), wide, speakers)


def _top(backend: _Backend, query: _Query, n: _Narrowing, limit: int) -> list[tuple[int, float, str | None]]:
    """The best ``limit`` of the query's matches and (all words wide) its speakers' statements."""
    top = backend.top(query, n, limit)
    if query.speakers is None:
        return top
    best: dict[int, tuple[int, float, str | None]] = {row[0]: row for row in top}
    for statement_id, rank in backend.spoken(query, n, limit):
        if statement_id not in best or best[statement_id][1] < rank:
            best[statement_id] = (statement_id, rank, "")
    return sorted(best.values(), key=lambda row: (-row[1], -row[0]))[:limit]


def _statements(backend: _Backend, terms: list[str], n: _Narrowing, limit: int) -> list[tuple[int, float, str]]:
    """The best ``limit`` statements as (id, rank, marked snippet)."""
    if not terms:
        return []
    top = _top(backend, _expanded(backend, terms), n, limit)
    if not top:
        return []
    snippets = {i: marked for i, _score, marked in top if marked}
    snippets.update(backend.text_snippets(terms, [i for i, _score, marked in top if marked is None]))
    missing = [i for i, _score, _marked in top if i not in snippets]
    if missing:  # matched through a speaker's (or affiliation's) names: the snippet is of those
        refs = backend.session.execute(
            sql("SELECT id, 0, speaker_id, speaker_affiliation_id FROM statements WHERE id IN :ids "
                "UNION ALL SELECT statement_id, position, speaker_id, speaker_affiliation_id FROM statement_speakers "
                "WHERE statement_id IN :ids ORDER BY 1, 2")
            .bindparams(bindparam("ids", expanding=True)), {"ids": missing}).all()
        speakers: dict[int, list[int]] = {}  # statement -> its speakers' and affiliations' ids, first speaker first
        for statement_id, _position, speaker_id, affiliation_id in refs:
            speakers.setdefault(statement_id, []).extend(e for e in (speaker_id, affiliation_id) if e is not None)
        names = backend.name_snippets(terms, sorted({e for listed in speakers.values() for e in listed}))
        for i in missing:
            marked = next((names[e] for e in speakers.get(i, []) if names.get(e)), None)
            if marked:
                snippets[i] = marked
    return [(i, score, snippets.get(i, "")) for i, score, _marked in top]


class _Backend:
    """What differs between FTS5 and PostgreSQL's text search; :func:`_statements` is the one
    search both run."""

    def __init__(self, session: Session):
        self.session = session

    def terms(self, text: str) -> list[str]:
        raise NotImplementedError

    def matching(self, term: str) -> list[int]:
        """Ids of the entities whose names hold ``term``."""
        raise NotImplementedError

    def ranks(self, term: str) -> dict[int, float]:
        """Entity id -> rank (higher is better) of the entities whose names hold ``term``."""
        raise NotImplementedError

    def any_of(self, term: str, entities: list[int]) -> str:
        raise NotImplementedError

    def all_of(self, clauses: list[str]) -> str:
        raise NotImplementedError

    def top(self, query: _Query, n: _Narrowing, limit: int) -> list[tuple[int, float, str | None]]:
        """(id, rank, marked snippet of the text: "" when the text did not match, None when
        not known yet) of the best ``limit`` statements."""
        raise NotImplementedError

    def count(self, query: _Query) -> int:
        raise NotImplementedError

    def matches(self, query: _Query) -> set[int]:
        """Ids of the statements the statement index's query matches (the benchmark's count)."""
        raise NotImplementedError

    def spoken(self, query: _Query, n: _Narrowing, limit: int | None) -> list[tuple[int, float]]:
        """(id, rank) of the statements of ``query.speakers`` (as a speaker, first or joint, or
        an affiliation) that pass the filters, best ``limit`` first (all of them: None). The rank is the entity's
        (weighted as the ``speakers`` field); equal ranks, the newest first."""
        where, params = self.conditions(query, n)
        ranked = ", ".join(f"({int(e)}, {float(rank) * WEIGHTS[3]!r})" for e, rank in (query.speakers or {}).items())
        extra = "".join(f" AND {condition}" for condition in where)
        each = [f"SELECT s.id, r.rank FROM ranked r JOIN statements s ON s.{column} = r.entity_id WHERE 1 = 1{extra}"
                for column in ("speaker_id", "speaker_affiliation_id")]
        each += [f"SELECT s.id, r.rank FROM ranked r JOIN statement_speakers j ON j.{column} = r.entity_id "
                 f"JOIN statements s ON s.id = j.statement_id WHERE 1 = 1{extra}"
                 for column in ("speaker_id", "speaker_affiliation_id")]  # joint speakers (revision 0065)
        rows = self.session.connection().execute(
            sql(f"WITH ranked (entity_id, rank) AS (VALUES {ranked}) SELECT id, max(rank) AS best FROM "
                f"({' UNION ALL '.join(each)}) AS found GROUP BY id ORDER BY best DESC, id DESC"
                + ("" if limit is None else f" LIMIT {int(limit)}")), params).all()
        return [(row[0], round(float(row[1]), 6)) for row in rows]

    def conditions(self, query: _Query, n: _Narrowing) -> tuple[list[str], dict[str, Any]]:
        """The filters and the wide words' conditions on the statement aliased ``s``."""
        raise NotImplementedError

    def text_snippets(self, terms: list[str], ids: list[int]) -> dict[int, str]:
        """Marked snippets of the statements among ``ids`` (those :meth:`top` gave none) whose
        text holds a term."""
        return {}

    def name_snippets(self, terms: list[str], ids: list[int]) -> dict[int, str]:
        """Marked names of the entities among ``ids`` holding a term."""
        raise NotImplementedError

    def claims(self, terms: list[str], n: _Narrowing, limit: int) -> list[tuple[int, float, str]]:
        raise NotImplementedError


# --- SQLite ---------------------------------------------------------------------------------


SEARCH_PAGE_CACHE_KIB = 65536
_TEXT_COLUMNS = "{body speaker source}"
# a snippet of the ``speakers`` field: ids, marked, and nothing else (no text matched)
_IDS = re.compile(f"(?:[{_OPEN}{_CLOSE}]*@?[{_OPEN}{_CLOSE}]*e\\d+[{_OPEN}{_CLOSE}]*\\s*)*")


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


def _snippet(fts: str, column: int) -> str:
    return f"snippet({fts}, {column}, '{_OPEN}', '{_CLOSE}', '…', {SNIPPET_WORDS})"


def _token_phrases(tokens: list[str]) -> str:
    # the index's tokenizer drops the "@": the token is "e12"
    return " OR ".join(f'"{token.lstrip("@")}"' for token in tokens)


class _SQLite(_Backend):
    # The driver directly for each query: they run once per search and SQLAlchemy's statement
    # handling was a tenth of the ranking's time.

    def __init__(self, session: Session):
        super().__init__(session)
        _ensure_page_cache(session)
        self.conn = session.connection()

    def terms(self, text: str) -> list[str]:
        return fts5_terms(text)

    def matching(self, term: str) -> list[int]:
        return [row[0] for row in self.conn.exec_driver_sql(
            "SELECT rowid FROM search_fts_entities WHERE search_fts_entities MATCH ? ORDER BY rowid", (term,)).all()]

    def ranks(self, term: str) -> dict[int, float]:
        return {row[0]: -row[1] for row in self.conn.exec_driver_sql(
            "SELECT rowid, bm25(search_fts_entities) FROM search_fts_entities WHERE search_fts_entities MATCH ?",
            (term,)).all()}

    def any_of(self, term: str, entities: list[int]) -> str:
        if not entities:
            return f"{_TEXT_COLUMNS} : {term}"
        return f"({_TEXT_COLUMNS} : {term} OR speakers : ({_token_phrases([entity_token(e) for e in entities])}))"

    def all_of(self, clauses: list[str]) -> str:
        return " AND ".join(clauses)

    def conditions(self, query: _Query, n: _Narrowing) -> tuple[list[str], dict[str, Any]]:
        where, params = _statement_conditions(n)
        for name in ("since", "until"):  # stored as ISO text on SQLite
            if name in params:
                params[name] = params[name].isoformat()
        for i, (term, entities) in enumerate(query.wide):
            listed = ", ".join(str(int(e)) for e in entities)
            where.append(f"(s.speaker_id IN ({listed}) OR s.speaker_affiliation_id IN ({listed}) OR EXISTS ("
                         f"SELECT 1 FROM statement_speakers j WHERE j.statement_id = s.id AND (j.speaker_id IN "
                         f"({listed}) OR j.speaker_affiliation_id IN ({listed}))) OR EXISTS ("
                         f"SELECT 1 FROM search_fts_statements g WHERE g.rowid = s.id "
                         f"AND g.search_fts_statements MATCH :wide{i}))")
            params[f"wide{i}"] = f"{_TEXT_COLUMNS} : {term}"
        return where, params

    def _where(self, query: _Query, n: _Narrowing) -> tuple[str, str, dict[str, Any]]:
        where, params = self.conditions(query, n)
        join = "JOIN statements s ON s.id = f.rowid" if where else ""
        return join, " AND ".join(["f.search_fts_statements MATCH :q", *where]), {"q": query.match, **params}

    def top(self, query: _Query, n: _Narrowing, limit: int) -> list[tuple[int, float, str | None]]:
        join, conditions, params = self._where(query, n)
        weights = ", ".join(str(w) for w in WEIGHTS)
        # the snippet of the best-matching field, in the ranking query (measured cheaper than a
        # second MATCH for the top rows); of the speaker ids when only they matched
        rows = self.conn.exec_driver_sql(
            f"SELECT f.rowid, bm25(search_fts_statements, {weights}) AS score, {_snippet('search_fts_statements', -1)} "
            f"FROM search_fts_statements f {join} WHERE {conditions} ORDER BY score, f.rowid DESC LIMIT :limit",
            {"limit": limit, **params},
        ).all()
        # bm25 is lower for better matches: turn it into "higher is better".
        return [(rowid, round(-score, 6), "" if _IDS.fullmatch(marked) else marked) for rowid, score, marked in rows]

    def count(self, query: _Query) -> int:
        join, conditions, params = self._where(query, _Narrowing())
        return int(self.conn.exec_driver_sql(
            f"SELECT count(*) FROM search_fts_statements f {join} WHERE {conditions}", params).scalar_one())

    def matches(self, query: _Query) -> set[int]:
        join, conditions, params = self._where(query, _Narrowing())
        return {row[0] for row in self.conn.exec_driver_sql(
            f"SELECT f.rowid FROM search_fts_statements f {join} WHERE {conditions}", params).all()}

    def _marked(self, table: str, query: str, ids: list[int]) -> dict[int, str]:
        out = {}
        for i in ids:  # one row each: FTS5 seeks to the row, where "rowid IN" would read every match
            row = self.conn.exec_driver_sql(
                f"SELECT {_snippet(table, -1)} FROM {table} WHERE {table} MATCH ? AND rowid = ?", (query, i)
            ).first()
            if row is not None and _OPEN in row[0]:
                out[i] = row[0]
        return out

    def name_snippets(self, terms: list[str], ids: list[int]) -> dict[int, str]:
        return self._marked("search_fts_entities", " OR ".join(terms), ids)

    def claims(self, terms: list[str], n: _Narrowing, limit: int) -> list[tuple[int, float, str]]:
        params: dict[str, Any] = {"q": " AND ".join(terms), "limit": limit}
        extra = ""
        if n.claim_id is not None:
            extra = " AND search_fts_claims.rowid = :claim_id"
            params["claim_id"] = n.claim_id
        rows = self.conn.exec_driver_sql(
            f"SELECT rowid, bm25(search_fts_claims) AS score, {_snippet('search_fts_claims', -1)} "
            f"FROM search_fts_claims WHERE search_fts_claims MATCH :q{extra} ORDER BY score, rowid DESC LIMIT :limit",
            params,
        ).all()
        return [(rowid, round(-score, 6), snippet) for rowid, score, snippet in rows]


# --- PostgreSQL -----------------------------------------------------------------------------

_HEADLINE = f"StartSel={_OPEN}, StopSel={_CLOSE}, MaxWords={SNIPPET_WORDS}, MinWords=5, ShortWord=2"


class _Postgres(_Backend):
    def terms(self, text: str) -> list[str]:
        """Each word or phrase as tsquery text (``'offic' <-> 'refuge'``); stop words alone drop out."""
        pieces = _pg_terms(text)
        parsed = self.session.execute(
            sql("SELECT websearch_to_tsquery('english', t)::text FROM unnest(CAST(:pieces AS text[])) "
                "WITH ORDINALITY AS p(t, n) ORDER BY n"), {"pieces": pieces}).scalars().all()
        return [term for term in parsed if term]

    def matching(self, term: str) -> list[int]:
        return list(self.session.execute(
            sql("SELECT entity_id FROM search_fts_entities WHERE document @@ CAST(:q AS tsquery) ORDER BY entity_id"),
            {"q": term}).scalars())

    def ranks(self, term: str) -> dict[int, float]:
        return {row[0]: float(row[1]) for row in self.session.execute(
            sql("SELECT entity_id, ts_rank(document, CAST(:q AS tsquery)) FROM search_fts_entities "
                "WHERE document @@ CAST(:q AS tsquery)"), {"q": term})}

    def any_of(self, term: str, entities: list[int]) -> str:
        # the id tokens verbatim: no parser makes a lexeme of "@e12", so no word of text matches one
        return "( " + " | ".join([f"( {term} )", *(f"'{entity_token(e)}'" for e in entities)]) + " )"

    def all_of(self, clauses: list[str]) -> str:
        return " & ".join(clauses)

    def conditions(self, query: _Query, n: _Narrowing) -> tuple[list[str], dict[str, Any]]:
        where, params = _statement_conditions(n)
        for i, (term, entities) in enumerate(query.wide):
            where.append(f"(s.speaker_id = ANY(CAST(:wide_ids{i} AS integer[])) "
                         f"OR s.speaker_affiliation_id = ANY(CAST(:wide_ids{i} AS integer[])) OR EXISTS ("
                         f"SELECT 1 FROM statement_speakers j WHERE j.statement_id = s.id "
                         f"AND (j.speaker_id = ANY(CAST(:wide_ids{i} AS integer[])) "
                         f"OR j.speaker_affiliation_id = ANY(CAST(:wide_ids{i} AS integer[])))) OR EXISTS ("
                         f"SELECT 1 FROM search_fts_statements g WHERE g.statement_id = s.id "
                         f"AND g.document @@ CAST(:wide{i} AS tsquery)))")
            params[f"wide_ids{i}"] = entities
            params[f"wide{i}"] = term
        return where, params

    def _where(self, query: _Query, n: _Narrowing) -> tuple[str, str, dict[str, Any]]:
        where, params = self.conditions(query, n)
        join = " JOIN statements s ON s.id = f.statement_id" if where else ""
        return join, " AND ".join(["f.document @@ q.query", *where]), {"q": query.match, **params}

    def top(self, query: _Query, n: _Narrowing, limit: int) -> list[tuple[int, float, str | None]]:
        join, conditions, params = self._where(query, n)
        rows = self.session.execute(
            sql(f"SELECT f.statement_id, ts_rank(f.document, q.query) AS score "
                f"FROM search_fts_statements f{join}, CAST(:q AS tsquery) AS q(query) WHERE {conditions} "
                "ORDER BY score DESC, f.statement_id DESC LIMIT :limit"),
            {"limit": limit, **params},
        ).all()
        return [(row[0], round(float(row[1]), 6), None) for row in rows]

    def count(self, query: _Query) -> int:
        join, conditions, params = self._where(query, _Narrowing())
        return int(self.session.execute(
            sql(f"SELECT count(*) FROM search_fts_statements f{join}, CAST(:q AS tsquery) AS q(query) "
                f"WHERE {conditions}"), params).scalar_one())

    def matches(self, query: _Query) -> set[int]:
        join, conditions, params = self._where(query, _Narrowing())
        return set(self.session.execute(
            sql(f"SELECT f.statement_id FROM search_fts_statements f{join}, CAST(:q AS tsquery) AS q(query) "
                f"WHERE {conditions}"), params).scalars())

    def _headlines(self, table: str, id_column: str, fields: Sequence[str], terms: list[str],
                   ids: list[int]) -> dict[int, str]:
        """Each row's headline of the first field holding a term (as FTS5's snippet of one column)."""
        if not ids:
            return {}
        headlines = ", ".join(f"ts_headline('english', {field}, q.query, :options)" for field in fields)
        rows = self.session.execute(
            sql(f"SELECT {id_column}, {headlines} FROM {table}, CAST(:q AS tsquery) AS q(query) "
                f"WHERE {id_column} IN :ids").bindparams(bindparam("ids", expanding=True)),
            {"q": " | ".join(f"( {t} )" for t in terms), "options": _HEADLINE, "ids": ids},
        ).all()
        out = {}
        for row in rows:
            marked = [text for text in row[1:] if _OPEN in text]
            if marked:
                out[row[0]] = " ".join(marked[0].split())
        return out

    def text_snippets(self, terms: list[str], ids: list[int]) -> dict[int, str]:
        return self._headlines("search_fts_statements", "statement_id", ("body", "speaker", "source"), terms, ids)

    def name_snippets(self, terms: list[str], ids: list[int]) -> dict[int, str]:
        return self._headlines("search_fts_entities", "entity_id", ("names",), terms, ids)

    def claims(self, terms: list[str], n: _Narrowing, limit: int) -> list[tuple[int, float, str]]:
        if not terms:
            return []
        params: dict[str, Any] = {"q": self.all_of([f"( {t} )" for t in terms]), "limit": limit}
        extra = ""
        if n.claim_id is not None:
            extra = " AND f.claim_id = :claim_id"
            params["claim_id"] = n.claim_id
        top = self.session.execute(
            sql("SELECT f.claim_id, ts_rank(f.document, q.query) AS score "
                "FROM search_fts_claims f, CAST(:q AS tsquery) AS q(query) "
                f"WHERE f.document @@ q.query{extra} ORDER BY score DESC, f.claim_id DESC LIMIT :limit"),
            params,
        ).all()
        marked = self._headlines("search_fts_claims", "claim_id", ("body",), terms, [row[0] for row in top])
        return [(row[0], round(float(row[1]), 6), marked.get(row[0], "")) for row in top]


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
