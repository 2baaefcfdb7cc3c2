"""The full-text index behind ``factdb search``: what is indexed, and how it is kept current.

A name is indexed once per entity, not once per statement (revision 0064): a speaker's names
held by every statement it made grew those words' posting lists with the database, and a
search of an organisation's name with them (2.0 -> 20.9 ms from 100k to 3M statements).

- ``search_fts_statements``: per statement, ``body`` (its quote, hedge and note), ``speaker``
  (the anonymous descriptions, if any), ``source`` (its source's title and outlet's name) and
  ``speakers`` (the ids of its speaker and affiliation, and of its joint speakers and theirs:
  revision 0065, as the tokens ``@e<id>``);
- ``search_fts_entities``: per entity, ``names`` (every name and alias);
- ``search_fts_claims``: per claim, ``body`` (its text and note).

:mod:`factdb.search` finds the entities matching each word or phrase of a query and asks the
statement index for the statements whose text holds it or whose speaker (or affiliation) is
one of those entities: a speaker is then one small posting list, however many statements the
database holds. Source titles stay in the statement's row: looked up per source, a title word
every tenth source holds made the statement query an OR of thousands of sources (measured:
27 s at 1M statements, against 0.2 s).

The indexed text is :func:`search_text` of the stored text, the same function that prepares
what a user types (:mod:`factdb.search`):

- NFKC normalization, so a word typed in composed form finds its decomposed form (Devanagari
  and Arabic pages often carry both; the stored text itself is never changed);
- a zero-width space between the characters of scripts written without spaces (Han, kana,
  Hangul), so that each character is a token and a word is a phrase of them: "北京" finds the
  city inside a sentence (one index for every script; no second, trigram index).

SQLite keeps the fields in FTS5 tables (porter stemming, accents folded, bm25); PostgreSQL in
tables with a generated ``tsvector`` (``to_tsvector('english', ...)``; the id tokens verbatim,
GIN-indexed, ``ts_rank``). Neither backend can run the normalization in a trigger, so triggers
(revisions 0011 and 0064) only put the ids of changed rows into ``search_fts_queue`` (kind
``s`` a statement, and the statements of a source whose title or outlet changed; ``c`` a
claim; ``e`` an entity whose names changed; plain SQL, so every write path is covered, the
sqlite3 shell included) and :func:`refresh` indexes the queued rows: at the end of every
write transaction of factdb (:func:`factdb.sessions.transaction`) and after ``factdb
init``. A rename re-indexes one entity, not its statements. A bulk load suspends the statement
and claim triggers instead and indexes its new rows in one pass (:func:`suspend_queue`,
:func:`index_new`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

__all__ = [
    "HIGHLIGHT",
    "search_text",
    "refresh",
    "index_new",
    "suspend_queue",
    "resume_queue",
    "queue_trigger_sql",
    "entity_token",
    "BULK_SETTING",
]

# Marks around matched words in what the index returns (private-use characters: removed from
# indexed text, so they cannot come from the data).
HIGHLIGHT = ("\ue000", "\ue001")
# PostgreSQL: a transaction that sets this (SET LOCAL) is not queued row by row; it indexes
# what it loaded itself (a bulk import). No DDL, so no lock that would stop readers.
BULK_SETTING = "factdb.bulk_search"
SEPARATOR = "\u200b"  # zero-width space: a token boundary for FTS5 and PostgreSQL, invisible
_UNSPACED = re.compile(
    "([\u2e80-\u2fdf\u3005\u3006\u3040-\u30ff\u3100-\u312f\u31a0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\ua960-\ua97f\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f])"
)
_MARKS = re.compile(f"[{HIGHLIGHT[0]}{HIGHLIGHT[1]}]")
CHUNK = 2000


def search_text(text: str | None) -> str:
    """The indexed (and queried) form of ``text``: NFKC, highlight marks removed, a zero-width
    space after each Han, kana or Hangul character.

    >>> search_text("ﬁle") == "file"
    True
    >>> search_text("北京市") == "北\\u200b京\\u200b市\\u200b"
    True
    """
    if not text:
        return ""
    if text.isascii():  # most text: nothing to normalize, mark or split (and quick to tell)
        return text
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if HIGHLIGHT[0] in text or HIGHLIGHT[1] in text:
        text = _MARKS.sub(" ", text)
    return _UNSPACED.sub("\\1" + SEPARATOR, text)


def _join(*parts: str | None) -> str:
    return search_text(" ".join(p for p in parts if p))


# --- documents ------------------------------------------------------------------------------


def _dialect(conn: Any) -> str:
    dialect = getattr(conn, "dialect", None)
    if dialect is not None:
        return str(dialect.name)
    return "sqlite" if type(conn).__module__.startswith("sqlite3") else "postgresql"


def _run(conn: Any, sql: str, params: Any = ()) -> Any:
    """Run driver-level SQL (``?`` on SQLite, ``%s`` on PostgreSQL) on a SQLAlchemy or DBAPI connection."""
    runner = getattr(conn, "exec_driver_sql", None)
    if runner is not None:
        return runner(sql, params) if params else runner(sql)
    return conn.execute(sql, params)


def _many(conn: Any, sql: str, rows: list[tuple]) -> None:
    if hasattr(conn, "exec_driver_sql"):
        conn.exec_driver_sql(sql, rows)
    else:
        conn.cursor().executemany(sql, rows)


def _driver(conn: Any) -> Any:
    """The driver's own connection (sqlite3, psycopg) of a SQLAlchemy or DBAPI connection."""
    return getattr(getattr(conn, "connection", None), "driver_connection", None) or conn


