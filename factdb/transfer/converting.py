"""What every converter keeps to: its records, its summary, its refusals, its dates.

A converter (:mod:`.spreadsheet`, :mod:`.claimreview`, :mod:`.factcheck_api`,
:mod:`.claimskg`, :mod:`.html`) turns a foreign file into ``(kind, record, location)`` tuples
in the bundle format (:data:`Converted`; ``location`` is text such as ``"valid.tsv:17"``). A
row or document it cannot convert becomes ``("error", {"message", "field", "reason", "raw"},
location)`` (``raw``: the row's cells or the JSON node as read), which the importer treats as
an invalid record (refused import by default, skipped and listed with ``--skip-invalid``).
:class:`Conversion` carries the records with a :class:`ConversionSummary` that fills in as
they are consumed: units read, taken and refused, fields the model cannot keep (``dropped``)
and warnings. :class:`Emitted` hands out each record once and reports two records whose keys
collide but whose content differs (the first is kept), so no file overwrites itself in turn.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from factdb.dates import parse_partial_date
from factdb.errors import InvalidInput
from factdb.keys import statement_key, verdict_key
from factdb.normalize import normalize_name

__all__ = ["Converted", "Conversion", "ConversionSummary", "Emitted", "refusal", "iso_date", "DETAILS_KEPT"]

DETAILS_KEPT = 10_000  # dropped fields listed one by one (--verbose); beyond, only counted

Converted = tuple[str, dict[str, Any], str]

_DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ]\d{1,2}:\d{2}.*)?$")


def iso_date(value: object, field_name: str) -> str | None:
    """A partial ISO date (``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``) or ``None`` for blank.

    A timestamp such as ``2020-03-27T10:46:13+0200`` or ``2021-08-04 06:49`` keeps its
    calendar date as written (no time-zone shift: the publisher's local day).
    Raises :class:`InvalidInput` naming ``field_name`` for anything else.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        text = value.strip()
        match = _DATE_PREFIX.match(text)
        if match:
            text = match.group(1)
        parsed = parse_partial_date(text, field_name)
    elif isinstance(value, (dt.date, int)):
        parsed = parse_partial_date(value, field_name)
    else:
        raise InvalidInput(f"{field_name}: expected a date, got {type(value).__name__}")
    return parsed.iso() if parsed else None


def refusal(location: str, field_name: str, reason: str, raw: Any = None) -> Converted:
    """The error marker for one refused row or document: ``"FILE:LINE: field: reason"``;
    ``raw`` (the row's cells, the JSON node) goes to the reject file with it."""
    message = f"{location}: {field_name}: {reason}"
    marker: dict[str, Any] = {"message": message, "field": field_name, "reason": reason}
    if raw is not None:
        marker["raw"] = raw
    return ("error", marker, location)


@dataclass
class ConversionSummary:
    """What a converter read: units (rows or documents) read, taken, refused by reason."""

    unit: str = "row"
    read: int = 0
    taken: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    records: Counter[str] = field(default_factory=Counter)
    # fields the file gives that the model cannot keep: kind (a property path, a column) -> count
    dropped: Counter[str] = field(default_factory=Counter)
    dropped_details: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def refuse(self, field_name: str, reason: str) -> None:
        self.refused[f"{field_name}: {reason}"] += 1

    def drop(self, kind: str, detail: str) -> None:
        """Count one field not kept (``kind`` such as ``author.logo.url`` or ``column 7``)."""
        self.dropped[kind] += 1
        if len(self.dropped_details) < DETAILS_KEPT:
            self.dropped_details.append(detail)

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    @property
    def dropped_count(self) -> int:
        return sum(self.dropped.values())

    @property
    def refused_count(self) -> int:
        return sum(self.refused.values())

    def as_dict(self) -> dict[str, Any]:
        """``{"read": .., "taken": .., "refused": .., "reasons": {reason: count}, "records": {kind: count}}``"""
        return {
            "unit": self.unit,
            "read": self.read,
            "taken": self.taken,
            "refused": self.refused_count,
            "reasons": dict(sorted(self.refused.items(), key=lambda item: (-item[1], item[0]))),
            "records": dict(sorted(self.records.items())),
            "dropped": dict(sorted(self.dropped.items(), key=lambda item: (-item[1], item[0]))),
            "warnings": list(self.warnings),
        }

    def lines(self, *, verbose: bool = False) -> list[str]:
        """Human lines for the CLI: ``1284 rows read, 1284 taken, 0 refused``, one line per
        reason, then ``dropped: 6420 fields of kinds state (1284), ...``; ``verbose`` lists
        each dropped field after it."""
        plural = self.unit + ("s" if self.read != 1 else "")
        head = f"{self.read} {plural} read, {self.taken} taken, {self.refused_count} refused"
        lines = [head, *(f"  {count} refused: {reason}" for reason, count in self.as_dict()["reasons"].items())]
        if self.dropped:
            total = self.dropped_count
            kinds = ", ".join(f"{kind} ({count})" for kind, count in self.as_dict()["dropped"].items())
            lines.append(f"  dropped: {total} field{'s' if total != 1 else ''} of kinds {kinds}")
            if verbose:
                lines.extend(f"    {detail}" for detail in self.dropped_details)
                if total > len(self.dropped_details):
                    lines.append(f"    ... and {total - len(self.dropped_details)} more")
        return lines


class Emitted:
    """Hands out each record once per file and keeps keys unique.

    A record equal to one already emitted, or saying less than it, is skipped silently (rows
    repeat entities, sources and claims); one that only adds fields or tags goes through (the
    importer adds them). One whose natural key collides with an earlier record's but where a
    field both give differs ("On abortion" and "On abortion." give one claim key) is skipped
    with a warning naming both locations: the first in file order is kept, so importing the
    file again changes nothing.
    """

    def __init__(self, summary: ConversionSummary):
        self.summary = summary
        self._seen: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}

    def add(self, kind: str, record: dict[str, Any], location: str) -> bool:
        """Whether ``record`` is to be emitted (and counted); warns on a colliding key."""
        key = (kind, natural_key(kind, record))
        first = self._seen.get(key)
        if first is None:
            self._seen[key] = (record, location)
            self.summary.records[kind] += 1
            return True
        known, where = first
        if known == record:
            return False
        differs = [n for n in record if n in known and n not in _ADDED_TO and known[n] != record[n]]
        if differs:
            self.summary.warn(
                f"{location}: {kind} {key[1]!r} has the key of {where} with other content "
                f"({_difference(known, record, differs[0])}); the first is kept"
            )
            return False
        if all(n in known for n in record) and all(set(_items(record[n])) <= set(_items(known[n])) for n in record
                                                   if n in _ADDED_TO):  # fmt: skip
            return False
        self.summary.records[kind] += 1
        return True


