"""Rows as bundle records: the exporter, and the importer's view of what is already stored.

:func:`stored_records` turns stored rows of one kind into the canonical records the exporter
writes (fields in :data:`factdb.transfer.schema.FIELDS` order, empty fields left out, entities
by primary name, sources, claims and statements by key). It is one loop over the table
:data:`EXPORTS`: per kind the main query, its natural-key column, the sub-rows fetched per
chunk (aliases and roles, tags and links, via) and the function that builds one record. The
importer compares an incoming record with the same form, so "unchanged" means "would export
identically".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, bindparam, select
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
    QuoteAnchor,
    Source,
    SourceText,
    Statement,
    StatementSpeaker,
    StatementVia,
    Verdict,
)
from factdb.records import utc_timestamp
from factdb.resolver import resolve_claim
from factdb.transfer.schema import FIELDS

__all__ = ["Names", "EXPORTS", "export_bundle", "source_text_fields", "stored_records"]

CHUNK = 2000
AnySelect = Select[*tuple[Any, ...]]


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


@dataclass(frozen=True)
class _Export:
    """How one kind is exported: ``query`` selects its rows (``id`` first), ordered by
    ``order``; each of ``children`` selects sub-rows of a chunk of rows (``:ids``, parent id
    first); ``record`` builds one record from a row, its sub-rows and the names."""

    model: Any
    query: AnySelect
    order: Any
    children: Mapping[str, AnySelect]
    record: Callable[[Any, dict[str, list[Any]], Names, set[int] | None], dict[str, Any]]
    stream: bool = False  # a server-side cursor (statements: the one kind that runs to millions)


def _ids(column: Any) -> Any:
    return column.in_(bindparam("ids", expanding=True))


def _entity(row: Any, children: dict[str, list[Any]], names: Names, _links: set[int] | None) -> dict[str, Any]:
    return _ordered("entity", {
        "name": row.name,
        "kind": row.kind,
        "aliases": [alias.name for alias in children["aliases"]],
        "part_of": names.entity_name.get(row.part_of_id) if row.part_of_id else None,
        "roles": [_role(role, names) for role in children["roles"]],
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


def _source(row: Any, _children: dict[str, list[Any]], names: Names, _links: set[int] | None) -> dict[str, Any]:
    return _ordered("source", {
        "key": row.key,
        "kind": None if row.kind == "article" else row.kind,  # an article unless it says otherwise
        "outlet": names.entity_name[row.outlet_id] if row.outlet_id is not None else None,
        "title": row.title,
        "url": row.url,
        "authors": list(row.authors or ()),
        "published_on": format_partial_date(row.published_on, row.published_on_precision),
        "published_time": row.published_time,
        "modified_time": row.modified_time,
        "text_state": row.text_state,
        "republishes": names.source_key.get(row.republishes_id) if row.republishes_id else None,
        "updates": names.source_key.get(row.updates_id) if row.updates_id else None,
        "note": row.note,
    })


def _claim(row: Any, children: dict[str, list[Any]], names: Names, link_filter: set[int] | None) -> dict[str, Any]:
    links = sorted(
        (link.kind, names.claim_key[link.to_claim_id])
        for link in children["links"]
        if link_filter is None or link.to_claim_id in link_filter
    )
    return _ordered("claim", {
        "key": row.key,
        "text": row.text,
        "tags": [tag.tag for tag in children["tags"]],
        "links": [{"kind": kind, "claim": key} for kind, key in links],
        "note": row.note,
    })


def _joint(row: Any, entity_name: dict[int, str]) -> dict[str, Any]:
    if row.speaker_id is not None:
        return {"speaker": entity_name[row.speaker_id]}
    joint = {"speaker_description": row.speaker_description}
    if row.speaker_affiliation_id is not None:
        joint["speaker_affiliation"] = entity_name[row.speaker_affiliation_id]
    if row.anonymous_kind is not None:
        joint["anonymous_kind"] = row.anonymous_kind
    if row.anonymous_id is not None:
        joint["anonymous_id"] = row.anonymous_id
    return joint


def _statement(row: Any, children: dict[str, list[Any]], names: Names, _links: set[int] | None) -> dict[str, Any]:
    """The record of one statement row (with ``responds_to_key``); built field by field, as it
    runs once per statement of a million-statement export."""
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
    if row.anonymous_kind is not None:
        record["anonymous_kind"] = row.anonymous_kind
    if row.anonymous_id is not None:
        record["anonymous_id"] = row.anonymous_id
    if children["joint"]:
        record["joint_speakers"] = [_joint(joint, entity_name) for joint in children["joint"]]
    record["stance"] = row.stance
    if row.certainty != "unspecified":
        record["certainty"] = row.certainty
    for name in ("hedge", "verb", "quote", "quote_kind"):
        value = getattr(row, name)
        if value is not None:
            record[name] = value
    if children["via"]:
        record["via"] = [entity_name[via.entity_id] for via in children["via"]]
    if row.said_on is not None:
        record["said_on"] = format_partial_date(row.said_on, row.said_on_precision)
    record["source"] = names.source_key[row.source_id]
    if row.position is not None:
        record["position"] = row.position
    if row.utterance is not None:
        record["utterance"] = row.utterance
    if row.responds_to_key is not None:
        record["responds_to"] = row.responds_to_key
    if row.note is not None:
        record["note"] = row.note
    if row.retracted_at is not None:
        record["retracted"] = {"at": utc_timestamp(row.retracted_at), "reason": row.retraction_reason}
        if row.retracted_on is not None:
            record["retracted"]["published_on"] = format_partial_date(row.retracted_on, row.retracted_on_precision)
    return record


def _verdict(row: Any, _children: dict[str, list[Any]], names: Names, _links: set[int] | None) -> dict[str, Any]:
    return _ordered("verdict", {
        "key": row.key,
        "claim": names.claim_key[row.claim_id],
        "statement": row.statement_key,
        "reviewer": names.entity_name[row.reviewer_id],
        "reviewer_url": row.reviewer_url,
        "reviewer_same_as": row.reviewer_same_as,
        "publisher": names.entity_name[row.publisher_id] if row.publisher_id else None,
        "authors": row.authors,
        "rating": row.rating,
        "rating_value": row.rating_value,
        "best_rating": row.best_rating,
        "worst_rating": row.worst_rating,
        "rating_explanation": row.rating_explanation,
        "normalized_rating": row.normalized_rating,
        "reviewed_on": format_partial_date(row.reviewed_on, row.reviewed_on_precision),
        "url": row.url,
        "title": row.title,
        "description": row.description,
        "review_body": row.review_body,
        "language": row.language,
        "claim_venue": row.claim_venue,
        "claimant_same_as": row.claimant_same_as,
        "appearances": row.appearances,
        "note": row.note,
    })


_responded = aliased(Statement)
_rated = aliased(Statement)

# One entry per kind, in dependency order (the order of an export).
EXPORTS: dict[str, _Export] = {
    "entity": _Export(
        Entity,
        select(Entity.id, Entity.name, Entity.kind, Entity.part_of_id, Entity.note),
        Entity.name,
        {
            "aliases": select(EntityName.entity_id, EntityName.name)
            .where(_ids(EntityName.entity_id), EntityName.is_primary.is_(False))
            .order_by(EntityName.entity_id, EntityName.id),
            "roles": select(
                EntityRole.entity_id, EntityRole.title, EntityRole.organization_id, EntityRole.started_on,
                EntityRole.started_on_precision, EntityRole.ended_on, EntityRole.ended_on_precision, EntityRole.note,
            )
            .where(_ids(EntityRole.entity_id))
            .order_by(EntityRole.entity_id, EntityRole.id),
        },
        _entity,
    ),
    "source": _Export(Source, select(*Source.__table__.c), Source.key, {}, _source),
    "claim": _Export(
        Claim,
        select(Claim.id, Claim.key, Claim.text, Claim.note),
        Claim.key,
        {
            "tags": select(ClaimTag.claim_id, ClaimTag.tag)
            .where(_ids(ClaimTag.claim_id))
            .order_by(ClaimTag.claim_id, ClaimTag.tag),
            "links": select(ClaimLink.from_claim_id, ClaimLink.kind, ClaimLink.to_claim_id).where(
                _ids(ClaimLink.from_claim_id)
            ),
        },
        _claim,
    ),
    "statement": _Export(
        Statement,
        select(*Statement.__table__.c, _responded.key.label("responds_to_key")).outerjoin(
            _responded, _responded.id == Statement.responds_to_id
        ),
        Statement.key,
        {
            "via": select(StatementVia.statement_id, StatementVia.entity_id)
            .where(_ids(StatementVia.statement_id))
            .order_by(StatementVia.statement_id, StatementVia.position),
            "joint": select(*StatementSpeaker.__table__.c)
            .where(_ids(StatementSpeaker.statement_id))
            .order_by(StatementSpeaker.statement_id, StatementSpeaker.position),
        },
        _statement,
        stream=True,
    ),
    "verdict": _Export(
        Verdict,
        select(*Verdict.__table__.c, _rated.key.label("statement_key")).outerjoin(
            _rated, _rated.id == Verdict.statement_id
        ),
        Verdict.key,
        {},
        _verdict,
    ),
}


def stored_records(
    conn: Connection, names: Names, kind: str, where: Any = None, link_filter: set[int] | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(id, record)`` of the stored rows of ``kind`` (all, or those ``where`` selects), by
    natural key; ``link_filter`` keeps only claim links to those claims."""
    spec = EXPORTS[kind]
    query = spec.query.order_by(_by(conn, spec.order))
    if where is not None:
        query = query.where(where)
    options = {"stream_results": True, "yield_per": CHUNK} if spec.stream else {}
    for rows in _chunks(conn.execute(query, execution_options=options)):
        ids = [row.id for row in rows]
        children = {name: _grouped(conn, child, ids) for name, child in spec.children.items()}
        for row in rows:
            yield (
                row.id,
                spec.record(row, {name: found.get(row.id, []) for name, found in children.items()}, names, link_filter),
            )