def _mark(conn: Any) -> str:
    return "?" if _dialect(conn) == "sqlite" else "%s"


def entity_token(entity_id: int) -> str:
    """The token of an entity in a statement's ``speakers`` field (and in a query for it)."""
    return f"@e{entity_id}"


def _sources(conn: Any, where: str = "1 = 1") -> dict[int, str]:
    """The ``source`` field (title and outlet) of the sources ``where`` says (alias ``src``)."""
    return {
        source_id: _join(title, outlet) for source_id, title, outlet in _run(
            conn, "SELECT src.id, src.title, e.name FROM sources src LEFT JOIN entities e ON e.id = src.outlet_id "
            f"WHERE {where}").fetchall()
    }


def _statement_rows(conn: Any, where: str, params: tuple, sources: dict[int, str] | None = None) -> Iterator[tuple]:
    """(id, body, anonymous description, source, speaker tokens) per statement, in id order;
    ``sources``: every source's field, prepared once for a bulk pass."""
    if sources is None and not params:  # a few statements (the queue's): their sources only
        sources = _sources(conn, f"src.id IN (SELECT s.source_id FROM statements s WHERE {where})")
    elif sources is None:
        sources = _sources(conn)
    sql = (f"SELECT s.id, s.quote, s.hedge, s.note, s.speaker_description, s.speaker_id, "
           f"s.speaker_affiliation_id, s.source_id FROM statements s WHERE {where} ORDER BY s.id")
    joint = _joint_speakers(conn, where, params)
    # the driver's own cursor, and the common case (ASCII text, no hedge or note) inline: this
    # runs once per statement of a bulk load
    cursor = _driver(conn).cursor()
    try:
        cursor.execute(sql, params)
        for sid, quote, hedge, note, description, speaker, affiliation, source in cursor:
            body = quote if hedge is None and note is None else " ".join(p for p in (quote, hedge, note) if p)
            if body is None:
                body = ""
            elif not body.isascii():
                body = search_text(body)
            # entity_token, inline
            who = "" if affiliation is None else f"@e{affiliation}"
            if speaker is not None:
                who = f"@e{speaker} {who}" if who else f"@e{speaker}"
            if sid in joint:  # joint speakers (revision 0065): their ids, and anonymous ones' descriptions
                descriptions, tokens = joint[sid]
                description = " ".join(p for p in (description, *descriptions) if p) or None
                who = " ".join(p for p in (who, *tokens) if p)
            yield sid, body, search_text(description), sources.get(source, ""), who
    finally:
        cursor.close()