def natural_key(kind: str, record: dict[str, Any]) -> str:
    """The key the importer will match a converted record by (derived ones as the importer
    derives them, from the names as the file writes them)."""
    if kind == "entity":
        return normalize_name(record["name"])
    if record.get("key"):
        return str(record["key"])
    if kind == "statement":
        return statement_key(
            source_key=record["source"], claim_key=record["claim"], speaker=record.get("speaker"),
            speaker_description=record.get("speaker_description"), stance=record["stance"],
            quote=record.get("quote"), said_on=record.get("said_on"),
        )  # fmt: skip
    if kind == "verdict":
        return verdict_key(
            claim_key=record.get("claim") or "", reviewer=record["reviewer"], url=record.get("url"),
            rating=record["rating"], statement_key=record.get("statement"),
        )  # fmt: skip
    return repr(sorted(record.items()))


# list fields the importer adds to rather than replaces: records that differ there do not collide
_ADDED_TO = frozenset({"tags", "aliases", "roles"})


def _items(value: Any) -> list[str]:
    return [repr(item) for item in value] if isinstance(value, list) else [repr(value)]


def _difference(first: dict[str, Any], other: dict[str, Any], name: str) -> str:
    """``text "On abortion." here, "On abortion" there``."""
    return f"{name} {_shown(other.get(name))} here, {_shown(first.get(name))} there"


def _shown(value: Any) -> str:
    if value is None:
        return "none"
    text = value if isinstance(value, str) else repr(value)
    return f'"{text[:60]}{"..." if len(text) > 60 else ""}"'


class Conversion:
    """An iterator of ``(kind, record, location)`` with a :class:`ConversionSummary` that
    fills in as it is consumed (rows or reviews read, taken, refused by reason)."""

    def __init__(self, records: Iterator[Converted], summary: ConversionSummary):
        self._records = records
        self.summary = summary

    def __iter__(self) -> Conversion:
        return self

    def __next__(self) -> Converted:
        return next(self._records)
