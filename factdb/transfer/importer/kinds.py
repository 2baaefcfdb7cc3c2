"""The five per-kind loaders: one skeleton (:class:`KindLoader`), one table (:data:`KIND_LOADERS`).

A batch of valid records of one kind goes through :meth:`KindLoader.load`:

1. ``prepare``: resolve the names a record gives (outlet, speaker, claim ...), refuse those
   that name nothing, and set aside the fields resolved at the end (:data:`.context.DEFERRED`);
2. ``upsert``: match each record with its stored row (or an earlier record of the import) by
   natural key, merge, and count it created / updated / unchanged;
3. ``write``: UPDATE the changed rows (with their history), bulk-insert the new ones and the
   sub-rows (aliases, tags, via).

Each kind says only what differs: how its natural key is looked up and registered, how its
rows and sub-rows look, and for entities how records merge.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from sqlalchemy import Table

from factdb.dates import parse_partial_date
from factdb.keys import legacy_verdict_keys, statement_key, verdict_key
from factdb.models import Base, StatementSpeaker, StatementVia
from factdb.normalize import normalize_name
from factdb.transfer.exporting import EXPORTS, stored_records
from factdb.transfer.importer.bulk import IdPool
from factdb.transfer.importer.context import DEFERRED, ImportContext
from factdb.transfer.importer.suspend import SUSPEND_AT, Suspension
from factdb.transfer.schema import FIELDS, SECTIONS, Location, parse_datetime

__all__ = ["KIND_LOADERS", "KindLoader", "Valid"]

# (cleaned record, the record as read, location)
Valid = tuple[dict[str, Any], Any, Location]
# (incoming record, location, the record as read, deferred fields or None)
Prepared = tuple[dict[str, Any], Location, Any, dict[str, Any] | None]

STATEMENT_COLUMNS = (
    "id", "key", "claim_id", "speaker_id", "speaker_description", "speaker_affiliation_id", "speaker_title",
    "stance", "certainty", "hedge", "verb", "quote", "quote_kind", "said_on", "said_on_precision", "source_id",
    "note", "retracted_at", "retraction_reason", "created_at", "updated_at", "position", "retracted_on",
    "retracted_on_precision", "utterance", "anonymous_kind", "anonymous_id",
)  # fmt: skip
# the fields that say who speaks first (joint speakers are a field of their own)
SPEAKER_FIELDS = ("speaker", "speaker_description", "speaker_affiliation", "anonymous_kind", "anonymous_id")
VIA_COLUMNS = ("statement_id", "position", "entity_id")
JOINT_COLUMNS = (
    "statement_id", "position", "speaker_id", "speaker_description", "speaker_affiliation_id",
    "anonymous_kind", "anonymous_id",  # revision 0063
)  # fmt: skip
# verdict fields stored as they are (texts and lists of texts)
VERDICT_TEXTS = (
    "reviewer_url", "reviewer_same_as", "authors", "rating_explanation", "normalized_rating", "title", "description",
    "review_body", "language", "claim_venue", "claimant_same_as", "appearances",
)  # fmt: skip
_STORED: dict[str, tuple[str, str]] = {}


def _stored_date(iso: str) -> tuple[str, str]:
    """``"2011-07"`` -> ``("2011-07-01", "month")``: the stored value and its precision."""
    stored = _STORED.get(iso)
    if stored is None:
        parsed = parse_partial_date(iso)
        assert parsed is not None  # iso is a validated, non-empty date
        stored = (parsed.value.isoformat(), parsed.precision)
        if len(_STORED) < 100_000:
            _STORED[iso] = stored
    return stored


def _retracted_on(retracted: dict[str, Any] | None) -> dict[str, Any]:
    on = parse_partial_date(retracted["published_on"]) if retracted and retracted.get("published_on") else None
    return {"retracted_on": on.value if on else None, "retracted_on_precision": on.precision if on else None}


class KindLoader:
    """Loads batches of one kind of record; subclasses say what differs per kind."""

    kind: ClassVar[str]
    natural_key: ClassVar[str] = "key"
    # the column the linking step sets at the end (left alone when a row is updated)
    linked_column: ClassVar[str | None] = None
    linked_also: ClassVar[tuple[str, ...]] = ()  # more such columns (a source's updates_id)
    # the table of sub-rows (aliases, tags, via) and whether :meth:`children` gives tuples
    child_table: ClassVar[str | None] = None

    def __init__(self, ctx: ImportContext):
        self.ctx = ctx
        self.table_name = SECTIONS[self.kind]
        self.table: Table = Base.metadata.tables[self.table_name]
        self.pool = IdPool(ctx.conn, self.table_name)
        self.order = FIELDS[self.kind]
        # key -> row id of the rows known so far, and row id -> key where names are kept
        self.ids: dict[str, int] = {}
        self.keys_of: dict[int, str] | None = None

    # --- the skeleton -----------------------------------------------------------------------

    def load(self, valid: list[Valid]) -> None:
        """Resolve, match, merge and write one batch of valid records."""
        new, changed = self.upsert(self.prepare(valid))
        self.write(new, changed)

    def upsert(
        self, prepared: list[Prepared]
    ) -> tuple[dict[int, dict[str, Any]], dict[int, tuple[dict[str, Any], dict[str, Any]]]]:
        """Match each record with its stored row (or an earlier record of the batch) and merge.

        Returns the new rows ``{id: record}`` and the changed ones ``{id: (before, after)}``.
        """
        ctx = self.ctx
        lookup = self.lookup
        # the lookup by "key" inline, where a kind keeps it (a call per record otherwise)
        by_key = type(self).lookup is KindLoader.lookup
        ids = self.ids
        if by_key:  # (none to look for when no key is known: statements into an empty table)
            stored_ids = {rid for item in prepared if (rid := ids.get(item[0]["key"])) is not None} if ids else set()
        else:
            stored_ids = {rid for rid in (lookup(item[0]) for item in prepared) if rid is not None}
        deferred_fields = DEFERRED[self.kind]
        existing = {}
        if stored_ids:
            model = EXPORTS[self.kind].model
            for rid, record in stored_records(ctx.conn, ctx.keys.names, self.kind, model.id.in_(stored_ids)):
                existing[rid] = {k: v for k, v in record.items() if k not in deferred_fields}
        new: dict[int, dict[str, Any]] = {}
        changed: dict[int, tuple[dict[str, Any], dict[str, Any]]] = {}
        check = self.check if type(self).check is not KindLoader.check else None  # the base finds nothing
        # the registering by "key" inline too, where a kind keeps it
        register = self.register if type(self).register is not KindLoader.register else None
        keys_of = self.keys_of
        next_id: Callable[[], int] | None = None  # drawn at the first new row (SQLite: MAX(id) then)
        deferred, keep_raw = ctx.deferred[self.kind], ctx.skip_invalid
        counts = dict.fromkeys(("created", "updated", "unchanged"), 0)
        for incoming, location, raw, later in prepared:
            found = ids.get(incoming["key"]) if by_key else lookup(incoming)
            if check is not None:
                problems = check(incoming, found, location)
                if problems:
                    ctx.ledger.refuse(self.kind, raw, location, problems)
                    continue
            if found is None:
                if next_id is None:
                    next_id = self.pool.drawer()
                rid = next_id()
            else:
                rid = found
            if register is not None:
                register(incoming, rid)
            else:
                ids[incoming["key"]] = rid
                if keys_of is not None:
                    keys_of[rid] = incoming["key"]
            if found is None:
                new[rid] = incoming
                status = "created"
            else:
                before = new.get(rid) or (changed[rid][1] if rid in changed else existing[rid])
                after = self.merge(before, incoming)
                if after == before:
                    status = "unchanged"
                else:
                    status = "updated"
                    if rid in new:
                        new[rid] = after
                    else:
                        changed[rid] = (changed[rid][0] if rid in changed else before, after)
            counts[status] += 1
            if later:
                # the raw record only serves the reject file; a million of them would not fit
                deferred.append((rid, later, location, raw if keep_raw else None, status))
        for status, count in counts.items():
            if count:
                ctx.ledger.count(self.kind, status, count)
        return new, changed

    def write(self, new: dict[int, dict[str, Any]], changed: dict[int, tuple[dict[str, Any], dict[str, Any]]]) -> None:
        """UPDATE the changed rows (and record their history), then insert the new rows and
        every sub-row."""
        ctx = self.ctx
        # a new row's sub-rows (none where the kind has no child table: a statement's go in with it)
        children = (
            [child for rid, record in new.items() for child in self.children(rid, None, record)]
            if self.child_table is not None else []
        )  # fmt: skip
        recount: set[int] = set()
        # history records each changed row and part as undo reverts it (columns, not records)
        with ctx.ledger.recording(ctx.conn, self.table_name, changed):
            for rid, (before, after) in changed.items():
                row = self.row(rid, after)
                del row["created_at"]
                if self.linked_column is not None:
                    del row[self.linked_column]
                for column in self.linked_also:
                    del row[column]
                ctx.conn.execute(self.table.update().where(self.table.c.id == rid), row)
                children.extend(self.children(rid, before, after))
                if self.kind == "statement":
                    ctx.updated_statements.add(rid)
                recount.update(self.recount(before, row))
            if ctx.suspension is not None:
                ctx.suspension.after_update(self.table_name, changed, recount)
            self.insert(new)
            if self.child_table is not None and children:
                ctx.bulk.insert(self.child_table, children)

    def insert(self, new: dict[int, dict[str, Any]]) -> None:
        """Insert the new rows."""
        if new:
            self.ctx.bulk.insert(self.table_name, [self.row(rid, record) for rid, record in new.items()])

    # --- what differs per kind --------------------------------------------------------------

    def prepare(self, valid: list[Valid]) -> list[Prepared]:
        """``(incoming, location, raw, deferred fields)`` per record that names only known rows."""
        prepared: list[Prepared] = []
        deferred = DEFERRED[self.kind]
        for clean, raw, location in valid:
            if clean.keys().isdisjoint(deferred):  # the common case: check_record's dict as it is
                prepared.append((clean, location, raw, None))
                continue
            incoming = {k: v for k, v in clean.items() if k not in deferred}
            later = {k: clean[k] for k in deferred if k in clean}
            prepared.append((incoming, location, raw, later or None))
        return prepared

    def lookup(self, incoming: dict[str, Any]) -> int | None:
        """The id of the stored row (or earlier record) ``incoming`` is, or None."""
        return self.ids.get(incoming["key"])

    def register(self, incoming: dict[str, Any], rid: int) -> None:
        """Remember that ``incoming``'s natural key is now row ``rid``."""
        self.ids[incoming["key"]] = rid
        if self.keys_of is not None:
            self.keys_of[rid] = incoming["key"]

    def check(self, incoming: dict[str, Any], rid: int | None, location: Location) -> list[str]:
        """Problems that depend on the matched row (none but for entities)."""
        return []

    def merge(self, before: dict[str, Any], incoming: dict[str, Any]) -> dict[str, Any]:
        """Fields given replace the stored ones; fields left out are kept; tags are added to."""
        merged = {**before, **incoming}
        if "tags" in incoming and "tags" in before:
            merged["tags"] = sorted(set(before["tags"]) | set(incoming["tags"]))
        return {k: merged[k] for k in self.order if k in merged}

    def row(self, rid: int, record: dict[str, Any]) -> dict[str, Any]:
        """The table row of a record."""
        raise NotImplementedError

    def children(self, rid: int, before: dict[str, Any] | None, after: dict[str, Any]) -> list[Any]:
        """Sub-rows to insert for a new row (``before`` None) or a changed one."""
        return []


    def recount(self, before: dict[str, Any], row: dict[str, Any]) -> Iterable[int]:
        """Claims whose counts an update of this row may change (while the triggers are off)."""
        return ()


