"""What every step of one import shares: the natural keys it knows and the import's state.

:class:`KnownKeys` maps natural keys to row ids (stored rows and the rows this import
writes) and back; :class:`ImportContext` holds it with the connection, the bulk writer, the
ledger and the references left for the end. The per-kind loaders (:mod:`.kinds`) and the
linking step (:mod:`.linking`) take an ``ImportContext`` and nothing else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from factdb.models import EntityName
from factdb.normalize import normalize_name
from factdb.transfer.exporting import Names
from factdb.transfer.importer.bulk import BulkWriter
from factdb.transfer.importer.ledger import Ledger
from factdb.transfer.importer.suspend import Suspension
from factdb.transfer.schema import Location

__all__ = ["KnownKeys", "ImportContext", "Deferred", "DEFERRED"]

# Fields resolved after the whole bundle is in: they may name a record that comes later.
DEFERRED = {
    "entity": ("part_of", "roles"),
    "source": ("republishes", "updates"),
    "claim": ("links",),
    "statement": ("responds_to",),
    "verdict": (),
}

# (row id, the deferred fields, location, raw record for the reject file or None, status)
Deferred = tuple[int, dict[str, Any], Location, Any, str]


class KnownKeys:
    """Natural keys of stored rows and of the rows this import has written, both ways."""

    def __init__(self, conn: Connection, ledger: Ledger):
        self.ledger = ledger
        self.names = Names.load(conn)
        self.entity_ids: dict[str, int] = dict(conn.execute(select(EntityName.normalized, EntityName.entity_id)).all())
        self.primary_ids = {name: eid for eid, name in self.names.entity_name.items()}
        self.source_ids = {key: sid for sid, key in self.names.source_key.items()}
        self.claim_ids = {key: cid for cid, key in self.names.claim_key.items()}
        self.typed: dict[str, int] = {}  # entity name as typed -> id (names never move during an import)

    def entity_id(self, name: str) -> int | None:
        """The id of the entity ``name`` (any of its names, as typed) names, or None."""
        eid = self.typed.get(name)
        if eid is None:
            eid = self.entity_ids.get(normalize_name(name))
            if eid is not None:
                self.typed[name] = eid
        return eid

    def resolve_entity(self, name: str, location: Location, field: str, problems: list[str]) -> str | None:
        """The primary name of the entity ``name`` names, or None with a problem added."""
        eid = self.entity_id(name)
        if eid is None:
            problems.append(self.ledger.missing(location, field, "entity named", name, self.names.entity_name.values))
            return None
        return self.names.entity_name[eid]

    def claim_problem(self, location: Location, key: str, field: str = "claim") -> str | None:
        """The problem of a reference to an unknown claim, or None."""
        if key in self.claim_ids:
            return None
        return self.ledger.missing(location, field, "claim", key, self.claim_ids.keys)

    def source_problem(self, location: Location, key: str, field: str = "source") -> str | None:
        """The problem of a reference to an unknown source, or None."""
        if key in self.source_ids:
            return None
        return self.ledger.missing(location, field, "source", key, self.source_ids.keys)


@dataclass
class ImportContext:
    """The state of one import, shared by its steps."""

    conn: Connection
    keys: KnownKeys
    ledger: Ledger
    bulk: BulkWriter
    now: dt.datetime
    now_value: Any  # ``now`` as the driver takes it
    skip_invalid: bool
    deferred: dict[str, list[Deferred]] = field(default_factory=lambda: {kind: [] for kind in DEFERRED})
    suspension: Suspension | None = None  # the triggers dropped for a large import
    indexes_deferred: bool = False
    # source key -> (its text or None, its quote anchors, location): stored at the end (.texts)
    texts: dict[str, tuple[str | None, list[dict[str, Any]], Location]] = field(default_factory=dict)
    # stored statements this import changed (their quotes are re-checked at the end)
    updated_statements: set[int] = field(default_factory=set)
    # the sources a moved ``updates``/``republishes`` link pointed to before: their stories
    # changed too (an earlier version no longer superseded), remarked at the end
    unlinked_sources: set[int] = field(default_factory=set)
