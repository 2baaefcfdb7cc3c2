"""Each claim's sourcing flags, stored, so that ``report sourcing --limit N`` reads N claims.

``claims.sourcing_flags`` holds which of :data:`factdb.sourcing.FLAGS` the claim has (bit
*i* for ``FLAGS[i]``), ``claims.sourcing_flag_count`` how many (revision 0061), and the
partial index ``ix_expr_claims_sourcing`` (flag count descending, then key; flagged claims
only) is the report's ranking order: the first N claims are the index's first N entries,
and only their statements are read, to give each flag's detail (which names outlets and
speakers, so it is computed when shown, never stored). The flags themselves are computed by
:func:`factdb.sourcing.sourcing_flags` (through :func:`factdb.reports.sourcing.claim_sourcing`)
and nothing else: the one definition, stored.

Kept by every write path: :func:`factdb.sessions.transaction` stores the flags of the claims
its writes touched (:mod:`factdb.touched`) before it commits, the bulk importer those of the
claims its load touched, and revision 0061 those of every claim.

Many claims at once (an import, a repair) are computed set-based (:func:`_set_based`): one
grouped query over their statements gives, per claim, the few counts the flags test, for
every claim where folding copies changes nothing (verdicts rating a claim false are read
apart and compared in Python). A claim the query cannot answer exactly goes through
:func:`factdb.sourcing.sourcing_flags` as before: one with a statement in a source with
versions (``updates``), joint speakers, or two statements in one story from two sources with
the same stance and speaker (copies that :func:`factdb.sourcing.collapse_copies` might
fold). tests/test_sourcing_definition.py checks the two paths give the same flags.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from factdb.dates import format_partial_date
from factdb.reports.common import MAX_CHAIN, PARTY_UP_SQL
from factdb.reports.sourcing import claim_sourcing
from factdb.sourcing import FLAG_BITS, is_false_rating
from factdb.vocab import SUPPORTING_STANCES

__all__ = ["bits_of", "store_flags", "flags_drift"]

_CHUNK = 2000  # claims per read (their verdicts are read by id below SUBSET_LIMIT)
# From this many claims on, store_flags computes set-based (below it, the recursive story and
# party chains over every source and entity cost more than reading the claims' statements)
SET_BASED_FROM = 2000
# what str.strip() strips: a quote of only these is no quote (factdb.sourcing.quote_status).
# Written out: finding them among the 1.1M code points took 0.1 s of every write command's
# start (tests/test_claim_flags_whitespace.py checks the list against str.isspace).
_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def bits_of(flags: Iterable[dict[str, str]]) -> int:
    """The stored form of a list of flags (:func:`factdb.sourcing.sourcing_flags`)."""
    value = 0
    for flag in flags:
        value |= FLAG_BITS[flag["flag"]]
    return value


def _computed(session: Session, ids: list[int]) -> dict[int, int]:
    found = claim_sourcing(session, ["s.claim_id IN :claim_ids"], {"claim_ids": ids})
    return {claim_id: bits_of(entry["flags"]) for claim_id, entry in found.items()}


def store_flags(session: Session, claim_ids: Iterable[int] | None, *, set_based: bool | None = None) -> int:
    """Compute and store the flags of ``claim_ids`` (None: every claim); returns how many
    claims' flags changed. Reads the claims' statements, a chunk of claims at a time;
    ``set_based`` (default: from :data:`SET_BASED_FROM` claims on) answers most claims with
    one grouped query first (:func:`_set_based`)."""
    connection = session.connection()
    if claim_ids is None:
        ids = [row[0] for row in connection.execute(text("SELECT id FROM claims ORDER BY id"))]
    else:
        ids = sorted({int(c) for c in claim_ids})
    if set_based is None:
        set_based = len(ids) >= SET_BASED_FROM
    # the set-based answers (claims without statements get none: flags 0), then the rest
    computed = _set_based(connection, None if claim_ids is None else ids) if set_based else {}
    left = [claim_id for claim_id in ids if claim_id not in computed] if set_based else ids
    for start in range(0, len(left), _CHUNK):
        computed.update(_computed(session, left[start : start + _CHUNK]))
    changed = 0
    stored = text("SELECT id, sourcing_flags FROM claims WHERE id IN :ids").bindparams(bindparam("ids", expanding=True))
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        updates = [
            {"id": claim_id, "flags": computed.get(claim_id, 0), "count": computed.get(claim_id, 0).bit_count()}
            for claim_id, flags in connection.execute(stored, {"ids": chunk})
            if flags != computed.get(claim_id, 0)
        ]
        if updates and connection.dialect.name == "postgresql":
            # one statement per chunk (arrays unnested): a bulk load's 100k claims as single-row
            # updates cost 7 s of a 1M-statement import
            connection.exec_driver_sql(
                "UPDATE claims c SET sourcing_flags = v.flags, sourcing_flag_count = v.count FROM (SELECT "
                "unnest(%s::int[]) AS id, unnest(%s::int[]) AS flags, unnest(%s::int[]) AS count) v WHERE c.id = v.id",
                ([u["id"] for u in updates], [u["flags"] for u in updates], [u["count"] for u in updates]),
            )
        elif updates:
            connection.execute(
                text("UPDATE claims SET sourcing_flags = :flags, sourcing_flag_count = :count WHERE id = :id"), updates
            )
        changed += len(updates)
    return changed


# The story of a source (the root of its republishes chain; a source in a cycle or in a
# chain longer than MAX_CHAIN stands alone) and the party of an entity (the root of its
# part_of / first-role chain), as factdb.reports.common.load_context finds them: written
# once per computation into two temporary tables with an integer key, so that each
# statement's source and party are one lookup (the chains joined as CTEs cost 3.4 of the
# 6.0 s of the query at 1M statements, their automatic indexes built and probed per row)
_SOURCES = "factdb_flag_sources"
_PARTIES = "factdb_flag_parties"
_CHAINS = f"""
WITH RECURSIVE source_chain(start_id, node_id, up_id, depth) AS (
  SELECT s.id, s.id, s.republishes_id, 0 FROM sources s
  UNION ALL
  SELECT c.start_id, s.id, s.republishes_id, c.depth + 1 FROM source_chain c JOIN sources s ON s.id = c.up_id
  WHERE c.depth < {MAX_CHAIN}
),
story(id, root_id) AS (SELECT start_id, node_id FROM source_chain WHERE up_id IS NULL),
party_chain(start_id, node_id, up_id, depth) AS (
  SELECT e.id, e.id, {PARTY_UP_SQL}, 0 FROM entities e
  UNION ALL
  SELECT c.start_id, e.id, {PARTY_UP_SQL}, c.depth + 1 FROM party_chain c JOIN entities e ON e.id = c.up_id
  WHERE c.depth < {MAX_CHAIN}
)"""
# per source: its publication date, its story, the story's outlet (an entity id, or minus the
# story's own id when it has none: names and keys are unique, so a distinct id is a distinct
# name), and whether the story has two sources or more (only then can two statements in it
# come from two sources: the fold test below)
_TABLES = (
    # (SQLite: the date as stored, text; a column typed DATE would take NUMERIC affinity)
    f"CREATE TEMPORARY TABLE {_SOURCES} (id INTEGER PRIMARY KEY, published_on {{date}}, story_id INTEGER, "
    "outlet INTEGER, shared INTEGER)",
    f"""{_CHAINS},
