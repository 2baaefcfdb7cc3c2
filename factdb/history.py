"""History: every change to tracked rows is recorded in the same transaction as the change.

:func:`track` installs an ``after_flush`` hook on a session. For each inserted, updated or
deleted object of a tracked model it writes a ``history`` row (table, id, natural key, claim,
before/after column values, actor, command) on the session's own connection, so the record
commits or rolls back with the change. Library code that does something with a meaning of its
own (a merge, a retraction) labels it with :func:`labelled` or adds an entry with :func:`record`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from typing import Any

from sqlalchemy import event, func, inspect, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key  # not re-exported by sqlalchemy.orm in 2.1

from factdb import models as m
from factdb import resolver
from factdb.errors import NotFound
from factdb.models import HistoryEntry, utcnow
from factdb.records import utc_timestamp

__all__ = [
    "shown_actor",
    "track",
    "record",
    "labelled",
    "snapshot",
    "snapshot_row",
    "history_of_claim",
    "history_of_entity",
    "history_of_source",
    "history_listing",
    "entry_record",
    "change_time",
    "change_entries",
    "recent_changes",
]

_LABEL = "history_action"
_CHANGE_TIME = "history_change_time"
# Bookkeeping columns: a re-check that finds a quote where it was changes only checked_at,
# which is not a change worth a history row.
# The claims' counts are kept by the database's triggers (factdb.counts), not changed by
# anyone; a statement's copy marker and a claim's stored sourcing flags are derived from the
# other rows (factdb.copies, factdb.claim_flags).
_UNRECORDED = frozenset({
    "created_at", "updated_at", "checked_at", "attached_at",
    "support_statements", "oppose_statements", "support_speakers", "oppose_speakers", "copy_of_id",
    "sourcing_flags", "sourcing_flag_count",
})


def _natural_key(obj: m.Base) -> str | None:
    if isinstance(obj, (m.Claim, m.Source, m.Statement, m.Verdict)):
        return obj.key
    if isinstance(obj, (m.Entity, m.EntityName)):
        return obj.name
    if isinstance(obj, m.ClaimTag):
        return obj.tag
    if isinstance(obj, m.EntityRole):
        return obj.title
    return None


def _claim_of(session: Session, obj: m.Base) -> int | None:
    if isinstance(obj, m.Claim):
        return obj.id
    if isinstance(obj, (m.Statement, m.ClaimTag, m.Verdict)):
        return obj.claim_id
    if isinstance(obj, m.ClaimLink):
        return obj.from_claim_id
    if isinstance(obj, (m.StatementVia, m.StatementSpeaker, m.QuoteAnchor)):
        statement = session.identity_map.get(identity_key(m.Statement, obj.statement_id))
        if statement is not None:
            return statement.claim_id
        query = select(m.Statement.claim_id).where(m.Statement.id == obj.statement_id)
        return session.connection().execute(query).scalar()
    return None


_ENTITY_PARTS = ("entity_names", "entity_roles")


def _subjects(
    table_name: str, row_id: int | None, before: dict[str, Any] | None, after: dict[str, Any] | None
) -> dict[str, Any]:
    """The indexed columns that say whom an entry is about besides its own row: the entity of
    an entity, name or role entry, the claim a link points to."""
    def recorded(field: str) -> Any:
        for values in (after, before):
            if values and values.get(field) is not None:
                return values[field]
        return None

    entity_id = row_id if table_name == "entities" else recorded("entity_id") if table_name in _ENTITY_PARTS else None
    linked = recorded("to_claim_id") if table_name == "claim_links" else None
    return {"entity_id": entity_id, "linked_claim_id": linked}


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return utc_timestamp(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _recorded_value(obj: m.Base, key: str, value: Any) -> Any:
    # A source's stored article text would be copied whole into every history row; its
    # length and sha256 (a column of its own) say that it changed.
    if key == "text" and getattr(obj, "__tablename__", None) == "source_texts" and isinstance(value, str):
        return f"<{len(value)} characters>"
    return _json_value(value)


def snapshot(obj: m.Base) -> dict[str, Any]:
    """Column values of a mapped object as JSON-ready data."""
    state = inspect(obj)
    values = {}
    for attr in state.mapper.column_attrs:
        if attr.key in _UNRECORDED:
            continue
        values[attr.key] = _recorded_value(obj, attr.key, state.dict.get(attr.key))
    return values


def snapshot_row(table: Any, row: Any) -> dict[str, Any]:
    """A table row (a mapping, from Core) as JSON-ready data, like :func:`snapshot`."""
    values = {}
    for column in table.columns:
        if column.name in _UNRECORDED:
            continue
        value = row[column.name]
        if table.name == "source_texts" and column.name == "text" and isinstance(value, str):
            value = f"<{len(value)} characters>"
        values[column.name] = _json_value(value)
    return values


def _changes(obj: m.Base) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(obj)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in _UNRECORDED:
            continue
        hist = state.attrs[attr.key].history
        if hist.has_changes():
            before[attr.key] = _recorded_value(obj, attr.key, hist.deleted[0] if hist.deleted else None)
            after[attr.key] = _recorded_value(obj, attr.key, hist.added[0] if hist.added else None)
    if after and len(state.mapper.primary_key) > 1:
        # a row with a composite key (a joint speaker, a via link) is named by its key
        # columns: recorded unchanged too, or undo cannot tell which row changed (a merge
        # repointing a joint speaker)
        for column in state.mapper.primary_key:
            key = state.mapper.get_property_by_column(column).key
            value = _recorded_value(obj, key, getattr(obj, key))
            before.setdefault(key, value)
            after.setdefault(key, value)
    return before, after


def _tracked(obj: object) -> bool:
    return isinstance(obj, m.Base) and not isinstance(obj, m.HistoryEntry)


def change_time(session: Session) -> dt.datetime:
    """The time of the change a write session makes: when it first wrote history. Every entry
    of one command carries it, so ``occurred_at``, ``actor`` and ``command`` together name the
    change (``factdb history`` lists changes, ``factdb undo`` reverts one)."""
    moment: dt.datetime = session.info.setdefault(_CHANGE_TIME, utcnow())
    return moment


def _row(session: Session, obj: m.Base, action: str, before: Any, after: Any) -> dict[str, Any]:
    actor = session.info["actor"]
    # Inserted rows have no identity key yet inside after_flush; their primary key columns
    # are already filled in, though.
    state = inspect(obj)
    pk = state.identity or tuple(state.mapper.primary_key_from_instance(obj))
    row_id = pk[0] if pk and len(pk) == 1 and isinstance(pk[0], int) else None
    subjects = _subjects(obj.__tablename__, row_id, before, after)
    if obj.__tablename__ in _ENTITY_PARTS:  # an update records only the changed columns
        subjects["entity_id"] = getattr(obj, "entity_id", None)
    return {
        "occurred_at": change_time(session),
        "actor": actor.name,
        "command": actor.command,
        "action": action,
        "table_name": obj.__tablename__,
        "row_id": row_id,
        "row_key": _natural_key(obj),
        "claim_id": _claim_of(session, obj),
        **subjects,
        "before": before,
        "after": after,
    }


def _after_flush(session: Session, _flush_context: Any) -> None:
    label = session.info.get(_LABEL)
    rows = []
    for obj in session.new:
        if _tracked(obj):
            rows.append(_row(session, obj, "insert", None, snapshot(obj)))
    for obj in session.dirty:
        if _tracked(obj) and session.is_modified(obj, include_collections=False):
            before, after = _changes(obj)
            if after:
                rows.append(_row(session, obj, label or "update", before, after))
    for obj in session.deleted:
        if _tracked(obj):
            rows.append(_row(session, obj, label or "delete", snapshot(obj), None))
    if rows:
        session.connection().execute(HistoryEntry.__table__.insert(), rows)


def track(session: Session) -> None:
    """Record history for every flush of ``session``."""
    event.listen(session, "after_flush", _after_flush)


@contextlib.contextmanager
def labelled(session: Session, action: str) -> Iterator[None]:
    """Label the updates and deletes flushed inside the block (``merge``, ``retract``)."""
    session.flush()
    session.info[_LABEL] = action
    try:
        yield
        session.flush()
    finally:
        session.info.pop(_LABEL, None)


def record(
    session: Session,
    action: str,
    table_name: str,
    *,
    row_id: int | None = None,
    row_key: str | None = None,
    claim_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Add one explicit history entry (an import summary, a merge)."""
    actor = session.info["actor"]
    session.connection().execute(
        HistoryEntry.__table__.insert(),
        [
            {
                "occurred_at": change_time(session),
                "actor": actor.name,
                "command": actor.command,
                "action": action,
                "table_name": table_name,
                "row_id": row_id,
                "row_key": row_key,
                "claim_id": claim_id,
                **_subjects(table_name, row_id, before, after),
                "before": before,
                "after": after,
            }
        ],
    )


