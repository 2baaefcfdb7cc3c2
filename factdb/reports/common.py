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

Independent sources: two sources are one piece of evidence when one republishes the other,
directly or through a chain, or when both republish the same story. Every source belongs to
the group of the root of its ``republishes`` chain (the original it ultimately copies, or
itself); ``independent_sources`` counts distinct roots.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from factdb.dates import format_partial_date
from factdb.vocab import SUPPORTING_STANCES

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = [
    "MAX_CHAIN",
    "side_of",
    "iso_date",
    "iso_datetime",
    "load_statements",
    "load_parties",
    "load_source_groups",
    "date_sort_key",
]

# Longest part_of / republishes chain followed; it also stops a cycle from looping forever.
MAX_CHAIN = 32


def side_of(stance: str) -> str:
    """``support`` (asserts, acknowledges) or ``oppose`` (denies, disputes, retracts)."""
    return "support" if stance in SUPPORTING_STANCES else "oppose"


def iso_date(value: dt.date | None, precision: str | None) -> str | None:
    """A partial date as ISO text as short as its precision (``2011``, ``2011-07``)."""
    return format_partial_date(value, precision)


def iso_datetime(value: dt.datetime | None) -> str | None:
    """A timestamp as ISO text in UTC; SQLite gives naive UTC, PostgreSQL aware values."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value.replace(microsecond=0).isoformat() + "Z"


def date_sort_key(said_on: dt.date | None, published_on: dt.date | None, statement_id: int) -> tuple:
    """Date order: by the statement's date, else its source's date; undated last."""
    when = said_on or published_on
    return (when is None, when or dt.date.min, statement_id)


_STATEMENT_SQL = """
SELECT s.id, s.key, s.claim_id, c.key AS claim_key, c.text AS claim_text,
       s.speaker_id, sp.name AS speaker, s.speaker_description, s.speaker_affiliation_id,
       af.name AS affiliation, s.speaker_title, s.stance, s.certainty, s.hedge, s.verb,
       s.quote, s.quote_kind, s.said_on, s.said_on_precision, s.source_id,
       src.key AS source_key, src.title AS source_title, src.url AS source_url,
       src.published_on, src.published_on_precision, o.id AS outlet_id, o.name AS outlet,
       ans.key AS responds_to, s.note, s.retracted_at, s.retraction_reason
