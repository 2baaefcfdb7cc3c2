"""Foreign formats in and out: spreadsheets (CSV/TSV) and schema.org ClaimReview JSON-LD.

Pure converters, no database. :func:`records_from` turns a file into the
``(kind, record, location)`` tuples that ``factdb.transfer.load_bundle`` imports;
:func:`claimreview_document` turns bundle records into a ClaimReview JSON-LD document.
A row or review that cannot be converted is the tuple
``("error", {"message": "FILE:LINE: field: reason", "field": ..., "reason": ...}, location)``:
the importer counts it as an invalid record (the import is refused, or with
``--skip-invalid`` the record is skipped and listed).

>>> conversion = records_from("valid.tsv", "tsv", {"preset": "liar"})  # doctest: +SKIP
>>> records = list(conversion); conversion.summary.lines()  # doctest: +SKIP
['1284 rows read, 1284 taken, 0 refused']
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from factdb.errors import InvalidInput
from factdb.transfer.claimreview import convert_claimreview
from factdb.transfer.claimreview_export import claimreview_document
from factdb.transfer.converting import ConversionSummary, Record
from factdb.transfer.spreadsheet import TableOptions, convert_table, parse_mapping

__all__ = [
    "FORMATS",
    "Conversion",
    "ConversionSummary",
    "detect_format",
    "records_from",
    "claimreview_document",
    "parse_mapping",
]

# "bundle" files (YAML, JSON and JSON Lines bundles) are read by factdb.transfer, not here
FORMATS = ("csv", "tsv", "claimreview", "bundle")
_SUFFIXES = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".jsonld": "claimreview", ".yaml": "bundle",
             ".yml": "bundle", ".jsonl": "bundle", ".ndjson": "bundle"}  # fmt: skip


def detect_format(path: str | Path) -> str:
    """``"csv"``, ``"tsv"``, ``"claimreview"`` or ``"bundle"``, from the name and, for
    ``.json`` and ``.txt``, from the content (a schema.org ``@context`` or ``ClaimReview``
    means ClaimReview; tabs in the first line mean TSV).

    Raises :class:`InvalidInput` when the format cannot be told; the way out is ``--format``.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    try:
        head = path.read_text(encoding="utf-8-sig", errors="replace")[:20000]
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read ({exc.strerror})") from None
    stripped = head.lstrip()
    if stripped.startswith(("{", "[")):
        if "schema.org" in head or "ClaimReview" in head:
            return "claimreview"
        return "bundle"
    first_line = stripped.splitlines()[0] if stripped else ""
    if "\t" in first_line:
        return "tsv"
    if "," in first_line or suffix == ".txt":
        return "csv"
    raise InvalidInput(f"{path}: cannot tell its format; pass --format csv, tsv, claimreview or bundle")


class Conversion:
    """An iterator of ``(kind, record, location)`` with a :class:`ConversionSummary` that
    fills in as it is consumed (rows or reviews read, taken, refused by reason)."""

    def __init__(self, records: Iterator[Record], summary: ConversionSummary):
        self._records = records
        self.summary = summary

    def __iter__(self) -> Conversion:
        return self

    def __next__(self) -> Record:
        return next(self._records)


def records_from(path: str | Path, fmt: str, options: Mapping | None = None) -> Conversion:
    """The records in a foreign file, as :class:`Conversion` (iterate it, then read ``.summary``).

    ``fmt`` is ``csv``, ``tsv`` or ``claimreview``. ``options`` for spreadsheets (all optional):
    ``mapping`` ("COLUMN=FIELD,..."), ``delimiter``, ``quoting`` (minimal|none|all),
    ``header`` (bool; False = positional columns), ``stance``, ``reviewer``, ``outlet``,
    ``preset`` ("liar"), ``encoding``; ``None`` values mean the default. ClaimReview takes
    none (spreadsheet options other than ``mapping`` and ``preset`` are ignored for it).
    Raises :class:`InvalidInput` at once for a bad mapping or option (nothing is read then).
    """
    path = Path(path)
    options = dict(options or {})
    summary = ConversionSummary()
    if fmt in ("csv", "tsv"):
        table_options = _table_options(fmt, options, summary)
        parse_mapping(table_options.mapping, table_options.header)  # fail before reading
        text = _read(path, table_options.encoding)
        return Conversion(convert_table(text, path.name, table_options), summary)
    if fmt == "claimreview":
        # the CLI passes every option; only a spreadsheet mapping or preset is a wrong call here
        wrong = sorted(name for name in ("mapping", "preset") if options.get(name))
        if wrong:
            raise InvalidInput(f"{' and '.join(wrong)}: only for spreadsheets; a ClaimReview document needs no mapping")
        return Conversion(convert_claimreview(_read(path, "utf-8-sig"), path.name, summary), summary)
    raise InvalidInput(f'format "{fmt}" is not one of csv, tsv, claimreview (bundles are read by factdb.transfer)')


def _table_options(fmt: str, options: dict, summary: ConversionSummary) -> TableOptions:
    known = {"mapping", "delimiter", "quoting", "header", "stance", "reviewer", "outlet", "preset", "encoding"}
    unknown = sorted(set(options) - known)
    if unknown:
        raise InvalidInput(f"unknown spreadsheet option {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    given = {key: value for key, value in options.items() if value is not None}
    if fmt == "tsv":
        given.setdefault("delimiter", "\t")
    if given.get("delimiter") in ("\\t", "tab"):
        given["delimiter"] = "\t"
    return TableOptions(**given, summary=summary)


def _read(path: Path, encoding: str) -> str:
    try:
        with path.open(encoding=encoding, newline="") as handle:
            return handle.read()
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path}: not {encoding} text (byte {exc.start}); pass the file's encoding") from None


def claimreview_json(records: Iterable[tuple]) -> str:
    """:func:`claimreview_document` as indented JSON text (UTF-8, non-ASCII kept)."""
    return json.dumps(claimreview_document(records), ensure_ascii=False, indent=2) + "\n"
