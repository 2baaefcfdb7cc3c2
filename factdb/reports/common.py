"""What every report shares: loading statements in a bounded number of queries, the party of
a speaker, and independent-source groups.

Every function here issues a fixed number of SQL queries whatever the number of statements:
statements come in one joined query, their via chains in a second, parties and source groups
each in one recursive query. Reports never touch lazy relationships.

Parties (who speaks for whom):
- a named speaker's party is the top of its ``part_of`` chain (Iran's foreign ministry ->
  Iran);
- a person with no ``part_of`` belongs to the organization of their first recorded role
  (Leon Panetta, US Secretary of Defense of United States -> United States), and then to the
  top of that organization's chain (Ramin Mehmanparast, spokesman of Iran's foreign ministry
  -> Iran);
- an anonymous speaker belongs to the party of its ``speaker_affiliation`` ("a US source",
  United States -> United States); without an affiliation its party is unknown (None).

Independent sources: the definition is :mod:`factdb.sourcing`'s (the story at the root of a
source's ``republishes`` chain, counted under the root's outlet; copies of one statement
folded into one; the versions of one document are one story, read at its newest version).
The recursive query here finds each source's root and its newest version.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Date, DateTime, TextClause, bindparam, column, inspect, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnClause
from sqlalchemy.sql.selectable import TextualSelect

from factdb import records
from factdb.dates import format_partial_date
from factdb.db import MIGRATING
from factdb.records import unattributed
from factdb.sourcing import collapse_copies, mark_version, quote_status
from factdb.vocab import side_of

__all__ = [
    "MAX_CHAIN",
    "iso_date",
    "load_statements",
    "load_parties",
    "date_sort_key",
]

# Longest part_of / republishes chain followed; it also stops a cycle from looping forever.
MAX_CHAIN = 32


def iso_date(value: dt.date | None, precision: str | None) -> str | None:
    """A partial date as ISO text as short as its precision (``2011``, ``2011-07``)."""
    return format_partial_date(value, precision)


def date_sort_key(said_on: dt.date | None, published_on: dt.date | None, statement_id: int) -> tuple:
    """Date order: by the statement's date, else its source's date; undated last."""
    when = said_on or published_on
    return (when is None, when or dt.date.min, statement_id)


# The statements query's columns, in order: (SQL expression, name). The names are given to
# SQLAlchemy by position (_statement_query), so the result's metadata is built once per query
# shape and cached with its compiled form, not matched by name at every execution (a third of
# a typical dossier's time).
_STATEMENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("s.id", "id"), ("s.key", "key"), ("s.claim_id", "claim_id"), ("c.key", "claim_key"), ("c.text", "claim_text"),
    ("s.speaker_id", "speaker_id"), ("sp.name", "speaker"), ("sp.kind", "speaker_kind"),
    ("s.speaker_description", "speaker_description"), ("s.speaker_affiliation_id", "speaker_affiliation_id"),
    ("af.name", "affiliation"), ("s.speaker_title", "speaker_title"), ("s.stance", "stance"),
    ("s.certainty", "certainty"), ("s.hedge", "hedge"), ("s.verb", "verb"), ("s.quote", "quote"),
    ("s.quote_kind", "quote_kind"), ("s.said_on", "said_on"), ("s.said_on_precision", "said_on_precision"),
    ("s.position", "position"), ("s.source_id", "source_id"), ("src.key", "source_key"),
    ("src.kind", "source_kind"), ("src.title", "source_title"), ("src.url", "source_url"),
    ("src.published_on", "published_on"), ("src.published_on_precision", "published_on_precision"),
    ("src.published_time", "published_time"), ("src.modified_time", "modified_time"),
    ("src.text_state", "text_state"), ("s.utterance", "utterance"), ("s.anonymous_kind", "anonymous_kind"),
    ("s.anonymous_id", "anonymous_id"), ("o.id", "outlet_id"), ("o.name", "outlet"),
    ("src.updates_id", "source_updates_id"), ("ans.key", "responds_to"),
    ("coalesce(asp.name, ans.speaker_description)", "responds_to_speaker"),
    ("ans.said_on", "responds_to_said_on"), ("ans.said_on_precision", "responds_to_said_on_precision"),
    ("s.note", "note"), ("s.retracted_at", "retracted_at"), ("s.retraction_reason", "retraction_reason"),
    ("s.retracted_on", "retracted_on"), ("s.retracted_on_precision", "retracted_on_precision"),
    ("qa.status", "anchor_status"),
    ("CASE WHEN EXISTS (SELECT 1 FROM source_texts st WHERE st.source_id = s.source_id) THEN 1 ELSE 0 END",
     "has_text"),
)  # fmt: skip
_STATEMENT_TYPES: dict[str, Any] = {
    "said_on": Date(), "published_on": Date(), "responds_to_said_on": Date(),
    "retracted_at": DateTime(timezone=True), "retracted_on": Date(),
}  # fmt: skip
STATEMENT_NAMES = tuple(name for _, name in _STATEMENT_COLUMNS)

_STATEMENT_SQL = (
    "SELECT " + ", ".join(f"{expression} AS {name}" for expression, name in _STATEMENT_COLUMNS) + """
