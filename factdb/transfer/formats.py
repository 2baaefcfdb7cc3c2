"""The file formats factdb reads and writes, and the one way a file's format is told.

:data:`FORMATS` is the table: each format's family (a bundle, a spreadsheet, ClaimReview
JSON-LD, a Fact Check Tools API response, a ClaimsKG export, an HTML page), the file-name
endings that name it, and whether ``factdb export`` writes it. :func:`detect_format` tells a
file's format from its name and, where the name does not decide (``.json``, ``.jsonld``,
``.csv``, ``.txt``, no ending), from its first bytes, and says what it saw.

>>> detect_format("valid.tsv")
Detection(format='tsv', seen='the ending ".tsv"')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "FORMATS",
    "BUNDLE_FORMATS",
    "IMPORT_FORMATS",
    "EXPORT_FORMATS",
    "Format",
    "Detection",
    "detect_format",
    "format_of_name",
]


@dataclass(frozen=True)
class Format:
    """One file format: ``family`` is ``bundle``, ``spreadsheet``, ``claimreview``,
    ``factcheck-api``, ``claimskg`` or ``html``."""

    name: str
    family: str
    endings: tuple[str, ...]
    exported: bool
    description: str


# In the order ``factdb import --help`` lists them.
FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("csv", "spreadsheet", (".csv",), False, "a spreadsheet, comma-separated (--map)"),
        Format("tsv", "spreadsheet", (".tsv", ".tab"), False, "a spreadsheet, tab-separated (--map)"),
        Format("claimreview", "claimreview", (".jsonld",), True, "schema.org ClaimReview JSON-LD"),
        Format("datafeed", "claimreview", (), False, "a DataCommons DataFeed of ClaimReviews"),
        Format("factcheck-api", "factcheck-api", (), False, "a Google Fact Check Tools API claims:search response"),
        Format("claimskg", "claimskg", (), False, "a ClaimsKG export (CSV, or SPARQL results JSON)"),
        Format("html", "html", (".html", ".htm", ".xhtml"), False, "an HTML page with JSON-LD or microdata"),
        Format("yaml", "bundle", (".yaml", ".yml"), True, "a factdb bundle"),
        Format("json", "bundle", (".json",), True, "a factdb bundle"),
        Format("jsonl", "bundle", (".jsonl", ".ndjson"), True, "a factdb bundle, one record a line"),
    )
}
BUNDLE_FORMATS = tuple(name for name, f in FORMATS.items() if f.family == "bundle")
IMPORT_FORMATS = tuple(FORMATS)
EXPORT_FORMATS = (*BUNDLE_FORMATS, *(name for name, f in FORMATS.items() if f.exported and f.family != "bundle"))

_BY_ENDING = {ending: f.name for f in FORMATS.values() for ending in f.endings}
# Endings whose content decides: JSON may be a bundle, JSON-LD, an API response or ClaimsKG's
# SPARQL results; a .csv may be a ClaimsKG export.
_SNIFFED = frozenset({"json", "claimreview", "csv"})
_HEAD = 20_000  # characters read to tell a format by its content

# ClaimsKG's two CSV layouts: the Explorer's export and the extractor's dump
CLAIMSKG_EXPLORER = ("id", "text", "date", "truthRating", "ratingName")
CLAIMSKG_EXTRACTOR = ("claimReview_claimReviewed", "rating_alternateName")
_API = re.compile(r'"claimReview"\s*:\s*\[')
_HTML = re.compile(r"^(<!doctype\s+html|<html|<\?xml[^>]*>\s*<html|<head|<meta|<!--)", re.IGNORECASE)


# UTF-16 and UTF-32 text, by its byte order mark, or by the zero bytes around its first
# character when it is ASCII, as JSON's is (RFC 4627 section 3; RFC 8259 section 8.1 asks
# for UTF-8, but Windows tools write UTF-16).
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"), (b"\xef\xbb\xbf", "utf-8-sig"),
)


def text_encoding(head: bytes) -> str:
    """The encoding of a text file from its first bytes: UTF-8 (with or without a BOM), or
    UTF-16 / UTF-32 in either byte order."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    if len(head) >= 4 and head[0] and not head[1]:
        return "utf-32-le" if not head[2] and not head[3] else "utf-16-le"
    if len(head) >= 4 and not head[0]:
        return "utf-32-be" if not head[1] and not head[2] else "utf-16-be"
    return "utf-8-sig"


