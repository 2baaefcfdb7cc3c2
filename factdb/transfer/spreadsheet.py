"""Spreadsheets (CSV/TSV) of claims, speakers and verdicts -> bundle records.

A column mapping says which column feeds which field: ``"statement=claim,speaker=speaker"``
(header names) or ``"3=claim,5=speaker"`` (1-based positions, for files without a header).
Each taken row yields the records it needs (speaker and party entities, a source, a claim,
a statement, a verdict), each entity once per file; a row that cannot be converted yields
one error marker ``FILE:LINE: field: reason`` and nothing else.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from factdb.errors import InvalidInput
from factdb.keys import claim_key_for, digest, slugify, source_key_for_url, statement_key
from factdb.normalize import check_text, normalize_name
from factdb.transfer.converting import ConversionSummary, Converted, iso_date, refusal
from factdb.vocab import CERTAINTIES, ENTITY_KINDS, QUOTE_KINDS, STANCES

__all__ = ["TARGETS", "TableOptions", "parse_mapping", "convert_table", "speaker_name", "LIAR_MAPPING"]

# every field a column may feed; "party" is a synonym of "affiliation"
TARGETS = (
    "claim", "claim.key", "claim.tags", "claim.note",
    "speaker", "speaker.kind", "speaker_title", "speaker_description", "affiliation",
    "stance", "certainty", "hedge", "verb", "quote", "quote_kind", "said_on", "statement.key", "statement.note",
    "source.key", "source.title", "source.url", "source.outlet", "source.published_on", "source.authors",
    "verdict", "verdict.reviewer", "verdict.url", "verdict.reviewed_on", "verdict.rating_value", "verdict.note",
)  # fmt: skip
_SYNONYMS = {"party": "affiliation", "rating": "verdict", "claim.text": "claim", "verdict.rating": "verdict"}
_QUOTING: dict[str, Literal[0, 1, 2, 3]] = {"minimal": csv.QUOTE_MINIMAL, "none": csv.QUOTE_NONE, "all": csv.QUOTE_ALL}

# The LIAR dataset (Wang 2017): 14 positional columns, no header.
LIAR_MAPPING = "1=source.key,2=verdict,3=claim,4=claim.tags,5=speaker,6=speaker_title,8=affiliation,14=source.title"
LIAR_COLUMNS = 14
# PolitiFact's six ratings, worst to best; ratingValue 1..6 as PolitiFact's own ClaimReview markup
LIAR_RATINGS = ("pants-fire", "false", "barely-true", "half-true", "mostly-true", "true")
# LIAR's "party" column mixes parties with occupations; only real parties become entities
LIAR_PARTIES = {
    "democrat": "Democratic Party",
    "republican": "Republican Party",
    "libertarian": "Libertarian Party",
    "constitution-party": "Constitution Party",
}
# speakers that are not people: anonymous media (kind other); party "organization" -> organization
LIAR_NON_PERSONS = {"chain-email", "blog-posting", "facebook-posts", "viral-image", "tweets"}


@dataclass
class TableOptions:
    """How to read one spreadsheet; the CLI's options, one for one."""

    mapping: str | Mapping[str, str] = ""
    delimiter: str = ","
    quoting: str = "minimal"
    header: bool = True
    stance: str = "asserts"
    reviewer: str | None = None
    outlet: str | None = None
    preset: str | None = None
    encoding: str = "utf-8-sig"
    summary: ConversionSummary = field(default_factory=ConversionSummary)

    def __post_init__(self) -> None:
        if self.preset is not None:
            if self.preset != "liar":
                raise InvalidInput(f'preset: unknown preset "{self.preset}"; the known preset is "liar"')
            self.mapping = self.mapping or LIAR_MAPPING
            self.delimiter, self.quoting, self.header = "\t", "none", False
            self.reviewer = self.reviewer or "PolitiFact"
            self.outlet = self.outlet or "PolitiFact"
        if self.quoting not in _QUOTING:
            raise InvalidInput(f'quoting: "{self.quoting}" is not one of minimal, none, all')
        if len(self.delimiter) != 1:
            raise InvalidInput(f"delimiter: {self.delimiter!r} must be one character (use \\t for tab)")
        if self.stance not in STANCES:
            raise InvalidInput(f'stance: "{self.stance}" is not one of {", ".join(STANCES)}')