FROM statements s
JOIN claims c ON c.id = s.claim_id
JOIN sources src ON src.id = s.source_id
LEFT JOIN entities o ON o.id = src.outlet_id
LEFT JOIN entities sp ON sp.id = s.speaker_id
LEFT JOIN entities af ON af.id = s.speaker_affiliation_id
LEFT JOIN statements ans ON ans.id = s.responds_to_id
LEFT JOIN entities asp ON asp.id = ans.speaker_id
LEFT JOIN quote_anchors qa ON qa.statement_id = s.id
WHERE {where}
"""
)


@functools.cache
def _statement_query(conditions: tuple[str, ...], expanding: tuple[str, ...]) -> TextualSelect:
    """The statements query for these SQL conditions (on alias ``s``), built once per shape:
    building a query costs more than running it for a typical claim."""
    query = _text(_STATEMENT_SQL.format(where=" AND ".join(conditions) or "1 = 1"), *expanding)
    return query.columns(*(column(name, _STATEMENT_TYPES.get(name)) for name in STATEMENT_NAMES))


def _text(sql: str, *expanding: str) -> TextClause:
    return text(sql).bindparams(*(bindparam(name, expanding=True) for name in expanding))


# A person with no part_of speaks for the organization of their first recorded role.
_UP = (
    "COALESCE(e.part_of_id, CASE WHEN e.kind = 'person' THEN (SELECT r.organization_id FROM entity_roles r"
    " WHERE r.entity_id = e.id AND r.organization_id IS NOT NULL ORDER BY r.id LIMIT 1) END)"
)
PARTY_UP_SQL = _UP  # the next entity up a party chain, for entities aliased e

_PARTY_CHAIN = f"""
party_chain(start_id, node_id, up_id, depth) AS (
  SELECT e.id, e.id, {_UP}, 0 FROM entities e {{party_where}}
  UNION ALL
  SELECT c.start_id, e.id, {_UP}, c.depth + 1 FROM party_chain c JOIN entities e ON e.id = c.up_id
  WHERE c.depth < {MAX_CHAIN}
)"""
_SOURCE_CHAIN = f"""
source_chain(start_id, node_id, up_id, depth) AS (
  SELECT s.id, s.id, s.republishes_id, 0 FROM {{source_from}}sources s {{source_where}}
  UNION ALL
  SELECT c.start_id, s.id, s.republishes_id, c.depth + 1 FROM source_chain c JOIN sources s ON s.id = c.up_id
  WHERE c.depth < {MAX_CHAIN}
)"""
# the newest version of each source's story: from the root of its republishes chain down the
# chain of ``updates_id`` (at most one later version each)
_VERSION_CHAIN = f"""
version_chain(start_id, node_id, depth) AS (
  SELECT r.start_id, r.node_id, 0 FROM source_chain r WHERE r.up_id IS NULL
  UNION ALL
  SELECT c.start_id, n.id, c.depth + 1 FROM version_chain c JOIN sources n ON n.updates_id = c.node_id
  WHERE c.depth < {MAX_CHAIN}
)"""
_PARTIES = (
    "SELECT 'party' AS part, c.start_id, t.name AS label, NULL AS extra, 0 AS position "
    "FROM party_chain c JOIN entities t ON t.id = c.node_id WHERE c.up_id IS NULL"
)
_SOURCES = (
    "SELECT 'source' AS part, c.start_id, t.key AS label, o.name AS extra, 0 AS position FROM source_chain c"
    " JOIN sources t ON t.id = c.node_id LEFT JOIN entities o ON o.id = t.outlet_id WHERE c.up_id IS NULL"
)
# A root with no later version is its own newest version: no row (most sources; the story is
# then the root, factdb.sourcing.mark_version). Subqueries rather than a join with sources:
# where few sources have a later version, SQLite's statistics (updates_id mostly NULL) make it
# expect thousands of rows from the chain and build a Bloom filter over every source (4.6 ms a
# dossier at 1M statements, against 0.03 ms).
_VERSIONS = (
    "SELECT 'version' AS part, c.start_id, (SELECT t.key FROM sources t WHERE t.id = c.node_id) AS label,"
    " NULL AS extra, c.depth AS position FROM version_chain c"
    " WHERE c.depth > 0 AND NOT EXISTS (SELECT 1 FROM sources x WHERE x.updates_id = c.node_id)"
)
_VIAS = (
    "SELECT 'via' AS part, v.statement_id, e.name AS label, NULL AS extra, v.position FROM {via_from}statement_via v"
    " JOIN entities e ON e.id = v.entity_id {via_where}"
)
# The joint speakers (revision 0025), in the same query: label is the name or the anonymous
# description, extra "<entity id>|<kind>" for a named one, "|<affiliation id>|<anonymous
# kind>|<anonymous id>" for an anonymous one (revision 0063); and an anonymous one's
# affiliation name ('jointaff', by position)
_JOINT = (
    "SELECT 'joint' AS part, j.statement_id, coalesce(e.name, j.speaker_description) AS label,"
    " CASE WHEN e.id IS NULL THEN '|' || coalesce(CAST(j.speaker_affiliation_id AS TEXT), '')"
    " || '|' || {joint_kind} || '|' || {joint_id}"
    " ELSE CAST(e.id AS TEXT) || '|' || e.kind END AS extra, j.position"
    " FROM {joint_from}statement_speakers j LEFT JOIN entities e ON e.id = j.speaker_id {joint_where}"
    "\nUNION ALL\n"
    "SELECT 'jointaff' AS part, j.statement_id, a.name AS label, NULL AS extra, j.position"
    " FROM {joint_from}statement_speakers j JOIN entities a ON a.id = j.speaker_affiliation_id {joint_where}"
)
# The other claims one utterance answers (revision 0026), in the same query
_ALSO = (
    "SELECT 'also' AS part, u.id, c.key AS label, NULL AS extra, o.id AS position FROM {also_from}statements u"
    " JOIN statements o ON o.utterance = u.utterance AND o.id <> u.id JOIN claims c ON c.id = o.claim_id"
    " WHERE u.utterance IS NOT NULL{also_where}"
)
# the parties of joint speakers and their affiliations, asked in the same query ({in_statements}:
# j.statement_id among the statement ids)
_JOINT_PARTIES = (
    " OR e.id IN (SELECT j.speaker_id FROM statement_speakers j WHERE {in_statements})"
    " OR e.id IN (SELECT j.speaker_affiliation_id FROM statement_speakers j WHERE {in_statements})"
)


def in_ids(expression: str, name: str, dialect: str) -> str:
    """SQL saying ``expression`` is one of the ids of the list parameter ``name`` (bound as
    :func:`ids_param` gives it), one parameter however many ids: an expanding ``IN :name``
    renders its SQL again at every execution (a tenth of a typical dossier's time). On
    PostgreSQL ``= ANY(:name)`` (an array), elsewhere (SQLite) ``IN (SELECT value FROM
    json_each(:name))`` (JSON text)."""
    if dialect == "postgresql":
        return f"{expression} = ANY(:{name})"
    return f"{expression} IN (SELECT value FROM json_each(:{name}))"


def id_rows(name: str, dialect: str) -> str:
    """SQL for a table of the ids of the list parameter ``name`` (bound as :func:`ids_param`
    gives it), aliased ``ids``, its column ``value``: to join (``FROM {id_rows} CROSS JOIN t
    WHERE t.id = ids.value``), cheaper than an ``IN`` that builds a temporary index of them
    at each use. The ids must be distinct."""
    if dialect == "postgresql":
        return f"unnest(CAST(:{name} AS BIGINT[])) AS ids(value)"
    return f"json_each(:{name}) AS ids"


def ids_param(ids: Iterable[int], dialect: str) -> Any:
    """The value of a list parameter of :func:`in_ids`."""
    values = [int(value) for value in ids]
    # a JSON array of integers, without json.dumps' generality (three lists per dossier)
    return values if dialect == "postgresql" else "[" + ",".join(map(str, values)) + "]"


# More ids than this and a query finds them again by the conditions that found the
# statements (or reads every row) instead of taking a long list of them.
SUBSET_LIMIT = 5000
_ID_PARAMS = {"party": "party_ids", "source": "source_ids", "via": "statement_ids", "version": "source_ids"}


def _joint_kinds(connection: Any) -> bool:
    """Whether ``statement_speakers`` has its anonymous kind and id (revision 0063): always,
    but while the revisions run, one before 0063 may call this code (``factdb.db.MIGRATING``)."""
    if not connection.info.get(MIGRATING):
        return True
    return "anonymous_kind" in {column["name"] for column in inspect(connection).get_columns("statement_speakers")}


_CONTEXT_COLUMNS: tuple[ColumnClause[Any], ...] = tuple(
    column(name) for name in ("part", "id", "label", "extra", "position")
)


@functools.cache
def _context_query(
    parts: tuple[str, ...],
    subset: bool,
    joint_kinds: bool = True,
    of: tuple[str, ...] = (),
    expanding: tuple[str, ...] = (),
    dialect: str = "sqlite",
) -> TextualSelect:
    """One query for the context of statements: their via chains (``via``), the parties of
    their speakers (``party``) and the independent-source groups of their sources
    (``source``) with the newest version of each source's story (``version``: the newest
    version of its root), as rows (part, id, label, extra, position). Built once
    per shape. Not ``subset``: with ``of`` (the SQL conditions, on statements ``s``, that
    found the statements; ``expanding`` their list parameters), the ids are those of the
    statements the conditions find, in subqueries; without, every row. ``subset``: the ids
    are list parameters (:func:`in_ids`, for ``dialect``)."""
    in_statements = in_ids("j.statement_id", "statement_ids", dialect)
    joint_parties = _JOINT_PARTIES.format(in_statements=in_statements) if "via" in parts else ""
    if not subset and of:
        found = "SELECT s.{} FROM statements s WHERE " + " AND ".join(of)
        ids = found.format("id")
        joint_parties = (
            f" OR e.id IN (SELECT j.speaker_id FROM statement_speakers j WHERE j.statement_id IN ({ids}))"
            f" OR e.id IN (SELECT j.speaker_affiliation_id FROM statement_speakers j WHERE j.statement_id IN ({ids}))"
            if "via" in parts else ""
        )  # fmt: skip
        wheres = {
            "party_where": f"WHERE e.id IN ({found.format('speaker_id')})"
            f" OR e.id IN ({found.format('speaker_affiliation_id')}){joint_parties}",
            "source_where": f"WHERE s.id IN ({found.format('source_id')})",
            "via_where": f"WHERE v.statement_id IN ({ids})",
            "joint_where": f"WHERE j.statement_id IN ({ids})",
            "also_where": f" AND u.id IN ({ids})",
        }
    elif subset:  # the ids joined from their lists
        sources, statements = id_rows("source_ids", dialect), id_rows("statement_ids", dialect)
        wheres = {
            "party_where": f"WHERE {in_ids('e.id', 'party_ids', dialect)}{joint_parties}",
            "source_from": f"{sources} CROSS JOIN ", "source_where": "WHERE s.id = ids.value",
            "via_from": f"{statements} CROSS JOIN ", "via_where": "WHERE v.statement_id = ids.value",
            "joint_from": f"{statements} CROSS JOIN ", "joint_where": "WHERE j.statement_id = ids.value",
            "also_from": f"{statements} CROSS JOIN ", "also_where": " AND u.id = ids.value",
        }
    else:
        wheres = dict.fromkeys(("party_where", "source_where", "via_where", "joint_where", "also_where"), "")
    for part in ("source", "via", "joint", "also"):
        wheres.setdefault(f"{part}_from", "")
    wheres["joint_kind"] = "coalesce(j.anonymous_kind, '')" if joint_kinds else "''"
    wheres["joint_id"] = "coalesce(j.anonymous_id, '')" if joint_kinds else "''"
    with_versions = parts + (("version",) if "source" in parts else ())
    chains = [
        c for name, c in (("party", _PARTY_CHAIN), ("source", _SOURCE_CHAIN), ("version", _VERSION_CHAIN))
        if name in with_versions
    ]  # fmt: skip
    # the statements' via chains and joint speakers come together ("via")
    selects = [
        q for name, q in (("party", _PARTIES), ("source", _SOURCES), ("version", _VERSIONS), ("via", _VIAS),
                          ("via", _JOINT), ("via", _ALSO))
        if name in with_versions
    ]  # fmt: skip
    sql = ("WITH RECURSIVE " + ",".join(chains) + "\n" if chains else "") + "\nUNION ALL\n".join(selects)
    sql = sql.format(**wheres)
    query = _text(sql, *expanding) if not subset else text(sql)
    return query.columns(*_CONTEXT_COLUMNS)  # by position: its result metadata is cached with it


def load_context(
    session: Session,
    *,
    party_ids: Iterable[int] | None = (),
    source_ids: Iterable[int] | None = (),
    statement_ids: Iterable[int] | None = (),
    of: tuple[tuple[str, ...], dict[str, Any]] | None = None,
) -> tuple[
    dict[int, str], dict[int, dict[str, Any]], dict[int, list[str]], dict[int, list[dict[str, Any]]],
    dict[int, list[str]],
]:
    """(party name by entity id, independent-source group by source id, via names by
    statement id, joint speakers by statement id) in one query. ``None`` for an argument
    means every row. A source's group also says the newest version of its root (``newest``, a
    key: the story, :func:`factdb.sourcing.mark_version`). A joint speaker is
    ``{"speaker_id", "name", "kind", "speaker_affiliation_id"}`` (the name is the description
    of an anonymous one); the parties of the joint speakers of ``statement_ids`` come too;
    and the keys of the other claims each statement's utterance answers, by statement id.

    More ids than :data:`SUBSET_LIMIT` in a list: with ``of``
    (the conditions and parameters that found the statements, as :func:`load_statements`
    passes them) the query finds them again in subqueries, else it reads every row (a claim of
    9,000 statements read the context of the whole database: 2.6 s at 1M statements).
    """
    wanted = {"party": party_ids, "source": source_ids, "via": statement_ids}
    ids: dict[str, list[int] | None] = {
        name: None if values is None else sorted(set(values)) for name, values in wanted.items()
    }
    parts = tuple(name for name in ("party", "source", "via") if ids[name] is None or ids[name])
    subset = all((found := ids[name]) is not None and len(found) <= SUBSET_LIMIT for name in parts)
    parties: dict[int, str] = {}
    groups: dict[int, dict[str, Any]] = {}
    via: dict[int, list[str]] = {}
    joint: dict[int, list[dict[str, Any]]] = {}
    also: dict[int, list[str]] = {}
    if not parts:
        return parties, groups, via, joint, also
    connection = session.connection()
    dialect = connection.dialect.name
    params = {_ID_PARAMS[name]: ids_param(ids[name] or (), dialect) for name in parts} if subset else {}
    query = _context_query(parts, subset, _joint_kinds(connection), dialect=dialect)
    if not subset and of is not None:  # too many ids for a list: found again by their conditions
        conditions, params = of
        expanding = tuple(sorted(name for name, value in params.items() if isinstance(value, (list, tuple))))
        query = _context_query(parts, subset, _joint_kinds(connection), conditions, expanding)
    rows = list(connection.execute(query, params).all())
    rows.sort(key=lambda row: (row[0], row[1], row[4] or 0))  # via names in chain order
    for part, row_id, label, extra, position in rows:
        if part == "party":
            parties[row_id] = label
        elif part == "source":
            groups.setdefault(row_id, {}).update({"key": label, "outlet": extra})
        elif part == "version":
            groups.setdefault(row_id, {})["newest"] = label
        elif part == "also":
            also.setdefault(row_id, []).append(label)
        elif part == "joint":
            entity_id, _, rest = extra.partition("|")
            named = bool(entity_id)
            affiliation_id, anonymous_kind, anonymous_id = ("", "", "") if named else rest.split("|", 2)
            joint.setdefault(row_id, []).append({
                "speaker_id": int(entity_id) if named else None,
                "name": label,
                "kind": rest if named else anonymous_kind or None,
                "speaker_affiliation_id": int(affiliation_id) if affiliation_id else None,
                "affiliation": None,
                "anonymous_id": anonymous_id or None,
                "position": position,
            })
        elif part == "jointaff":
            for speaker in joint.get(row_id, []):
                if speaker["position"] == position:
                    speaker["affiliation"] = label
        else:
            via.setdefault(row_id, []).append(label)
    return parties, groups, via, joint, also


def load_statements(
    session: Session,
    conditions: Iterable[str] = (),
    params: dict[str, Any] | None = None,
    *,
    include_retracted: bool = False,
    collapse: bool = True,
    include_earlier_versions: bool = False,
) -> list[dict[str, Any]]:
    """Every statement matching the SQL ``conditions`` (on the statements alias ``s``, with
    ``params``; list values are expanded for ``IN :name``) with its speaker, source, outlet,
    via chain, party, independent story (``group_key``, ``group_outlet``) and quote status,
    as plain dicts in date order; copies of one statement in one story folded into one row
    (:func:`factdb.sourcing.collapse_copies`) unless ``collapse`` is false. A statement only
    an earlier version of a source made (``in_earlier_version``) is left out, as it does not
    count, unless ``include_earlier_versions``.

    Two queries, whatever the number of rows: the statements, then their context.

    >>> load_statements(session, ["s.claim_id = :claim_id"], {"claim_id": 3})  # doctest: +SKIP
    """
    params = dict(params or {})
    conditions = tuple(conditions) + (() if include_retracted else ("s.retracted_at IS NULL",))
    expanding = tuple(sorted(name for name, value in params.items() if isinstance(value, (list, tuple))))
    connection = session.connection()
    found = connection.execute(_statement_query(conditions, expanding), params)
    rows = [dict(zip(STATEMENT_NAMES, row, strict=True)) for row in found.all()]  # Row._asdict costs twice as much

    people = {row["speaker_id"] for row in rows if row["speaker_id"] is not None}
    people |= {row["speaker_affiliation_id"] for row in rows if row["speaker_affiliation_id"] is not None}
    # Always ask for all three parts, even for no rows: the number of queries never varies.
    parties, groups, via_names, joint, also = load_context(
        session,
        party_ids=people or [0],
        source_ids={row["source_id"] for row in rows} or [0],
        statement_ids=[row["id"] for row in rows] or [0],
        of=(conditions, params),
    )

    for row in rows:
        party_of = row["speaker_id"] if row["speaker_id"] is not None else row["speaker_affiliation_id"]
        fallback = row["speaker"] if row["speaker_id"] is not None else row["affiliation"]
        # a republishes cycle has no root: the source then stands alone
        group = groups.get(row["source_id"], {})
        if "key" not in group:
            group = {**group, "key": row["source_key"], "outlet": row["outlet"]}
        row["via"] = via_names.get(row["id"], [])
        row["also_answers"] = also.get(row["id"], [])
        row["party"] = parties.get(party_of, fallback) if party_of is not None else None
        row["speakers"] = [_first_speaker(row)] + [
            _joint_speaker(j, parties, row["source_id"]) for j in joint.get(row["id"], [])
        ]
        row["side"] = side_of(row["stance"])
        row["anonymous"] = row["speaker_id"] is None
        row["group_key"] = group["key"]
        row["group_outlet"] = group["outlet"]
        mark_version(row, group["key"], group.get("newest"))
        row["quote_status"] = quote_status(row["quote"], row["quote_kind"], row["anchor_status"], bool(row["has_text"]))
    rows.sort(key=lambda r: date_sort_key(r["said_on"], r["published_on"], r["id"]))
    if collapse:
        rows = collapse_copies(rows)
        rows.sort(key=lambda r: date_sort_key(r["said_on"], r["published_on"], r["id"]))
        if not include_earlier_versions:
            rows = [r for r in rows if not r.get("in_earlier_version")]
    return rows


def _first_speaker(row: dict[str, Any]) -> dict[str, Any]:
    anonymous = row["speaker_id"] is None
    return {
        "speaker_id": row["speaker_id"], "name": speaker_label(row),
        "kind": row.get("anonymous_kind") if anonymous else row["speaker_kind"],
        "anonymous": anonymous, "speaker_affiliation_id": row["speaker_affiliation_id"],
        "affiliation": row.get("affiliation"),
        "party": row["party"], "anonymous_id": row.get("anonymous_id"), "source_id": row.get("source_id"),
    }


def _joint_speaker(joint: dict[str, Any], parties: dict[int, str], source_id: int | None) -> dict[str, Any]:
    """A joint speaker as :func:`_first_speaker` gives the first: its anonymous id is one
    speaker within the statement's source (revision 0063)."""
    party_of = joint["speaker_id"] if joint["speaker_id"] is not None else joint["speaker_affiliation_id"]
    return {**joint, "anonymous": joint["speaker_id"] is None, "source_id": source_id,
            "party": parties.get(party_of) if party_of is not None else None}