# --- export ---------------------------------------------------------------------------------


def export_bundle(
    session: Session, *, claim: str | None = None, with_texts: bool = False
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every record of the database (or of one claim and what it needs), as ``(kind, record)``
    in dependency order: entities, sources, claims, statements, verdicts, each by natural key.

    With ``claim`` (a key or id): the claim, its statements and verdicts, the statements they
    respond to, the claims it links to, and the entities and sources all of those reference.
    With ``with_texts``: a source with a stored text carries it (``text``) and the quote
    anchors of its statements (``anchors``, see :func:`source_text_fields`).
    """
    conn = session.connection()
    names = Names.load(conn)
    selection = _claim_closure(session, claim) if claim is not None else None
    with_text = set(conn.execute(select(SourceText.source_id)).scalars()) if with_texts else set()
    for kind, spec in EXPORTS.items():
        where = spec.model.id.in_(selection[kind]) if selection is not None else None
        link_filter = selection["claim"] if selection is not None else None
        for rid, record in stored_records(conn, names, kind, where, link_filter):
            if kind == "source" and rid in with_text:
                record.update(source_text_fields(conn, rid, selection["statement"] if selection else None))
            yield kind, record


def source_text_fields(conn: Connection, source_id: int, statements: set[int] | None = None) -> dict[str, Any]:
    """``{"text", "anchors"}`` of a source with a stored text: the text exactly as stored, and
    one anchor per anchored statement (of ``statements`` when given), by statement key:
    ``{"statement", "status", "exact", "prefix", "suffix", "start", "end"}`` (empty fields left
    out; ``start``/``end`` are character offsets into the text)."""
    text = conn.execute(select(SourceText.text).where(SourceText.source_id == source_id)).scalar_one()
    query = (
        select(Statement.id, Statement.key, QuoteAnchor.status, QuoteAnchor.exact, QuoteAnchor.prefix,
               QuoteAnchor.suffix, QuoteAnchor.start_offset, QuoteAnchor.end_offset)
        .join(QuoteAnchor, QuoteAnchor.statement_id == Statement.id)
        .where(Statement.source_id == source_id)
        .order_by(_by(conn, Statement.key))
    )  # fmt: skip
    anchors = []
    for row in conn.execute(query):
        if statements is not None and row.id not in statements:
            continue
        values = {"statement": row.key, "status": row.status, "exact": row.exact, "prefix": row.prefix,
                  "suffix": row.suffix, "start": row.start_offset, "end": row.end_offset}  # fmt: skip
        anchors.append({name: value for name, value in values.items() if value not in (None, "")})
    return {"text": text, "anchors": anchors} if anchors else {"text": text}


def _claim_closure(session: Session, claim: str) -> dict[str, set[int]]:
    """Row ids of everything one claim's records refer to, so the subset imports on its own."""
    conn = session.connection()

    def ids(query: AnySelect) -> set[int]:
        return {value for value in conn.execute(query).scalars() if value is not None}

    root = resolve_claim(session, claim)
    statements = ids(select(Statement.id).where(Statement.claim_id == root.id))
    frontier = set(statements)
    while frontier:  # the statements they respond to, and those they respond to ...
        frontier = ids(select(Statement.responds_to_id).where(Statement.id.in_(frontier))) - statements
        statements |= frontier
    claims = {root.id} | ids(select(ClaimLink.to_claim_id).where(ClaimLink.from_claim_id == root.id))
    verdicts = ids(select(Verdict.id).where(Verdict.claim_id == root.id))
    entities: set[int] = set()
    sources: set[int] = set()
    for row in conn.execute(
        select(Statement.claim_id, Statement.speaker_id, Statement.speaker_affiliation_id, Statement.source_id)
        .where(Statement.id.in_(statements))
    ):
        claims.add(row.claim_id)
        sources.add(row.source_id)
        entities.update(x for x in (row.speaker_id, row.speaker_affiliation_id) if x is not None)
    entities |= ids(select(StatementVia.entity_id).where(StatementVia.statement_id.in_(statements)))
    for column in (StatementSpeaker.speaker_id, StatementSpeaker.speaker_affiliation_id):
        entities |= ids(select(column).where(StatementSpeaker.statement_id.in_(statements), column.is_not(None)))
    entities |= ids(select(Verdict.reviewer_id).where(Verdict.id.in_(verdicts)))
    entities |= ids(select(Verdict.publisher_id).where(Verdict.id.in_(verdicts)))
    frontier = set(sources)
    while frontier:  # the sources they republish, and the earlier versions they update
        found = ids(select(Source.republishes_id).where(Source.id.in_(frontier)))
        found |= ids(select(Source.updates_id).where(Source.id.in_(frontier)))
        frontier = found - sources
        sources |= frontier
    entities |= ids(select(Source.outlet_id).where(Source.id.in_(sources)))
    frontier = set(entities)
    while frontier:  # the entities they belong to and hold roles at
        found = ids(select(Entity.part_of_id).where(Entity.id.in_(frontier)))
        found |= ids(select(EntityRole.organization_id).where(EntityRole.entity_id.in_(frontier)))
        frontier = found - entities
        entities |= frontier
    return {"entity": entities, "source": sources, "claim": claims, "statement": statements, "verdict": verdicts}
