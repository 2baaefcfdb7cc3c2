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
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from factdb.errors import InvalidInput
from factdb.keys import claim_key_for, digest, slugify, source_key_for_url, statement_key
from factdb.normalize import check_text, normalize_name
from factdb.transfer.converting import ConversionSummary, Converted, Emitted, iso_date, refusal
from factdb.transfer.names import is_placeholder, is_slug, names_no_one, readable_name, spelling_in
from factdb.vocab import CERTAINTIES, ENTITY_KINDS, QUOTE_KINDS, STANCES

__all__ = ["TARGETS", "PRESETS", "TableOptions", "parse_mapping", "convert_table", "speaker_name", "LIAR_MAPPING"]

# every field a column may feed; "party" is a synonym of "affiliation"
TARGETS = (
    "claim", "claim.key", "claim.tags", "claim.note",
    "speaker", "speaker.kind", "speaker_title", "speaker_description", "affiliation",
    "stance", "certainty", "hedge", "verb", "quote", "quote_kind", "said_on", "statement.key", "statement.note",
    "source.key", "source.title", "source.url", "source.outlet", "source.published_on", "source.authors",
    "verdict", "verdict.reviewer", "verdict.url", "verdict.reviewed_on", "verdict.rating_value",
    "verdict.rating_explanation", "verdict.note",
)  # fmt: skip
_SYNONYMS = {"party": "affiliation", "rating": "verdict", "claim.text": "claim", "verdict.rating": "verdict"}
_QUOTING: dict[str, Literal[0, 1, 2, 3]] = {"minimal": csv.QUOTE_MINIMAL, "none": csv.QUOTE_NONE, "all": csv.QUOTE_ALL}

# The LIAR dataset (Wang 2017): 14 positional columns, no header.
LIAR_MAPPING = "1=source.key,2=verdict,3=claim,4=claim.tags,5=speaker,6=speaker_title,8=affiliation,14=source.title"
LIAR_COLUMNS = 14
LIAR_COLUMN_NAMES = ("id", "label", "statement", "subjects", "speaker", "job title", "state", "party",
                     "barely-true count", "false count", "half-true count", "mostly-true count", "pants-fire count",
                     "context")  # fmt: skip
# LIAR-PLUS (Alhindi et al. 2018): a row index first, LIAR's 14 columns, then the justification
# PolitiFact's ruling gives; written with CSV quoting (quotes doubled), unlike LIAR.
LIAR_PLUS_MAPPING = (
    "2=source.key,3=verdict,4=claim,5=claim.tags,6=speaker,7=speaker_title,9=affiliation,15=source.title,"
    "16=verdict.rating_explanation"
)


@dataclass(frozen=True)
class Preset:
    """A known layout: its mapping, columns (named, for messages) and how it is written."""

    mapping: str
    columns: tuple[str, ...]
    quoting: str