# --- entities -------------------------------------------------------------------------------


class EntityLoader(KindLoader):
    kind = "entity"
    natural_key = "name"
    linked_column = "part_of_id"
    child_table = "entity_names"

    def prepare(self, valid: list[Valid]) -> list[Prepared]:
        prepared: list[Prepared] = []
        for clean, raw, location in valid:
            seen = {normalize_name(clean["name"])}
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
        return prepared

    def lookup(self, incoming: dict[str, Any]) -> int | None:
        return self.ctx.keys.entity_ids.get(normalize_name(incoming["name"]))

    def check(self, incoming: dict[str, Any], rid: int | None, location: Location) -> list[str]:
        keys = self.ctx.keys
        problems = []
        if not normalize_name(incoming["name"]):
            problems.append(location.problem("name", "has no letters or digits"))
        for index, alias in enumerate(incoming.get("aliases", ())):
            alias_norm = normalize_name(alias)
            owner = keys.entity_ids.get(alias_norm)
            if not alias_norm:
                problems.append(location.problem(f"aliases[{index}]", "has no letters or digits"))
            elif owner is not None and owner != rid:
                owner_name = keys.names.entity_name[owner]
                problems.append(location.problem(f"aliases[{index}]", f'"{alias}" is already a name of "{owner_name}"'))
        return problems

    def register(self, incoming: dict[str, Any], rid: int) -> None:
        keys = self.ctx.keys
        if rid not in keys.names.entity_name:
            keys.names.entity_name[rid] = incoming["name"]
            keys.primary_ids[incoming["name"]] = rid
        for name in (incoming["name"], *incoming.get("aliases", ())):
            keys.entity_ids.setdefault(normalize_name(name), rid)

    def merge(self, before: dict[str, Any], incoming: dict[str, Any]) -> dict[str, Any]:
        """The kind and note given replace the stored ones; aliases are added to."""
        merged = dict(before)
        merged["kind"] = incoming["kind"]
        if "note" in incoming:
            merged["note"] = incoming["note"]
        known = {normalize_name(n) for n in (before["name"], *before.get("aliases", ()))}
        added = [a for a in incoming.get("aliases", ()) if normalize_name(a) not in known]
        if added:
            merged["aliases"] = [*before.get("aliases", ()), *added]
        return {k: merged[k] for k in self.order if k in merged}

    def row(self, rid: int, record: dict[str, Any]) -> dict[str, Any]:
        now = self.ctx.now
        return {"id": rid, "name": record["name"], "kind": record["kind"], "part_of_id": None,
                "note": record.get("note"), "created_at": now, "updated_at": now}  # fmt: skip

    def children(self, rid: int, before: dict[str, Any] | None, after: dict[str, Any]) -> list[Any]:
        if before is None:
            names = [(after["name"], True), *((alias, False) for alias in after.get("aliases", ()))]
        else:
            old = set(before.get("aliases", ()))
            names = [(alias, False) for alias in after.get("aliases", ()) if alias not in old]
        return [
            {"entity_id": rid, "name": name, "normalized": normalize_name(name), "is_primary": primary}
            for name, primary in names
        ]


