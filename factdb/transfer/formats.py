"""The file formats factdb reads and writes, and the one way a file's format is told.

:data:`FORMATS` is the table: each format's family (a bundle, a spreadsheet, ClaimReview
JSON-LD), the file-name endings that name it, and whether ``factdb export`` writes it.
:func:`detect_format` tells a file's format from its name and, where the name does not
decide (``.json``, ``.txt``, no ending), from its first bytes, and says what it saw.

>>> detect_format("valid.tsv")
Detection(format='tsv', seen='the ending ".tsv"')
"""

from __future__ import annotations

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
    """One file format: ``family`` is ``bundle``, ``spreadsheet`` or ``claimreview``."""

    name: str
    family: str
    endings: tuple[str, ...]
    exported: bool


# In the order ``factdb import --help`` lists them.
FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("csv", "spreadsheet", (".csv",), exported=False),
        Format("tsv", "spreadsheet", (".tsv", ".tab"), exported=False),
        Format("claimreview", "claimreview", (".jsonld",), exported=True),
        Format("yaml", "bundle", (".yaml", ".yml"), exported=True),
        Format("json", "bundle", (".json",), exported=True),
        Format("jsonl", "bundle", (".jsonl", ".ndjson"), exported=True),
    )
}
BUNDLE_FORMATS = tuple(name for name, f in FORMATS.items() if f.family == "bundle")
IMPORT_FORMATS = tuple(FORMATS)
EXPORT_FORMATS = (*BUNDLE_FORMATS, *(name for name, f in FORMATS.items() if f.exported and f.family != "bundle"))

_BY_ENDING = {ending: f.name for f in FORMATS.values() for ending in f.endings}
# A .json file may be a bundle or ClaimReview JSON-LD: its content decides.
_SNIFFED = frozenset({"json"})
_HEAD = 20_000  # characters read to tell a format by its content


@dataclass(frozen=True)
class Detection:
    """A format (``None``: cannot tell) and what told it, e.g. ``tabs in the first line``."""

    format: str | None
    seen: str


def format_of_name(name: str | Path | None) -> str | None:
    """The format a file name's ending names (``.yml`` -> ``yaml``), or ``None``."""
    return _BY_ENDING.get(Path(str(name or "")).suffix.lower())


def detect_format(path: str | Path, *, spreadsheet: bool = False) -> Detection:
    """The format of the file at ``path``: from its ending, else from its first bytes (a JSON
    document with a schema.org ``@context`` or a ``ClaimReview`` is ``claimreview``, another
    JSON document in a ``.json`` file ``json``; tabs in the first line mean ``tsv``, commas or
    a ``.txt`` ending ``csv``).

    ``spreadsheet``: spreadsheet options were given, so a file that is not told apart
    otherwise is read as ``csv``. Never raises: a file that cannot be read or told apart
    gives ``Detection(None, <what was seen>)``.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    by_name = _BY_ENDING.get(suffix)
    if by_name is not None and by_name not in _SNIFFED:
        return Detection(by_name, f'the ending "{suffix}"')
    try:
        head = path.read_text(encoding="utf-8-sig", errors="replace")[:_HEAD]
    except OSError as exc:
        if spreadsheet and path.is_file():
            return Detection("csv", "spreadsheet options (the file cannot be read yet)")
        return Detection(None, f"no file that can be read ({exc.strerror})")
    stripped = head.lstrip()
    if stripped.startswith(("{", "[")):
        if "schema.org" in head or "ClaimReview" in head:
            return Detection("claimreview", "a schema.org document")
        if by_name == "json":
            return Detection("json", 'a JSON document named ".json"')
        return Detection(None, f'a JSON document named "{suffix or path.name}"')
    first_line = stripped.splitlines()[0] if stripped else ""
    if "\t" in first_line:
        return Detection("tsv", "tabs in the first line")
    if "," in first_line:
        return Detection("csv", "commas in the first line")
    if suffix == ".txt":
        return Detection("csv", 'the ending ".txt"')
    if spreadsheet:
        return Detection("csv", "spreadsheet options")
    return Detection(None, "no tab or comma in the first line" if first_line else "an empty file")
