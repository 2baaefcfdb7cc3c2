"""The glue of ``factdb import`` and ``factdb export``: which reader or converter a file
needs, its records in the shape ``factdb.transfer.load_bundle`` takes, and one summary.

:func:`open_import` chooses the record source (a bundle, a spreadsheet, ClaimReview) from
``--format`` or the file, checks the options fit it, and returns an :class:`ImportInput`
whose ``records`` go to ``load_bundle`` unchanged. Converted records arrive grouped by kind
(entities, sources, claims, statements, verdicts; refused rows first), so the importer takes
them in large batches instead of one small batch per row. :func:`import_report` merges the
converter's summary (rows read, taken, refused by reason) with the importer's.
:func:`write_export` writes exported records as a bundle or as ClaimReview JSON-LD.

Nothing here loads SQLAlchemy (the bundle modules it needs are imported when called).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select

from factdb.errors import InvalidInput
from factdb.models import Entity, EntityName
from factdb.normalize import normalize_name
from factdb.transfer import detect_format as bundle_format
from factdb.transfer import read_bundle, write_bundle
from factdb.transfer.formats import claimreview_document, detect_format, records_from
from factdb.transfer.schema import Location

__all__ = [
    "IMPORT_FORMATS",
    "EXPORT_FORMATS",
    "SPREADSHEET_OPTIONS",
    "WrongCall",
    "ImportInput",
    "open_import",
    "import_report",
    "write_export",
]

BUNDLE_FORMATS = ("yaml", "json", "jsonl")
FOREIGN_FORMATS = ("csv", "tsv", "claimreview")
IMPORT_FORMATS = (*FOREIGN_FORMATS, *BUNDLE_FORMATS)
EXPORT_FORMATS = (*BUNDLE_FORMATS, "claimreview")
# option name -> its command-line flag, for messages
SPREADSHEET_OPTIONS = {
    "mapping": "--map", "preset": "--preset", "delimiter": "--delimiter", "quoting": "--quoting",
    "no_header": "--no-header", "stance": "--stance", "reviewer": "--reviewer", "outlet": "--outlet",
    "encoding": "--encoding",
}  # fmt: skip
_KIND_ORDER = {"error": 0, "entity": 1, "source": 2, "claim": 3, "statement": 4, "verdict": 5}


class WrongCall(InvalidInput):
    """A wrong call (options that do not fit the format): exit code 2, like a usage error."""

    exit_code = 2


@dataclass
class ImportInput:
    """What ``factdb import`` reads: ``records`` for ``load_bundle``, the format, and for
    converted files the converter's ``conversion`` (its summary fills in as records are read)."""

    records: Iterable[tuple]
    format: str
    conversion: Any = None  # factdb.transfer.formats.Conversion for csv, tsv, claimreview

    def records_in(self, session: Any) -> Iterable[tuple]:
        """The records to import into ``session``'s database. A converted file's entity
        kinds are guesses (a spreadsheet speaker is a person unless a column says otherwise),
        so an entity the database already has (by any of its names) keeps its stored kind;
        the file only adds new entities and roles. A bundle's records are taken as they are."""
        if self.conversion is None:
            return self.records
        return _with_stored_kinds(session, list(self.records))

    def summary_lines(self) -> list[str]:
        """The converter's lines (``1284 rows read, 1284 taken, 0 refused`` ...); none for bundles."""
        return self.conversion.summary.lines() if self.conversion is not None else []


