"""What one import did and refused: counts per kind, every problem, the history of updates."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from factdb import history
from factdb.models import Base
from factdb.resolver import closest
from factdb.transfer.schema import KINDS, Location

__all__ = ["ImportSummary", "Ledger", "STATUSES"]

STATUSES = ("created", "updated", "unchanged")
TEXT_STATUSES = ("stored", "replaced", "unchanged")  # a source text the bundle carries
ANCHOR_STATUSES = ("found", "ambiguous", "changed", "missing")  # a direct quote checked
SUGGESTED_PROBLEMS = 50  # fuzzy suggestions cost time; only the first problems get them
MAX_PROBLEMS = 1000  # kept in full; beyond this they are only counted
# the rows an update of a stored row may change besides it (its parts): (table, parent column)
PARTS: dict[str, tuple[tuple[str, str], ...]] = {
    "entities": (("entity_names", "entity_id"), ("entity_roles", "entity_id")),
    "sources": (),
    "claims": (("claim_tags", "claim_id"), ("claim_links", "from_claim_id")),
    "statements": (("statement_via", "statement_id"), ("statement_speakers", "statement_id")),
    "verdicts": (),
}
_NATURAL_KEYS = {"entities": "name", "entity_names": "name", "entity_roles": "title", "claim_tags": "tag"}
_CHUNK = 1000
# (table, primary key) -> (the row as history records it, its claim)
Snapshot = dict[tuple[str, tuple[Any, ...]], tuple[dict[str, Any], int | None]]


@dataclass
class ImportSummary:
    """What an import did (or, dry run, would do): created / updated / unchanged per kind."""

    counts: dict[str, dict[str, int]] = field(default_factory=lambda: {k: dict.fromkeys(STATUSES, 0) for k in KINDS})
    rejected: int = 0
    problems: list[str] = field(default_factory=list)
    problem_count: int = 0
    dry_run: bool = False
    # source texts the bundle carried, and the direct quotes checked against stored texts
    texts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TEXT_STATUSES, 0))
    quotes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ANCHOR_STATUSES, 0))

    @property
    def changed(self) -> bool:
        return any(c["created"] or c["updated"] for c in self.counts.values())

    def rows(self) -> list[dict[str, Any]]:
        """One row per kind with any record, for a table."""
        return [{"kind": kind, **counts} for kind, counts in self.counts.items() if any(counts.values())]

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "counts": {kind: dict(counts) for kind, counts in self.counts.items()},
            "texts": dict(self.texts),
            "quotes": dict(self.quotes),
            "rejected": self.rejected,
            "problems": list(self.problems),
        }

    def text_line(self) -> str | None:
        """``2 source texts stored; 5 direct quotes checked: 4 found, 1 changed.``, or None
        when the import carried no text and checked no quote."""
        texts = ", ".join(f"{n} {status}" for status, n in self.texts.items() if n)
        checked = sum(self.quotes.values())
        if not texts and not checked:
            return None
        parts = [f"source texts: {texts}"] if texts else []
        if checked:
            found = ", ".join(f"{n} {status}" for status, n in self.quotes.items() if n)
            parts.append(f"{checked} direct quote{'s' if checked != 1 else ''} checked: {found}")
        line = "; ".join(parts) + "."
        return line[0].upper() + line[1:]


class Ledger:
    """Keeps the :class:`ImportSummary` of one import, hands refused records to the reject
    sink, and records an ``update`` history entry for every stored row the import changes."""

    def __init__(
        self,
        session: Session,
        summary: ImportSummary,
        *,
        skip_invalid: bool,
        reject_sink: Callable[[dict[str, Any]], None] | None,
    ):
        self.session = session
        self.summary = summary
        self.skip_invalid = skip_invalid
        self.reject_sink = reject_sink

    def refuse(self, kind: str | None, fields: Any, location: Location, problems: list[str]) -> None:
        """Count a refused record and keep its problems (the first :data:`MAX_PROBLEMS`)."""
        summary = self.summary
        summary.problem_count += len(problems)
        room = max(0, MAX_PROBLEMS - len(summary.problems))
        summary.problems.extend(problems[:room])
        summary.rejected += 1
        if self.skip_invalid and self.reject_sink is not None:
            record = {"type": kind, **fields} if isinstance(fields, dict) and kind else fields
            self.reject_sink({"location": location.at(), "problems": problems, "record": record})

    def missing(
        self, location: Location, field: str, what: str, value: str, candidates: Callable[[], Iterable[str]]
    ) -> str:
        """The problem of a reference to nothing: ``no claim "x" ... Did you mean "y"?``."""
        message = f'no {what} "{value}" in the bundle or the database'
        if self.summary.problem_count < SUGGESTED_PROBLEMS:
            found = closest(value, candidates())
            if found:
                message += ". Did you mean " + " or ".join(f'"{s}"' for s in found) + "?"
        return location.problem(field, message)

    def problem(self, problem: str) -> None:
        """A problem found after the records were taken (a dangling quote anchor)."""
        self.summary.problem_count += 1
        if len(self.summary.problems) < MAX_PROBLEMS:
            self.summary.problems.append(problem)

    def count(self, kind: str, status: str, records: int = 1) -> None:
        self.summary.counts[kind][status] += records

    def mark_updated(self, kind: str, status: str) -> None:
        """A deferred field changed a record first counted unchanged."""
        if status == "unchanged":
            self.summary.counts[kind]["unchanged"] -= 1
            self.summary.counts[kind]["updated"] += 1

    @contextlib.contextmanager
    def recording(self, conn: Any, table_name: str, ids: Iterable[int]) -> Iterator[None]:
        """Record in history what the block changes of the stored rows ``ids`` of
        ``table_name`` and of their parts (:data:`PARTS`: aliases, roles, tags, links, via,
        joint speakers), row by row as ``factdb undo`` reverts it: an ``update`` entry with
        the changed columns before and after, an ``insert`` or ``delete`` entry per part."""
        wanted = sorted(set(ids))
        if not wanted:
            yield
            return
        before = _snapshot(conn, table_name, wanted)
        yield
        after = _snapshot(conn, table_name, wanted)
        for (table, identity), (new, claim_id) in after.items():
            old = before.get((table, identity), (None, None))[0]
            if old is None:
                self._entry("insert", table, identity, claim_id, new, None, new)
                continue
            changed = [column for column, value in new.items() if old.get(column) != value]
            if changed:
                pk = [] if len(identity) == 1 else [c.name for c in Base.metadata.tables[table].primary_key.columns]
                columns = [*pk, *changed]
                self._entry("update", table, identity, claim_id, new, {c: old[c] for c in columns},
                            {c: new[c] for c in columns})  # fmt: skip
        for (table, identity), (old, claim_id) in before.items():
            if (table, identity) not in after:
                self._entry("delete", table, identity, claim_id, old, old, None)

    def _entry(
        self, action: str, table: str, identity: tuple[Any, ...], claim_id: int | None, row: dict[str, Any],
        before: dict[str, Any] | None, after: dict[str, Any] | None,
    ) -> None:  # fmt: skip
        key = row.get(_NATURAL_KEYS.get(table, "key"))
        row_id = identity[0] if len(identity) == 1 else None
        history.record(self.session, action, table, row_id=row_id, row_key=key, claim_id=claim_id,
                       before=before, after=after)  # fmt: skip


def _snapshot(conn: Any, table_name: str, ids: list[int]) -> Snapshot:
    """The rows ``ids`` of ``table_name`` and their parts, as history records rows."""
    found: Snapshot = {}
    table: Table = Base.metadata.tables[table_name]
    claims: dict[int, int | None] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        for row in conn.execute(select(table).where(table.c.id.in_(chunk))).mappings():
            claim_id = row["id"] if table_name == "claims" else row.get("claim_id")
            claims[row["id"]] = claim_id
            found[(table_name, (row["id"],))] = (history.snapshot_row(table, row), claim_id)
        for part_name, parent in PARTS[table_name]:
            part = Base.metadata.tables[part_name]
            pk = list(part.primary_key.columns)
            for row in conn.execute(select(part).where(part.c[parent].in_(chunk))).mappings():
                identity = tuple(row[c.name] for c in pk)
                found[(part_name, identity)] = (history.snapshot_row(part, row), claims.get(row[parent]))
    return found
