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
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = ["track", "record", "labelled", "snapshot"]

_LABEL = "history_action"


def _natural_key(obj: Any) -> str | None:
    from factdb import models as m

    if isinstance(obj, (m.Claim, m.Source, m.Statement, m.Verdict)):
        return obj.key
    if isinstance(obj, (m.Entity, m.EntityName)):
        return obj.name
    if isinstance(obj, m.ClaimTag):
        return obj.tag
    if isinstance(obj, m.EntityRole):
        return obj.title
    return None


def _claim_of(session: Session, obj: Any) -> int | None:
    from factdb import models as m

    if isinstance(obj, m.Claim):
        return obj.id
    if isinstance(obj, (m.Statement, m.ClaimTag, m.Verdict)):
        return obj.claim_id
    if isinstance(obj, m.ClaimLink):
        return obj.from_claim_id
    if isinstance(obj, (m.StatementVia, m.QuoteAnchor)):
        from sqlalchemy import select
        from sqlalchemy.orm.util import identity_key  # not re-exported by sqlalchemy.orm in 2.1

        statement = session.identity_map.get(identity_key(m.Statement, obj.statement_id))
        if statement is not None:
            return statement.claim_id
        query = select(m.Statement.claim_id).where(m.Statement.id == obj.statement_id)
        return session.connection().execute(query).scalar()
    return None


def _json_value(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def snapshot(obj: Any) -> dict[str, Any]:
    """Column values of a mapped object as JSON-ready data."""
    from sqlalchemy import inspect

    state = inspect(obj)
    values = {}
    for attr in state.mapper.column_attrs:
        if attr.key in ("created_at", "updated_at"):
            continue
        values[attr.key] = _json_value(state.dict.get(attr.key))
    return values


def _changes(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    from sqlalchemy import inspect

    state = inspect(obj)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in ("created_at", "updated_at"):
            continue
        hist = state.attrs[attr.key].history
        if hist.has_changes():
            before[attr.key] = _json_value(hist.deleted[0] if hist.deleted else None)
            after[attr.key] = _json_value(hist.added[0] if hist.added else None)
    return before, after


def _tracked(obj: Any) -> bool:
    from factdb import models as m

    return isinstance(obj, m.Base) and not isinstance(obj, m.HistoryEntry)


def _row(session: Session, obj: Any, action: str, before: Any, after: Any) -> dict[str, Any]:
    from sqlalchemy import inspect

    from factdb.models import utcnow

    actor = session.info["actor"]
    state = inspect(obj)
    # a row inserted by this flush has no identity key yet in after_flush; its columns do
    pk = state.identity or state.mapper.primary_key_from_instance(obj)
    return {
        "occurred_at": utcnow(),
        "actor": actor.name,
        "command": actor.command,
        "action": action,
        "table_name": obj.__tablename__,
        "row_id": pk[0] if pk and len(pk) == 1 and isinstance(pk[0], int) else None,
        "row_key": _natural_key(obj),
        "claim_id": _claim_of(session, obj),
        "before": before,
        "after": after,
    }


def _after_flush(session: Session, _flush_context: Any) -> None:
    from factdb.models import HistoryEntry

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
    from sqlalchemy import event

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
    from factdb.models import HistoryEntry, utcnow

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
                "before": before,
                "after": after,
            }
        ],
    )