def open_import(
    file: str,
    fmt: str | None = None,
    options: Mapping[str, Any] | None = None,
    stream: IO[bytes] | None = None,
) -> ImportInput:
    """The records of ``file`` (``"-"``: ``stream``, bundles only) in format ``fmt`` (else
    detected: the extension, or the content of a ``.json``/``.txt`` file).

    ``options`` are the spreadsheet options (keys of :data:`SPREADSHEET_OPTIONS`, as
    ``records_from`` takes them but ``no_header=True`` for ``header=False``; ``None`` or
    ``False`` values mean "not given"). Raises :class:`WrongCall` for options that do not
    fit the format, :class:`InvalidInput` for a file that cannot be read or told apart.
    """
    given = {name: value for name, value in (options or {}).items() if value is not None and value is not False}
    unknown = sorted(set(given) - set(SPREADSHEET_OPTIONS))
    if unknown:
        raise WrongCall(f"unknown import option {', '.join(unknown)}")
    if fmt is not None and fmt not in IMPORT_FORMATS:
        raise WrongCall(f'format "{fmt}" is not one of {", ".join(IMPORT_FORMATS)}')
    if file == "-":
        if fmt is None:
            raise WrongCall("Reading standard input needs --format yaml|json|jsonl.")
        if fmt not in BUNDLE_FORMATS:
            raise WrongCall(f"--format {fmt} reads a file, not standard input; give the file's path")
    elif fmt is None:
        fmt = _detect(file, given)
    if given and fmt not in ("csv", "tsv"):
        flags = ", ".join(SPREADSHEET_OPTIONS[name] for name in SPREADSHEET_OPTIONS if name in given)
        what = "a ClaimReview document" if fmt == "claimreview" else f"a {fmt} bundle"
        raise WrongCall(f"{flags}: only for spreadsheets (csv, tsv); {file} is read as {what}")
    if fmt in BUNDLE_FORMATS:
        return ImportInput(_bundle_records(file, fmt, stream), fmt)
    if given.pop("no_header", None):
        given["header"] = False
    conversion = records_from(file, fmt, given)
    return ImportInput(_located(_grouped(conversion)), fmt, conversion)


def _detect(file: str, given: Mapping[str, Any]) -> str:
    try:
        found = detect_format(file)
    except InvalidInput:
        if not Path(file).is_file():
            raise InvalidInput(f"Cannot read {file}: no such file") from None
        if given:
            return "csv"  # spreadsheet options say what the file is
        raise InvalidInput(f"Cannot tell the format of {file}; pass --format {'|'.join(IMPORT_FORMATS)}") from None
    if found == "bundle":
        try:
            return bundle_format(file)
        except InvalidInput:
            raise InvalidInput(f"Cannot tell the format of {file}; pass --format {'|'.join(IMPORT_FORMATS)}") from None
    return found


def _bundle_records(file: str, fmt: str, stream: IO[bytes] | None) -> Iterator[tuple]:
    return read_bundle(stream if file == "-" else file, fmt)


def _grouped(records: Iterable[tuple]) -> list[tuple]:
    """Converted records in dependency order (stable: file order within a kind); the
    converters already hold the file in memory, so this costs one list."""
    return sorted(records, key=lambda record: _KIND_ORDER.get(record[0], 0))


def _located(records: Iterable[tuple]) -> Iterator[tuple]:
    """``"valid.tsv:17"`` / ``"doc.jsonld:@graph[2]"`` -> a bundle ``Location``, so that a
    problem the importer finds reads ``valid.tsv:17: statement.speaker: ...``."""
    for kind, record, where in records:
        label, _, place = str(where).rpartition(":") if ":" in str(where) else (str(where), "", "")
        if place.isdigit():
            location = Location(label, int(place), kind)
        else:
            location = Location(label or str(where), None, kind if place in ("", "$") else f"{place}.{kind}")
        yield kind, record, location


def _with_stored_kinds(session: Any, records: list[tuple]) -> list[tuple]:
    wanted = {normalize_name(record["name"]): record for kind, record, _ in records if kind == "entity"}
    names = sorted(name for name in wanted if name)
    for start in range(0, len(names), 500):
        chunk = names[start : start + 500]
        stored = session.execute(
            select(EntityName.normalized, Entity.kind)
            .join(Entity, Entity.id == EntityName.entity_id)
            .where(EntityName.normalized.in_(chunk))
        ).all()
        for normalized, kind in stored:
            wanted[normalized]["kind"] = kind
    return records


def import_report(what: str, imported: Any, source: ImportInput) -> dict[str, Any]:
    """The ``--summary-format json`` object: ``{"input", "format", "conversion", "dry_run",
    "counts", "rejected", "problems"}``; ``conversion`` is the converter's summary
    (``{"unit", "read", "taken", "refused", "reasons", "records"}``) or null for a bundle."""
    conversion = source.conversion.summary.as_dict() if source.conversion is not None else None
    return {"input": what, "format": source.format, "conversion": conversion, **imported.as_dict()}


def write_export(records: Iterable[tuple[str, dict]], stream: IO[bytes], fmt: str) -> None:
    """Write exported ``(kind, record)`` pairs as a bundle (yaml, json, jsonl) or as
    ClaimReview JSON-LD (``claimreview``: one ClaimReview per verdict; claims without
    verdicts are left out)."""
    if fmt == "claimreview":
        text = json.dumps(claimreview_document(records), ensure_ascii=False, indent=2) + "\n"
        stream.write(text.encode("utf-8"))
        return
    write_bundle(records, stream, fmt)
