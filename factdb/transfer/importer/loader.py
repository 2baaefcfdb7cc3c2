"""The importer's engine: resolve a batch of valid records and write it (see loading.py).

Each record becomes its canonical form (the record the exporter would write for it), is
matched with the stored row by natural key, merged, and counted created / updated / unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from factdb import history
from factdb.dates import parse_partial_date
from factdb.keys import statement_key, verdict_key
from factdb.models import (
    Claim,
    Entity,
    EntityName,
    Source,
    Statement,
    StatementVia,
    Verdict,
    utcnow,
)
from factdb.normalize import normalize_name
from factdb.resolver import closest
from factdb.transfer.exporting import (
    Names,
    claim_records,
    entity_records,
    source_records,
    statement_records,
    verdict_records,
)
from factdb.transfer.importer import linking
from factdb.transfer.importer.bulk import BulkWriter
from factdb.transfer.importer.inserted import highest_ids, record_inserts
from factdb.transfer.importer.suspend import SUSPEND_AT, Suspension
from factdb.transfer.schema import FIELDS, SECTIONS, Location, parse_datetime

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from factdb.transfer.importer import ImportSummary

__all__ = ["Loader", "DEFERRED"]

STATEMENT_COLUMNS = (
    "id", "key", "claim_id", "speaker_id", "speaker_description", "speaker_affiliation_id", "speaker_title",
    "stance", "certainty", "hedge", "verb", "quote", "quote_kind", "said_on", "said_on_precision", "source_id",
    "note", "retracted_at", "retraction_reason", "created_at", "updated_at",
)
_STORED: dict[str, tuple[str, str]] = {}


def _stored_date(iso: str) -> tuple[str, str]:
    """``"2011-07"`` -> ``("2011-07-01", "month")``: the stored value and its precision."""
    stored = _STORED.get(iso)
    if stored is None:
        parsed = parse_partial_date(iso)
        stored = (parsed.value.isoformat(), parsed.precision)
        if len(_STORED) < 100_000:
            _STORED[iso] = stored
    return stored


def _parse_datetime(text: str) -> Any:
    return parse_datetime(text)

# Fields resolved after the whole bundle is in: they may name a record that comes later.
DEFERRED = {
    "entity": ("part_of", "roles"),
    "source": ("republishes",),
    "claim": ("links",),
    "statement": ("responds_to",),
    "verdict": (),
}
SUGGESTED_PROBLEMS = 50  # fuzzy suggestions cost time; only the first problems get them
MAX_PROBLEMS = 1000  # kept in full; beyond this they are only counted

Valid = tuple[dict[str, Any], Any, Location]


class IdPool:
    """Row ids drawn before the insert, so parents and children go in with plain executemany.

    SQLite: the write transaction (BEGIN IMMEDIATE) holds the only write lock, so counting on
    from MAX(id) is safe. PostgreSQL: ids come from the table's own sequence, in blocks.
    """

    def __init__(self, conn: Any, table: str):
        self.conn = conn
        self.table = table
        self.postgres = conn.dialect.name == "postgresql"
        self.free: list[int] = []
        self.last: int | None = None

    def next(self) -> int:
        if not self.postgres:
            if self.last is None:
                self.last = self.conn.exec_driver_sql(f"SELECT COALESCE(MAX(id), 0) FROM {self.table}").scalar()
            self.last += 1
            return self.last
        if not self.free:
            block = self.conn.exec_driver_sql(
                f"SELECT nextval(pg_get_serial_sequence('{self.table}', 'id')) FROM generate_series(1, 2000)"
            ).scalars()
            self.free = sorted(block, reverse=True)
        return self.free.pop()


class Loader:
    """State of one import: the name maps, id pools, deferred references and the summary."""

    summary: ImportSummary

    def __init__(self, session: Session, *, skip_invalid: bool, reject_sink: Callable | None):
        self.session = session
        self.conn = session.connection()
        self.skip_invalid = skip_invalid
        self.reject_sink = reject_sink
        self.now = utcnow()
        self.names = Names.load(self.conn)
        self.entity_ids: dict[str, int] = dict(self.conn.execute(select(EntityName.normalized, EntityName.entity_id)).all())
        self.primary_ids = {name: eid for eid, name in self.names.entity_name.items()}
        self.source_ids = {key: sid for sid, key in self.names.source_key.items()}
        self.claim_ids = {key: cid for cid, key in self.names.claim_key.items()}
        self.pools = {kind: IdPool(self.conn, SECTIONS[kind]) for kind in ("entity", "source", "claim", "statement", "verdict")}
        self.deferred: dict[str, list[tuple[int, dict[str, Any], Location, Any, str]]] = {k: [] for k in DEFERRED}
        self._typed: dict[str, int] = {}  # entity name as typed -> id (names never move during an import)
        self.bulk = BulkWriter(self.conn)
        self.now_value = self.bulk.timestamp(self.now)
        self._indexes_deferred = False
        self.suspension: Suspension | None = None
        self.highest_ids = highest_ids(self.conn)  # rows above these get 'insert' history

    # --- problems ---------------------------------------------------------------------------

    def refuse(self, kind: str | None, fields: Any, location: Location, problems: list[str]) -> None:
        summary = self.summary
        summary.problem_count += len(problems)
        room = max(0, MAX_PROBLEMS - len(summary.problems))
        summary.problems.extend(problems[:room])
        summary.rejected += 1
        if self.skip_invalid and self.reject_sink is not None:
            record = {"type": kind, **fields} if isinstance(fields, dict) and kind else fields
            self.reject_sink({"location": location.at(), "problems": problems, "record": record})

    def missing(self, location: Location, field: str, what: str, value: str, candidates: Callable[[], Any]) -> str:
        message = f'no {what} "{value}" in the bundle or the database'
        if self.summary.problem_count < SUGGESTED_PROBLEMS:
            found = closest(value, candidates())
            if found:
                message += ". Did you mean " + " or ".join(f'"{s}"' for s in found) + "?"
        return location.problem(field, message)

    def entity_id(self, name: str) -> int | None:
        eid = self._typed.get(name)
        if eid is None:
            eid = self.entity_ids.get(normalize_name(name))
            if eid is not None:
                self._typed[name] = eid
        return eid

    def resolve_entity(self, name: str, location: Location, field: str, problems: list[str]) -> str | None:
        """The primary name of the entity ``name`` names, or None with a problem added."""
        eid = self.entity_id(name)
        if eid is None:
            problems.append(self.missing(location, field, "entity named", name, self.names.entity_name.values))
            return None
        return self.names.entity_name[eid]

    def reference_problems(self, kind: str, values: dict[str, Any], location: Location) -> list[str]:
        """Dangling references of a record refused for other reasons, so all are told at once."""
        problems: list[str] = []
        if kind in ("statement", "verdict") and "claim" in values and values["claim"] not in self.claim_ids:
            problems.append(self.missing(location, "claim", "claim", values["claim"], self.claim_ids.keys))
        if kind == "statement" and "source" in values and values["source"] not in self.source_ids:
            problems.append(self.missing(location, "source", "source", values["source"], self.source_ids.keys))
        for name in ("speaker", "speaker_affiliation", "outlet", "reviewer"):
            if name in values:
                self.resolve_entity(values[name], location, name, problems)
        for index, name in enumerate(values.get("via", ())):
            self.resolve_entity(name, location, f"via[{index}]", problems)
        return problems

    # --- the generic upsert -----------------------------------------------------------------

    def load(self, kind: str, valid: list[Valid]) -> None:
        getattr(self, f"_load_{SECTIONS[kind]}")(valid)

    def count(self, kind: str, status: str) -> None:
        self.summary.counts[kind][status] += 1

    def upsert(
        self,
        kind: str,
        prepared: list[tuple[dict[str, Any], Location, Any, dict[str, Any] | None]],
        lookup: Callable[[dict[str, Any]], int | None],
        register: Callable[[dict[str, Any], int], None],
        fetch: Callable[[set[int]], Any],
        merge: Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]],
        check: Callable[[dict[str, Any], int | None, Location], list[str]] | None = None,
    ) -> tuple[dict[int, dict[str, Any]], dict[int, tuple[dict[str, Any], dict[str, Any]]]]:
        """Match each record with its stored row (or an earlier record of the batch) and merge.

        Returns the new rows ``{id: record}`` and the changed ones ``{id: (before, after)}``.
        """
        stored_ids = {rid for rid in (lookup(item[0]) for item in prepared) if rid is not None}
        deferred_fields = DEFERRED[kind]
        existing = {}
        if stored_ids:
            for rid, record in fetch(stored_ids):
                existing[rid] = {k: v for k, v in record.items() if k not in deferred_fields}
        new: dict[int, dict[str, Any]] = {}
        changed: dict[int, tuple[dict[str, Any], dict[str, Any]]] = {}
        for incoming, location, raw, later in prepared:
            rid = lookup(incoming)
            if check is not None:
                problems = check(incoming, rid, location)
                if problems:
                    self.refuse(kind, raw, location, problems)
                    continue
            if rid is None:
                rid = self.pools[kind].next()
                register(incoming, rid)
                new[rid] = incoming
                status = "created"
            else:
                register(incoming, rid)
                before = new.get(rid) or (changed[rid][1] if rid in changed else existing[rid])
                after = merge(before, incoming)
                if after == before:
                    status = "unchanged"
                else:
                    status = "updated"
                    if rid in new:
                        new[rid] = after
                    else:
                        changed[rid] = (changed[rid][0] if rid in changed else before, after)
            self.count(kind, status)
            if later:
                # the raw record only serves the reject file; a million of them would not fit
                self.deferred[kind].append((rid, later, location, raw if self.skip_invalid else None, status))
        return new, changed

    def history_update(self, table: str, rid: int, key: str, before: Any, after: Any, claim_id: int | None = None) -> None:
        history.record(self.session, "update", table, row_id=rid, row_key=key, claim_id=claim_id, before=before, after=after)

    def mark_updated(self, kind: str, status: str) -> None:
        """A deferred field changed a record first counted unchanged."""
        if status == "unchanged":
            self.summary.counts[kind]["unchanged"] -= 1
            self.summary.counts[kind]["updated"] += 1

    # --- entities ---------------------------------------------------------------------------

    def _load_entities(self, valid: list[Valid]) -> None:
        prepared = []
        for clean, raw, location in valid:
            norm = normalize_name(clean["name"])
            seen = {norm}
            aliases = []
            for alias in clean.get("aliases", ()):
                alias_norm = normalize_name(alias)
                if alias_norm not in seen:
                    seen.add(alias_norm)
                    aliases.append(alias)
            incoming = {"name": clean["name"], "kind": clean["kind"]}
            if aliases:
                incoming["aliases"] = aliases
            if "note" in clean:
                incoming["note"] = clean["note"]
            later = {k: clean[k] for k in DEFERRED["entity"] if k in clean}
            prepared.append((incoming, location, raw, later))

        def lookup(incoming: dict[str, Any]) -> int | None:
            return self.entity_ids.get(normalize_name(incoming["name"]))

        def check(incoming: dict[str, Any], rid: int | None, location: Location) -> list[str]:
            problems = []
            if not normalize_name(incoming["name"]):
                problems.append(location.problem("name", "has no letters or digits"))
            for index, alias in enumerate(incoming.get("aliases", ())):
                alias_norm = normalize_name(alias)
                owner = self.entity_ids.get(alias_norm)
                if not alias_norm:
                    problems.append(location.problem(f"aliases[{index}]", "has no letters or digits"))
                elif owner is not None and owner != rid:
                    owner_name = self.names.entity_name[owner]
                    problems.append(location.problem(f"aliases[{index}]", f'"{alias}" is already a name of "{owner_name}"'))
            return problems

        def register(incoming: dict[str, Any], rid: int) -> None:
            if rid not in self.names.entity_name:
                self.names.entity_name[rid] = incoming["name"]
                self.primary_ids[incoming["name"]] = rid
            for name in (incoming["name"], *incoming.get("aliases", ())):
                self.entity_ids.setdefault(normalize_name(name), rid)

        def merge(before: dict[str, Any], incoming: dict[str, Any]) -> dict[str, Any]:
            merged = dict(before)
            merged["kind"] = incoming["kind"]
            if "note" in incoming:
                merged["note"] = incoming["note"]
            known = {normalize_name(n) for n in (before["name"], *before.get("aliases", ()))}
            added = [a for a in incoming.get("aliases", ()) if normalize_name(a) not in known]
            if added:
                merged["aliases"] = [*before.get("aliases", ()), *added]
            return {k: merged[k] for k in FIELDS["entity"] if k in merged}

        def fetch(ids: set[int]) -> Any:
            return entity_records(self.conn, self.names, Entity.id.in_(ids))

        new, changed = self.upsert("entity", prepared, lookup, register, fetch, merge, check)
        now = self.now
        entity_rows, name_rows = [], []
        for rid, record in new.items():
            entity_rows.append({"id": rid, "name": record["name"], "kind": record["kind"], "part_of_id": None,
                                "note": record.get("note"), "created_at": now, "updated_at": now})
            name_rows.append({"entity_id": rid, "name": record["name"], "normalized": normalize_name(record["name"]),
                              "is_primary": True})
            for alias in record.get("aliases", ()):
                name_rows.append({"entity_id": rid, "name": alias, "normalized": normalize_name(alias), "is_primary": False})
        for rid, (before, after) in changed.items():
            self.conn.execute(
                Entity.__table__.update().where(Entity.id == rid),
                {"kind": after["kind"], "note": after.get("note"), "updated_at": now},
            )
            old = set(before.get("aliases", ()))
            for alias in after.get("aliases", ()):
                if alias not in old:
                    name_rows.append({"entity_id": rid, "name": alias, "normalized": normalize_name(alias),
                                      "is_primary": False})
            self.history_update("entities", rid, after["name"], before, after)
        if entity_rows:
            self.bulk.insert("entities", entity_rows)
        if name_rows:
            self.bulk.insert("entity_names", name_rows)

    # --- sources ----------------------------------------------------------------------------

    def _load_sources(self, valid: list[Valid]) -> None:
        prepared = []
        for clean, raw, location in valid:
            problems: list[str] = []
            outlet = self.resolve_entity(clean["outlet"], location, "outlet", problems)
            if problems:
                self.refuse("source", raw, location, problems)
                continue
            incoming = {k: v for k, v in clean.items() if k != "republishes"}
            incoming["outlet"] = outlet
            later = {"republishes": clean["republishes"]} if "republishes" in clean else None
            prepared.append((incoming, location, raw, later))

        def register(incoming: dict[str, Any], rid: int) -> None:
            self.source_ids[incoming["key"]] = rid
            self.names.source_key[rid] = incoming["key"]

        new, changed = self.upsert(
            "source", prepared, lambda r: self.source_ids.get(r["key"]), register,
            lambda ids: source_records(self.conn, self.names, Source.id.in_(ids)), _merger("source"),
        )
        rows = [self._source_row(rid, record) for rid, record in new.items()]
        for rid, (before, after) in changed.items():
            row = self._source_row(rid, after)
            del row["created_at"], row["republishes_id"]
            self.conn.execute(Source.__table__.update().where(Source.id == rid), row)
            self.history_update("sources", rid, after["key"], before, after)
        if rows:
            self.bulk.insert("sources", rows)

    def _source_row(self, rid: int, record: dict[str, Any]) -> dict[str, Any]:
        published = parse_partial_date(record.get("published_on"))
        return {
            "id": rid, "key": record["key"], "outlet_id": self.primary_ids[record["outlet"]],
            "title": record.get("title"), "url": record.get("url"), "authors": record.get("authors", []),
            "published_on": published.value if published else None,
            "published_on_precision": published.precision if published else None,
            "republishes_id": None, "note": record.get("note"), "created_at": self.now, "updated_at": self.now,
        }

    # --- claims -----------------------------------------------------------------------------

    def _load_claims(self, valid: list[Valid]) -> None:
        prepared = []
        for clean, raw, location in valid:
            incoming = {k: v for k, v in clean.items() if k != "links"}
            later = {"links": clean["links"]} if "links" in clean else None
            prepared.append((incoming, location, raw, later))

        def register(incoming: dict[str, Any], rid: int) -> None:
            self.claim_ids[incoming["key"]] = rid
            self.names.claim_key[rid] = incoming["key"]

        new, changed = self.upsert(
            "claim", prepared, lambda r: self.claim_ids.get(r["key"]), register,
            lambda ids: claim_records(self.conn, self.names, Claim.id.in_(ids)), _merger("claim"),
        )
        now = self.now
        rows = [{"id": rid, "key": r["key"], "text": r["text"], "note": r.get("note"), "created_at": now,
                 "updated_at": now} for rid, r in new.items()]
        tags = [{"claim_id": rid, "tag": tag} for rid, r in new.items() for tag in r.get("tags", ())]
        if self.suspension is not None:
            self.suspension.before_update("claims", changed)
        for rid, (before, after) in changed.items():
            self.conn.execute(
                Claim.__table__.update().where(Claim.id == rid),
                {"text": after["text"], "note": after.get("note"), "updated_at": now},
            )
            old = set(before.get("tags", ()))
            tags.extend({"claim_id": rid, "tag": tag} for tag in after.get("tags", ()) if tag not in old)
            self.history_update("claims", rid, after["key"], before, after, claim_id=rid)
        if self.suspension is not None:
            self.suspension.after_update("claims", changed)
        if rows:
            self.bulk.insert("claims", rows)
        if tags:
            self.bulk.insert("claim_tags", tags)

    # --- statements -------------------------------------------------------------------------

    def _load_statements(self, valid: list[Valid]) -> None:
        prepared = []
        claim_ids, source_ids, typed, entity_name = self.claim_ids, self.source_ids, self._typed, self.names.entity_name
        for incoming, raw, location in valid:
            # ``incoming`` is check_record's own dict: resolved in place (names -> primary names)
            problems: list[str] = []
            if incoming["claim"] not in claim_ids:
                problems.append(self.missing(location, "claim", "claim", incoming["claim"], claim_ids.keys))
            if incoming["source"] not in source_ids:
                problems.append(self.missing(location, "source", "source", incoming["source"], source_ids.keys))
            for name in ("speaker", "speaker_affiliation"):
                typed_name = incoming.get(name)
                if typed_name is not None:
                    eid = typed.get(typed_name)
                    if eid is not None:
                        incoming[name] = entity_name[eid]
                    else:
                        incoming[name] = self.resolve_entity(typed_name, location, name, problems)
            if "via" in incoming:
                incoming["via"] = [
                    self.resolve_entity(n, location, f"via[{i}]", problems) for i, n in enumerate(incoming["via"])
                ]
            if problems:
                self.refuse("statement", raw, location, problems)
                continue
            responds_to = incoming.pop("responds_to", None)
            if "key" not in incoming:
                incoming["key"] = statement_key(
                    source_key=incoming["source"], claim_key=incoming["claim"], speaker=incoming.get("speaker"),
                    speaker_description=incoming.get("speaker_description"), stance=incoming["stance"],
                    quote=incoming.get("quote"), said_on=incoming.get("said_on"),
                )
            prepared.append((incoming, location, raw, {"responds_to": responds_to} if responds_to else None))
        stored = self.bulk.ids_by_key("statements", [item[0]["key"] for item in prepared])

        def register(incoming: dict[str, Any], rid: int) -> None:
            stored[incoming["key"]] = rid

        new, changed = self.upsert(
            "statement", prepared, lambda r: stored.get(r["key"]), register,
            lambda ids: statement_records(self.conn, self.names, Statement.id.in_(ids)), _merger("statement"),
        )
        if not self._indexes_deferred:
            self._indexes_deferred = True
            started_empty = self.bulk.defer_indexes()
            if started_empty or len(valid) >= SUSPEND_AT:
                self.suspension = Suspension(self.conn)
        rows = self._statement_tuples(new)
        via_rows = [via for rid, record in new.items() if "via" in record for via in self._via_rows(rid, record)]
        if self.suspension is not None:
            self.suspension.before_update("statements", changed)
        recount = set()
        for rid, (before, after) in changed.items():
            row = self._statement_row(rid, after)
            del row["created_at"], row["responds_to_id"]
            self.conn.execute(Statement.__table__.update().where(Statement.id == rid), row)
            if before.get("via") != after.get("via"):
                self.conn.execute(StatementVia.__table__.delete().where(StatementVia.statement_id == rid))
                via_rows.extend(self._via_rows(rid, after))
            self.history_update("statements", rid, after["key"], before, after, claim_id=row["claim_id"])
            recount.update((self.claim_ids[before["claim"]], row["claim_id"]))
        if self.suspension is not None:
            self.suspension.after_update("statements", changed, recount)
        self.bulk.insert_tuples("statements", STATEMENT_COLUMNS, rows)
        self.bulk.insert_tuples("statement_via", ("statement_id", "position", "entity_id"), via_rows)

    def _statement_row(self, rid: int, r: dict[str, Any]) -> dict[str, Any]:
        said = parse_partial_date(r["said_on"]) if "said_on" in r else None
        retracted = r.get("retracted")
        primary = self.primary_ids
        return {
            "id": rid, "key": r["key"], "claim_id": self.claim_ids[r["claim"]],
            "speaker_id": primary[r["speaker"]] if "speaker" in r else None,
            "speaker_description": r.get("speaker_description"),
            "speaker_affiliation_id": primary[r["speaker_affiliation"]] if "speaker_affiliation" in r else None,
            "speaker_title": r.get("speaker_title"), "stance": r["stance"], "certainty": r.get("certainty", "unspecified"),
            "hedge": r.get("hedge"), "verb": r.get("verb"), "quote": r.get("quote"), "quote_kind": r.get("quote_kind"),
            "said_on": said.value if said else None, "said_on_precision": said.precision if said else None,
            "source_id": self.source_ids[r["source"]], "responds_to_id": None, "note": r.get("note"),
            "retracted_at": parse_datetime(retracted["at"]) if retracted else None,
            "retraction_reason": retracted["reason"] if retracted else None,
            "created_at": self.now, "updated_at": self.now,
        }

    def _via_rows(self, rid: int, record: dict[str, Any]) -> list[tuple[int, int, int]]:
        return [(rid, i, self.primary_ids[name]) for i, name in enumerate(record.get("via", ()))]

    def _statement_tuples(self, new: dict[int, dict[str, Any]]) -> list[tuple]:
        """New statements as the bulk writer takes them (STATEMENT_COLUMNS order); one loop
        with everything it needs in locals, as it runs once per statement."""
        primary, claim_ids, source_ids, now = self.primary_ids, self.claim_ids, self.source_ids, self.now_value
        timestamp = self.bulk.timestamp
        rows = []
        append = rows.append
        for rid, r in new.items():
            get = r.get
            said_on = get("said_on")
            said = _stored_date(said_on) if said_on else (None, None)
            retracted = get("retracted")
            speaker, affiliation = get("speaker"), get("speaker_affiliation")
            append((
                rid, r["key"], claim_ids[r["claim"]], primary[speaker] if speaker else None,
                get("speaker_description"), primary[affiliation] if affiliation else None, get("speaker_title"),
                r["stance"], get("certainty", "unspecified"), get("hedge"), get("verb"), get("quote"),
                get("quote_kind"), said[0], said[1], source_ids[r["source"]], get("note"),
                timestamp(_parse_datetime(retracted["at"])) if retracted else None,
                retracted["reason"] if retracted else None, now, now,
            ))
        return rows

    # --- verdicts ---------------------------------------------------------------------------

    def _load_verdicts(self, valid: list[Valid]) -> None:
        prepared = []
        for clean, raw, location in valid:
            problems: list[str] = []
            if clean["claim"] not in self.claim_ids:
                problems.append(self.missing(location, "claim", "claim", clean["claim"], self.claim_ids.keys))
            reviewer = self.resolve_entity(clean["reviewer"], location, "reviewer", problems)
            if problems:
                self.refuse("verdict", raw, location, problems)
                continue
            incoming = {**clean, "reviewer": reviewer}
            if "key" not in incoming:
                key = verdict_key(claim_key=clean["claim"], reviewer=reviewer, url=clean.get("url"), rating=clean["rating"])
                incoming = {"key": key, **incoming}
            prepared.append((incoming, location, raw, None))
        stored = self.bulk.ids_by_key("verdicts", [item[0]["key"] for item in prepared])

        def register(incoming: dict[str, Any], rid: int) -> None:
            stored[incoming["key"]] = rid

        new, changed = self.upsert(
            "verdict", prepared, lambda r: stored.get(r["key"]), register,
            lambda ids: verdict_records(self.conn, self.names, Verdict.id.in_(ids)), _merger("verdict"),
        )
        rows = [self._verdict_row(rid, record) for rid, record in new.items()]
        for rid, (before, after) in changed.items():
            row = self._verdict_row(rid, after)
            del row["created_at"]
            self.conn.execute(Verdict.__table__.update().where(Verdict.id == rid), row)
            self.history_update("verdicts", rid, after["key"], before, after, claim_id=row["claim_id"])
        if rows:
            self.bulk.insert("verdicts", rows)

    def _verdict_row(self, rid: int, r: dict[str, Any]) -> dict[str, Any]:
        reviewed = parse_partial_date(r.get("reviewed_on"))
        return {
            "id": rid, "key": r["key"], "claim_id": self.claim_ids[r["claim"]], "reviewer_id": self.primary_ids[r["reviewer"]],
            "rating": r["rating"], "rating_value": r.get("rating_value"), "best_rating": r.get("best_rating"),
            "worst_rating": r.get("worst_rating"), "reviewed_on": reviewed.value if reviewed else None,
            "reviewed_on_precision": reviewed.precision if reviewed else None, "url": r.get("url"),
            "note": r.get("note"), "created_at": self.now, "updated_at": self.now,
        }

    # --- the end ----------------------------------------------------------------------------

    def finish(self) -> None:
        """Resolve the references that may point forward (see DEFERRED)."""
        linking.finish(self)
        self.bulk.build_indexes()  # before the recount, which reads statements by claim
        if self.suspension is not None:
            self.suspension.restore()
            self.suspension = None
        self.bulk.close()

    def record_history(self, label: str | None) -> None:
        actor = self.session.info["actor"]
        record_inserts(self.conn, self.highest_ids, created_at=self.now_value, occurred_at=self.now_value,
                       actor=actor.name, command=actor.command)
        counts = {kind: dict(c) for kind, c in self.summary.counts.items() if any(c.values())}
        history.record(
            self.session, "import", "bundle", row_key=label,
            after={"file": label, "counts": counts, "rejected": self.summary.rejected},
        )


def _merger(kind: str) -> Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]]:
    """Fields given replace the stored ones; fields left out are kept; tags are added to."""
    order = FIELDS[kind]

    def merge(before: dict[str, Any], incoming: dict[str, Any]) -> dict[str, Any]:
        merged = {**before, **incoming}
        if "tags" in incoming and "tags" in before:
            merged["tags"] = sorted(set(before["tags"]) | set(incoming["tags"]))
        return {k: merged[k] for k in order if k in merged}

    return merge
