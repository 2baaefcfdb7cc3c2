"""Entities: add, edit, alias, role, delete, merge, and the plain records that show/list render.

Every name a user types goes through :mod:`factdb.resolver`. Every name of an entity, its
primary name included, is an :class:`~factdb.models.EntityName` row, normalized and unique, so
no alias of one entity can shadow another entity.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from factdb import history, vocab
from factdb import models as m
from factdb.counts import speaker_ref
from factdb.dates import format_partial_date, parse_partial_date
from factdb.errors import InUse, InvalidInput, NotFound
from factdb.models import Entity, EntityName, EntityRole, Statement
from factdb.normalize import check_name, check_text, normalize_name
from factdb.resolver import find_entity, resolve_entity, suggestions, typed_entities

__all__ = [
    "add_entity",
    "edit_entity",
    "add_alias",
    "remove_alias",
    "add_role",
    "remove_role",
    "delete_entity",
    "merge_entities",
    "entity_or_create",
    "created_entities",
    "Choose",
    "CREATE",
    "entity_record",
    "entity_rows",
    "ENTITY_COLUMNS",
]

ENTITY_COLUMNS = ("id", "name", "kind", "aliases", "part_of", "statements")

# Called with (name, kind, suggestions) when a typed name is unknown (an interactive prompt):
# returns one of the suggestions to use that entity, CREATE to create one, None to refuse.
Choose = Callable[[str, str, list[str]], str | None]
CREATE = "\x00create"
# session.info key: the entities entity_or_create created in this transaction, for the CLI to list
CREATED = "created_entities"


def check_kind(kind: str) -> str:
    if kind not in vocab.ENTITY_KINDS:
        raise InvalidInput(f'kind: "{kind}" is not one of {", ".join(vocab.ENTITY_KINDS)}')
    return kind


def _claim_name(session: Session, name: str, entity_id: int | None = None) -> tuple[str, str]:
    """Validate a new name and make sure no entity already answers to it."""
    text = check_name(name, "name")
    normalized = normalize_name(text)
    if not normalized:
        raise InvalidInput(f'name: "{text}" has no letters or digits to match on')
    existing = find_entity(session, text)
    if existing is not None and existing.id != entity_id:
        raise InvalidInput(f'The name "{text}" already belongs to entity "{existing.name}" ({existing.kind}).')
    if existing is not None:
        raise InvalidInput(f'"{existing.name}" already answers to "{text}".')
    return text, normalized


def add_entity(
    session: Session,
    name: str,
    kind: str,
    *,
    aliases: list[str] | tuple[str, ...] = (),
    roles: list[dict[str, Any]] | tuple[dict[str, Any], ...] = (),
    part_of: str | None = None,
    note: str | None = None,
) -> Entity:
    """Create an entity with its aliases and roles.

    ``roles`` items: ``{"title": ..., "of": entity name, "from": date text, "until": date text}``.
    """
    check_kind(kind)
    text, normalized = _claim_name(session, name)
    entity = Entity(name=text, kind=kind, note=_optional(note, "note"))
    entity.names = [EntityName(name=text, normalized=normalized, is_primary=True)]
    entity.roles = []
    if part_of:
        entity.part_of = resolve_entity(session, part_of)
    session.add(entity)
    session.flush()
    for alias in dict.fromkeys(aliases):  # "--alias Z --alias Z" is one alias, as in a bundle
        add_alias(session, entity, alias)
    for role in roles:
        add_role(session, entity, **role)
    session.flush()
    return entity


def _optional(value: str | None, field: str) -> str | None:
    return None if value is None else check_text(value, field, allow_newlines=True)


def _loaded(session: Session, name_or_entity: str | Entity) -> Entity:
    """The entity with its names and roles loaded (relationships are lazy="raise")."""
    entity = resolve_entity(session, name_or_entity) if isinstance(name_or_entity, str) else name_or_entity
    query = (
        select(Entity)
        .where(Entity.id == entity.id)
        .options(
            selectinload(Entity.names),
            selectinload(Entity.roles).joinedload(EntityRole.organization),
            selectinload(Entity.part_of),
        )
        .execution_options(populate_existing=True)
    )
    return session.scalars(query).one()


def add_alias(session: Session, name_or_entity: str | Entity, alias: str) -> Entity:
    """Give an entity another name: ``add_alias(session, "Iran", "Tehran")``."""
    entity = _loaded(session, name_or_entity)
    text, normalized = _claim_name(session, alias, entity.id)
    entity.names.append(EntityName(name=text, normalized=normalized, is_primary=False))
    session.flush()
    return entity


def remove_alias(session: Session, name_or_entity: str | Entity, alias: str) -> Entity:
    """Remove an alias (never the primary name: rename the entity instead)."""
    entity = _loaded(session, name_or_entity)
    key = normalize_name(alias)
    for entity_name in entity.names:
        if entity_name.normalized == key:
            if entity_name.is_primary:
                raise InvalidInput(
                    f'"{alias}" is the primary name of "{entity.name}"; give the entity another primary name first.'
                )
            entity.names.remove(entity_name)
            session.delete(entity_name)  # an orphan removed by its collection alone has no history entry
            session.flush()
            return entity
    raise NotFound(f'alias of "{entity.name}"', alias, [n.name for n in entity.names if not n.is_primary])


def add_role(
    session: Session,
    name_or_entity: str | Entity,
    title: str,
    of: str | None = None,
    note: str | None = None,
    **dates: str | None,
) -> Entity:
    """Record a role held over time; ``dates`` may hold ``from`` and ``until`` (partial dates)."""
    entity = _loaded(session, name_or_entity)
    unknown = set(dates) - {"from", "until"}
    if unknown:
        raise InvalidInput(f"role: unknown field {sorted(unknown)[0]}")
    started = parse_partial_date(dates.get("from"), "role from")
    ended = parse_partial_date(dates.get("until"), "role until")
    if started and ended and ended.value < started.value:
        raise InvalidInput(f"role: ends ({ended.iso()}) before it starts ({started.iso()})")
    role = EntityRole(
        title=check_text(title, "role title", max_length=500),
        organization=resolve_entity(session, of) if of else None,
        started_on=started.value if started else None,
        started_on_precision=started.precision if started else None,
        ended_on=ended.value if ended else None,
        ended_on_precision=ended.precision if ended else None,
        note=_optional(note, "role note"),
    )
    entity.roles.append(role)
    session.flush()
    return entity


def remove_role(session: Session, name_or_entity: str | Entity, title: str) -> Entity:
    entity = _loaded(session, name_or_entity)
    matches = [r for r in entity.roles if normalize_name(r.title) == normalize_name(title)]
    if not matches:
        raise NotFound(f'role of "{entity.name}"', title, [r.title for r in entity.roles])
    for role in matches:
        entity.roles.remove(role)
        session.delete(role)  # recorded in history, as any delete
    session.flush()
    return entity


def edit_entity(
    session: Session,
    name: str,
    *,
    new_name: str | None = None,
    kind: str | None = None,
    part_of: str | None = None,
    clear_part_of: bool = False,
    note: str | None = None,
) -> Entity:
    """Change an entity. A rename keeps the old name as an alias, so nothing typed before breaks."""
    entity = _loaded(session, name)
    if new_name is not None and normalize_name(new_name) != normalize_name(entity.name):
        text, normalized = _claim_name(session, new_name, entity.id)
        for entity_name in entity.names:
            entity_name.is_primary = False
        entity.names.append(EntityName(name=text, normalized=normalized, is_primary=True))
        entity.name = text
    elif new_name is not None:  # same name after normalization: a change of spelling only
        text = check_name(new_name, "name")
        for entity_name in entity.names:
            if entity_name.is_primary:
                entity_name.name = text
        entity.name = text
    if kind is not None:
        entity.kind = check_kind(kind)
    if clear_part_of:
        entity.part_of = None
    elif part_of is not None:
        parent = resolve_entity(session, part_of)
        if parent.id == entity.id:
            raise InvalidInput(f'"{entity.name}" cannot be part of itself')
        entity.part_of = parent
    if note is not None:
        entity.note = note.strip() and check_text(note, "note", allow_newlines=True) or None
    session.flush()
    return entity


def entity_or_create(
    session: Session,
    name: str,
    default_kind: str,
    *,
    create: bool = False,
    create_kind: str | None = None,
    choose: Choose | None = None,
    on: dt.date | None = None,
) -> Entity:
    """Resolve ``name`` as :func:`factdb.resolver.resolve_entity` does (a surname, a role held
    on ``on``); an unknown name creates an entity only when asked (``create``) or chosen at a
    prompt (``choose(name, kind, suggestions)``), never silently. A name that stands for
    several entities (two persons with that surname) is refused even with ``create``: the
    user meant one of them. Created entities are listed by :func:`created_entities`."""
    check_name(name, "name")
    entity = find_entity(session, name)
    if entity is not None:
        return entity
    typed = typed_entities(session, name, on=on)
    if len(typed) == 1:
        return typed[0]
    kind = check_kind(create_kind or default_kind)
    offered = [e.name for e in typed] or suggestions(session, name)
    if create and not typed:
        return _create(session, name, kind)
    if choose is not None:
        answer = choose(name, kind, offered)
        if answer == CREATE:
            return _create(session, name, kind)
        chosen = find_entity(session, answer) if answer else None
        if chosen is not None:
            return chosen
    error = NotFound("entity", name, offered)
    if typed:
        error.args = (f"{error} Give the full name; `entity add` adds another entity called \"{name}\".",)
    else:
        error.creatable_kind = kind  # the CLI says how (--create)
    raise error


def _create(session: Session, name: str, kind: str) -> Entity:
    entity = add_entity(session, name, kind)
    session.info.setdefault(CREATED, []).append(entity)
    return entity


def created_entities(session: Session) -> list[Entity]:
    """The entities created for unknown names in this session (``--create``, a prompt), in order."""
    return list(session.info.get(CREATED, []))


# --- in use, delete, merge --------------------------------------------------------------------


def _users(session: Session, entity_id: int) -> list[str]:
    """What still refers to an entity, as readable phrases."""
    uses = [
        ("statement", "as speaker", select(m.Statement.key).where(m.Statement.speaker_id == entity_id)),
        ("statement", "as affiliation", select(m.Statement.key).where(m.Statement.speaker_affiliation_id == entity_id)),
        (
            "statement",
            "in a via chain",
            select(m.Statement.key)
            .join(m.StatementVia, m.StatementVia.statement_id == m.Statement.id)
            .where(m.StatementVia.entity_id == entity_id),
        ),
        (
            "statement",
            "as joint speaker",
            select(m.Statement.key)
            .join(m.StatementSpeaker, m.StatementSpeaker.statement_id == m.Statement.id)
            .where(
                (m.StatementSpeaker.speaker_id == entity_id) | (m.StatementSpeaker.speaker_affiliation_id == entity_id)
            ),
        ),
        ("source", "as outlet", select(m.Source.key).where(m.Source.outlet_id == entity_id)),
        ("verdict", "as reviewer", select(m.Verdict.key).where(m.Verdict.reviewer_id == entity_id)),
        ("verdict", "as publisher", select(m.Verdict.key).where(m.Verdict.publisher_id == entity_id)),
        ("entity", "as part of it", select(m.Entity.name).where(m.Entity.part_of_id == entity_id)),
        (
            "role",
            "as organization",
            select(m.Entity.name)
            .join(m.EntityRole, m.EntityRole.entity_id == m.Entity.id)
            .where(m.EntityRole.organization_id == entity_id),
        ),
    ]
    phrases = []
    ids = {"statement": m.Statement.id, "source": m.Source.id, "verdict": m.Verdict.id, "entity": m.Entity.id,
           "role": m.Entity.id}
    for noun, how, query in uses:
        # in the order they were added, on every backend (PostgreSQL has no rowid order)
        keys = list(dict.fromkeys(session.scalars(query.order_by(ids[noun]))))
        if keys:
            shown = ", ".join(keys[:3]) + (", ..." if len(keys) > 3 else "")
            phrases.append(f"{len(keys)} {noun}{'s' if len(keys) > 1 else ''} {how} ({shown})")
    return phrases


def delete_entity(session: Session, name: str) -> str:
    """Delete an unused entity; InUse names what still uses it. Returns the deleted name."""
    entity = _loaded(session, name)
    users = _users(session, entity.id)
    if users:
        raise InUse(
            f'Entity "{entity.name}" is still used by {"; ".join(users)}. '
            "Merge it into another entity (`entity merge`) or change those first."
        )
    session.delete(entity)
    session.flush()
    return entity.name


def merge_entities(session: Session, loser_name: str, winner_name: str) -> Entity:
    """Merge the entity ``loser_name`` into ``winner_name``: statements (speaker, affiliation,
    via), sources' outlets, roles, parts and verdict reviews move to the winner; the loser's
    names become the winner's aliases; the loser is deleted. Labelled "merge" in history.
    """
    loser_id, winner_id = resolve_entity(session, loser_name).id, resolve_entity(session, winner_name).id
    if loser_id == winner_id:
        raise InvalidInput(
            f'"{loser_name}" and "{winner_name}" are the same entity ("{session.get_one(m.Entity, winner_id).name}")'
        )
    # Both in one query: loading one separately could refresh the other (as a parent or a
    # role's organization) and unload its collections.
    both = session.scalars(
        select(m.Entity)
        .where(m.Entity.id.in_([loser_id, winner_id]))
        .options(selectinload(m.Entity.names), selectinload(m.Entity.roles))
        .execution_options(populate_existing=True)
    ).all()
    loser, winner = sorted(both, key=lambda e: e.id != loser_id)
    before = history.snapshot(loser)
    moved: dict[str, int] = {}
    with history.labelled(session, "merge"):
        repoints = [
            (m.Statement, m.Statement.speaker_id, "speaker_id"),
            (m.Statement, m.Statement.speaker_affiliation_id, "speaker_affiliation_id"),
            (m.StatementVia, m.StatementVia.entity_id, "entity_id"),
            (m.StatementSpeaker, m.StatementSpeaker.speaker_id, "speaker_id"),
            (m.StatementSpeaker, m.StatementSpeaker.speaker_affiliation_id, "speaker_affiliation_id"),
            (m.Source, m.Source.outlet_id, "outlet_id"),
            (m.Verdict, m.Verdict.reviewer_id, "reviewer_id"),
            (m.Verdict, m.Verdict.publisher_id, "publisher_id"),
            (m.Entity, m.Entity.part_of_id, "part_of_id"),
            (m.EntityRole, m.EntityRole.organization_id, "organization_id"),
        ]
        for model, column, attr in repoints:
            rows = session.scalars(select(model).where(column == loser.id)).all()
            for row in rows:
                # the winner was part of the loser: it cannot become part of itself
                setattr(row, attr, None if row is winner else winner.id)
            if rows:
                moved[f"{model.__tablename__}.{attr}"] = len(rows)
        session.flush()
        collapsed = _collapse_joint_speakers(session, winner.id)
        if collapsed:
            moved["statement_speakers.collapsed"] = collapsed
        for role in list(loser.roles):
            loser.roles.remove(role)
            winner.roles.append(role)
        for entity_name in list(loser.names):
            loser.names.remove(entity_name)
            entity_name.is_primary = False
            winner.names.append(entity_name)
        if winner.part_of_id is None and loser.part_of_id not in (None, winner.id):
            winner.part_of_id = loser.part_of_id
        if loser.note and loser.note != winner.note:
            winner.note = f"{winner.note}\n{loser.note}" if winner.note else loser.note
        session.flush()
        session.delete(loser)
        session.flush()
    history.record(
        session,
        "merge",
        "entities",
        row_id=winner.id,
        row_key=winner.name,
        before={"merged": before},
        after={"into": winner.name, "moved": moved},
    )
    return _loaded(session, winner)


def _collapse_joint_speakers(session: Session, winner_id: int) -> int:
    """After a merge into ``winner_id``: delete each joint speaker that is now the same speaker
    (:func:`factdb.counts.speaker_ref`, as the counts compare them) as its statement's first
    speaker or an earlier joint speaker ("Dmitry Peskov and D. Peskov" merged is Peskov once,
    counted once). The deletes are in the merge's history: undoing it brings them back.
    Returns how many were deleted."""
    touched = select(m.StatementSpeaker.statement_id).where(
        (m.StatementSpeaker.speaker_id == winner_id) | (m.StatementSpeaker.speaker_affiliation_id == winner_id)
    )
    joints = session.scalars(
        select(m.StatementSpeaker)
        .where(m.StatementSpeaker.statement_id.in_(touched))
        .order_by(m.StatementSpeaker.statement_id, m.StatementSpeaker.position)
    ).all()
    if not joints:
        return 0
    ids = {j.statement_id for j in joints}
    statements = {s.id: s for s in session.scalars(select(m.Statement).where(m.Statement.id.in_(ids)))}
    seen: dict[int, set[str]] = {}
    collapsed = 0
    for joint in joints:
        first = statements[joint.statement_id]
        refs = seen.setdefault(first.id, {speaker_ref(first.speaker_id, first.speaker_description,
                                                      first.speaker_affiliation_id, first.anonymous_id,
                                                      first.source_id)})  # fmt: skip
        ref = speaker_ref(joint.speaker_id, joint.speaker_description, joint.speaker_affiliation_id,
                          joint.anonymous_id, first.source_id)  # an anonymous id: one speaker (revision 0063)
        if ref in refs:
            session.delete(joint)
            collapsed += 1
        else:
            refs.add(ref)
    session.flush()
    return collapsed


# --- records ----------------------------------------------------------------------------------


def _role_record(role: Any) -> dict[str, Any]:
    return {
        "title": role.title,
        "of": role.organization.name if role.organization is not None else None,
        "from": format_partial_date(role.started_on, role.started_on_precision),
        "from_precision": role.started_on_precision,
        "until": format_partial_date(role.ended_on, role.ended_on_precision),
        "until_precision": role.ended_on_precision,
    }


def _statement_counts(session: Session, ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    query = (
        select(Statement.speaker_id, func.count())
        .where(Statement.speaker_id.in_(ids))
        .group_by(Statement.speaker_id)
    )
    return {speaker_id: count for speaker_id, count in session.execute(query).all() if speaker_id is not None}


def _record(entity: Any, count: int) -> dict[str, Any]:
    return {
        "id": entity.id,
        "name": entity.name,
        "kind": entity.kind,
        "aliases": [n.name for n in entity.names if not n.is_primary],
        "part_of": entity.part_of.name if entity.part_of is not None else None,
        "roles": [_role_record(r) for r in entity.roles],
        "note": entity.note,
        "statements": count,
    }


def entity_record(session: Session, name: str) -> dict[str, Any]:
    """``{id, name, kind, aliases, part_of, roles, note, statements}`` (statements it spoke)."""
    entity = _loaded(session, name)
    return _record(entity, _statement_counts(session, [entity.id]).get(entity.id, 0))


def entity_rows(session: Session, *, kind: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    """Every entity (optionally of one kind; the first ``limit``) as :func:`entity_record`
    dicts, by name."""
    query = select(Entity).options(
        selectinload(Entity.names),
        selectinload(Entity.roles).joinedload(EntityRole.organization),
        selectinload(Entity.part_of),
    )
    if kind is not None:
        query = query.where(Entity.kind == check_kind(kind))
    entities = session.scalars(query.order_by(Entity.name, Entity.id).limit(limit)).all()
    counts = _statement_counts(session, [e.id for e in entities])
    return [_record(e, counts.get(e.id, 0)) for e in entities]
