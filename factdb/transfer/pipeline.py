"""The one pipeline of ``factdb import`` and ``factdb export``.

Import: a file (or a stream) + a format + options -> records (the bundle reader, or a
converter) -> the importer. :func:`open_import` chooses the record source from ``--format``
or the file (:func:`.formats.detect_format`), checks the options fit it, and returns an
:class:`ImportInput`; its :meth:`ImportInput.load` runs the importer in the caller's
transaction. Converted records arrive grouped by kind (entities, sources, claims,
statements, verdicts; refused rows first), so the importer takes them in large batches
instead of one small batch per row. :func:`import_report` merges the converter's summary
(rows read, taken, refused by reason) with the importer's.

Export: :func:`export_to` writes the database (or one claim) as a bundle or as ClaimReview
JSON-LD.

>>> source = open_import("valid.tsv", options={"preset": "liar"})  # doctest: +SKIP
>>> with transaction(engine) as session:  # doctest: +SKIP
...     summary = source.load(session)
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from factdb.errors import InvalidInput
from factdb.models import Entity, EntityName
from factdb.normalize import normalize_name
from factdb.transfer.claimreview import convert_claimreview
from factdb.transfer.claimreview_export import claimreview_export
from factdb.transfer.claimskg import convert_claimskg
from factdb.transfer.converting import Conversion, ConversionSummary, Converted
from factdb.transfer.exporting import export_bundle
from factdb.transfer.factcheck_api import convert_factcheck_api
from factdb.transfer.formats import BUNDLE_FORMATS, FORMATS, IMPORT_FORMATS, detect_format, text_encoding
from factdb.transfer.importer import ImportSummary, load_bundle
from factdb.transfer.jsonld import is_absolute
from factdb.transfer.reading import MAX_DOCUMENT_BYTES, read_bundle
from factdb.transfer.schema import Location, Record
from factdb.transfer.spreadsheet import TableOptions, convert_table, parse_mapping
from factdb.transfer.writing import write_bundle

__all__ = [
    "SPREADSHEET_OPTIONS",
    "WrongCall",
    "ImportInput",
    "open_import",
    "records_from",
    "import_report",
    "write_export",
    "export_to",
]

# option name -> its command-line flag, for messages
SPREADSHEET_OPTIONS = {
    "mapping": "--map", "preset": "--preset", "delimiter": "--delimiter", "quoting": "--quoting",
    "no_header": "--no-header", "stance": "--stance", "reviewer": "--reviewer", "outlet": "--outlet",
    "encoding": "--encoding",
}  # fmt: skip
# options of the page readers: the page's own URL
PAGE_OPTIONS = {"base_url": "--base-url"}
_OPTION_FAMILIES = {**dict.fromkeys(SPREADSHEET_OPTIONS, ("spreadsheet",)), "base_url": ("claimreview", "html")}
_TABLE_OPTIONS = frozenset(
    {"mapping", "delimiter", "quoting", "header", "stance", "reviewer", "outlet", "preset", "encoding"}
)
_CONVERTED = tuple(name for name, f in FORMATS.items() if f.family != "bundle")
_KIND_ORDER = {"error": 0, "entity": 1, "source": 2, "claim": 3, "statement": 4, "verdict": 5}


class WrongCall(InvalidInput):
    """A wrong call (options that do not fit the format): exit code 2, like a usage error."""

    exit_code = 2


@dataclass
class ImportInput:
    """What ``factdb import`` reads: ``records`` for the importer, the format, and for
    converted files the converter's ``conversion`` (its summary fills in as records are read)."""

    records: Iterable[Record]
    format: str
    conversion: Conversion | None = None

    def total(self) -> int | None:
        """How many records there are, when known before loading (a converted file is read
        whole first); None for a bundle, which is streamed."""
        return len(self.records) if isinstance(self.records, list) else None

    def records_in(self, session: Session) -> Iterable[Record]:
        """The records to import into ``session``'s database. A converted file's entity
        kinds are guesses (a spreadsheet speaker is a person unless a column says otherwise),
        so an entity the database already has (by any of its names) keeps its stored kind;
        the file only adds new entities and roles. A bundle's records are taken as they are."""
        if self.conversion is None:
            return self.records
        return _with_stored_kinds(session, list(self.records))

    def load(
        self,
        session: Session,
        *,
        dry_run: bool = False,
        skip_invalid: bool = False,
        reject_sink: Callable[[dict[str, Any]], None] | None = None,
        progress: Callable[[int], None] | None = None,
        label: str | None = None,
    ) -> ImportSummary:
        """Import the records in ``session``'s transaction (see :func:`.importer.load_bundle`);
        ``progress(n)`` is called as records are read, ``n`` more each time."""
        return load_bundle(
            session,
            self.records_in(session),
            dry_run=dry_run,
            skip_invalid=skip_invalid,
            reject_sink=reject_sink,
            progress=progress,
            label=label,
        )

    def summary_lines(self, *, verbose: bool = False) -> list[str]:
        """The converter's lines (``1284 rows read, 1284 taken, 0 refused``, reasons, dropped
        fields, each one listed when ``verbose``); none for bundles."""
        return self.conversion.summary.lines(verbose=verbose) if self.conversion is not None else []

    def warnings(self) -> list[str]:
        """The converter's warnings (keys that collide with other content, first kept)."""
        return list(self.conversion.summary.warnings) if self.conversion is not None else []