# --- sources --------------------------------------------------------------------------------


class SourceLoader(KindLoader):
    kind = "source"
    linked_column = "republishes_id"
    linked_also = ("updates_id",)

    def __init__(self, ctx: ImportContext):
        super().__init__(ctx)
        self.ids, self.keys_of = ctx.keys.source_ids, ctx.keys.names.source_key

    def prepare(self, valid: list[Valid]) -> list[Prepared]:
        prepared: list[Prepared] = []
        for incoming, location, raw, later in super().prepare(valid):
            self.set_text_aside(incoming, location)
            if "outlet" in incoming:
                problems: list[str] = []
                outlet = self.ctx.keys.resolve_entity(incoming["outlet"], location, "outlet", problems)
                if problems:
                    self.ctx.ledger.refuse("source", raw, location, problems)
                    continue
                incoming["outlet"] = outlet
            prepared.append((incoming, location, raw, later))
        return prepared

    def set_text_aside(self, incoming: dict[str, Any], location: Location) -> None:
        """A source's text and anchors are not columns of ``sources``: kept for the end of the
        import (:mod:`.texts`), so a record compares with the stored row without them."""
        text, anchors = incoming.pop("text", None), incoming.pop("anchors", None)
        if text is not None or anchors:
            self.ctx.texts[incoming["key"]] = (text, anchors or [], location)

    def row(self, rid: int, record: dict[str, Any]) -> dict[str, Any]:
        published = parse_partial_date(record.get("published_on"))
        now = self.ctx.now
        return {
            "id": rid, "key": record["key"], "kind": record.get("kind") or "article",
            "outlet_id": self.ctx.keys.primary_ids[record["outlet"]] if "outlet" in record else None,
            "title": record.get("title"), "url": record.get("url"), "authors": record.get("authors", []),
            "published_on": published.value if published else None,
            "published_on_precision": published.precision if published else None,
            "published_time": record.get("published_time"), "modified_time": record.get("modified_time"),
            "text_state": record.get("text_state"),
            "republishes_id": None, "updates_id": None, "note": record.get("note"), "created_at": now,
            "updated_at": now,
        }  # fmt: skip