in_story(id, published_on, story_id) AS (SELECT src.id, src.published_on, coalesce(r.root_id, src.id)
  FROM sources src LEFT JOIN story r ON r.id = src.id),
shared(root_id) AS (SELECT root_id FROM story WHERE id <> root_id)
INSERT INTO {_SOURCES} (id, published_on, story_id, outlet, shared)
SELECT x.id, x.published_on, x.story_id, CASE WHEN g.outlet_id IS NULL THEN -g.id ELSE g.outlet_id END,
  CASE WHEN x.story_id IN (SELECT root_id FROM shared) THEN 1 ELSE 0 END
FROM in_story x JOIN sources g ON g.id = x.story_id""",
    f"CREATE TEMPORARY TABLE {_PARTIES} (id INTEGER PRIMARY KEY, root_id INTEGER)",
    f"""{_CHAINS}
INSERT INTO {_PARTIES} (id, root_id) SELECT start_id, node_id FROM party_chain WHERE up_id IS NULL""",
)
# each unretracted statement with what the flags test (the party: the root of the speaker's,
# else the affiliation's, chain, else that entity itself; NULL without either)
_COUNTED = f"""
WITH counted AS (
  SELECT s.id, s.claim_id, s.source_id, s.stance, s.speaker_id, s.said_on,
    coalesce(si.published_on, s.said_on) AS published,
    CASE WHEN s.stance IN ({", ".join(f"'{stance}'" for stance in SUPPORTING_STANCES)}) THEN 1 ELSE 0 END AS support,
    si.story_id, si.shared, si.outlet,
    coalesce(p.root_id, s.speaker_id, s.speaker_affiliation_id) AS party,
    CASE WHEN s.quote IS NOT NULL AND {{trimmed}} <> '' AND coalesce(s.quote_kind, '') <> 'paraphrase'
      THEN 1 ELSE 0 END AS direct,
    CASE WHEN qa.status = 'found' AND EXISTS (SELECT 1 FROM source_texts st WHERE st.source_id = s.source_id)
      THEN 1 ELSE 0 END AS found
  FROM statements s
  JOIN {_SOURCES} si ON si.id = s.source_id
  LEFT JOIN {_PARTIES} p ON p.id = coalesce(s.speaker_id, s.speaker_affiliation_id)
  LEFT JOIN quote_anchors qa ON qa.statement_id = s.id
  WHERE s.retracted_at IS NULL {{claims}}
)"""


@contextlib.contextmanager
def chain_tables(connection: Any) -> Iterator[None]:
    """The temporary tables of :data:`_COUNTED` (sources' stories, entities' parties), made
    in the caller's transaction and dropped after the block."""
    for table in (_SOURCES, _PARTIES):
        connection.execute(text(f"DROP TABLE IF EXISTS {table}"))
    date = "DATE" if connection.dialect.name == "postgresql" else "TEXT"
    for sql in _TABLES:
        connection.execute(text(sql.replace("{date}", date)))
    try:
        yield
    finally:
        for table in (_SOURCES, _PARTIES):
            connection.execute(text(f"DROP TABLE IF EXISTS {table}"))


