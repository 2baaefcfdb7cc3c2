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
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from factdb.dates import format_partial_date
from factdb.vocab import SUPPORTING_STANCES

if TYPE_CHECKING:
    from sqlalchemy.orm import Session
    from sqlalchemy.sql import ColumnElement

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


def load_statements(
    session: Session, where: ColumnElement[bool], *, include_retracted: bool = False
) -> list[dict[str, Any]]:
    """Every statement matching ``where`` with its speaker, source, outlet, via chain, party and
    independent-source group, as plain dicts. Four queries, whatever the number of rows.
    """
    from sqlalchemy import select
    from sqlalchemy.orm import aliased

    from factdb.models import Claim, Entity, Source, Statement, StatementVia

    speaker = aliased(Entity, name="speaker")
    affiliation = aliased(Entity, name="affiliation")
    outlet = aliased(Entity, name="outlet")
    answered = aliased(Statement, name="answered")
    query = (
        select(
            Statement.id,
            Statement.key,
            Statement.claim_id,
            Claim.key.label("claim_key"),
            Claim.text.label("claim_text"),
            Statement.speaker_id,
            speaker.name.label("speaker"),
            speaker.kind.label("speaker_kind"),
            Statement.speaker_description,
            Statement.speaker_affiliation_id,
            affiliation.name.label("affiliation"),
            Statement.speaker_title,
            Statement.stance,
            Statement.certainty,
            Statement.hedge,
            Statement.verb,
            Statement.quote,
            Statement.quote_kind,
            Statement.said_on,
            Statement.said_on_precision,
            Statement.source_id,
            Source.key.label("source_key"),
            Source.title.label("source_title"),
            Source.url.label("source_url"),
            Source.published_on,
            Source.published_on_precision,
            outlet.id.label("outlet_id"),
            outlet.name.label("outlet"),
            answered.key.label("responds_to"),
            Statement.note,
            Statement.retracted_at,
            Statement.retraction_reason,
        )
        .join(Claim, Claim.id == Statement.claim_id)
        .join(Source, Source.id == Statement.source_id)
        .join(outlet, outlet.id == Source.outlet_id)
        .outerjoin(speaker, speaker.id == Statement.speaker_id)
        .outerjoin(affiliation, affiliation.id == Statement.speaker_affiliation_id)
        .outerjoin(answered, answered.id == Statement.responds_to_id)
        .where(where)
    )
    if not include_retracted:
        query = query.where(Statement.retracted_at.is_(None))
    rows = [row._asdict() for row in session.execute(query)]
    ids = [row["id"] for row in rows]

    via_names: dict[int, list[str]] = {}
    via_query = (
        select(StatementVia.statement_id, Entity.name)
        .join(Entity, Entity.id == StatementVia.entity_id)
        .where(StatementVia.statement_id.in_(ids))
        .order_by(StatementVia.statement_id, StatementVia.position)
    )
    for statement_id, name in session.execute(via_query):
        via_names.setdefault(statement_id, []).append(name)

    people = {row["speaker_id"] for row in rows if row["speaker_id"] is not None}
    people |= {row["speaker_affiliation_id"] for row in rows if row["speaker_affiliation_id"] is not None}
    parties = load_parties(session, people)
    groups = load_source_groups(session, {row["source_id"] for row in rows})

    statements = []
    for row in rows:
        party_of = row["speaker_id"] if row["speaker_id"] is not None else row["speaker_affiliation_id"]
        # a republishes cycle has no root: the source then stands alone
        group = groups.get(row["source_id"]) or {"key": row["source_key"], "outlet": row["outlet"]}
        row["via"] = via_names.get(row["id"], [])
        fallback = row["speaker"] if row["speaker_id"] is not None else row["affiliation"]
        row["party"] = parties.get(party_of, fallback) if party_of is not None else None
        row["side"] = side_of(row["stance"])
        row["anonymous"] = row["speaker_id"] is None
        row["group_key"] = group["key"]
        row["group_outlet"] = group["outlet"]
        statements.append(row)
    statements.sort(key=lambda r: date_sort_key(r["said_on"], r["published_on"], r["id"]))
    return statements