def _joint_speakers(conn: Any, where: str, params: tuple) -> dict[int, tuple[list[str], list[str]]]:
    """Statement id -> (descriptions of its anonymous joint speakers, tokens of its named ones
    and of their affiliations), for the statements ``where`` says (alias ``s``)."""
    joint: dict[int, tuple[list[str], list[str]]] = {}
    rows = _run(conn, "SELECT j.statement_id, j.speaker_id, j.speaker_affiliation_id, j.speaker_description "
                f"FROM statement_speakers j WHERE j.statement_id IN (SELECT s.id FROM statements s WHERE {where}) "
                "ORDER BY j.statement_id, j.position", params).fetchall()
    for sid, speaker, affiliation, description in rows:
        descriptions, tokens = joint.setdefault(sid, ([], []))
        if description:
            descriptions.append(description)
        tokens.extend(entity_token(e) for e in (speaker, affiliation) if e is not None)
    return joint


def _names_sql(dialect: str, column: str) -> str:
    aggregate = "string_agg(n.name, ' ' ORDER BY n.id)" if dialect == "postgresql" else "group_concat(n.name, ' ')"
    return f"(SELECT {aggregate} FROM entity_names n WHERE n.entity_id = {column})"


def _entity_rows(conn: Any, where: str, params: tuple) -> Iterator[tuple]:
    sql = f"SELECT e.id, {_names_sql(_dialect(conn), 'e.id')} FROM entities e WHERE {where} ORDER BY e.id"
    for eid, names in _run(conn, sql, params).fetchall():
        yield eid, search_text(names)


def _claim_rows(conn: Any, where: str, params: tuple) -> Iterator[tuple]:
    for cid, text, note in _run(conn, f"SELECT c.id, c.text, c.note FROM claims c WHERE {where} ORDER BY c.id",
                                params).fetchall():
        yield cid, _join(text, note)


# kind -> (index table, id column, fields, row source)
# (the alias of a kind's table in its row source is the kind itself: ``s.id``, ``e.id``...)
_KINDS: dict[str, tuple[str, str, tuple[str, ...], Any]] = {
    "s": ("search_fts_statements", "statement_id", ("body", "speaker", "source", "speakers"), _statement_rows),
    "c": ("search_fts_claims", "claim_id", ("body",), _claim_rows),
    "e": ("search_fts_entities", "entity_id", ("names",), _entity_rows),
}
# kind -> its table, for the bulk pass
_TABLES = {"s": "statements", "c": "claims", "e": "entities"}


# PostgreSQL: from this many rows on, index rows go through COPY into a temporary table and
# one INSERT ... SELECT (a bulk load's pass: 1.6x faster than executemany at 50k statements)
COPY_FROM = 1000


def _write(conn: Any, kind: str, rows: Iterable[tuple]) -> int:
    """Insert index rows (PostgreSQL: or replace them: two writers may index one row)."""
    table, id_column, fields, _source = _KINDS[kind]
    batch = list(rows)
    if not batch:
        return 0
    marks = ", ".join([_mark(conn)] * (len(fields) + 1))
    columns = f"{id_column}, {', '.join(fields)}"
    if _dialect(conn) == "postgresql":
        updates = ", ".join(f"{field} = excluded.{field}" for field in fields)
        conflict = f"ON CONFLICT ({id_column}) DO UPDATE SET {updates}"
        if len(batch) < COPY_FROM:
            _many(conn, f"INSERT INTO {table} ({columns}) VALUES ({marks}) {conflict}", batch)
            return len(batch)
        # a temporary table: no lock on anything another session uses
        loading = f"search_load_{kind}"
        typed = ", ".join(f"{field} text" for field in fields)
        with _driver(conn).cursor() as cursor:
            cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {loading} ({id_column} bigint, {typed}) "
                           "ON COMMIT DROP")
            with cursor.copy(f"COPY {loading} ({columns}) FROM STDIN") as copy:
                for row in batch:
                    copy.write_row(row)
            cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {loading} {conflict}")
            cursor.execute(f"TRUNCATE {loading}")
    else:
        _many(conn, f"INSERT INTO {table} (rowid, {', '.join(fields)}) VALUES ({marks})", batch)
    return len(batch)


def _delete(conn: Any, kind: str, ids: list[int]) -> None:
    table, id_column, _fields, _source = _KINDS[kind]
    column = id_column if _dialect(conn) == "postgresql" else "rowid"
    listed = ", ".join(str(int(i)) for i in ids)
    _run(conn, f"DELETE FROM {table} WHERE {column} IN ({listed})")