def open_import(
    file: str,
    fmt: str | None = None,
    options: Mapping[str, Any] | None = None,
    stream: IO[bytes] | None = None,
) -> ImportInput:
    """The records of ``file`` (``"-"``: ``stream``, bundles only) in format ``fmt`` (else
    detected: the ending, or the content of a ``.json``/``.txt`` file).

    ``options`` are the spreadsheet options (keys of :data:`SPREADSHEET_OPTIONS`, as
    :func:`records_from` takes them but ``no_header=True`` for ``header=False``; ``None`` or
    ``False`` values mean "not given"). Raises :class:`WrongCall` for options that do not
    fit the format, :class:`InvalidInput` for a file that cannot be read or told apart.
    """
    given = {name: value for name, value in (options or {}).items() if value is not None and value is not False}
    unknown = sorted(set(given) - set(_OPTION_FAMILIES))
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
        fmt = _detect(file, spreadsheet=any(name in SPREADSHEET_OPTIONS for name in given))
    family = FORMATS[fmt].family
    misfit = [name for name in given if family not in _OPTION_FAMILIES[name]]
    if misfit:
        flags = ", ".join({**SPREADSHEET_OPTIONS, **PAGE_OPTIONS}[name] for name in misfit)
        fits = "spreadsheets (csv, tsv)" if misfit[0] in SPREADSHEET_OPTIONS else "ClaimReview and HTML pages"
        what = f"a {fmt} bundle" if family == "bundle" else FORMATS[fmt].description
        raise WrongCall(f"{flags}: only for {fits}; {file} is read as {what}")
    if fmt in BUNDLE_FORMATS:
        # the caller's stream when given: its position is how far the import has read
        return ImportInput(read_bundle(stream if stream is not None else file, fmt), fmt)
    if given.pop("no_header", None):
        given["header"] = False
    conversion = records_from(file, fmt, given)
    return ImportInput(list(_located(_grouped(conversion))), fmt, conversion)


def _detect(file: str, *, spreadsheet: bool) -> str:
    found = detect_format(file, spreadsheet=spreadsheet)
    if found.format is not None:
        return found.format
    if not Path(file).exists():
        raise InvalidInput(f"Cannot read {file}: no such file")
    formats = "|".join(IMPORT_FORMATS)
    if not Path(file).is_file():
        raise InvalidInput(
            f"Cannot tell the format of {file}: not a regular file ({found.seen}); pass --format {formats}"
        )
    raise InvalidInput(f"Cannot tell the format of {file} (it is {found.seen}); pass --format {formats}")