def load_parties(session: Session, entity_ids: Iterable[int] | None) -> dict[int, str]:
    """The party name of each entity (see the module docstring); two queries.

    ``entity_ids`` None means every entity (the whole-database reports).
    """
    from sqlalchemy import select

    from factdb.models import Entity, EntityRole

    wanted = None if entity_ids is None else sorted(set(entity_ids))
    role_query = (
        select(EntityRole.entity_id, EntityRole.organization_id)
        .where(EntityRole.organization_id.is_not(None))
        .order_by(EntityRole.entity_id, EntityRole.id)
    )
    if wanted is not None:
        role_query = role_query.where(EntityRole.entity_id.in_(wanted))
    role_org: dict[int, int] = {}
    for entity_id, organization_id in session.execute(role_query):
        role_org.setdefault(entity_id, organization_id)

    starts = None if wanted is None else sorted(set(wanted) | set(role_org.values()))
    tops = _chain_tops(session, Entity.__table__, "part_of_id", starts)
    parties: dict[int, str] = {}
    for entity_id, (top_id, top_name, kind, depth) in tops.items():
        if wanted is not None and entity_id not in wanted:
            continue
        if depth == 0 and kind == "person" and entity_id in role_org and role_org[entity_id] in tops:
            # a person who is part of nothing speaks for the organization of their role
            parties[entity_id] = tops[role_org[entity_id]][1]
        else:
            parties[entity_id] = top_name
    return parties


def load_source_groups(session: Session, source_ids: Iterable[int] | None) -> dict[int, dict[str, Any]]:
    """Each source's independent-source group: the root of its ``republishes`` chain, as
    ``{"key": root source key, "outlet": root outlet name}``; one query."""
    from factdb.models import Source

    starts = None if source_ids is None else sorted(set(source_ids))
    roots = _chain_tops(session, Source.__table__, "republishes_id", starts)
    return {source_id: {"key": key, "outlet": outlet} for source_id, (_id, key, outlet, _depth) in roots.items()}


def _chain_tops(session: Session, table: Any, up_column: str, starts: list[int] | None) -> dict[int, tuple]:
    """For each start row: (top id, top label, extra, depth) following ``up_column`` to its end.

    Entities give (top id, top name, start kind, depth); sources give (root id, root key, root
    outlet name, depth). One recursive query on both backends.
    """
    from sqlalchemy import literal, select

    from factdb.models import Entity, Source

    up = table.c[up_column]
    base = select(
        table.c.id.label("start_id"),
        table.c.id.label("node_id"),
        up.label("up_id"),
        literal(0).label("depth"),
    )
    if starts is not None:
        base = base.where(table.c.id.in_(starts))
    chain = base.cte("chain", recursive=True)
    step = (
        select(chain.c.start_id, table.c.id, up, chain.c.depth + 1)
        .select_from(chain)
        .join(table, table.c.id == chain.c.up_id)
        .where(chain.c.depth < MAX_CHAIN)
    )
    chain = chain.union_all(step)
    top = table.alias("top")
    start = table.alias("start")
    if table is Entity.__table__:
        label, extra = top.c.name, start.c.kind
        query = select(chain.c.start_id, chain.c.node_id, label, extra, chain.c.depth)
    else:
        outlets = Entity.__table__.alias("root_outlet")
        label, extra = top.c.key, outlets.c.name
        query = select(chain.c.start_id, chain.c.node_id, label, extra, chain.c.depth).join(
            outlets, outlets.c.id == top.c.outlet_id
        )
        assert table is Source.__table__
    query = (
        query.select_from(chain)
        .join(top, top.c.id == chain.c.node_id)
        .join(start, start.c.id == chain.c.start_id)
        .where(chain.c.up_id.is_(None))
    )
    found: dict[int, tuple] = {}
    for start_id, node_id, name, extra_value, depth in session.execute(query):
        found[start_id] = (node_id, name, extra_value, depth)
    return found


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