FROM statements s
JOIN claims c ON c.id = s.claim_id
JOIN sources src ON src.id = s.source_id
JOIN entities o ON o.id = src.outlet_id
LEFT JOIN entities sp ON sp.id = s.speaker_id
LEFT JOIN entities af ON af.id = s.speaker_affiliation_id
LEFT JOIN statements ans ON ans.id = s.responds_to_id
WHERE {where}
"""


@functools.cache
def _statement_query(conditions: tuple[str, ...], expanding: tuple[str, ...]):  # noqa: ANN202
    """The statements query for these SQL conditions (on alias ``s``), built once per shape:
    building a query costs more than running it for a typical claim."""
    from sqlalchemy import Date, DateTime

    query = _text(_STATEMENT_SQL.format(where=" AND ".join(conditions) or "1 = 1"), *expanding)
    return query.columns(said_on=Date(), published_on=Date(), retracted_at=DateTime(timezone=True))


def _text(sql: str, *expanding: str):  # noqa: ANN202
    from sqlalchemy import bindparam, text

    return text(sql).bindparams(*(bindparam(name, expanding=True) for name in expanding))


_VIA_SQL = """
SELECT v.statement_id, e.name FROM statement_via v JOIN entities e ON e.id = v.entity_id
WHERE v.statement_id IN :ids ORDER BY v.statement_id, v.position
"""

# A person with no part_of speaks for the organization of their first recorded role.
_UP = (
    "COALESCE(e.part_of_id, CASE WHEN e.kind = 'person' THEN (SELECT r.organization_id FROM entity_roles r"
    " WHERE r.entity_id = e.id AND r.organization_id IS NOT NULL ORDER BY r.id LIMIT 1) END)"
)
_PARTY_SQL = f"""
WITH RECURSIVE chain(start_id, node_id, up_id, depth) AS (
  SELECT e.id, e.id, {_UP}, 0 FROM entities e {{where}}
  UNION ALL
  SELECT c.start_id, e.id, {_UP}, c.depth + 1 FROM chain c JOIN entities e ON e.id = c.up_id
  WHERE c.depth < {MAX_CHAIN}
)
SELECT c.start_id, t.name FROM chain c JOIN entities t ON t.id = c.node_id WHERE c.up_id IS NULL
"""
_SOURCE_SQL = f"""
WITH RECURSIVE chain(start_id, node_id, up_id, depth) AS (
  SELECT s.id, s.id, s.republishes_id, 0 FROM sources s {{where}}
  UNION ALL
  SELECT c.start_id, s.id, s.republishes_id, c.depth + 1 FROM chain c JOIN sources s ON s.id = c.up_id
  WHERE c.depth < {MAX_CHAIN}
)
SELECT c.start_id, t.key, o.name FROM chain c JOIN sources t ON t.id = c.node_id
JOIN entities o ON o.id = t.outlet_id WHERE c.up_id IS NULL
"""


@functools.cache
def _query(name: str, subset: bool):  # noqa: ANN202
    """The via, party and source-group queries, built once: ``subset`` restricts the start
    rows to ``:ids``, else every row (the whole-database reports)."""
    if name == "via":
        return _text(_VIA_SQL, "ids")
    template = {"party": _PARTY_SQL, "source": _SOURCE_SQL}[name]
    alias = "e" if name == "party" else "s"
    if subset:
        return _text(template.format(where=f"WHERE {alias}.id IN :ids"), "ids")
    return _text(template.format(where=""))


def load_statements(
    session: Session,
    conditions: Iterable[str] = (),
    params: dict[str, Any] | None = None,
    *,
    include_retracted: bool = False,
) -> list[dict[str, Any]]:
    """Every statement matching the SQL ``conditions`` (on the statements alias ``s``, with
    ``params``; list values are expanded for ``IN :name``) with its speaker, source, outlet,
    via chain, party and independent-source group, as plain dicts in date order.

    Four queries, whatever the number of rows.

    >>> load_statements(session, ["s.claim_id = :claim_id"], {"claim_id": 3})  # doctest: +SKIP
    """
    params = dict(params or {})
    conditions = tuple(conditions) + (() if include_retracted else ("s.retracted_at IS NULL",))
    expanding = tuple(sorted(name for name, value in params.items() if isinstance(value, (list, tuple))))
    connection = session.connection()
    rows = [row._asdict() for row in connection.execute(_statement_query(conditions, expanding), params)]

    via_names: dict[int, list[str]] = {}
    for statement_id, name in connection.execute(_query("via", True), {"ids": [row["id"] for row in rows]}):
        via_names.setdefault(statement_id, []).append(name)

    people = {row["speaker_id"] for row in rows if row["speaker_id"] is not None}
    people |= {row["speaker_affiliation_id"] for row in rows if row["speaker_affiliation_id"] is not None}
    parties = load_parties(session, people)
    groups = load_source_groups(session, {row["source_id"] for row in rows})

    for row in rows:
        party_of = row["speaker_id"] if row["speaker_id"] is not None else row["speaker_affiliation_id"]
        fallback = row["speaker"] if row["speaker_id"] is not None else row["affiliation"]
        # a republishes cycle has no root: the source then stands alone
        group = groups.get(row["source_id"]) or {"key": row["source_key"], "outlet": row["outlet"]}
        row["via"] = via_names.get(row["id"], [])
        row["party"] = parties.get(party_of, fallback) if party_of is not None else None
        row["side"] = side_of(row["stance"])
        row["anonymous"] = row["speaker_id"] is None
        row["group_key"] = group["key"]
        row["group_outlet"] = group["outlet"]
    rows.sort(key=lambda r: date_sort_key(r["said_on"], r["published_on"], r["id"]))
    return rows


def load_parties(session: Session, entity_ids: Iterable[int] | None) -> dict[int, str]:
    """The party name of each entity (see the module docstring); one recursive query.

    ``entity_ids`` None means every entity (the whole-database reports).
    """
    if entity_ids is None:
        return {entity_id: name for entity_id, name in session.connection().execute(_query("party", False))}
    result = session.connection().execute(_query("party", True), {"ids": sorted(set(entity_ids))})
    return {entity_id: name for entity_id, name in result}


def load_source_groups(session: Session, source_ids: Iterable[int] | None) -> dict[int, dict[str, Any]]:
    """Each source's independent-source group: the root of its ``republishes`` chain, as
    ``{"key": root source key, "outlet": root outlet name}``; one recursive query."""
    if source_ids is None:
        result = session.connection().execute(_query("source", False))
    else:
        result = session.connection().execute(_query("source", True), {"ids": sorted(set(source_ids))})
    return {source_id: {"key": key, "outlet": outlet} for source_id, key, outlet in result}


def speaker_label(row: dict[str, Any]) -> str:
    """The speaker as a reader sees it: the entity's name, or the anonymous description."""
    return row["speaker"] if row["speaker_id"] is not None else row["speaker_description"]