def load_parties(session: Session, entity_ids: Iterable[int] | None) -> dict[int, str]:
    """The party name of each entity (see the module docstring); one recursive query.

    ``entity_ids`` None means every entity.
    """
    return load_context(session, party_ids=entity_ids)[0]


def speaker_label(row: dict[str, Any]) -> str:
    """The speaker as a reader sees it: the entity's name, or the anonymous description
    (unspecified reports as ``(unattributed reports: media reports)``, never as a speaker); with
    joint speakers (a loaded row's ``speakers``) all of them, "CNN and Clemson Media Forensics Hub"."""
    first = row["speaker"] if row["speaker_id"] is not None else row["speaker_description"]
    if row["speaker_id"] is None and row.get("anonymous_kind") == "reports":
        first = unattributed(first)
    speakers = row.get("speakers") or []
    if len(speakers) <= 1:
        return first
    return records.joined_names([first] + [
        unattributed(joint["name"]) if joint["anonymous"] and joint["kind"] == "reports" else joint["name"]
        for joint in speakers[1:]
    ])


def statement_record(row: dict[str, Any], *, with_claim: bool = False) -> dict[str, Any]:
    """The one JSON shape of a statement (:func:`factdb.records.statement_record`)."""
    return records.statement_record(row, with_claim=with_claim)


