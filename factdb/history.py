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

from sqlalchemy import event, inspect, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key  # not re-exported by sqlalchemy.orm in 2.1

from factdb import models as m
from factdb import resolver
from factdb.models import HistoryEntry, utcnow
from factdb.records import utc_timestamp

__all__ = [
    "shown_actor",
    "track",
    "record",
    "labelled",
    "snapshot",
    "history_of_claim",
    "history_of_entity",
    "history_of_source",
    "history_listing",
]

_LABEL = "history_action"
# Bookkeeping columns: a re-check that finds a quote where it was changes only checked_at,
# which is not a change worth a history row.
# The claims' counts are kept by the database's triggers (factdb.counts), not changed by anyone.
_UNRECORDED = frozenset({
    "created_at", "updated_at", "checked_at", "attached_at",
    "support_statements", "oppose_statements", "support_speakers", "oppose_speakers",
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
    if isinstance(obj, (m.StatementVia, m.QuoteAnchor)):
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
    return before, after


def _tracked(obj: object) -> bool:
    return isinstance(obj, m.Base) and not isinstance(obj, m.HistoryEntry)


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
        "occurred_at": utcnow(),
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
                "occurred_at": utcnow(),
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


def history_of_claim(session: Session, claim: m.Claim, *, limit: int | None = None) -> list[HistoryEntry]:
    """Every history entry of a claim and of its statements, tags, links, verdicts, via
    entries and quote anchors, oldest first; rows deleted since are included (the entries
    keep ``claim_id``). ``limit`` keeps the newest ones."""
    # a link is filed under the claim it starts from; the claim it points to sees it too
    return _entries(session, or_(HistoryEntry.claim_id == claim.id, HistoryEntry.linked_claim_id == claim.id),
                    limit=limit)


def history_of_entity(session: Session, entity: m.Entity, *, limit: int | None = None) -> list[HistoryEntry]:
    """Every history entry of an entity, its names and its roles, oldest first."""
    return _entries(session, HistoryEntry.entity_id == entity.id, limit=limit)


def history_of_source(session: Session, source: m.Source, *, limit: int | None = None) -> list[HistoryEntry]:
    """Every history entry of a source and of its stored text, oldest first."""
    return _entries(
        session, HistoryEntry.table_name.in_(("sources", "source_texts")), HistoryEntry.row_id == source.id, limit=limit
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
    values for an insert or delete."""
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
        entries = history_of_claim(session, resolver.resolve_claim(session, claim), limit=limit)
    elif entity is not None:
        entries = history_of_entity(session, resolver.resolve_entity(session, entity), limit=limit)
    elif source is not None:
        entries = history_of_source(session, resolver.resolve_source(session, source), limit=limit)
    else:
        raise ValueError("history_listing needs a claim, an entity or a source")
    return [
        {
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
        for e in entries
    ]