# --- reading --------------------------------------------------------------------------------


def _entries(session: Session, *conditions: Any, limit: int | None = None) -> list[HistoryEntry]:
    query = select(HistoryEntry).where(*conditions).order_by(HistoryEntry.id.desc() if limit else HistoryEntry.id)
    if limit:
        return list(reversed(session.scalars(query.limit(limit)).all()))
    return list(session.scalars(query))


def _merged_away(session: Session, table_name: str, winner_ids: set[int]) -> set[int]:
    """The ids of the rows merged into these (and into those, in turn): a merge winner's
    history shows the loser's earlier entries."""
    found = set(winner_ids)
    frontier = set(winner_ids)
    while frontier:
        merges = select(HistoryEntry.before).where(
            HistoryEntry.action == "merge", HistoryEntry.table_name == table_name,
            HistoryEntry.row_id.in_(frontier), HistoryEntry.before.is_not(None),
        )
        losers = set()
        for before in session.scalars(merges):
            merged = before.get("merged") if isinstance(before, dict) else None
            if isinstance(merged, dict) and isinstance(merged.get("id"), int) and merged["id"] not in found:
                losers.add(merged["id"])
        found |= losers
        frontier = losers
    return found


def _gone(session: Session, tables: tuple[str, ...], key: str, column: Any) -> int | None:
    """The id a deleted or merged-away row had, from its last delete (or merge) entry: its key
    keeps resolving for history."""
    query = (
        select(column)
        .where(HistoryEntry.table_name.in_(tables), HistoryEntry.row_key == key,
               HistoryEntry.action.in_(("delete", "merge")), HistoryEntry.before.is_not(None), column.is_not(None))
        .order_by(HistoryEntry.id.desc())
        .limit(1)
    )
    found: int | None = session.scalars(query).first()
    return found