def statement_record(row: dict[str, Any], *, with_claim: bool = False) -> dict[str, Any]:
    """The stable JSON shape of one statement in a report (documented in the README)."""
    record: dict[str, Any] = {}
    if with_claim:
        record["claim"] = row["claim_key"]
    record.update(
        {
            "key": row["key"],
            "said_on": iso_date(row["said_on"], row["said_on_precision"]),
            "said_on_precision": row["said_on_precision"],
            "speaker": row["speaker"],
            "speaker_description": row["speaker_description"],
            "speaker_affiliation": row["affiliation"],
            "anonymous": row["anonymous"],
            "speaker_title": row["speaker_title"],
            "party": row["party"],
            "stance": row["stance"],
            "side": row["side"],
            "certainty": row["certainty"],
            "hedge": row["hedge"],
            "verb": row["verb"],
            "quote": row["quote"],
            "quote_kind": row["quote_kind"],
            "via": row["via"],
            "source": {
                "key": row["source_key"],
                "outlet": row["outlet"],
                "title": row["source_title"],
                "url": row["source_url"],
                "published_on": iso_date(row["published_on"], row["published_on_precision"]),
                "published_on_precision": row["published_on_precision"],
                "independent_group": row["group_key"],
            },
            "responds_to": row["responds_to"],
            "note": row["note"],
            "retracted": (
                None
                if row["retracted_at"] is None
                else {"at": iso_datetime(row["retracted_at"]), "reason": row["retraction_reason"]}
            ),
        }
    )
    return record


def party_groups(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Speakers grouped by party with statement counts, the biggest party first.

    ``[{"party": "United States", "statements": 3, "speakers": [{"speaker": "Leon Panetta",
    "anonymous": false, "statements": 2}, ...]}]``; an anonymous speaker without affiliation
    falls in the party ``null``.
    """
    parties: dict[str | None, dict[tuple[str, bool], int]] = {}
    for row in rows:
        speakers = parties.setdefault(row["party"], {})
        who = (speaker_label(row), row["anonymous"])
        speakers[who] = speakers.get(who, 0) + 1
    groups = []
    for party, speakers in parties.items():
        members = [
            {"speaker": name, "anonymous": anonymous, "statements": count}
            for (name, anonymous), count in sorted(speakers.items(), key=lambda item: (-item[1], item[0][0]))
        ]
        groups.append({"party": party, "statements": sum(speakers.values()), "speakers": members})
    groups.sort(key=lambda g: (-g["statements"], g["party"] is None, g["party"] or ""))
    return groups


def voices(rows: list[dict[str, Any]]) -> tuple[int, int]:
    """(distinct named speakers, distinct anonymous speakers); an anonymous speaker is its
    description and affiliation together."""
    named = {row["speaker_id"] for row in rows if not row["anonymous"]}
    anonymous = {(row["speaker_description"], row["speaker_affiliation_id"]) for row in rows if row["anonymous"]}
    return len(named), len(anonymous)
