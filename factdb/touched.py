"""The claims a write transaction touched, for what is derived per claim at its end.

Two things are derived from a claim's statements and kept stored, and both must follow every
write: the copy markers (:mod:`factdb.copies`) and the claim's sourcing flags
(:mod:`factdb.claim_flags`). :func:`track` listens to the flushes of a session and remembers
what changed: statements (their claims, before and after), verdicts and quote anchors (their
claims), sources (a source's story, outlet or date: the claims of its statements, of the sources
copying it and of its versions) and entities and roles (a party chain: the claims of the statements of
the entity, of its parts and of the people holding a role in them). Core writes (undo) say
so with :func:`touch`. :func:`claims` resolves all that to claim ids, in the transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from factdb import models as m
from factdb.reports.common import MAX_CHAIN

__all__ = ["track", "touch", "claims", "loaded_claims", "below_sql"]

_KEY = "factdb.touched"
_SPOKEN = "WHERE speaker_id IN (SELECT id FROM parts) OR speaker_affiliation_id IN (SELECT id FROM parts)"


def below_sql(start: str) -> str:
    """SQL: ``WITH RECURSIVE below(id, updates_id)``, the sources matching ``start`` and every
    source whose story they decide: the sources that copy one of them (directly or along a
    chain) and their versions, earlier and later (a new version supersedes every earlier
    one, and the copies of any version carry the newest version's story)."""
    return (
        f"WITH RECURSIVE below(id, updates_id) AS (SELECT id, updates_id FROM sources WHERE {start} UNION "
        "SELECT so.id, so.updates_id FROM below b JOIN sources so "
        "ON so.republishes_id = b.id OR so.updates_id = b.id OR so.id = b.updates_id) "
    )


def _parts_sql(start: str) -> str:
    """SQL: ``WITH RECURSIVE parts(id, depth)``: the entities matching ``start``, their parts
    (``part_of``, along a chain) and the people with a role in one of them."""
    return (
        f"WITH RECURSIVE parts(id, depth) AS (SELECT id, 0 FROM entities WHERE {start} UNION "
        "SELECT up.child, p.depth + 1 FROM parts p JOIN (SELECT id AS child, part_of_id AS parent FROM entities "
        "UNION ALL SELECT entity_id, organization_id FROM entity_roles) up ON up.parent = p.id "
        f"WHERE p.depth < {MAX_CHAIN}) "
    )


def track(session: Session) -> None:
    """Remember, at every flush of ``session``, what :func:`claims` will resolve."""
    session.info[_KEY] = {"claims": set(), "sources": set(), "entities": set(), "statements": set()}
    event.listen(session, "after_flush", _after_flush)


def touch(
    session: Session,
    *,
    claims: Iterable[int | None] = (),
    sources: Iterable[int | None] = (),
    entities: Iterable[int | None] = (),
    statements: Iterable[int | None] = (),
) -> None:
    """Say that a Core write (not seen by the ORM) touched these rows."""
    seen = session.info.get(_KEY)
    if seen is None:
        return
    for name, ids in (("claims", claims), ("sources", sources), ("entities", entities), ("statements", statements)):
        seen[name].update(i for i in ids if i is not None)


def _values(obj: Any, attribute: str) -> list[Any]:
    history = inspect(obj).attrs[attribute].history
    return [*history.deleted, *history.unchanged, *history.added, getattr(obj, attribute, None)]


def _after_flush(session: Session, _context: Any) -> None:
    seen = session.info[_KEY]
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, (m.Statement, m.Verdict)):
            seen["claims"].update(c for c in _values(obj, "claim_id") if c is not None)
        elif isinstance(obj, m.QuoteAnchor):
            seen["statements"].add(obj.statement_id)
        elif isinstance(obj, m.Source):
            if obj not in session.new:
                seen["sources"].add(obj.id)
            # a version added, moved or removed supersedes (or no longer) the one it updates
            seen["sources"].update(v for v in _values(obj, "updates_id") if v is not None)
        elif isinstance(obj, m.SourceText):
            seen["sources"].add(obj.source_id)
        elif isinstance(obj, m.Entity) and obj not in session.new:
            seen["entities"].add(obj.id)
        elif isinstance(obj, m.EntityRole):
            seen["entities"].update(e for e in (*_values(obj, "entity_id"), *_values(obj, "organization_id")) if e)


def claims(session: Session) -> set[int]:
    """The claims touched since the last call (then forgotten), resolved in the transaction."""
    seen = session.info.get(_KEY)
    if seen is None or not any(seen.values()):
        return set()
    found: set[int] = set(seen["claims"])
    connection = session.connection()
    queries = []
    if seen["sources"]:
        listed = ", ".join(str(int(s)) for s in sorted(seen["sources"]))
        queries.append(below_sql(f"id IN ({listed})") + "SELECT DISTINCT claim_id FROM statements "
                       "WHERE source_id IN (SELECT id FROM below)")  # fmt: skip
    if seen["entities"]:
        listed = ", ".join(str(int(e)) for e in sorted(seen["entities"]))
        queries.append(_parts_sql(f"id IN ({listed})") + "SELECT DISTINCT claim_id FROM statements " + _SPOKEN)
    if seen["statements"]:
        listed = ", ".join(str(int(s)) for s in sorted(seen["statements"]))
        queries.append(f"SELECT DISTINCT claim_id FROM statements WHERE id IN ({listed})")
    for sql in queries:
        found.update(row[0] for row in connection.execute(text(sql)))
    for ids in seen.values():
        ids.clear()
    return found


def loaded_claims(connection: Connection, statements_above: int, changed_at: Any,
                  sources: Iterable[int] = ()) -> set[int]:
    """The claims a bulk load touched: those of the statements it inserted (ids above
    ``statements_above``) or updated, of its verdicts, of the statements in the sources it
    inserted or changed and in the sources that copy those, and of the statements of the
    entities it changed, their parts and people (rows whose ``updated_at`` is ``changed_at``,
    the load's own); and of the statements in ``sources`` (and their stories): the sources a
    moved link left (a version's old earlier version, as :func:`_after_flush` sees it in
    ``updates_id``'s history)."""
    listed = ", ".join(str(int(s)) for s in sorted(set(sources)))
    sql = (
        below_sql("updated_at = :changed_at" + (f" OR id IN ({listed})" if listed else ""))
        + ", "
        + _parts_sql("updated_at = :changed_at").removeprefix("WITH RECURSIVE ")
        + "SELECT claim_id FROM statements WHERE id > :above OR updated_at = :changed_at "
        "UNION SELECT claim_id FROM verdicts WHERE updated_at = :changed_at "
        "UNION SELECT claim_id FROM statements WHERE source_id IN (SELECT id FROM below) "
        "UNION SELECT claim_id FROM statements " + _SPOKEN
    )
    rows = connection.execute(text(sql), {"above": int(statements_above), "changed_at": changed_at})
    return {row[0] for row in rows}