def history_of_claim(session: Session, claim: m.Claim | int, *, limit: int | None = None) -> list[HistoryEntry]:
    """Every history entry of a claim and of its statements, tags, links, verdicts, via
    entries and quote anchors, oldest first; rows deleted since are included (the entries
    keep ``claim_id``), and so are the entries of the claims merged into it. ``limit`` keeps
    the newest ones."""
    ids = _merged_away(session, "claims", {claim if isinstance(claim, int) else claim.id})
    # a link is filed under the claim it starts from; the claim it points to sees it too
    return _entries(session, or_(HistoryEntry.claim_id.in_(ids), HistoryEntry.linked_claim_id.in_(ids)),
                    limit=limit)


def history_of_entity(session: Session, entity: m.Entity | int, *, limit: int | None = None) -> list[HistoryEntry]:
    """Every history entry of an entity, its names and its roles, and of the entities merged
    into it, oldest first."""
    ids = _merged_away(session, "entities", {entity if isinstance(entity, int) else entity.id})
    return _entries(session, HistoryEntry.entity_id.in_(ids), limit=limit)


def history_of_source(session: Session, source: m.Source | int, *, limit: int | None = None) -> list[HistoryEntry]:
    """Every history entry of a source and of its stored text, oldest first."""
    source_id = source if isinstance(source, int) else source.id
    return _entries(
        session, HistoryEntry.table_name.in_(("sources", "source_texts")), HistoryEntry.row_id == source_id, limit=limit
    )


def _short(value: Any, limit: int = 60) -> str:
    text = "null" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown_actor(who: str, db_user: str | None) -> str:
    """Who made a change, for people: the ``--as`` name, and the database user when it is
    another name (``desk editor (database user alice)``)."""
    if db_user and db_user != who:
        return f"{who} (database user {db_user})"
    return who


