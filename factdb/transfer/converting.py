"""Small helpers shared by the converters: keys for foreign rows, dates, the refusal marker.

A converter yields ``(kind, record, location)`` tuples in the bundle format; a row or
document it cannot convert becomes ``("error", {"message": ..., "field": ..., "reason": ...},
location)``, which the importer treats as an invalid record (refused import by default,
skipped and listed with ``--skip-invalid``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from factdb.dates import parse_partial_date
from factdb.errors import InvalidInput
from factdb.keys import slugify
from factdb.normalize import normalize_name

__all__ = [
    "Record",
    "ConversionSummary",
    "refusal",
    "claim_key_for",
    "source_key_for_url",
    "iso_date",
    "host_of",
]

Record = tuple[str, dict, str]

_DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ]\d{1,2}:\d{2}.*)?$")


def digest(*parts: str | None, length: int = 8) -> str:
    joined = "\x1f".join(p or "" for p in parts)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:length]


def claim_key_for(text: str, hint: str | None = None) -> str:
    """A claim key from its wording: a readable slug plus a digest of the normalized text,
    so two different claims that slug alike keep apart and the same text keeps one key.
    Text with no Latin letters (Hindi, Chinese) takes its slug from ``hint`` (the review
    URL's last path segment) or the word ``claim``.

    >>> claim_key_for("Iran supplies weapons to Shiite militias in Iraq")
    'iran-supplies-weapons-to-shiite-militias-in-iraq-4ceb674a'
    """
    wording = " ".join(text.split())
    slug = slugify(wording, 50)
    if slug == "x":
        segment = [part for part in urlsplit(hint or "").path.split("/") if part]
        # percent-encoded twice on some sites: "http%253A%252F%252Fdoc.afp.com%252F9JM367"
        slug = slugify(unquote(unquote(segment[-1])).rsplit("/", 1)[-1], 50) if segment else "claim"
        slug = "claim" if slug == "x" else slug
    return f"{slug}-{digest(normalize_name(wording))}"


def host_of(url: str) -> str:
    """``https://www.politifact.com/x`` -> ``politifact.com`` (the outlet name for a bare URL)."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def source_key_for_url(url: str) -> str:
    """``facebook.com-<digest>``: the host keeps keys readable, the digest keeps them unique."""
    return f"{slugify(host_of(url) or 'web', 60)}-{digest(url.strip(), length=12)}"


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


def refusal(location: str, field_name: str, reason: str) -> Record:
    """The error marker for one refused row or document: ``"FILE:LINE: field: reason"``."""
    message = f"{location}: {field_name}: {reason}"
    return ("error", {"message": message, "field": field_name, "reason": reason}, location)


@dataclass
class ConversionSummary:
    """What a converter read: units (rows or documents) read, taken, refused by reason."""

    unit: str = "row"
    read: int = 0
    taken: int = 0
    refused: Counter = field(default_factory=Counter)
    records: Counter = field(default_factory=Counter)

    def refuse(self, field_name: str, reason: str) -> None:
        self.refused[f"{field_name}: {reason}"] += 1

    @property
    def refused_count(self) -> int:
        return sum(self.refused.values())

    def as_dict(self) -> dict:
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