def rating_record(verdict: dict[str, Any]) -> dict[str, Any]:
    """A verdict (:func:`factdb.verdicts.verdict_records`) as every report lists it: reviewer,
    rating, its scale (worst..best, when the review gives one), date, link, what it rates."""
    return {
        "reviewer": verdict["reviewer"]["name"],
        "rating": verdict["rating"],
        "rating_value": verdict["rating_value"],
        "worst_rating": verdict["worst_rating"],
        "best_rating": verdict["best_rating"],
        "normalized_rating": verdict["normalized_rating"],
        "reviewed_on": verdict["reviewed_on"],
        "url": verdict["url"],
        "rates": verdict["rates"],
        "statement": verdict["statement"]["key"] if verdict["statement"] else None,
    }


def party_groups(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Speakers grouped by party with statement counts, the biggest party first: a party's
    ``statements`` counts each statement once (joint speakers of one party are one statement
    of it), each speaker's its own.

    ``[{"party": "United States", "statements": 3, "speakers": [{"speaker": "Leon Panetta",
    "anonymous": false, "statements": 2}, ...]}]``; an anonymous speaker without affiliation
    falls in the party ``null``.
    """
    parties: dict[str | None, dict[tuple[str, bool], int]] = {}
    statements: dict[str | None, int] = {}  # each statement once per party, however many of its speakers
    named_as: dict[tuple, tuple[str, bool]] = {}  # one anonymous id: the first description read
    for row in rows:
        speakers_of = speaker_parties(row)
        for who_party in dict.fromkeys(p for p, _, _ in speakers_of):
            statements[who_party] = statements.get(who_party, 0) + 1
        for who_party, who, same in speakers_of:
            if same is not None:
                who = named_as.setdefault(same, who)
            speakers = parties.setdefault(who_party, {})
            speakers[who] = speakers.get(who, 0) + 1
    groups: list[dict[str, Any]] = []
    for party, speakers in parties.items():
        members = [
            {"speaker": name, "anonymous": anonymous, "statements": count}
            for (name, anonymous), count in sorted(speakers.items(), key=lambda item: (-item[1], item[0][0]))
        ]
        groups.append({"party": party, "statements": statements[party], "speakers": members})
    groups.sort(key=lambda g: (-g["statements"], g["party"] is None, g["party"] or ""))
    return groups


def speaker_parties(row: dict[str, Any]) -> list[tuple[str | None, tuple[str, bool], tuple | None]]:
    """Each speaker of a loaded statement row, joint speakers too: (party, (name, anonymous),
    the (source, anonymous id) that makes several descriptions one speaker, or None)."""
    speakers = row.get("speakers") or [_first_speaker(row)]
    return [
        (speaker["party"], (speaker["name"], speaker["anonymous"]),
         (speaker["source_id"], speaker["anonymous_id"]) if speaker.get("anonymous_id") is not None else None)
        for speaker in speakers
        if speaker["kind"] != "reports" or not speaker["anonymous"]  # unspecified reports are nobody
    ]


def voices(rows: list[dict[str, Any]]) -> tuple[int, int]:
    """(distinct named speakers, distinct anonymous speakers), joint speakers too; an
    anonymous speaker is its description and affiliation together."""
    named: set[int] = set()
    anonymous: set[tuple[str, int | None]] = set()  # (description, affiliation) or (source#id, None)
    for row in rows:
        for speaker in row.get("speakers") or [_first_speaker(row)]:
            if speaker["anonymous"] and speaker["kind"] == "reports":
                continue  # unspecified reports are nobody (revision 0027)
            if speaker["anonymous"] and speaker.get("anonymous_id") is not None:  # one speaker in its source
                anonymous.add((f"#{speaker['source_id']}#{speaker['anonymous_id']}", None))
            elif speaker["anonymous"]:
                anonymous.add((speaker["name"], speaker["speaker_affiliation_id"]))
            else:
                named.add(speaker["speaker_id"])
    return len(named), len(anonymous)