def counted_sql(connection: Any, claims: str = "") -> str:
    """SQL ``WITH counted AS (...)``: the statements :data:`_PER_CLAIM` groups (``claims``: a
    condition on ``s.claim_id``, with its ``AND``), inside :func:`chain_tables`; the quote
    trimmed of :data:`_WHITESPACE` (the parameter ``blank``)."""
    postgres = connection.dialect.name == "postgresql"
    trimmed = "btrim(s.quote, :blank)" if postgres else "trim(s.quote, :blank)"
    return _COUNTED.format(trimmed=trimmed, claims=claims)


# claims whose flags need factdb.sourcing's own path: versions or joint speakers
# (see the module docstring; statements that may be copies are found by _PER_CLAIM). The
# statements of versions found from the sources (a few), not each statement's source tested
_LEFT_TO_PYTHON = """
SELECT s.claim_id FROM statements s
  WHERE s.retracted_at IS NULL AND s.source_id IN (SELECT id FROM sources WHERE updates_id IS NOT NULL
    UNION SELECT updates_id FROM sources WHERE updates_id IS NOT NULL) {statement_claims}
UNION SELECT s.claim_id FROM statements s JOIN statement_speakers j ON j.statement_id = s.id
  WHERE s.retracted_at IS NULL {statement_claims}
"""
# per claim, whether two of its statements are in one story from two sources with the same
# stance and speaker (copies that collapse_copies may fold: more distinct (story, stance,
# speaker, source) than (story, stance, speaker); only a story of two sources or more can
# have such a pair), then what the flags test: counts, and whether the support has one
# outlet, several sources, one story, one party (min = max: a distinct count per claim
# cost more than the rest of the query). One pass over the statements, in one sort.
_GROUP = "CAST(story_id AS TEXT) || ',' || stance || ',' || coalesce(CAST(speaker_id AS TEXT), '')"
_SUPPORTING = "CASE WHEN support = 1 THEN {} END"
_PER_CLAIM = f"""
SELECT count(DISTINCT CASE WHEN shared = 1 THEN {_GROUP} || ',' || CAST(source_id AS TEXT) END)
    > count(DISTINCT CASE WHEN shared = 1 THEN {_GROUP} END), claim_id,
  count(*), sum(CASE WHEN said_on IS NULL THEN 1 ELSE 0 END), sum(support),
  min({_SUPPORTING.format("outlet")}) = max({_SUPPORTING.format("outlet")}),
  min({_SUPPORTING.format("source_id")}) < max({_SUPPORTING.format("source_id")}),
  min({_SUPPORTING.format("story_id")}) = max({_SUPPORTING.format("story_id")}),
  sum(CASE WHEN support = 1 AND speaker_id IS NOT NULL THEN 1 ELSE 0 END),
  sum(CASE WHEN support = 1 AND party IS NULL THEN 1 ELSE 0 END),
  min({_SUPPORTING.format("party")}) = max({_SUPPORTING.format("party")}),
  sum(CASE WHEN support = 1 THEN direct ELSE 0 END),
  sum(CASE WHEN support = 1 THEN direct * found ELSE 0 END),
  max(CASE WHEN support = 1 THEN published END)
FROM counted GROUP BY {{grouped}}
"""
# SQLite: "+claim_id", so that the rows are sorted once rather than read in the claim index's
# order, a table row looked up per statement (7.9 s against 4.4 s for the bare count at 1M)
# More claims than this and the query reads every claim's statements once, instead of the
# story and party chains again for each chunk of an IN list
_ALL_FROM = 20_000


