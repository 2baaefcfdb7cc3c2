"""The last step of an import: references that may point forward within their own kind.

An entity may be ``part_of`` (or hold a role at) an entity listed after it, a source may
republish a later source, a claim link to a later claim, a statement respond to a later one.
Once every row is in, these are resolved in chunks and written; a record first counted
unchanged becomes updated when one of them changes.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from factdb.dates import parse_partial_date
from factdb.models import ClaimLink, Entity, Source, Statement
from factdb.sources import republish_cycle, republished_by, updated_by
from factdb.transfer.exporting import stored_records
from factdb.transfer.importer.context import Deferred, ImportContext

__all__ = ["finish"]

CHUNK = 2000


def finish(ctx: ImportContext) -> None:
    """Resolve and write every deferred reference of the import (``ctx.deferred``)."""
    for kind, step in _STEPS.items():
        items = ctx.deferred[kind]
        for start in range(0, len(items), CHUNK):
            step(ctx, items[start : start + CHUNK])
        items.clear()


def _entities(ctx: ImportContext, items: list[Deferred]) -> None:
    ids = {item[0] for item in items}
    current = {
        rid: {"part_of": record.get("part_of"), "roles": record.get("roles", [])}
        for rid, record in stored_records(ctx.conn, ctx.keys.names, "entity", Entity.id.in_(ids))
    }
    role_rows = []
    parents: list[tuple[int, int | None]] = []
    stored: list[int] = []  # stored entities this step changes (history records them)
    for rid, later, location, raw, status in items:
        problems: list[str] = []
        name = ctx.keys.names.entity_name[rid]
        before = current.get(rid, {"part_of": None, "roles": []})
        after = {"part_of": before["part_of"], "roles": list(before["roles"])}
        if "part_of" in later:
            parent = ctx.keys.resolve_entity(later["part_of"], location, "part_of", problems)
            if parent == name:
                problems.append(location.problem("part_of", "an entity cannot be part of itself"))
            after["part_of"] = parent
        for index, role in enumerate(later.get("roles", ())):
            role = dict(role)
            if "of" in role:
                role["of"] = ctx.keys.resolve_entity(role["of"], location, f"roles[{index}].of", problems)
            role = {k: role[k] for k in ("title", "of", "from", "until", "note") if k in role}
            if role not in after["roles"]:
                after["roles"].append(role)
        if problems:
            ctx.ledger.refuse("entity", raw, location, problems)
            continue
        if after == before:
            continue
        current[rid] = after
        if after["part_of"] != before["part_of"]:
            parents.append((rid, ctx.keys.primary_ids[after["part_of"]] if after["part_of"] else None))
        for role in after["roles"][len(before["roles"]):]:
            role_rows.append(_role_row(ctx, rid, role))
        if status != "created":
            stored.append(rid)
            ctx.ledger.mark_updated("entity", status)
    with ctx.ledger.recording(ctx.conn, "entities", stored):
        ctx.bulk.set_column("entities", "part_of_id", parents, ctx.now_value)
        if role_rows:
            ctx.bulk.insert("entity_roles", role_rows)


def _role_row(ctx: ImportContext, rid: int, role: dict[str, Any]) -> dict[str, Any]:
    started = parse_partial_date(role.get("from"))
    ended = parse_partial_date(role.get("until"))
    return {
        "entity_id": rid,
        "title": role["title"],
        "organization_id": ctx.keys.primary_ids[role["of"]] if role.get("of") else None,
        "started_on": started.value if started else None,
        "started_on_precision": started.precision if started else None,
        "ended_on": ended.value if ended else None,
        "ended_on_precision": ended.precision if ended else None,
        "note": role.get("note"),
    }


def _sources(ctx: ImportContext, items: list[Deferred]) -> None:
    for field, column, parents_of in (
        ("republishes", "republishes_id", republished_by),
        ("updates", "updates_id", updated_by),
    ):
        chosen = [item for item in items if field in item[1]]
        if chosen:
            _source_links(ctx, chosen, field, column, parents_of(ctx.conn))


def _source_links(
    ctx: ImportContext, items: list[Deferred], field: str, column: str, parents: dict[int, int]
) -> None:
    """Set ``republishes`` (a copy's original) or ``updates`` (a later version's earlier
    version): no source links itself, no chain loops, and a version has one later version."""
    ids = {item[0] for item in items}
    current: dict[int, int | None] = dict(
        ctx.conn.execute(select(Source.id, Source.__table__.c[column]).where(Source.id.in_(ids))).all()
    )
    what = "republish" if field == "republishes" else "update"
    later_of = {old: new for new, old in parents.items()} if field == "updates" else {}
    changes: list[tuple[int, int | None]] = []
    stored: list[int] = []
    for rid, later, location, raw, status in items:
        key = later[field]
        target = ctx.keys.source_ids.get(key)
        if target is None:
            problem = ctx.ledger.missing(location, field, "source", key, ctx.keys.source_ids.keys)
        elif target == rid:
            problem = location.problem(field, f"a source cannot {what} itself")
        elif republish_cycle(parents, rid, target) is not None:
            problem = location.problem(
                field, f'"{key}" already {field} this source, directly or through a chain: a cycle'
            )
        elif later_of.get(target, rid) != rid:
            other = ctx.keys.names.source_key[later_of[target]]
            problem = location.problem(field, f'"{key}" already has a later version, "{other}"')
        else:
            problem = None
        if target is None or problem is not None:
            ctx.ledger.refuse("source", raw, location, [problem] if problem else [])
            continue
        before = current.get(rid)
        if before == target:
            continue
        current[rid] = parents[rid] = target
        if before is not None:
            ctx.unlinked_sources.add(before)
        if field == "updates":
            if before is not None:
                later_of.pop(before, None)
            later_of[target] = rid
        changes.append((rid, target))
        if status != "created":
            stored.append(rid)
            ctx.ledger.mark_updated("source", status)
    with ctx.ledger.recording(ctx.conn, "sources", stored):
        ctx.bulk.set_column("sources", column, changes, ctx.now_value)


def _claims(ctx: ImportContext, items: list[Deferred]) -> None:
    ids = {item[0] for item in items}
    current: dict[int, set[tuple[str, int]]] = {}
    query = select(ClaimLink.from_claim_id, ClaimLink.kind, ClaimLink.to_claim_id).where(
        ClaimLink.from_claim_id.in_(ids)
    )
    for from_id, kind, to_id in ctx.conn.execute(query):
        current.setdefault(from_id, set()).add((kind, to_id))
    rows = []
    stored: list[int] = []
    for rid, later, location, raw, status in items:
        problems = []
        links = current.setdefault(rid, set())
        added = []
        for index, link in enumerate(later["links"]):
            target = ctx.keys.claim_ids.get(link["claim"])
            if target is None:
                problems.append(
                    ctx.ledger.missing(
                        location, f"links[{index}].claim", "claim", link["claim"], ctx.keys.claim_ids.keys
                    )
                )
            elif target == rid:
                problems.append(location.problem(f"links[{index}].claim", "a claim cannot be linked to itself"))
            elif (link["kind"], target) not in links:
                added.append((link["kind"], target))
        if problems:
            ctx.ledger.refuse("claim", raw, location, problems)
            continue
        for kind, target in added:
            links.add((kind, target))
            rows.append({"from_claim_id": rid, "kind": kind, "to_claim_id": target})
        if added and status != "created":
            stored.append(rid)
            ctx.ledger.mark_updated("claim", status)
    if rows:
        with ctx.ledger.recording(ctx.conn, "claims", stored):
            ctx.bulk.insert("claim_links", rows)


def _statements(ctx: ImportContext, items: list[Deferred]) -> None:
    conn = ctx.conn
    keys = {item[1]["responds_to"] for item in items}
    targets = dict(conn.execute(select(Statement.key, Statement.id).where(Statement.key.in_(keys))).all())
    ids = {item[0] for item in items}
    current = dict(conn.execute(select(Statement.id, Statement.responds_to_id).where(Statement.id.in_(ids))).all())
    changes: list[tuple[int, int | None]] = []
    stored: list[int] = []
    for rid, later, location, raw, status in items:
        key = later["responds_to"]
        target = targets.get(key)
        if target is None:
            ctx.ledger.refuse(
                "statement",
                raw,
                location,
                [location.problem("responds_to", f'no statement "{key}" in the bundle or the database')],
            )
            continue
        if target == rid:
            ctx.ledger.refuse(
                "statement", raw, location, [location.problem("responds_to", "a statement cannot respond to itself")]
            )
            continue
        if current.get(rid) == target:
            continue
        if status != "created":
            stored.append(rid)
            ctx.ledger.mark_updated("statement", status)
        current[rid] = target
        changes.append((rid, target))
    with ctx.ledger.recording(ctx.conn, "statements", stored):
        ctx.bulk.set_column("statements", "responds_to_id", changes, ctx.now_value)


_STEPS = {"entity": _entities, "source": _sources, "claim": _claims, "statement": _statements}