def records_from(path: str | Path, fmt: str, options: Mapping[str, Any] | None = None) -> Conversion:
    """The records in a foreign file, as :class:`.converting.Conversion` (iterate it, then
    read ``.summary``).

    ``fmt`` is ``csv``, ``tsv``, ``claimreview``, ``datafeed``, ``factcheck-api``, ``claimskg``
    or ``html``. ``options`` for spreadsheets (all optional):
    ``mapping`` ("COLUMN=FIELD,..."), ``delimiter``, ``quoting`` (minimal|none|all),
    ``header`` (bool; False = positional columns), ``stance``, ``reviewer``, ``outlet``,
    ``preset`` ("liar", "liar-plus"), ``encoding``; ``None`` values mean the default. ClaimReview
    and HTML take ``base_url`` (the page's own URL); spreadsheet options other than
    ``mapping`` and ``preset`` are ignored for the other formats.
    Raises :class:`InvalidInput` at once for a bad mapping or option (nothing is read then).

    >>> conversion = records_from("valid.tsv", "tsv", {"preset": "liar"})  # doctest: +SKIP
    >>> records = list(conversion); conversion.summary.lines()  # doctest: +SKIP
    ['1284 rows read, 1284 taken, 0 refused']
    """
    path = Path(path)
    options = dict(options or {})
    summary = ConversionSummary()
    family = FORMATS[fmt].family if fmt in FORMATS else None
    if family == "spreadsheet":
        table_options = _table_options(fmt, options, summary)
        parse_mapping(table_options.mapping, table_options.header)  # fail before reading
        text = _read(path, table_options.encoding)
        return Conversion(convert_table(text, path.name, table_options), summary)
    if family not in ("claimreview", "factcheck-api", "claimskg", "html"):
        raise InvalidInput(f'format "{fmt}" is not one of {", ".join(_CONVERTED)} (bundles are read by read_bundle)')
    # the CLI passes every option; only a spreadsheet mapping or preset is a wrong call here
    wrong = sorted(name for name in ("mapping", "preset") if options.get(name))
    if wrong:
        raise InvalidInput(f"{' and '.join(wrong)}: only for spreadsheets; {FORMATS[fmt].description} needs no mapping")
    base_url = options.get("base_url")
    if base_url is not None and not is_absolute(base_url):
        raise InvalidInput(f'--base-url: "{base_url}" is not an absolute http(s) URL')
    text = _read(path, _sniffed_encoding(path))
    if family == "claimreview":
        return Conversion(convert_claimreview(text, path.name, summary, base_url=base_url), summary)
    if family == "factcheck-api":
        return Conversion(convert_factcheck_api(text, path.name, summary), summary)
    if family == "claimskg":
        return Conversion(convert_claimskg(text, path.name, summary), summary)
    return Conversion(_html_reader()(text, path.name, summary, base_url=base_url), summary)


def _html_reader() -> Callable[..., Iterator[Converted]]:
    """:func:`.html.convert_html`, imported when an HTML page is read: it needs the optional
    ``extruct`` (``pip install 'factdb[html]'``), which the other formats do without."""
    try:
        from factdb.transfer.html import convert_html
    except ImportError as error:
        raise InvalidInput(
            f"reading HTML pages needs the html extra ({error.name} is missing): pip install 'factdb[html]'"
        ) from None
    return convert_html


def _table_options(fmt: str, options: dict[str, Any], summary: ConversionSummary) -> TableOptions:
    unknown = sorted(set(options) - _TABLE_OPTIONS)
    if unknown:
        raise InvalidInput(
            f"unknown spreadsheet option {', '.join(unknown)}; known: {', '.join(sorted(_TABLE_OPTIONS))}"
        )
    given = {key: value for key, value in options.items() if value is not None}
    if fmt == "tsv":
        given.setdefault("delimiter", "\t")
    if given.get("delimiter") in ("\\t", "tab"):
        given["delimiter"] = "\t"
    return TableOptions(**given, summary=summary)


def _sniffed_encoding(path: Path) -> str:
    """A JSON or HTML document's encoding, from its first bytes (UTF-16 from Windows tools)."""
    try:
        with path.open("rb") as stream:
            return text_encoding(stream.read(4))
    except OSError:
        return "utf-8-sig"  # _read says why it cannot be read