def describe_changes(entry: HistoryEntry) -> str:
    """``stance: asserts -> denies; note: null -> "checked"`` for an update; the recorded
    values for an insert or delete; names for a merge (``"Ketaeb Hezbollah" merged into
    "Kataib Hezbollah" (moved: 2 statements.speaker_id)``)."""
    merged = entry.before.get("merged") if entry.action == "merge" and isinstance(entry.before, dict) else None
    if isinstance(merged, dict):
        after = entry.after if isinstance(entry.after, dict) else {}
        moved = after.get("moved")
        if not isinstance(moved, dict):
            moved = {}
        moved_text = ", ".join(f"{n} {what}" for what, n in moved.items() if n)
        text = f'"{merged.get("name") or merged.get("key")}" merged into "{after.get("into")}"'
        return text + (f" (moved: {moved_text})" if moved_text else "")
    if entry.action == "undo" and isinstance(entry.after, dict) and "undid" in entry.after:
        return f'undid change {entry.after["undid"]} ({entry.after.get("command") or "no command recorded"})'
    if entry.before and entry.after:
        fields = list(dict.fromkeys([*entry.after, *entry.before]))
        return "; ".join(f"{f}: {_short(entry.before.get(f))} -> {_short(entry.after.get(f))}" for f in fields)
    values = entry.after or entry.before or {}
    shown = {k: v for k, v in values.items() if v not in (None, [], "") and k != "id"}
    return ", ".join(f"{k}={_short(v, 40)}" for k, v in shown.items())