@dataclass(frozen=True)
class Detection:
    """A format (``None``: cannot tell) and what told it, e.g. ``tabs in the first line``."""

    format: str | None
    seen: str


def format_of_name(name: str | Path | None) -> str | None:
    """The format a file name's ending names (``.yml`` -> ``yaml``), or ``None``."""
    return _BY_ENDING.get(Path(str(name or "")).suffix.lower())


def detect_format(path: str | Path, *, spreadsheet: bool = False) -> Detection:
    """The format of the file at ``path``, and what told it: its ending, else its first bytes.

    By content: an HTML page (``<!doctype html``, ``<html``); JSON with ``dataFeedElement``
    (a DataCommons DataFeed), with ``claims[].claimReview[]`` (a Fact Check Tools API
    response), with SPARQL ``results.bindings`` of ClaimsKG's columns, with a schema.org
    ``@context`` or a ``ClaimReview`` (JSON-LD), or another JSON document in a ``.json``
    file (a bundle); a first line with ClaimsKG's columns (a ClaimsKG CSV export); tabs in
    the first line mean ``tsv``, commas or a ``.txt`` ending ``csv``.

    ``spreadsheet``: spreadsheet options were given, so a ``.csv`` is a spreadsheet and a
    file that is not told apart otherwise is read as ``csv``. Never raises: a file that
    cannot be read or told apart gives ``Detection(None, <what was seen>)``.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    by_name = _BY_ENDING.get(suffix)
    if by_name is not None and (by_name not in _SNIFFED or (spreadsheet and by_name == "csv")):
        return Detection(by_name, f'the ending "{suffix}"')
    try:
        with path.open("rb") as stream:  # the head only: the file may be huge, or never end
            raw = stream.read(4 * _HEAD)
            head = raw.decode(text_encoding(raw), errors="replace")[:_HEAD]
    except OSError as exc:
        if by_name is not None and by_name != "json":
            return Detection(by_name, f'the ending "{suffix}"')
        if spreadsheet and path.is_file():
            return Detection("csv", "spreadsheet options (the file cannot be read yet)")
        return Detection(None, f"no file that can be read ({exc.strerror})")
    stripped = head.lstrip()
    if _HTML.match(stripped):
        return Detection("html", "an HTML page (its markup is read for JSON-LD and microdata)")
    if stripped.startswith(("{", "[")):
        return _json_detection(head, suffix or path.name, by_name)
    if by_name == "claimreview":
        return Detection(by_name, f'the ending "{suffix}"')
    first_line = stripped.splitlines()[0] if stripped else ""
    columns = [c.strip().strip('"') for c in re.split(r"[,\t]", first_line)]
    if not spreadsheet and (set(CLAIMSKG_EXPLORER) <= set(columns) or set(CLAIMSKG_EXTRACTOR) <= set(columns)):
        return Detection("claimskg", "looks like a ClaimsKG CSV export (its columns in the first line)")
    if by_name == "csv":
        return Detection("csv", 'the ending ".csv"')
    if "\t" in first_line:
        return Detection("tsv", "tabs in the first line")
    if "," in first_line:
        return Detection("csv", "commas in the first line")
    if suffix == ".txt":
        return Detection("csv", 'the ending ".txt"')
    if spreadsheet:
        return Detection("csv", "spreadsheet options")
    return Detection(None, "no tab or comma in the first line" if first_line else "an empty file")


def _json_detection(head: str, named: str, by_name: str | None) -> Detection:
    if '"dataFeedElement"' in head:
        return Detection("datafeed", "looks like a DataCommons DataFeed (dataFeedElement[].item)")
    if _API.search(head) and '"claims"' in head:
        return Detection("factcheck-api", "looks like a Fact Check Tools API response (claims[].claimReview)")
    if '"bindings"' in head and '"results"' in head and ('"truthRating"' in head or '"ratingName"' in head):
        return Detection("claimskg", "looks like ClaimsKG SPARQL results (results.bindings)")
    if "schema.org" in head or "ClaimReview" in head:
        return Detection("claimreview", "a schema.org document (ClaimReview JSON-LD)")
    if by_name == "json":
        return Detection("json", 'a JSON document named ".json"')
    return Detection(None, f'a JSON document named "{named}" that is no bundle, ClaimReview or known feed')