PRESETS = {
    "liar": Preset(LIAR_MAPPING, LIAR_COLUMN_NAMES, "none"),
    "liar-plus": Preset(LIAR_PLUS_MAPPING, ("index", *LIAR_COLUMN_NAMES, "justification"), "minimal"),
}
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
            preset = PRESETS.get(self.preset)
            if preset is None:
                known = ", ".join(PRESETS)
                raise InvalidInput(f'preset: unknown preset "{self.preset}"; the known presets are {known}')
            self.mapping = self.mapping or preset.mapping
            self.delimiter, self.quoting, self.header = "\t", preset.quoting, False
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
    preset = PRESETS.get(options.preset or "")
    width: int | None = len(preset.columns) if preset else None
    positions: dict[int, str] = {}
    labels: dict[int, str] = {i: f"column {i + 1} ({name})" for i, name in enumerate(preset.columns)} if preset else {}
    if options.header:
        try:
            header = next(reader)
        except StopIteration:
            return
        names = [name.strip() for name in header]
        labels = {i: f"column {name}" for i, name in enumerate(names)}
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
    lines: list[str] | None = None
    unmapped: list[int] | None = None
    for start, row in _rows_with_lines(reader):
        if isinstance(row, list) and not any(cell.strip() for cell in row):
            continue  # blank lines are not rows
        location = f"{file_label}:{start}"
        summary.read += 1
        if isinstance(row, str):
            reason = f"not readable as CSV ({row}); check --delimiter and --quoting"
            summary.refuse("row", reason)
            lines = lines if lines is not None else text.splitlines()  # only once something is refused
            rows.append((location, refusal(location, "row", reason, raw="\n".join(lines[start - 1 : reader.line_num]))))
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
            rows.append((location, refusal(location, refused.field, refused.reason, raw=row)))
            continue
        if unmapped is None:
            unmapped = [index for index in range(len(row)) if index not in positions]
        for index in unmapped:
            value = row[index].strip()
            if value:
                label = labels.get(index) or f"column {index + 1}"
                summary.drop(label, f"{location}: {label}: {value[:60]!r} (no field mapped)")
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
    """A slug such as ``barack-obama`` (LIAR's speakers) becomes ``Barack Obama`` (title case
    that keeps apostrophes and particles, see :func:`.names.readable_name`); a name with
    capitals or spaces is kept as written. The converter then looks for the name as the
    row's texts print it ("Beto O'Rourke" for ``beto-orourke``)."""
    if is_slug(value):
        return readable_name(value)
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
        self._dropped: list[tuple[str, str]] = []  # this row's cells that name no one
        # normalized speaker name -> spellings the rows' texts give it ("Beto O'Rourke")
        self.spellings: dict[str, Counter[str]] = {}
        self.location = ""

    def _entity(self, name: str, kind: str, role: dict | None = None) -> None:
        self._pending.append((name, kind, role))

    def convert(self, cells: dict[str, str], location: str) -> dict:
        """The records of one row, keyed by kind; its entities are kept aside, once each."""
        self._pending, self._dropped, self.location = [], [], location
        records = self._convert(cells)
        summary = self.options.summary
        for label, detail in self._dropped:
            summary.drop(label, f"{location}: {detail}")
        for name, kind, role in self._pending:
            record, _ = self.entities.setdefault(normalize_name(name), ({"name": name, "kind": kind}, location))
            if role is not None and role not in record.setdefault("roles", []):
                record["roles"].append(role)
        return records

    def _convert(self, cells: dict[str, str]) -> dict:
        opts = self.options
        liar = opts.preset in PRESETS
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
        description = cells.get("speaker_description")
        if raw_speaker and is_placeholder(raw_speaker):
            self._dropped.append(("speaker", f"speaker: {raw_speaker!r} (names no one)"))
            raw_speaker = ""
        # a preset's speakers are all slugs, one word ("moveon") or several ("beto-orourke")
        slug = is_slug(raw_speaker) or (liar and raw_speaker.islower() and " " not in raw_speaker)
        speaker = readable_name(raw_speaker) if slug else speaker_name(raw_speaker)
        if speaker and slug:
            texts = (text, cells.get("verdict.rating_explanation", ""), cells.get("source.title", ""))
            spelled = spelling_in(raw_speaker, texts)
            if spelled:
                self.spellings.setdefault(normalize_name(speaker), Counter())[spelled] += 1
        party_value = party_given = cells.get("affiliation", "")
        if party_value and (names_no_one(party_value) or (liar and party_value not in LIAR_PARTIES)):
            if not (liar and party_value == "organization"):  # LIAR's mark of a speaker that is one
                self._dropped.append(("affiliation", f"affiliation: {party_value!r} (not a party or an organization)"))
            party_value = ""
        if speaker:
            kind = (cells.get("speaker.kind") or "person").lower()
            if liar:
                kind = (
                    "organization"
                    if party_given == "organization"
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
        if speaker or description:
            if source is None:
                named = [t for t in ("source.key", "source.url", "source.title", "source.outlet") if t in cells]
                if named:  # the columns are there, this row leaves them empty
                    raise _Refused("source", f"no source for the statement: {', '.join(named)} empty on this row")
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
                statement["speaker_description"] = description
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
        if outlet and is_placeholder(outlet):
            # "none", "n/a", "unknown": the row says it has no outlet (as `source add` without --outlet)
            self._dropped.append(("source.outlet", f"source.outlet: {outlet!r} (names no one)"))
            outlet = None
        if opts.preset in PRESETS and key:
            key = "politifact-liar-" + key.removesuffix(".json")
        if not (key or url or title):
            if not outlet:
                return None  # nothing names a document: no source (a statement is refused for it)
            # no column names the document: the sheet itself is the source, from the outlet given
            title = self.file_label
            key = f"sheet-{slugify(self.file_label, 60)}-{digest(outlet, self.file_label, length=8)}"
        if not key:
            published = _date(cells, "source.published_on")
            if url:
                key = source_key_for_url(url)
            elif outlet:
                key = f"{slugify(outlet, 40)}-{digest(outlet, title, published, length=8)}"
            else:  # a source without an outlet (revision 0050): its key from the title and date
                key = f"{slugify(title or '', 40)}-{digest(None, title, published, length=8)}"
        source: dict[str, Any] = {"key": key}
        if outlet:
            self._entity(outlet, "media")
            source["outlet"] = outlet
        if title:
            source["title"] = title
        if url:
            source["url"] = url
        if cells.get("source.authors"):
            source["authors"] = [a.strip() for a in cells["source.authors"].split(";") if a.strip()]
        published_on = _date(cells, "source.published_on")
        if published_on:
            source["published_on"] = published_on
        if opts.preset in PRESETS:
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
        if opts.preset in PRESETS:
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
        if cells.get("verdict.rating_explanation"):
            verdict["rating_explanation"] = cells["verdict.rating_explanation"]
        if cells.get("verdict.note"):
            verdict["note"] = cells["verdict.note"]
        return verdict

    def emit(self, rows: list[tuple[str, dict | Converted]], summary: ConversionSummary) -> Iterator[Converted]:
        """Entities first (each once, named as the rows' texts spell them when they do), then
        each taken row's records in file order, minus repeats (a key that repeats with other
        content is warned about, the first kept); refused rows' markers in their place."""
        spelled = {norm: found.most_common(1)[0][0] for norm, found in self.spellings.items()}
        emitted = Emitted(summary)
        for norm, (entity, location) in self.entities.items():
            if norm in spelled:
                entity["name"] = spelled[norm]
            if emitted.add("entity", entity, location):
                yield ("entity", entity, location)
        for location, row in rows:
            if isinstance(row, tuple):
                yield row
                continue
            statement = row.get("statement")
            if statement is not None and statement.get("speaker"):
                statement["speaker"] = spelled.get(normalize_name(statement["speaker"]), statement["speaker"])
            for kind in ("source", "claim", "statement", "verdict"):
                record = row.get(kind)
                if record is not None and emitted.add(kind, record, location):
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