def _index(conn: Any, kind: str, ids: list[int]) -> None:
    """(Re)index these rows: out of the index, then in again if they still exist."""
    source = _KINDS[kind][3]
    listed = ", ".join(str(int(i)) for i in ids)
    rows = list(source(conn, f"{kind}.id IN ({listed})", ()))
    if _dialect(conn) == "postgresql":
        present = {row[0] for row in rows}
        gone = [i for i in ids if i not in present]
        if gone:
            _delete(conn, kind, gone)
    else:
        _delete(conn, kind, ids)
    _write(conn, kind, rows)


def refresh(conn: Any) -> int:
    """Index every row in the queue (in the caller's transaction); return how many.

    ``conn``: a SQLAlchemy ``Connection`` or a DBAPI connection (sqlite3, psycopg), as for
    every function here."""
    done = 0
    while True:
        # PostgreSQL: rows another transaction is indexing right now are its own (no waiting
        # on each other, no deadlock between two writers' refreshes)
        lock = " FOR UPDATE SKIP LOCKED" if _dialect(conn) == "postgresql" else ""
        queued = _run(conn, f"SELECT kind, row_id FROM search_fts_queue ORDER BY kind, row_id LIMIT {CHUNK}{lock}"
                      ).fetchall()
        if not queued:
            return done
        for kind in _KINDS:
            ids = [row_id for k, row_id in queued if k == kind]
            if ids:
                _index(conn, kind, ids)
                listed = ", ".join(str(int(i)) for i in ids)
                _run(conn, f"DELETE FROM search_fts_queue WHERE kind = '{kind}' AND row_id IN ({listed})")
        done += len(queued)


def index_new(conn: Any, markers: dict[str, int]) -> int:
    """Index the rows with ids above ``markers`` (from :func:`suspend_queue`: statements and
    claims; entities too when given), streamed in id order: what a bulk load added while the
    queue triggers were off; then whatever the queue holds (:func:`refresh`: the names the
    load added or changed, queued by their live triggers)."""
    total = 0
    mark = _mark(conn)
    for kind, table in _TABLES.items():
        if table not in markers:
            continue
        source = _KINDS[kind][3]
        start = markers[table]
        top = int(_run(conn, f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0])
        if start >= top:
            continue
        if kind == "e":  # queued by their triggers as well: indexed here
            _run(conn, f"DELETE FROM search_fts_queue WHERE kind = 'e' AND row_id > {int(start)}")
        extra = {"sources": _sources(conn)} if kind == "s" else {}
        while start < top:
            end = start + 20_000
            total += _write(conn, kind, source(conn, f"{kind}.id > {mark} AND {kind}.id <= {mark}", (start, end),
                                               **extra))
            start = end
    return total + refresh(conn)


def enqueue(conn: Any, kind: str, ids: Iterable[int]) -> None:
    """Queue rows for :func:`refresh` (a bulk load's updates of rows that existed before)."""
    ids = sorted({int(i) for i in ids})
    conflict = "ON CONFLICT DO NOTHING"
    for start in range(0, len(ids), 500):
        values = ", ".join(f"('{kind}', {i})" for i in ids[start : start + 500])
        _run(conn, f"INSERT INTO search_fts_queue (kind, row_id) VALUES {values} {conflict}")


# --- queue triggers -------------------------------------------------------------------------

# the columns whose change re-indexes a row (as in revisions 0011 and 0064: tests/test_search.py checks)
STATEMENT_COLUMNS = ("quote", "hedge", "note", "speaker_id", "speaker_description", "speaker_affiliation_id",
                     "source_id")
CLAIM_COLUMNS = ("text", "note")
# the tables whose queue triggers a bulk load suspends (it indexes its new statements itself
# and queues the ones it updates)
SUSPENDED = ("statements", "claims", "statement_speakers")
_QUEUED_TABLES = ("statements", "claims", "entity_names", "sources", "statement_speakers", "entities")


def queue_trigger_sql(tables: Iterable[str] = _QUEUED_TABLES) -> list[str]:
    """SQLite: CREATE statements of the queue triggers of ``tables`` (as revisions 0011, 0064
    and 0065 made them)."""
    out: list[str] = []
    for table in tables:
        out.extend(_sqlite_triggers(table))
    return out