# --- claims ---------------------------------------------------------------------------------


class ClaimLoader(KindLoader):
    kind = "claim"
    child_table = "claim_tags"

    def __init__(self, ctx: ImportContext):
        super().__init__(ctx)
        self.ids, self.keys_of = ctx.keys.claim_ids, ctx.keys.names.claim_key

    def row(self, rid: int, record: dict[str, Any]) -> dict[str, Any]:
        now = self.ctx.now
        return {"id": rid, "key": record["key"], "text": record["text"], "note": record.get("note"),
                "created_at": now, "updated_at": now}  # fmt: skip

    def children(self, rid: int, before: dict[str, Any] | None, after: dict[str, Any]) -> list[Any]:
        old = set(before.get("tags", ())) if before is not None else set()
        return [{"claim_id": rid, "tag": tag} for tag in after.get("tags", ()) if tag not in old]



# --- statements -----------------------------------------------------------------------------


class StatementLoader(KindLoader):
    kind = "statement"
    linked_column = "responds_to_id"

    def __init__(self, ctx: ImportContext):
        super().__init__(ctx)
        self.batch_size = 0

    def prepare(self, valid: list[Valid]) -> list[Prepared]:
        ctx = self.ctx
        keys = ctx.keys
        claim_ids, source_ids, typed, entity_name = keys.claim_ids, keys.source_ids, keys.typed, keys.names.entity_name
        prepared: list[Prepared] = []
        append = prepared.append
        self.batch_size = len(valid)
        for incoming, raw, location in valid:
            # ``incoming`` is check_record's own dict: resolved in place (names -> primary names)
            problems: list[str] = []
            claim, source = incoming["claim"], incoming["source"]
            if claim not in claim_ids:
                problems.append(ctx.ledger.missing(location, "claim", "claim", claim, claim_ids.keys))
            if source not in source_ids:
                problems.append(ctx.ledger.missing(location, "source", "source", source, source_ids.keys))
            # the speaker and the affiliation written out (a loop over the two cost every record)
            speaker = incoming.get("speaker")
            if speaker is not None:
                eid = typed.get(speaker)
                incoming["speaker"] = (
                    entity_name[eid] if eid is not None else keys.resolve_entity(speaker, location, "speaker", problems)
                )
            affiliation = incoming.get("speaker_affiliation")
            if affiliation is not None:
                eid = typed.get(affiliation)
                incoming["speaker_affiliation"] = (
                    entity_name[eid] if eid is not None
                    else keys.resolve_entity(affiliation, location, "speaker_affiliation", problems)
                )  # fmt: skip
            if "via" in incoming:
                incoming["via"] = [
                    keys.resolve_entity(n, location, f"via[{i}]", problems) for i, n in enumerate(incoming["via"])
                ]
            if "joint_speakers" in incoming:
                self._resolve_joint(incoming, location, problems)
            if problems:
                ctx.ledger.refuse("statement", raw, location, problems)
                continue
            responds_to = incoming.pop("responds_to", None)
            if "key" not in incoming:
                incoming["key"] = statement_key(
                    source_key=incoming["source"], claim_key=incoming["claim"], speaker=incoming.get("speaker"),
                    speaker_description=incoming.get("speaker_description"), stance=incoming["stance"],
                    quote=incoming.get("quote"), said_on=incoming.get("said_on"),
                )  # fmt: skip
            append((incoming, location, raw, {"responds_to": responds_to} if responds_to else None))
        # statements are too many to keep in memory: each batch looks up its own keys
        self.ids = ctx.bulk.ids_by_key("statements", [item[0]["key"] for item in prepared])
        return prepared

    def merge(self, before: dict[str, Any], incoming: dict[str, Any]) -> dict[str, Any]:
        """As for any record, but who speaks is one field: a record gives its speaker (an
        entity or an anonymous description, with its affiliation, kind and id), which
        replaces the stored one whole (a named speaker kept beside a new description would be
        two speakers at once)."""
        kept = {k: v for k, v in before.items() if k not in SPEAKER_FIELDS}
        return super().merge(kept, incoming)

    def write(self, new: dict[int, dict[str, Any]], changed: dict[int, tuple[dict[str, Any], dict[str, Any]]]) -> None:
        ctx = self.ctx
        if not ctx.indexes_deferred:
            # the first batch of statements decides: into an empty table (or a large load) the
            # indexes are built and the triggers' work done once at the end
            ctx.indexes_deferred = True
            started_empty = ctx.bulk.defer_indexes()
            if started_empty or self.batch_size >= SUSPEND_AT:
                ctx.suspension = Suspension(ctx.conn, ctx.now_value)
        super().write(new, changed)

    def insert(self, new: dict[int, dict[str, Any]]) -> None:
        """New statements as the bulk writer takes them (STATEMENT_COLUMNS order); one loop
        with everything it needs in locals, as it runs once per statement."""
        keys = self.ctx.keys
        primary, claim_ids, source_ids, now = keys.primary_ids, keys.claim_ids, keys.source_ids, self.ctx.now_value
        timestamp = self.ctx.bulk.timestamp
        rows: list[tuple[Any, ...]] = []
        append = rows.append
        via_rows: list[tuple[int, int, int]] = []
        joint_rows: list[tuple[Any, ...]] = []
        stored_dates = _STORED
        for rid, r in new.items():
            get = r.get
            said_on = get("said_on")
            said, said_precision = (stored_dates.get(said_on) or _stored_date(said_on)) if said_on else (None, None)
            retracted = get("retracted")
            if retracted:
                retracted_at, reason = timestamp(parse_datetime(retracted["at"])), retracted["reason"]
                retracted_on, retracted_precision = (
                    _stored_date(retracted["published_on"]) if retracted.get("published_on") else (None, None)
                )
            else:
                retracted_at = reason = retracted_on = retracted_precision = None
            speaker, affiliation = get("speaker"), get("speaker_affiliation")
            # one tuple display (a starred part would build a list first)
            append((
                rid, r["key"], claim_ids[r["claim"]], primary[speaker] if speaker else None,
                get("speaker_description"), primary[affiliation] if affiliation else None, get("speaker_title"),
                r["stance"], get("certainty", "unspecified"), get("hedge"), get("verb"), get("quote"),
                get("quote_kind"), said, said_precision, source_ids[r["source"]], get("note"), retracted_at, reason,
                now, now, get("position"), retracted_on, retracted_precision,
                get("utterance"), get("anonymous_kind"), get("anonymous_id"),
            ))  # fmt: skip
            if "via" in r:
                via_rows.extend(self._via_rows(rid, r))
            if "joint_speakers" in r:
                joint_rows.extend(self._joint_rows(rid, r))
        self.ctx.bulk.insert_tuples("statements", STATEMENT_COLUMNS, rows)
        self.ctx.bulk.insert_tuples("statement_via", VIA_COLUMNS, via_rows)
        if joint_rows:
            self.ctx.bulk.insert_tuples("statement_speakers", JOINT_COLUMNS, joint_rows)

    def row(self, rid: int, record: dict[str, Any]) -> dict[str, Any]:
        keys = self.ctx.keys
        said = parse_partial_date(record["said_on"]) if "said_on" in record else None
        retracted = record.get("retracted")
        primary = keys.primary_ids
        get = record.get
        return {
            "id": rid, "key": record["key"], "claim_id": keys.claim_ids[record["claim"]],
            "speaker_id": primary[record["speaker"]] if "speaker" in record else None,
            "speaker_description": get("speaker_description"),
            "speaker_affiliation_id": (
                primary[record["speaker_affiliation"]] if "speaker_affiliation" in record else None
            ),
            "speaker_title": get("speaker_title"), "stance": record["stance"],
            "certainty": get("certainty", "unspecified"), "hedge": get("hedge"), "verb": get("verb"),
            "quote": get("quote"), "quote_kind": get("quote_kind"),
            "said_on": said.value if said else None, "said_on_precision": said.precision if said else None,
            "source_id": keys.source_ids[record["source"]], "responds_to_id": None, "note": get("note"),
            "position": get("position"), "utterance": get("utterance"),
            "anonymous_kind": get("anonymous_kind"), "anonymous_id": get("anonymous_id"),
            "retracted_at": parse_datetime(retracted["at"]) if retracted else None,
            "retraction_reason": retracted["reason"] if retracted else None,
            **_retracted_on(retracted),
            "created_at": self.ctx.now, "updated_at": self.ctx.now,
        }  # fmt: skip

    def children(self, rid: int, before: dict[str, Any] | None, after: dict[str, Any]) -> list[Any]:
        # a changed via list replaces the stored one; new statements' via goes in with them
        if before is not None and before.get("via") != after.get("via"):
            self.ctx.conn.execute(StatementVia.__table__.delete().where(StatementVia.statement_id == rid))
            self.ctx.bulk.insert_tuples("statement_via", VIA_COLUMNS, self._via_rows(rid, after))
        if before is not None and before.get("joint_speakers") != after.get("joint_speakers"):
            self.ctx.conn.execute(StatementSpeaker.__table__.delete().where(StatementSpeaker.statement_id == rid))
            if after.get("joint_speakers"):
                self.ctx.bulk.insert_tuples("statement_speakers", JOINT_COLUMNS, self._joint_rows(rid, after))
        return []

    def _resolve_joint(self, incoming: dict[str, Any], location: Any, problems: list[str]) -> None:
        """Joint speakers' names to primary names; the same speaker twice (or again after the
        first) is refused, as `attribute` refuses it."""
        keys = self.ctx.keys
        def who(record: dict[str, Any]) -> tuple[Any, ...]:  # as factdb.counts.speaker_ref tells speakers apart
            description = record.get("speaker_description")
            if record.get("speaker") is not None:
                return (record["speaker"],)
            if record.get("anonymous_id") is not None:  # one speaker within the statement's source
                return (None, None, None, record["anonymous_id"])
            return (None, description.strip(" ").lower() if description else None, record.get("speaker_affiliation"))

        seen = {who(incoming)}
        for i, joint in enumerate(incoming["joint_speakers"]):
            for name in ("speaker", "speaker_affiliation"):
                if name in joint:
                    joint[name] = keys.resolve_entity(joint[name], location, f"joint_speakers[{i}].{name}", problems)
            if who(joint) in seen:
                problems.append(location.problem(f"joint_speakers[{i}]", "this speaker is given twice"))
            seen.add(who(joint))

    def _joint_rows(self, rid: int, record: dict[str, Any]) -> list[tuple[Any, ...]]:
        primary = self.ctx.keys.primary_ids
        return [
            (rid, position, primary[joint["speaker"]] if "speaker" in joint else None, joint.get("speaker_description"),
             primary[joint["speaker_affiliation"]] if "speaker_affiliation" in joint else None,
             joint.get("anonymous_kind"), joint.get("anonymous_id"))
            for position, joint in enumerate(record.get("joint_speakers", ()), start=1)
        ]

    def _via_rows(self, rid: int, record: dict[str, Any]) -> list[tuple[int, int, int]]:
        primary = self.ctx.keys.primary_ids
        return [(rid, i, primary[name]) for i, name in enumerate(record.get("via", ()))]


    def recount(self, before: dict[str, Any], row: dict[str, Any]) -> Iterable[int]:
        return (self.ctx.keys.claim_ids[before["claim"]], row["claim_id"])