def _set_based(connection: Any, ids: list[int] | None) -> dict[int, int]:
    """The flags of the claims (``ids``, None: every claim) one grouped query can answer
    exactly: ``{claim id: flags}`` for each claim with counted statements that neither
    :data:`_LEFT_TO_PYTHON` nor the fold test of :data:`_PER_CLAIM` names. The tests of
    :func:`factdb.sourcing.sourcing_flags`, on the counts of a claim whose statements fold
    nothing."""
    postgres = connection.dialect.name == "postgresql"
    wanted = None if ids is None or len(ids) > _ALL_FROM else ids
    chunks = [None] if wanted is None else [wanted[i : i + 5000] for i in range(0, len(wanted), 5000)]
    answered: dict[int, int] = {}
    with chain_tables(connection):
        for chunk in chunks:
            _answer(connection, chunk, postgres, answered)
    if ids is not None and wanted is None:
        keep = set(ids)
        answered = {claim_id: bits for claim_id, bits in answered.items() if claim_id in keep}
    return answered


def _answer(connection: Any, chunk: list[int] | None, postgres: bool, answered: dict[int, int]) -> None:
    """:func:`_set_based` for the claims ``chunk`` (None: every claim), into ``answered``."""
    listed = "" if chunk is None else "IN (" + ", ".join(str(int(i)) for i in chunk) + ")"
    claims = f"AND claim_id {listed}" if listed else ""
    statement_claims = f"AND s.claim_id {listed}" if listed else ""
    left = {row[0] for row in connection.execute(text(_LEFT_TO_PYTHON.format(statement_claims=statement_claims)))}
    reviews = _false_reviews(connection, claims)
    counted = counted_sql(connection, statement_claims)
    # each claim's flags as its row comes (not every claim's row kept: at 100k claims the
    # rows were 30 MB of an import's peak); a claim the fold test names is left out
    per_claim = _PER_CLAIM.format(grouped="claim_id" if postgres else "+claim_id")
    for folds, claim_id, *row in connection.execute(text(counted + per_claim), {"blank": _WHITESPACE}):
        if folds:
            left.add(claim_id)
        elif claim_id not in left:
            answered[claim_id] = _bits(*row, reviews.get(claim_id, ()))  # type: ignore[call-arg]


def _false_reviews(connection: Any, claims: str) -> dict[int, list[str | None]]:
    """Per claim, the review dates (as verdict records give them; None: undated) of its
    verdicts that rate it false (:func:`factdb.sourcing.is_false_rating`)."""
    reviews: dict[int, list[str | None]] = {}
    sql = ("SELECT claim_id, rating, normalized_rating, reviewed_on, reviewed_on_precision FROM verdicts "
           f"WHERE 1 = 1 {claims}")
    for claim_id, rating, normalized, reviewed, precision in connection.execute(text(sql)):
        if is_false_rating(rating, normalized):
            if isinstance(reviewed, str):
                reviewed = dt.date.fromisoformat(reviewed)
            reviews.setdefault(claim_id, []).append(format_partial_date(reviewed, precision))
    return reviews


def _bits(rows: int, undated: int, support: int, one_outlet: Any, sources: Any, one_story: Any, named: int,
          partyless: int, one_party: Any, direct: int, verified: int, published: Any,
          reviews: Iterable[str | None]) -> int:
    """:func:`factdb.sourcing.sourcing_flags`' tests on one claim's counts (none folded):
    whether its support has one outlet, more than one source, one story, one party (each
    true, false or None: no support, or no party); ``published``: the latest publication
    (else statement) date of its support, ``reviews`` the dates of the reviews rating it false."""
    value = 0
    if support:
        if one_outlet and support >= 2:
            value |= FLAG_BITS["one-outlet"]
        if sources and one_story:
            value |= FLAG_BITS["one-wire-story"]
        if named == 0:
            value |= FLAG_BITS["anonymous-only"]
        if partyless == 0 and one_party:
            value |= FLAG_BITS["one-party"]
        if direct == 0:
            value |= FLAG_BITS["no-quote"]
        elif verified == 0:
            value |= FLAG_BITS["unverified-quotes"]
        latest = published.isoformat() if isinstance(published, dt.date) else published
        # flagged when support was published on or after a false review (any, if undated)
        if any(r is None or (latest is not None and latest >= r) for r in reviews):
            value |= FLAG_BITS["rated-false"]
    if undated:
        value |= FLAG_BITS["dates-unknown"]
    return value


def flags_drift(session: Session) -> list[int]:
    """Ids of the claims whose stored flags differ from freshly computed ones (empty when all
    is well): for tests and checks. Reads every statement."""
    connection = session.connection()
    stored: dict[int, Any] = dict(connection.execute(text("SELECT id, sourcing_flags FROM claims")).all())
    ids = sorted(stored)
    drift = []
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        computed = _computed(session, chunk)
        drift += [claim_id for claim_id in chunk if stored[claim_id] != computed.get(claim_id, 0)]
    return drift