def parse_mapping(mapping: str | Mapping[str, str], header: bool) -> dict[str, str]:
    """``"statement=claim,speaker=speaker"`` -> ``{"statement": "claim", "speaker": "speaker"}``.

    Keys are header names, or 1-based positions as text when ``header`` is false. Raises
    :class:`InvalidInput` for an unknown target, a target fed twice, or a bad position.
    """
    pairs = (
        mapping.items() if isinstance(mapping, Mapping) else (_split_pair(p) for p in mapping.split(",") if p.strip())
    )
    result: dict[str, str] = {}
    seen_targets: dict[str, str] = {}
    for column, target in pairs:
        column, target = column.strip(), _SYNONYMS.get(target.strip(), target.strip())
        if target not in TARGETS:
            raise InvalidInput(f'--map: unknown field "{target}" for column "{column}"; fields: {", ".join(TARGETS)}')
        if not header and not (column.isdigit() and int(column) >= 1):
            raise InvalidInput(
                f'--map: "{column}" is not a column position (1, 2, ...); without a header use positions'
            )
        if target in seen_targets:
            raise InvalidInput(f'--map: field "{target}" is fed by both "{seen_targets[target]}" and "{column}"')
        seen_targets[target] = column
        result[column] = target
    if "claim" not in seen_targets and "claim.key" not in seen_targets:
        raise InvalidInput("--map: no column feeds the claim; map one, e.g. --map \"statement=claim\"")
    return result


def _split_pair(pair: str) -> tuple[str, str]:
    if "=" not in pair:
        raise InvalidInput(f'--map: "{pair.strip()}" is not COLUMN=FIELD')
    column, _, target = pair.rpartition("=")
    return column, target


def convert_table(text: str, file_label: str, options: TableOptions) -> Iterator[Converted]:
    """Yield bundle records for every row of CSV/TSV ``text``; see the module docstring.

    ``file_label`` (the file's name) starts every location; ``options.summary`` counts rows
    read, taken and refused (by reason) as rows are read.
    """
    mapping = parse_mapping(options.mapping, options.header)
    # strict: a stray quote refuses the row instead of silently merging cells
    reader = csv.reader(io.StringIO(text), delimiter=options.delimiter, quoting=_QUOTING[options.quoting], strict=True)
    summary = options.summary
    summary.unit = "row"
    width: int | None = LIAR_COLUMNS if options.preset == "liar" else None
    positions: dict[int, str] = {}
    if options.header:
        try:
            header = next(reader)
        except StopIteration:
            return
        names = [name.strip() for name in header]
        width = len(names)
        for column, target in mapping.items():
            if column not in names:
                raise InvalidInput(
                    f'--map: no column "{column}" in the header of {file_label} (columns: {", ".join(names)})'
                )
            positions[names.index(column)] = target
    else:
        positions = {int(column) - 1: target for column, target in mapping.items()}

    converter = _RowConverter(options, file_label)
    rows: list[tuple[str, dict | Converted]] = []
    for start, row in _rows_with_lines(reader):
        if isinstance(row, list) and not any(cell.strip() for cell in row):
            continue  # blank lines are not rows
        location = f"{file_label}:{start}"
        summary.read += 1
        if isinstance(row, str):
            reason = f"not readable as CSV ({row}); check --delimiter and --quoting"
            summary.refuse("row", reason)
            rows.append((location, refusal(location, "row", reason)))
            continue
        if width is None:
            width = len(row)  # without a header the first row sets the width
            beyond = sorted(index + 1 for index in positions if index >= width)
            if beyond:
                listed = ", ".join(map(str, beyond))
                raise InvalidInput(f"--map: column {listed} is beyond the {width} columns of {file_label}")
        try:
            if len(row) != width:
                raise _Refused("row", f"{len(row)} columns, expected {width}")
            cells = {target: row[index].strip() for index, target in positions.items() if index < len(row)}
            rows.append((location, converter.convert(cells, location)))
            summary.taken += 1
        except _Refused as refused:
            summary.refuse(refused.field, refused.reason)
            rows.append((location, refusal(location, refused.field, refused.reason)))
    yield from converter.emit(rows, summary)


def _rows_with_lines(reader: Any) -> Iterator[tuple[int, list[str] | str]]:
    """Each row with the line it starts on (a quoted cell may span lines); a row the csv
    module cannot parse (strict: a stray quote) comes as its error text instead."""
    start = reader.line_num + 1
    while True:
        try:
            row: list[str] | str = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            row = str(exc)
        yield start, row
        start = reader.line_num + 1


class _Refused(Exception):
    def __init__(self, field_name: str, reason: str):
        super().__init__(f"{field_name}: {reason}")
        self.field, self.reason = field_name, reason