# --- verdicts -------------------------------------------------------------------------------


class VerdictLoader(KindLoader):
    """Verdicts: the claim rated, or the statement rated (and through it its claim).

    A verdict without a ``key`` gets :func:`factdb.keys.verdict_key`; one that a re-import of
    an older file finds only under the key it had before verdicts could rate statements
    (:func:`factdb.keys.legacy_verdict_keys`) takes over that row: the row gets the new key
    and the statement, counted updated once.
    """

    kind = "verdict"

    def __init__(self, ctx: ImportContext):
        super().__init__(ctx)
        self.statements: dict[str, tuple[int, int]] = {}  # statement key -> (id, claim id)

    def prepare(self, valid: list[Valid]) -> list[Prepared]:
        ctx = self.ctx
        keys = ctx.keys
        named = [clean["statement"] for clean, _, _ in valid if "statement" in clean]
        self.statements = ctx.bulk.statement_claims(named)
        prepared: list[Prepared] = []
        legacy: dict[str, list[str]] = {}  # new derived key -> the keys it had before
        for clean, raw, location in valid:
            problems: list[str] = []
            claim, statement = clean.get("claim"), clean.get("statement")
            if statement is not None:
                rated = self.statements.get(statement)
                if rated is None:
                    problems.append(
                        location.problem("statement", f'no statement "{statement}" in the bundle or the database')
                    )
                else:
                    stated = keys.names.claim_key[rated[1]]
                    if claim is None:
                        claim = stated
                    elif claim != stated:
                        message = f'statement "{statement}" is about claim "{stated}", not "{claim}"'
                        problems.append(location.problem("statement", message))
            if claim is not None and claim not in keys.claim_ids:
                problems.append(ctx.ledger.missing(location, "claim", "claim", claim, keys.claim_ids.keys))
            reviewer = keys.resolve_entity(clean["reviewer"], location, "reviewer", problems)
            publisher = None
            if "publisher" in clean:
                publisher = keys.resolve_entity(clean["publisher"], location, "publisher", problems)
            if problems or claim is None or reviewer is None:
                ctx.ledger.refuse("verdict", raw, location, problems)
                continue
            incoming = {**clean, "claim": claim, "reviewer": reviewer}
            if publisher is not None:
                incoming["publisher"] = publisher
            if "key" not in incoming:
                given = {"claim_key": claim, "reviewer": reviewer, "url": clean.get("url"), "rating": clean["rating"]}
                key = verdict_key(**given, statement_key=statement)
                incoming = {"key": key, **incoming}
                legacy[key] = [old for old in legacy_verdict_keys(**given) if old != key]
            prepared.append((incoming, location, raw, None))
        new_keys = [item[0]["key"] for item in prepared]
        old_keys = sorted({old for olds in legacy.values() for old in olds})
        found = ctx.bulk.verdicts_by_key([*new_keys, *old_keys])
        self.ids = {key: row[0] for key, row in found.items()}
        taken: set[str] = set()
        for incoming, _location, _raw, _later in prepared:
            key = incoming["key"]
            if key in self.ids:
                continue
            claim_id = keys.claim_ids[incoming["claim"]]
            for old in legacy.get(key, ()):
                row = found.get(old)
                if row is not None and old not in taken and row[1] == claim_id and row[2] is None:
                    taken.add(old)
                    self.ids[key] = row[0]
                    break
        return prepared

    def write(self, new: dict[int, dict[str, Any]], changed: dict[int, tuple[dict[str, Any], dict[str, Any]]]) -> None:
        # statements named only by stored rows (an update that leaves "statement" out keeps it)
        named = {r["statement"] for r in (*new.values(), *(after for _, after in changed.values())) if "statement" in r}
        unknown = sorted(named - set(self.statements))
        if unknown:
            self.statements.update(self.ctx.bulk.statement_claims(unknown))
        super().write(new, changed)

    def row(self, rid: int, record: dict[str, Any]) -> dict[str, Any]:
        keys = self.ctx.keys
        reviewed = parse_partial_date(record.get("reviewed_on"))
        get = record.get
        statement = get("statement")
        return {
            "id": rid, "key": record["key"], "claim_id": keys.claim_ids[record["claim"]],
            "statement_id": self.statements[statement][0] if statement else None,
            "reviewer_id": keys.primary_ids[record["reviewer"]], "rating": record["rating"],
            "rating_value": get("rating_value"), "best_rating": get("best_rating"), "worst_rating": get("worst_rating"),
            "reviewed_on": reviewed.value if reviewed else None,
            "reviewed_on_precision": reviewed.precision if reviewed else None, "url": get("url"),
            "publisher_id": keys.primary_ids[record["publisher"]] if "publisher" in record else None,
            **{name: get(name) for name in VERDICT_TEXTS},
            "note": get("note"), "created_at": self.ctx.now, "updated_at": self.ctx.now,
        }  # fmt: skip



# The loader of each kind, in dependency order.
KIND_LOADERS: dict[str, type[KindLoader]] = {
    "entity": EntityLoader,
    "source": SourceLoader,
    "claim": ClaimLoader,
    "statement": StatementLoader,
    "verdict": VerdictLoader,
}
