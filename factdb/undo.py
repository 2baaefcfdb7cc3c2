"""Undo: revert one change (everything one command wrote) from the history it recorded.

A change is the set of history entries of one transaction (:func:`factdb.history.change_time`).
Reverting it walks its entries newest first: a recorded insert is deleted, an update (or a
merge's or retraction's update) gets its before values back, a delete is inserted again with
the values and id it had. It is refused, before anything is written, naming what depends on
it, when a later change touched one of its rows, or when a row it would delete is used by a
row it did not write. The undo is a change of its own: one ``undo`` entry per reverted row
(before -> after, filed under the same claim or entity) and one entry naming the change undone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Table, and_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql.sqltypes import JSON, Date, DateTime

from factdb import history, touched
from factdb import models as m
from factdb.errors import InUse, InvalidInput, NotFound
from factdb.models import HistoryEntry
from factdb.records import utc_timestamp

__all__ = ["undo_change", "last_change"]

# Entries that say what a command did rather than change a row (a merge's, an import's summary).
_SUMMARY_TABLES = ("bundle", "history")
_NOUNS = {
    "entities": "entity", "entity_names": "name", "entity_roles": "role", "sources": "source",
    "source_texts": "source text", "claims": "claim", "claim_tags": "tag", "claim_links": "claim link",
    "statements": "statement", "statement_via": "via link", "statement_speakers": "joint speaker",
    "quote_anchors": "quote anchor", "verdicts": "verdict",
}
_LAST_SEARCH = 200  # how many of the actor's newest entries `undo` looks through for a change


def _table(name: str) -> Table:
    table = m.Base.metadata.tables.get(name)
    if table is None:
        raise InvalidInput(f"history: no table {name}")
    return table


def _is_summary(entry: HistoryEntry) -> bool:
    if entry.table_name in _SUMMARY_TABLES:
        return True
    return entry.action == "merge" and isinstance(entry.before, dict) and "merged" in entry.before


def _identity(table: Table, entry: HistoryEntry) -> tuple[Any, ...] | None:
    """The primary key of the row an entry is about (from its values, else its row id)."""
    values = entry.after if entry.after is not None else entry.before
    pk = [c.name for c in table.primary_key.columns]
    if isinstance(values, dict) and all(values.get(c) is not None for c in pk):
        return tuple(values[c] for c in pk)
    if entry.row_id is not None and len(pk) == 1:
        return (entry.row_id,)
    return None


def _value(column: Any, value: Any) -> Any:
    """A recorded (JSON) value as the column takes it."""
    if value is None or isinstance(column.type, JSON):
        return value
    if isinstance(column.type, DateTime) and isinstance(value, str):
        moment = dt.datetime.fromisoformat(value)
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
    if isinstance(column.type, Date) and isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


def _values(table: Table, recorded: dict[str, Any]) -> dict[str, Any]:
    return {name: _value(table.c[name], value) for name, value in recorded.items() if name in table.c}


def _where(table: Table, identity: tuple[Any, ...]) -> Any:
    return and_(*(c == v for c, v in zip(table.primary_key.columns, identity, strict=True)))


def _label(table_name: str, row: Any, identity: tuple[Any, ...]) -> str:
    noun = _NOUNS.get(table_name, table_name)
    for field in ("key", "name", "tag", "title"):
        value = getattr(row, field, None) if row is not None else None
        if value is not None:
            return f'{noun} "{value}"'
    return f"{noun} {'/'.join(str(v) for v in identity)}"


def _change_of(session: Session, change: int) -> list[HistoryEntry]:
    entries = history.change_entries(session, change)
    if not entries:
        raise NotFound("change", str(change))
    return entries


def _describe(entry: HistoryEntry) -> str:
    return f"change {entry.id} ({entry.actor}, {utc_timestamp(entry.occurred_at)}: {entry.command or 'no command'})"


def last_change(session: Session, actor: str) -> int:
    """The newest change made as ``actor`` that is not an undo and was not undone."""
    seen: set[int] = set()
    query = select(HistoryEntry).where(HistoryEntry.actor == actor).order_by(HistoryEntry.id.desc())
    for entry in session.scalars(query.limit(_LAST_SEARCH)):
        entries = history.change_entries(session, entry.id)
        first = entries[0].id
        if first in seen:
            continue
        seen.add(first)
        if any(e.action == "undo" for e in entries) or _undone_by(session, first) is not None:
            continue
        return first
    raise NotFound("change to undo made as", actor)


def _undone_by(session: Session, change: int) -> int | None:
    query = select(HistoryEntry.id).where(
        HistoryEntry.action == "undo", HistoryEntry.table_name == "history", HistoryEntry.row_id == change
    )
    found: int | None = session.scalars(query.limit(1)).first()
    return history.change_entries(session, found)[0].id if found is not None else None


Touched = dict[tuple[str, tuple[Any, ...]], str]  # (table, primary key) -> what it is, for messages


def _check_later(session: Session, entries: list[HistoryEntry], touched: Touched) -> None:
    """Refuse when a later change touched a row of this one."""
    last = entries[-1].id
    tables = {table for table, _ in touched}
    row_ids = {identity[0] for _, identity in touched if len(identity) == 1}
    later = select(HistoryEntry).where(
        HistoryEntry.id > last,
        HistoryEntry.table_name.in_(tables),
        HistoryEntry.row_id.in_(row_ids) | HistoryEntry.row_id.is_(None),
    ).order_by(HistoryEntry.id)
    mine = {e.id for e in entries}
    reverted = _undone_changes(session, last)
    for entry in session.scalars(later):
        # an undo put back what the change it undid had found: neither orphans anything
        if entry.id in mine or _is_summary(entry) or entry.action == "undo" or _key(entry) in reverted:
            continue
        identity = _identity(_table(entry.table_name), entry)
        if identity is not None and (entry.table_name, identity) in touched:
            what = touched[(entry.table_name, identity)]
            raise InUse(
                f"Change {entries[0].id} cannot be undone: {_describe(entry)} later changed its {what}; "
                "undo that change first."
            )


def _key(entry: HistoryEntry) -> tuple[Any, ...]:
    return entry.occurred_at, entry.actor, entry.command


def _undone_changes(session: Session, since: int) -> set[tuple[Any, ...]]:
    """The changes after entry ``since`` that were undone since, by (time, actor, command)."""
    undone = select(HistoryEntry.row_id).where(
        HistoryEntry.action == "undo", HistoryEntry.table_name == "history", HistoryEntry.row_id > since
    )
    firsts = select(HistoryEntry).where(HistoryEntry.id.in_(undone))
    return {_key(e) for e in session.scalars(firsts)}


def _later_identities(session: Session, table: Table, after: int, ids: list[Any]) -> set[tuple[Any, ...]]:
    """The rows of ``table`` that entries after ``after`` wrote (not undone since)."""
    query = select(HistoryEntry).where(HistoryEntry.table_name == table.name, HistoryEntry.id > after)
    reverted = _undone_changes(session, after)
    found = set()
    for entry in session.scalars(query):
        identity = _identity(table, entry)
        if identity is not None and entry.action != "undo" and _key(entry) not in reverted:
            found.add(identity)
    return found


def _cascaded(table: Table, row: Any, deleted: dict[str, set[tuple[Any, ...]]]) -> bool:
    """Whether the database deletes ``row`` with a row this undo deletes (a role with its entity)."""
    for fk in table.foreign_keys:
        cascades = (fk.ondelete or "").upper() == "CASCADE" and fk.column.table.name in deleted
        if cascades and (getattr(row, fk.parent.name),) in deleted[fk.column.table.name]:
            return True
    return False


def _references(deleted: dict[str, set[tuple[Any, ...]]]) -> Iterator[tuple[str, Table, Any, list[Any], Table, Any]]:
    """(table name, table, its key column, the deleted ids, a referring table, its foreign key)
    for every foreign key of the schema that can point at a row about to be deleted."""
    for table_name, identities in deleted.items():
        table = _table(table_name)
        if len(table.primary_key.columns) != 1:
            continue
        key = next(iter(table.primary_key.columns))
        ids = [identity[0] for identity in identities]
        for other in m.Base.metadata.sorted_tables:
            for fk in other.foreign_keys:
                yield table_name, table, key, ids, other, fk


# References derived from other rows, not a use: a statement marked as a copy of (or, only an
# earlier version making it, superseded by) the one deleted is remarked at commit
# (factdb.copies); the database sets the marker NULL meanwhile (ON DELETE SET NULL).
_DERIVED = frozenset({"copy_of_id"})


def _check_users(session: Session, deleted: dict[str, set[tuple[Any, ...]]], first: int, last: int) -> None:
    """Refuse when a row this undo deletes is used by a row it does not delete. Parts the
    database deletes with their row (a statement's via links, an entity's names) are refused
    only when a later change added them: the change itself may have written them unrecorded
    (an import records its statements, not their via links)."""
    for table_name, table, key, ids, other, fk in _references(deleted):
        if fk.column is not key or other.name == "history" or fk.parent.name in _DERIVED:
            continue
        spare = deleted.get(other.name, set())
        rows = session.execute(select(other).where(fk.parent.in_(ids))).all()
        cascades = (fk.ondelete or "").upper() == "CASCADE"
        later: set[tuple[Any, ...]] = set()
        for row in rows:
            identity = tuple(getattr(row, c.name) for c in other.primary_key.columns)
            if identity in spare:
                continue
            goes = cascades or _cascaded(other, row, deleted)
            if goes and not later:
                later = _later_identities(session, other, last, ids)
            if goes and identity not in later:
                continue
            used = session.execute(select(table).where(key == getattr(row, fk.parent.name))).first()
            raise InUse(
                f"Change {first} cannot be undone: {_label(other.name, row, identity)} "
                f"uses its {_label(table_name, used, (getattr(row, fk.parent.name),))}; "
                "undo or change that first."
            )


def _unlink(conn: Any, deleted: dict[str, set[tuple[Any, ...]]]) -> None:
    """Free the rows about to be deleted from the references to them: after the checks, only
    rows going with them still hold any (one imported entity part of another, a role's
    organization, an imported joint speaker), and the order of the deletes must not trip over
    them."""
    for table_name, _, key, ids, other, fk in _references(deleted):
        if fk.column is not key:
            continue
        if other.name == table_name:  # one row of the change points at another (part_of)
            if fk.parent.nullable:
                conn.execute(other.update().where(fk.parent.in_(ids)).values({fk.parent.name: None}))
            continue
        # a part that goes with its parent (a role with its entity, a joint speaker with its
        # statement) and the change did not record: deleted now, as the cascade would, rather
        # than cleared (a joint speaker must name someone); the recorded parts the plan deletes,
        # children first
        recorded = deleted.get(other.name, set())
        pk = list(other.primary_key.columns)
        for parent in other.foreign_keys:
            if (parent.ondelete or "").upper() != "CASCADE" or parent.column.table.name not in deleted:
                continue
            parents = [identity[0] for identity in deleted[parent.column.table.name]]
            rows = conn.execute(select(*pk).where(fk.parent.in_(ids), parent.parent.in_(parents))).all()
            for row in rows:
                if tuple(row) not in recorded:
                    conn.execute(other.delete().where(_where(other, tuple(row))))


def _touch(session: Session, table: str, row_id: int | None, *rows: dict[str, Any] | None) -> None:
    """What is derived per claim (copy markers, sourcing flags: factdb.touched) follows Core writes too."""
    values = [row for row in rows if row is not None]
    if table in ("statements", "verdicts"):
        touched.touch(session, claims=[row.get("claim_id") for row in values])
    if table in ("quote_anchors", "statement_speakers", "statement_via"):
        touched.touch(session, statements=[row.get("statement_id") for row in values])
    if table in ("sources", "source_texts"):
        # a source's versions too (row.get("updates_id")): a version undone supersedes no more
        touched.touch(session, sources=[row_id, *(row.get(k) for row in values for k in ("source_id", "updates_id"))])
    if table in ("entities", "entity_roles"):
        ends = [row.get(k) for row in values for k in ("entity_id", "organization_id")]
        touched.touch(session, entities=[row_id, *ends])


def undo_change(session: Session, change: int | None = None) -> dict[str, Any]:
    """Revert ``change`` (the id of any of its entries; default: the newest change made by the
    session's actor), in the session's transaction. Returns ``{change, command, reverted}``."""
    actor = session.info["actor"]
    first = last_change(session, actor.name) if change is None else _change_of(session, change)[0].id
    entries = _change_of(session, first)
    if any(e.action == "undo" for e in entries):
        raise InvalidInput(f"Change {first} is itself an undo; it cannot be undone.")
    undone = _undone_by(session, first)
    if undone is not None:
        raise InvalidInput(f"Change {first} was already undone (by change {undone}).")
    rows = [e for e in entries if not _is_summary(e)]
    touched: Touched = {}
    deleted: dict[str, set[tuple[Any, ...]]] = {}
    plan = []
    for entry in reversed(rows):
        table = _table(entry.table_name)
        identity = _identity(table, entry)
        if identity is None:
            raise InvalidInput(
                f"Change {first} cannot be undone: its history does not say which "
                f"{_NOUNS.get(entry.table_name, entry.table_name)} it changed (entry {entry.id})."
            )
        if entry.table_name == "source_texts" and entry.before is not None:
            raise InvalidInput(
                f"Change {first} cannot be undone: history keeps the length of a replaced source text, "
                "not the text; attach it again with `source attach-text`."
            )
        noun = _NOUNS.get(entry.table_name, entry.table_name)
        touched[(entry.table_name, identity)] = f"{noun} {entry.row_key or ''}".strip()
        if entry.before is None:
            deleted.setdefault(entry.table_name, set()).add(identity)
        plan.append((entry, table, identity))
    # one flush records its rows in no particular order: put back deleted rows parents first,
    # then the updates (a merge's loser exists again before rows point back at it), then delete
    # inserted rows children first
    order = {t.name: i for i, t in enumerate(m.Base.metadata.sorted_tables)}

    # a row deleted and written again under the same key (a via chain replaced): the new one
    # goes first, then the old one can come back
    reused = {(e.table_name, i) for e, _, i in plan if e.before is None} & {
        (e.table_name, i) for e, _, i in plan if e.after is None}

    def step(item: tuple[HistoryEntry, Table, tuple[Any, ...]]) -> tuple[int, int, int]:
        entry = item[0]
        if entry.before is None and (entry.table_name, item[2]) in reused:
            return -1, -order[entry.table_name], -entry.id
        if entry.after is None:
            return 0, order[entry.table_name], entry.id
        if entry.before is not None:
            return 1, 0, -entry.id
        return 2, -order[entry.table_name], -entry.id

    plan.sort(key=step)
    _check_later(session, entries, touched)
    _check_users(session, deleted, first, entries[-1].id)
    session.flush()
    conn = session.connection()
    _unlink(conn, deleted)
    reverted = 0
    try:
        for entry, table, identity in plan:
            current = conn.execute(select(table).where(_where(table, identity))).mappings().first()
            now = history.snapshot_row(table, current) if current is not None else None
            if entry.before is None:  # an insert: delete it (the database cascades to its parts)
                if current is None:
                    continue
                conn.execute(table.delete().where(_where(table, identity)))
                restored = None
            elif entry.after is None:  # a delete: insert it again, as it was
                restored = dict(entry.before)
                conn.execute(table.insert().values(**_values(table, restored)))
            else:  # an update: the values before it
                restored = dict(entry.before)
                conn.execute(table.update().where(_where(table, identity)).values(**_values(table, restored)))
            _touch(session, entry.table_name, entry.row_id, now, restored)
            history.record(
                session, "undo", entry.table_name, row_id=entry.row_id, row_key=entry.row_key,
                claim_id=entry.claim_id, before=now, after=restored,
            )
            reverted += 1
    except IntegrityError as error:
        detail = str(getattr(error, "orig", error)).strip().splitlines()[0]
        raise InUse(f"Change {first} cannot be undone: the database refuses ({detail}).") from None
    history.record(
        session, "undo", "history", row_id=first,
        after={"undid": first, "command": entries[0].command, "entries": reverted},
    )
    session.expire_all()
    return {"change": first, "command": entries[0].command, "reverted": reverted}