def speaker_name(value: str) -> str:
    """A slug such as ``barack-obama`` (LIAR's speakers) becomes ``Barack Obama``; a name with
    capitals or spaces is kept as written."""
    if value and value == value.lower() and " " not in value and ("-" in value or "_" in value):
        return " ".join(part.capitalize() for part in value.replace("_", "-").split("-") if part)
    if "_" in value and " " not in value:
        return value.replace("_", " ")
    return value


class _RowConverter:
    """Turns one row's mapped cells into records; remembers entities so each is emitted once."""

    def __init__(self, options: TableOptions, file_label: str):
        self.options = options
        self.file_label = file_label
        # normalized name -> (entity record, location of the row that first named it)
        self.entities: dict[str, tuple[dict, str]] = {}
        self._pending: list[tuple[str, str, dict | None]] = []  # this row's, kept only if it is taken

    def _entity(self, name: str, kind: str, role: dict | None = None) -> None:
        self._pending.append((name, kind, role))

    def convert(self, cells: dict[str, str], location: str) -> dict:
        """The records of one row, keyed by kind; its entities are kept aside, once each."""
        self._pending = []
        records = self._convert(cells)
        for name, kind, role in self._pending:
            record, _ = self.entities.setdefault(normalize_name(name), ({"name": name, "kind": kind}, location))
            if role is not None and role not in record.setdefault("roles", []):
                record["roles"].append(role)
        return records

    def _convert(self, cells: dict[str, str]) -> dict:
        opts = self.options
        liar = opts.preset == "liar"
        text = cells.get("claim", "")
        if "claim" in cells or not cells.get("claim.key"):
            text = _text(text, "claim")
        claim_key = cells.get("claim.key") or claim_key_for(text)
        claim: dict[str, Any] = {"key": claim_key, "text": text}
        if cells.get("claim.tags"):
            claim["tags"] = [tag.strip() for tag in cells["claim.tags"].split(",") if tag.strip()]
        if cells.get("claim.note"):
            claim["note"] = cells["claim.note"]
        out: dict = {"claim": claim}

        # the speaker, kind, party
        raw_speaker = cells.get("speaker", "")
        speaker = speaker_name(raw_speaker)
        party_value = cells.get("affiliation", "")
        if speaker:
            kind = (cells.get("speaker.kind") or "person").lower()
            if liar:
                kind = (
                    "organization"
                    if party_value == "organization"
                    else "other"
                    if raw_speaker in LIAR_NON_PERSONS
                    else "person"
                )
            if kind not in ENTITY_KINDS:
                raise _Refused("speaker.kind", f'"{kind}" is not one of {", ".join(ENTITY_KINDS)}')
            party = LIAR_PARTIES.get(party_value) if liar else party_value or None
            role = None
            if party:
                self._entity(party, "organization")
                role = {"title": "member", "of": party}
            self._entity(speaker, kind, role)

        # the source
        source = self._source(cells)
        if source is not None:
            out["source"] = source

        # the statement
        if speaker or cells.get("speaker_description"):
            if source is None:
                raise _Refused(
                    "source",
                    "no source for the statement; map source.key, source.url or source.title, or pass --outlet",
                )
            statement = {
                "claim": claim_key,
                "stance": (cells.get("stance") or opts.stance).lower(),
                "source": source["key"],
            }
            if speaker:
                statement["speaker"] = speaker
            else:
                statement["speaker_description"] = cells["speaker_description"]
            _choice(cells, "stance", STANCES, statement["stance"])
            for target, key in (("speaker_title", "speaker_title"), ("hedge", "hedge"), ("verb", "verb"),
                                ("quote", "quote"), ("statement.key", "key"), ("statement.note", "note")):  # fmt: skip
                if cells.get(target):
                    statement[key] = cells[target]
            if cells.get("certainty"):
                statement["certainty"] = _choice(cells, "certainty", CERTAINTIES)
            if cells.get("quote_kind"):
                statement["quote_kind"] = _choice(cells, "quote_kind", QUOTE_KINDS)
            said_on = _date(cells, "said_on")
            if said_on:
                statement["said_on"] = said_on
            out["statement"] = statement

        # the verdict: of the row's statement when it has one (LIAR rates each speaker's words)
        if cells.get("verdict"):
            out["verdict"] = self._verdict(cells, claim_key)
            rated = out.get("statement")
            if rated is not None:
                if "key" not in rated:
                    rated["key"] = statement_key(
                        source_key=rated["source"], claim_key=claim_key, speaker=rated.get("speaker"),
                        speaker_description=rated.get("speaker_description"), stance=rated["stance"],
                        quote=rated.get("quote"), said_on=rated.get("said_on"),
                    )  # fmt: skip
                out["verdict"]["statement"] = rated["key"]
        elif "verdict" in cells and liar:
            raise _Refused("verdict", "empty rating")
        return out

    def _source(self, cells: dict[str, str]) -> dict | None:
        opts = self.options
        url, title, key = cells.get("source.url"), cells.get("source.title"), cells.get("source.key")
        if not (url or title or key or opts.outlet or cells.get("source.outlet")):
            return None
        outlet = cells.get("source.outlet") or opts.outlet
        if not outlet:
            raise _Refused("source.outlet", "no outlet for the source; map a column to source.outlet or pass --outlet")
        if opts.preset == "liar" and key:
            key = "politifact-liar-" + key.removesuffix(".json")
        if not (key or url or title):
            # no column names the document: the sheet itself is the source, from the outlet given
            title = self.file_label
            key = f"sheet-{slugify(self.file_label, 60)}-{digest(outlet, self.file_label, length=8)}"
        if not key:
            published = _date(cells, "source.published_on")
            key = (
                source_key_for_url(url)
                if url
                else f"{slugify(outlet, 40)}-{digest(outlet, title, published, length=8)}"
            )
        self._entity(outlet, "media")
        source: dict[str, Any] = {"key": key, "outlet": outlet}
        if title:
            source["title"] = title
        if url:
            source["url"] = url
        if cells.get("source.authors"):
            source["authors"] = [a.strip() for a in cells["source.authors"].split(";") if a.strip()]
        published_on = _date(cells, "source.published_on")
        if published_on:
            source["published_on"] = published_on
        if opts.preset == "liar":
            source["note"] = "PolitiFact statement from the LIAR dataset; the title is where it was said"
        return source

    def _verdict(self, cells: dict[str, str], claim_key: str) -> dict:
        opts = self.options
        rating = cells["verdict"]
        reviewer = cells.get("verdict.reviewer") or opts.reviewer
        if not reviewer:
            raise _Refused(
                "verdict.reviewer", "no reviewer for the rating; map a column to verdict.reviewer or pass --reviewer"
            )
        # a reviewer publishes fact-checks: a media entity, the same one when it is also the outlet
        self._entity(reviewer, "media")
        verdict: dict = {"claim": claim_key, "reviewer": reviewer, "rating": rating}
        if opts.preset == "liar":
            if rating not in LIAR_RATINGS:
                raise _Refused("verdict", f'unknown rating "{rating}"; LIAR ratings are {", ".join(LIAR_RATINGS)}')
            verdict.update(rating_value=LIAR_RATINGS.index(rating) + 1, best_rating=len(LIAR_RATINGS), worst_rating=1)
        elif cells.get("verdict.rating_value"):
            try:
                verdict["rating_value"] = float(cells["verdict.rating_value"])
            except ValueError:
                raise _Refused("verdict.rating_value", f'"{cells["verdict.rating_value"]}" is not a number') from None
        reviewed_on = _date(cells, "verdict.reviewed_on")
        if reviewed_on:
            verdict["reviewed_on"] = reviewed_on
        if cells.get("verdict.url"):
            verdict["url"] = cells["verdict.url"]
        if cells.get("verdict.note"):
            verdict["note"] = cells["verdict.note"]
        return verdict

    def emit(self, rows: list[tuple[str, dict | Converted]], summary: ConversionSummary) -> Iterator[Converted]:
        """Entities first (each once), then each taken row's records in file order, minus
        repeats; refused rows' markers in their place."""
        for entity, location in self.entities.values():
            summary.records["entity"] += 1
            yield ("entity", entity, location)
        seen: set[str] = set()
        for location, row in rows:
            if isinstance(row, tuple):
                yield row
                continue
            for kind in ("source", "claim", "statement", "verdict"):
                record = row.get(kind)
                if record is None:
                    continue
                identity = kind + repr(sorted(record.items()))
                if identity in seen:
                    continue
                seen.add(identity)
                summary.records[kind] += 1
                yield (kind, record, location)


def _text(value: str, field_name: str) -> str:
    try:
        return check_text(value, field_name, allow_newlines=True)
    except InvalidInput as exc:
        raise _Refused(field_name, str(exc).split(": ", 1)[1]) from None


def _date(cells: dict[str, str], target: str) -> str | None:
    try:
        return iso_date(cells.get(target), target)
    except InvalidInput as exc:
        raise _Refused(target, str(exc).split(": ", 1)[1]) from None


def _choice(cells: dict[str, str], target: str, allowed: tuple[str, ...], value: str | None = None) -> str:
    value = (value if value is not None else cells[target]).lower()
    if value not in allowed:
        raise _Refused(target, f'"{value}" is not one of {", ".join(allowed)}')
    return value
