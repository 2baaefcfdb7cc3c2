"""What one import did and refused: counts per kind, every problem, the history of updates."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from factdb import history
from factdb.resolver import closest
from factdb.transfer.schema import KINDS, Location

__all__ = ["ImportSummary", "Ledger", "STATUSES"]

STATUSES = ("created", "updated", "unchanged")
TEXT_STATUSES = ("stored", "replaced", "unchanged")  # a source text the bundle carries
ANCHOR_STATUSES = ("found", "ambiguous", "changed", "missing")  # a direct quote checked
SUGGESTED_PROBLEMS = 50  # fuzzy suggestions cost time; only the first problems get them
MAX_PROBLEMS = 1000  # kept in full; beyond this they are only counted


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

    def count(self, kind: str, status: str) -> None:
        self.summary.counts[kind][status] += 1

    def mark_updated(self, kind: str, status: str) -> None:
        """A deferred field changed a record first counted unchanged."""
        if status == "unchanged":
            self.summary.counts[kind]["unchanged"] -= 1
            self.summary.counts[kind]["updated"] += 1

    def updated(
        self, table: str, rid: int, key: str | None, before: Any, after: Any, claim_id: int | None = None
    ) -> None:
        """The history entry of a stored row the import changed."""
        history.record(
            self.session, "update", table, row_id=rid, row_key=key, claim_id=claim_id, before=before, after=after
        )
