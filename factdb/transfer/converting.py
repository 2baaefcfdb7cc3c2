"""What every converter keeps to: its records, its summary, its refusals, its dates.

A converter (:mod:`.spreadsheet`, :mod:`.claimreview`) turns a foreign file into
``(kind, record, location)`` tuples in the bundle format (:data:`Converted`; ``location`` is
text such as ``"valid.tsv:17"``). A row or document it cannot convert becomes
``("error", {"message": ..., "field": ..., "reason": ...}, location)``, which the importer
treats as an invalid record (refused import by default, skipped and listed with
``--skip-invalid``). :class:`Conversion` carries the records with a
:class:`ConversionSummary` that fills in as they are consumed.
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

__all__ = ["Converted", "Conversion", "ConversionSummary", "refusal", "iso_date"]

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


def refusal(location: str, field_name: str, reason: str) -> Converted:
    """The error marker for one refused row or document: ``"FILE:LINE: field: reason"``."""
    message = f"{location}: {field_name}: {reason}"
    return ("error", {"message": message, "field": field_name, "reason": reason}, location)


@dataclass
class ConversionSummary:
    """What a converter read: units (rows or documents) read, taken, refused by reason."""

    unit: str = "row"
    read: int = 0
    taken: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    records: Counter[str] = field(default_factory=Counter)

    def refuse(self, field_name: str, reason: str) -> None:
        self.refused[f"{field_name}: {reason}"] += 1

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
        }

    def lines(self) -> list[str]:
        """Human lines for the CLI: ``1284 rows read, 1284 taken, 0 refused`` then one line per reason."""
        plural = self.unit + ("s" if self.read != 1 else "")
        head = f"{self.read} {plural} read, {self.taken} taken, {self.refused_count} refused"
        reasons = [f"  {count} refused: {reason}" for reason, count in self.as_dict()["reasons"].items()]
        return [head, *reasons]


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