def history_listing(
    session: Session,
    *,
    claim: str | None = None,
    entity: str | None = None,
    source: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """History rows for ``factdb history`` (claim key, entity name or source key), oldest
    first: when, who (the ``--as`` name), db_user (PostgreSQL: the authenticated database
    role, which cannot be typed), command, action, table, key, changes, before, after."""
    if claim is not None:
        entries = history_of_claim(session, _still_or_gone(
            session, claim, resolver.resolve_claim, ("claims",), HistoryEntry.row_id), limit=limit)
    elif entity is not None:
        entries = history_of_entity(session, _still_or_gone(
            session, entity, resolver.resolve_entity, ("entities", "entity_names"), HistoryEntry.entity_id),
            limit=limit)
    elif source is not None:
        entries = history_of_source(session, _still_or_gone(
            session, source, resolver.resolve_source, ("sources",), HistoryEntry.row_id), limit=limit)
    else:
        raise ValueError("history_listing needs a claim, an entity or a source")
    return [entry_record(e) for e in entries]


def _still_or_gone(session: Session, typed: str, resolve: Any, tables: tuple[str, ...], column: Any) -> int:
    """The id of the row ``typed`` names, or, deleted or merged away since, the one it had."""
    try:
        row_id: int = resolve(session, typed).id
        return row_id
    except NotFound:
        gone = _gone(session, tables, typed.strip(), column)
        if gone is None:
            raise
        return gone


def entry_record(e: HistoryEntry) -> dict[str, Any]:
    """One history entry as ``factdb history`` shows it (JSON: every field)."""
    return {
            "id": e.id,
            "when": utc_timestamp(e.occurred_at),
            "who": e.actor,
            "db_user": e.db_user,
            "command": e.command,
            "action": e.action,
            "table": e.table_name,
            "key": e.row_key if e.row_key is not None else e.row_id,
            "row_id": e.row_id,
            "changes": describe_changes(e),
            "before": e.before,
            "after": e.after,
    }


# --- changes: what one command did ------------------------------------------------------------

_NOUNS = {
    "entities": "entity", "entity_names": "name", "entity_roles": "role", "sources": "source",
    "source_texts": "source text", "claims": "claim", "claim_tags": "tag", "claim_links": "claim link",
    "statements": "statement", "statement_via": "via link", "statement_speakers": "joint speaker",
    "quote_anchors": "quote anchor",
    "verdicts": "verdict", "bundle": "bundle", "history": "change",
}
_PLURALS = {"entity": "entities", "via link": "via links", "change": "changes"}
_SHOWN_ENTRIES = 3


def _same_change(entry: HistoryEntry) -> list[Any]:
    command = HistoryEntry.command.is_(None) if entry.command is None else HistoryEntry.command == entry.command
    return [HistoryEntry.occurred_at == entry.occurred_at, HistoryEntry.actor == entry.actor, command]


def change_entries(session: Session, entry_id: int) -> list[HistoryEntry]:
    """Every entry of the change (one command's transaction) that entry ``entry_id`` is part
    of, oldest first; empty when there is no such entry."""
    entry = session.get(HistoryEntry, entry_id)
    if entry is None:
        return []
    return list(session.scalars(select(HistoryEntry).where(*_same_change(entry)).order_by(HistoryEntry.id)))


def _headline(entry: HistoryEntry) -> bool:
    """An entry that says what a whole command did: a merge's, an undo's, an import's."""
    if entry.action == "merge":
        return isinstance(entry.before, dict) and "merged" in entry.before
    return entry.action in ("undo", "import") and entry.table_name in ("history", "bundle")


def _summary(session: Session, entry: HistoryEntry) -> tuple[int, int, str]:
    """A change's first entry id, its number of entries, and what it did in a few words:
    ``"Ketaeb Hezbollah" merged into "Kataib Hezbollah" (...); merge 2 names``."""
    same = _same_change(entry)
    counts = session.execute(
        select(HistoryEntry.action, HistoryEntry.table_name, func.count(), func.min(HistoryEntry.id))
        .where(*same)
        .group_by(HistoryEntry.action, HistoryEntry.table_name)
        .order_by(func.min(HistoryEntry.id))
    ).all()
    first = min(row[3] for row in counts)
    total = sum(row[2] for row in counts)
    headlines = [
        e for e in session.scalars(
            select(HistoryEntry).where(*same, HistoryEntry.action.in_(("merge", "undo", "import")),
                                       HistoryEntry.table_name.in_(("entities", "claims", "history", "bundle")))
            .order_by(HistoryEntry.table_name.in_(("history", "bundle")).desc(), HistoryEntry.id).limit(10)
        ) if _headline(e)
    ]
    parts = [describe_changes(e) if e.table_name != "bundle" else f"import {e.row_key or 'bundle'}"
             for e in headlines]
    for action, table, count, lowest in counts:
        count -= sum(1 for e in headlines if (e.action, e.table_name) == (action, table))
        noun = _NOUNS.get(table, table)
        if count == 1:
            one = session.get_one(HistoryEntry, lowest)
            key = one.row_key if one.row_key is not None else one.row_id
            parts.append(f"{action} {noun} {key}" if key is not None else f"{action} {noun}")
        elif count > 1:
            parts.append(f"{action} {count} {_PLURALS.get(noun, noun + 's')}")
    shown = parts[:_SHOWN_ENTRIES] + ([f"... ({len(parts) - _SHOWN_ENTRIES} more)"] if len(parts) > _SHOWN_ENTRIES
                                      else [])
    return first, total, "; ".join(shown)


def recent_changes(
    session: Session,
    *,
    since: dt.datetime | None = None,
    actor: str | None = None,
    limit: int = 20,
) -> list[dict[str, Any]]:
    """The newest changes across the database, newest first, one per command: ``{change (the
    id to give `undo`), when, who, db_user, command, entries, summary}``. ``since`` keeps the
    changes from then on; ``actor`` those made as that name."""
    conditions: list[Any] = []
    if since is not None:
        conditions.append(HistoryEntry.occurred_at >= since)
    if actor is not None:
        conditions.append(HistoryEntry.actor == actor)
    changes: list[dict[str, Any]] = []
    cursor: int | None = None
    while len(changes) < limit:
        query = select(HistoryEntry).where(*conditions).order_by(HistoryEntry.id.desc()).limit(1)
        if cursor is not None:
            query = query.where(HistoryEntry.id < cursor)
        newest = session.scalars(query).first()
        if newest is None:
            break
        first, total, summary = _summary(session, newest)
        changes.append({
            "change": first,
            "when": utc_timestamp(newest.occurred_at),
            "who": newest.actor,
            "db_user": newest.db_user,
            "command": newest.command,
            "entries": total,
            "summary": summary,
        })
        cursor = first
    return changes