def _sqlite_triggers(table: str) -> list[str]:
    insert = "INSERT OR IGNORE INTO search_fts_queue (kind, row_id)"
    if table == "statements":
        return [
            "CREATE TRIGGER search_fts_statements_insert AFTER INSERT ON statements "
            f"BEGIN {insert} VALUES ('s', new.id); END",
            f"CREATE TRIGGER search_fts_statements_update AFTER UPDATE OF {', '.join(STATEMENT_COLUMNS)} ON statements "
            f"BEGIN {insert} VALUES ('s', new.id); END",
            "CREATE TRIGGER search_fts_statements_delete AFTER DELETE ON statements "
            f"BEGIN {insert} VALUES ('s', old.id); END",
        ]
    if table == "claims":
        return [
            f"CREATE TRIGGER search_fts_claims_insert AFTER INSERT ON claims BEGIN {insert} VALUES ('c', new.id); END",
            f"CREATE TRIGGER search_fts_claims_update AFTER UPDATE OF {', '.join(CLAIM_COLUMNS)} ON claims "
            f"BEGIN {insert} VALUES ('c', new.id); END",
            f"CREATE TRIGGER search_fts_claims_delete AFTER DELETE ON claims BEGIN {insert} VALUES ('c', old.id); END",
        ]
    if table == "entity_names":
        return [
            f"CREATE TRIGGER search_fts_names_insert AFTER INSERT ON entity_names BEGIN {insert} "
            "VALUES ('e', new.entity_id); END",
            f"CREATE TRIGGER search_fts_names_update AFTER UPDATE ON entity_names BEGIN {insert} "
            f"VALUES ('e', old.entity_id); {insert} VALUES ('e', new.entity_id); END",
            f"CREATE TRIGGER search_fts_names_delete AFTER DELETE ON entity_names BEGIN {insert} "
            "VALUES ('e', old.entity_id); END",
        ]
    if table == "statement_speakers":
        return [
            f"CREATE TRIGGER search_fts_joint_insert AFTER INSERT ON statement_speakers BEGIN {insert} "
            "VALUES ('s', new.statement_id); END",
            f"CREATE TRIGGER search_fts_joint_update AFTER UPDATE ON statement_speakers BEGIN {insert} "
            f"VALUES ('s', old.statement_id); {insert} VALUES ('s', new.statement_id); END",
            f"CREATE TRIGGER search_fts_joint_delete AFTER DELETE ON statement_speakers BEGIN {insert} "
            "VALUES ('s', old.statement_id); END",
        ]
    if table == "entities":  # an outlet's name is in its sources' statements' rows
        return [
            "CREATE TRIGGER search_fts_outlets_update AFTER UPDATE OF name ON entities WHEN old.name IS NOT new.name "
            f"BEGIN {insert} SELECT 's', s.id FROM statements s JOIN sources src ON src.id = s.source_id "
            "WHERE src.outlet_id = new.id; END",
        ]
    return [
        "CREATE TRIGGER search_fts_sources_update AFTER UPDATE OF title, outlet_id ON sources "
        f"BEGIN {insert} SELECT 's', id FROM statements WHERE source_id = new.id; END",
    ]


def suspend_queue(conn: Any) -> dict[str, int]:
    """Bulk load: stop queueing statements and claims row by row (SQLite: drop their triggers,
    in the load's transaction; PostgreSQL: ``SET LOCAL`` :data:`BULK_SETTING`, no DDL).
    Returns the highest ids of statements, claims, entities and sources before the load, for
    :func:`index_new` (entities and sources are still queued: a load may rename one that was
    there before)."""
    if _dialect(conn) == "postgresql":
        _run(conn, f"SET LOCAL {BULK_SETTING} = 'on'")
    else:
        for name in _sqlite_trigger_names(SUSPENDED):
            _run(conn, f"DROP TRIGGER IF EXISTS {name}")
    return {table: int(_run(conn, f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0])
            for table in _TABLES.values()}


def resume_queue(conn: Any, markers: dict[str, int]) -> None:
    """Index what the load added (:func:`index_new`) and queue row by row again."""
    index_new(conn, markers)
    if _dialect(conn) == "postgresql":
        _run(conn, f"SET LOCAL {BULK_SETTING} = 'off'")
    else:
        for sql in queue_trigger_sql(SUSPENDED):
            _run(conn, sql)


def _sqlite_trigger_names(tables: Iterable[str]) -> list[str]:
    names = []
    for sql in queue_trigger_sql(tables):
        names.append(sql.split()[2])
    return names