def _read(path: Path, encoding: str) -> str:
    """A spreadsheet or ClaimReview document, read whole (the converters need all of it):
    refused past :data:`.reading.MAX_DOCUMENT_BYTES`, so memory stays bounded and a file that
    never ends (/dev/zero) stops with one line."""
    try:
        with path.open(encoding=encoding, newline="") as handle:
            text = handle.read(MAX_DOCUMENT_BYTES + 1)
            if len(text) > MAX_DOCUMENT_BYTES:
                raise InvalidInput(
                    f"{path}: larger than {MAX_DOCUMENT_BYTES // 2**20} MB, and this file is read whole; "
                    "split it, or convert it to a JSON Lines bundle (streamed)"
                )
            return text
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path}: not {encoding} text (byte {exc.start}); pass the file's encoding") from None


def _grouped(records: Iterable[Converted]) -> list[Converted]:
    """Converted records in dependency order (stable: file order within a kind); the
    converters already hold the file in memory, so this costs one list."""
    return sorted(records, key=lambda record: _KIND_ORDER.get(record[0], 0))


def _located(records: Iterable[Converted]) -> Iterator[Record]:
    """``"valid.tsv:17"`` / ``"doc.jsonld:@graph[2]"`` -> a bundle ``Location``, so that a
    problem the importer finds reads ``valid.tsv:17: statement.speaker: ...``."""
    for kind, record, where in records:
        label, _, place = str(where).rpartition(":") if ":" in str(where) else (str(where), "", "")
        if place.isdigit():
            location = Location(label, int(place), kind)
        else:
            location = Location(label or str(where), None, kind if place in ("", "$") else f"{place}.{kind}")
        yield kind, record, location


def _with_stored_kinds(session: Session, records: list[Record]) -> list[Record]:
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


def import_report(what: str, imported: ImportSummary, source: ImportInput) -> dict[str, Any]:
    """The ``--summary-format json`` object: ``{"input", "format", "conversion", "dry_run",
    "counts", "rejected", "problems"}``; ``conversion`` is the converter's summary
    (``{"unit", "read", "taken", "refused", "reasons", "records"}``) or null for a bundle."""
    conversion = source.conversion.summary.as_dict() if source.conversion is not None else None
    return {"input": what, "format": source.format, "conversion": conversion, **imported.as_dict()}


def write_export(
    records: Iterable[tuple[str, dict[str, Any]]], stream: IO[bytes], fmt: str, *, allow_incomplete: bool = False
) -> list[tuple[str, list[str]]]:
    """Write exported ``(kind, record)`` pairs as a bundle (yaml, json, jsonl) or as
    ClaimReview JSON-LD (``claimreview``: one ClaimReview per verdict that meets Google's
    required properties, or every verdict with ``allow_incomplete``; claims without verdicts
    are left out). Returns the verdicts left out: ``[(verdict key, [problems])]``."""
    if fmt == "claimreview":
        built = claimreview_export(records, allow_incomplete=allow_incomplete)
        text = json.dumps(built.document, ensure_ascii=False, indent=2) + "\n"
        stream.write(text.encode("utf-8"))
        return built.skipped
    write_bundle(records, stream, fmt)
    return []


def export_to(
    session: Session,
    stream: IO[bytes],
    fmt: str,
    *,
    claim: str | None = None,
    allow_incomplete: bool = False,
    with_texts: bool = False,
) -> list[tuple[str, list[str]]]:
    """Export the database (or, with ``claim``, one claim and what it needs) to ``stream``
    in ``fmt`` (one of :data:`.formats.EXPORT_FORMATS`); ``with_texts`` puts each source's
    stored text and quote anchors in the bundle. Returns the verdicts a ClaimReview export
    left out (see :func:`write_export`)."""
    records = export_bundle(session, claim=claim, with_texts=with_texts)
    return write_export(records, stream, fmt, allow_incomplete=allow_incomplete)
