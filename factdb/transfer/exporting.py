"""Rows as bundle records: the exporter, and the importer's view of what is already stored.

One function per kind turns stored rows into the canonical record the exporter writes (fields
in :data:`factdb.transfer.records.FIELDS` order, empty fields left out, entities by primary name,
sources, claims and statements by key). The importer compares an incoming record with the same
form, so "unchanged" means "would export identically".
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, aliased

from factdb.dates import format_partial_date
from factdb.models import (
    Claim,
    ClaimLink,
    ClaimTag,
    Entity,
    EntityName,
    EntityRole,
    Source,
    Statement,
    StatementVia,
    Verdict,
)
from factdb.resolver import resolve_claim
from factdb.transfer.schema import FIELDS, format_datetime

__all__ = ["Names", "export_bundle", "entity_records", "source_records", "claim_records",
           "statement_records", "verdict_records"]

CHUNK = 2000


@dataclass
class Names:
    """Natural keys of stored rows by id: what a record writes instead of a row id."""

    entity_name: dict[int, str] = field(default_factory=dict)
    source_key: dict[int, str] = field(default_factory=dict)
    claim_key: dict[int, str] = field(default_factory=dict)

    @classmethod
    def load(cls, conn: Connection) -> Names:
        return cls(
            dict(conn.execute(select(Entity.id, Entity.name)).all()),
            dict(conn.execute(select(Source.id, Source.key)).all()),
            dict(conn.execute(select(Claim.id, Claim.key)).all()),
        )


def _by(conn: Connection, column: Any) -> Any:
    """Byte order on every backend (PostgreSQL's locale collation ignores punctuation), so an
    export is the same document whichever database it comes from."""
    return column.collate("C") if conn.dialect.name == "postgresql" else column


def _ordered(kind: str, values: dict[str, Any]) -> dict[str, Any]:
    return {name: values[name] for name in FIELDS[kind] if values.get(name) not in (None, [], "")}


def _chunks(result: Any, size: int = CHUNK) -> Iterator[list[Any]]:
    while True:
        rows = result.fetchmany(size)
        if not rows:
            return
        yield rows


def _grouped(conn: Connection, query: Any, ids: list[int]) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = {}
    for row in conn.execute(query, {"ids": ids}):
        grouped.setdefault(row[0], []).append(row)
    return grouped


def entity_records(conn: Connection, names: Names, where: Any = None) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(id, record)`` of entities, by name."""
    query = select(Entity.id, Entity.name, Entity.kind, Entity.part_of_id, Entity.note).order_by(_by(conn, Entity.name))
    if where is not None:
        query = query.where(where)
    aliases_of = (
        select(EntityName.entity_id, EntityName.name)
        .where(EntityName.entity_id.in_(bindparam("ids", expanding=True)), EntityName.is_primary.is_(False))
        .order_by(EntityName.entity_id, EntityName.id)
    )
    roles_of = (
        select(EntityRole.entity_id, EntityRole.title, EntityRole.organization_id, EntityRole.started_on,
               EntityRole.started_on_precision, EntityRole.ended_on, EntityRole.ended_on_precision, EntityRole.note)
        .where(EntityRole.entity_id.in_(bindparam("ids", expanding=True)))
        .order_by(EntityRole.entity_id, EntityRole.id)
    )
    for rows in _chunks(conn.execute(query)):
        ids = [row.id for row in rows]
        aliases = _grouped(conn, aliases_of, ids)
        roles = _grouped(conn, roles_of, ids)
        for row in rows:
            yield row.id, _ordered("entity", {
                "name": row.name,
                "kind": row.kind,
                "aliases": [alias.name for alias in aliases.get(row.id, ())],
                "part_of": names.entity_name.get(row.part_of_id) if row.part_of_id else None,
                "roles": [_role(role, names) for role in roles.get(row.id, ())],
                "note": row.note,
            })


def _role(row: Any, names: Names) -> dict[str, Any]:
    values = {
        "title": row.title,
        "of": names.entity_name.get(row.organization_id) if row.organization_id else None,
        "from": format_partial_date(row.started_on, row.started_on_precision),
        "until": format_partial_date(row.ended_on, row.ended_on_precision),
        "note": row.note,
    }
    return {name: value for name, value in values.items() if value is not None}


def source_records(conn: Connection, names: Names, where: Any = None) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(id, record)`` of sources, by key."""
    query = select(*Source.__table__.c).order_by(_by(conn, Source.key))
    if where is not None:
        query = query.where(where)
    for rows in _chunks(conn.execute(query)):
        for row in rows:
            yield row.id, _ordered("source", {
                "key": row.key,
                "outlet": names.entity_name[row.outlet_id],
                "title": row.title,
                "url": row.url,
                "authors": list(row.authors or ()),
                "published_on": format_partial_date(row.published_on, row.published_on_precision),
                "republishes": names.source_key.get(row.republishes_id) if row.republishes_id else None,
                "note": row.note,
            })


def claim_records(
    conn: Connection, names: Names, where: Any = None, link_filter: set[int] | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(id, record)`` of claims, by key; ``link_filter`` keeps only links to those claims."""
    query = select(Claim.id, Claim.key, Claim.text, Claim.note).order_by(_by(conn, Claim.key))
    if where is not None:
        query = query.where(where)
    tags_of = (
        select(ClaimTag.claim_id, ClaimTag.tag)
        .where(ClaimTag.claim_id.in_(bindparam("ids", expanding=True)))
        .order_by(ClaimTag.claim_id, ClaimTag.tag)
    )
    links_of = select(ClaimLink.from_claim_id, ClaimLink.kind, ClaimLink.to_claim_id).where(
        ClaimLink.from_claim_id.in_(bindparam("ids", expanding=True))
    )
    for rows in _chunks(conn.execute(query)):
        ids = [row.id for row in rows]
        tags = _grouped(conn, tags_of, ids)
        links = _grouped(conn, links_of, ids)
        for row in rows:
            claim_links = sorted(
                (link.kind, names.claim_key[link.to_claim_id])
                for link in links.get(row.id, ())
                if link_filter is None or link.to_claim_id in link_filter
            )
            yield row.id, _ordered("claim", {
                "key": row.key,
                "text": row.text,
                "tags": [tag.tag for tag in tags.get(row.id, ())],
                "links": [{"kind": kind, "claim": key} for kind, key in claim_links],
                "note": row.note,
            })


def statement_records(conn: Connection, names: Names, where: Any = None) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(id, record)`` of statements, by key, streamed in chunks."""
    target = aliased(Statement)
    query = (
        select(*Statement.__table__.c, target.key.label("responds_to_key"))
        .outerjoin(target, target.id == Statement.responds_to_id)
        .order_by(_by(conn, Statement.key))
    )
    if where is not None:
        query = query.where(where)
    via_of = (
        select(StatementVia.statement_id, StatementVia.entity_id)
        .where(StatementVia.statement_id.in_(bindparam("ids", expanding=True)))
        .order_by(StatementVia.statement_id, StatementVia.position)
    )
    entity_name = names.entity_name
    result = conn.execute(query, execution_options={"stream_results": True, "yield_per": CHUNK})
    for rows in _chunks(result):
        via = _grouped(conn, via_of, [row.id for row in rows])
        for row in rows:
            yield row.id, statement_record(row, names, [entity_name[v.entity_id] for v in via.get(row.id, ())])


def statement_record(row: Any, names: Names, via: list[str]) -> dict[str, Any]:
    """The record of one statement row (with ``responds_to_key``) and its via names."""
    entity_name = names.entity_name
    record: dict[str, Any] = {"key": row.key, "claim": names.claim_key[row.claim_id]}
    if row.speaker_id is not None:
        record["speaker"] = entity_name[row.speaker_id]
    if row.speaker_description is not None:
        record["speaker_description"] = row.speaker_description
    if row.speaker_affiliation_id is not None:
        record["speaker_affiliation"] = entity_name[row.speaker_affiliation_id]
    if row.speaker_title is not None:
        record["speaker_title"] = row.speaker_title
    record["stance"] = row.stance
    if row.certainty != "unspecified":
        record["certainty"] = row.certainty
    for name in ("hedge", "verb", "quote", "quote_kind"):
        value = getattr(row, name)
        if value is not None:
            record[name] = value
    if via:
        record["via"] = via
    if row.said_on is not None:
        record["said_on"] = format_partial_date(row.said_on, row.said_on_precision)
    record["source"] = names.source_key[row.source_id]
    if row.responds_to_key is not None:
        record["responds_to"] = row.responds_to_key
    if row.note is not None:
        record["note"] = row.note
    if row.retracted_at is not None:
        record["retracted"] = {"at": format_datetime(row.retracted_at), "reason": row.retraction_reason}
    return record


def verdict_records(conn: Connection, names: Names, where: Any = None) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(id, record)`` of verdicts, by key."""
    query = select(*Verdict.__table__.c).order_by(_by(conn, Verdict.key))
    if where is not None:
        query = query.where(where)
    for rows in _chunks(conn.execute(query)):
        for row in rows:
            yield row.id, _ordered("verdict", {
                "key": row.key,
                "claim": names.claim_key[row.claim_id],
                "reviewer": names.entity_name[row.reviewer_id],
                "rating": row.rating,
                "rating_value": row.rating_value,
                "best_rating": row.best_rating,
                "worst_rating": row.worst_rating,
                "reviewed_on": format_partial_date(row.reviewed_on, row.reviewed_on_precision),
                "url": row.url,
                "note": row.note,
            })


# --- export ---------------------------------------------------------------------------------


def export_bundle(session: Session, *, claim: str | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every record of the database (or of one claim and what it needs), as ``(kind, record)``
    in dependency order: entities, sources, claims, statements, verdicts, each by natural key.

    With ``claim`` (a key or id): the claim, its statements and verdicts, the statements they
    respond to, the claims it links to, and the entities and sources all of those reference.
    """
    conn = session.connection()
    names = Names.load(conn)
    if claim is None:
        selection = None
        where: dict[str, Any] = {kind: None for kind in ("entity", "source", "claim", "statement", "verdict")}
        link_filter = None
    else:
        selection = _claim_closure(session, claim)
        where = {
            "entity": Entity.id.in_(selection["entity"]),
            "source": Source.id.in_(selection["source"]),
            "claim": Claim.id.in_(selection["claim"]),
            "statement": Statement.id.in_(selection["statement"]),
            "verdict": Verdict.id.in_(selection["verdict"]),
        }
        link_filter = selection["claim"]
    for _id, record in entity_records(conn, names, where["entity"]):
        yield "entity", record
    for _id, record in source_records(conn, names, where["source"]):
        yield "source", record
    for _id, record in claim_records(conn, names, where["claim"], link_filter):
        yield "claim", record
    for _id, record in statement_records(conn, names, where["statement"]):
        yield "statement", record
    for _id, record in verdict_records(conn, names, where["verdict"]):
        yield "verdict", record


def _claim_closure(session: Session, claim: str) -> dict[str, set[int]]:
    """Row ids of everything one claim's records refer to, so the subset imports on its own."""
    conn = session.connection()
    root = resolve_claim(session, claim)
    statements = set(conn.execute(select(Statement.id).where(Statement.claim_id == root.id)).scalars())
    frontier = set(statements)
    while frontier:  # the statements they respond to, and those they respond to ...
        targets = set(conn.execute(
            select(Statement.responds_to_id).where(Statement.id.in_(frontier), Statement.responds_to_id.is_not(None))
        ).scalars())
        frontier = targets - statements
        statements |= frontier
    claims = {root.id}
    claims |= set(conn.execute(select(ClaimLink.to_claim_id).where(ClaimLink.from_claim_id == root.id)).scalars())
    verdicts = set(conn.execute(select(Verdict.id).where(Verdict.claim_id == root.id)).scalars())
    entities: set[int] = set()
    sources: set[int] = set()
    for row in conn.execute(
        select(Statement.claim_id, Statement.speaker_id, Statement.speaker_affiliation_id, Statement.source_id)
        .where(Statement.id.in_(statements))
    ):
        claims.add(row.claim_id)
        sources.add(row.source_id)
        entities.update(x for x in (row.speaker_id, row.speaker_affiliation_id) if x is not None)
    entities |= set(conn.execute(select(StatementVia.entity_id).where(StatementVia.statement_id.in_(statements))).scalars())
    entities |= set(conn.execute(select(Verdict.reviewer_id).where(Verdict.id.in_(verdicts))).scalars())
    frontier = set(sources)
    while frontier:  # the sources they republish
        targets = set(conn.execute(
            select(Source.republishes_id).where(Source.id.in_(frontier), Source.republishes_id.is_not(None))
        ).scalars())
        frontier = targets - sources
        sources |= frontier
    entities |= set(conn.execute(select(Source.outlet_id).where(Source.id.in_(sources))).scalars())
    frontier = set(entities)
    while frontier:  # the entities they belong to and hold roles at
        found = set(conn.execute(
            select(Entity.part_of_id).where(Entity.id.in_(frontier), Entity.part_of_id.is_not(None))
        ).scalars())
        found |= set(conn.execute(
            select(EntityRole.organization_id)
            .where(EntityRole.entity_id.in_(frontier), EntityRole.organization_id.is_not(None))
        ).scalars())
        frontier = found - entities
        entities |= frontier
    return {"entity": entities, "source": sources, "claim": claims, "statement": statements, "verdict": verdicts}
