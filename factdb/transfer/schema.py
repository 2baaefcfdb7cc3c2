"""The bundle record shapes and their validation, without a database.

A record is ``(kind, fields, location)``: ``kind`` is one of :data:`KINDS`, ``fields`` the
mapping read from YAML, JSON or JSON Lines (or built by a converter), ``location`` where it came
from. :func:`check_record` reports every problem of one record (unknown or missing fields, bad
enum values, bad dates) and returns the record cleaned: texts stripped, dates in their ISO
form, empty values dropped, fields in the canonical order the exporter writes.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from collections.abc import Callable
from typing import Any, cast

from sqlalchemy import String

from factdb import models, vocab
from factdb.dates import MAX_YEAR, MIN_YEAR, format_partial_date, parse_partial_date, parse_time_of_day
from factdb.errors import InvalidInput
from factdb.normalize import CONTROL, LINE_BREAK, check_name, tag_form
from factdb.records import utc_timestamp

__all__ = [
    "Record",
    "KINDS",
    "SECTIONS",
    "FIELDS",
    "Location",
    "check_record",
    "parse_datetime",
]

# Dependency order: a record refers only to kinds before it (forward references within a kind
# -- part_of, republishes, links, responds_to -- are resolved at the end of the import).
KINDS = ("entity", "source", "claim", "statement", "verdict")
SECTIONS = {
    "entity": "entities",
    "source": "sources",
    "claim": "claims",
    "statement": "statements",
    "verdict": "verdicts",
}
KIND_OF_SECTION = {section: kind for kind, section in SECTIONS.items()}

FIELDS: dict[str, tuple[str, ...]] = {
    "entity": ("name", "kind", "aliases", "part_of", "roles", "note"),
    "source": (
        "key", "kind", "outlet", "title", "url", "authors", "published_on", "published_time", "modified_time",
        "text_state", "republishes", "updates", "note", "text", "anchors",
    ),
    "claim": ("key", "text", "tags", "links", "note"),
    "statement": (
        "key", "claim", "speaker", "speaker_description", "speaker_affiliation", "speaker_title",
        "anonymous_kind", "anonymous_id", "joint_speakers", "stance", "certainty", "hedge", "verb", "quote",
        "quote_kind", "via", "said_on", "source", "position", "utterance", "responds_to", "note", "retracted",
    ),
    "verdict": (
        "key", "claim", "statement", "reviewer", "reviewer_url", "reviewer_same_as", "publisher", "authors",
        "rating", "rating_value", "best_rating", "worst_rating", "rating_explanation", "normalized_rating",
        "reviewed_on", "url", "title", "description", "review_body", "language", "claim_venue", "claimant_same_as",
        "appearances", "note",
    ),
}
ROLE_FIELDS = ("title", "of", "from", "until", "note")
LINK_FIELDS = ("kind", "claim")
RETRACTED_FIELDS = ("at", "reason", "published_on")
# a statement's joint speakers after the first (revision 0025), each named or anonymous (an
# anonymous one with its own kind and id, as the first speaker's: revision 0063)
JOINT_FIELDS = ("speaker", "speaker_description", "speaker_affiliation", "anonymous_kind", "anonymous_id")
# a source's quote anchors (export --with-texts): the statement and its TextQuoteSelector
ANCHOR_FIELDS = ("statement", "status", "exact", "prefix", "suffix", "start", "end")
ANCHOR_STATUSES = ("found", "ambiguous", "changed", "missing")
# a source's stored text travels (export --with-texts) up to this size (UTF-8 bytes)
MAX_TEXT_BYTES = 10 * 1024 * 1024

REQUIRED = {
    "entity": ("name", "kind"),
    "source": ("key",),  # no outlet: an original nobody has seen
    "claim": ("key", "text"),
    "statement": ("claim", "stance", "source"),
    "verdict": ("reviewer", "rating"),  # and a claim or a statement (check_record)
}

# Free texts that may span lines; every other text is one line.
MULTILINE = frozenset({
    "note", "quote", "hedge", "text", "reason", "speaker_description", "description", "review_body",
    "rating_explanation",
})  # fmt: skip
# Kept byte for byte, as `factdb attribute` stores them (only blank text counts as absent).
VERBATIM = frozenset({"quote"})
# Names and the fields that name an entity: zero-width characters folded, direction controls refused.
NAME_FIELDS = frozenset({"name", "aliases", "part_of", "outlet", "speaker", "speaker_affiliation", "reviewer",
                         "publisher", "of"})
_FIELD_SETS = {kind: frozenset(fields) for kind, fields in FIELDS.items()}


class Location:
    """Where a record came from: file, line (YAML, JSON Lines) and its path in the bundle.

    ``field_lines`` maps a field to its own line when the reader knows it (YAML).
    ``plain_text``: the reader vouches that every text of the record (names and values alike)
    is printable ASCII (a JSON Lines line of such text, see
    :func:`factdb.transfer.reading.plain_text_line`), so :func:`check_record` need not look
    for control characters and line breaks in them.
    """

    __slots__ = ("file", "line", "path", "field_lines", "plain_text")

    def __init__(self, file: str | None, line: int | None, path: str, field_lines: dict[str, int] | None = None):
        self.file = file
        self.line = line
        self.path = path
        self.field_lines = field_lines
        self.plain_text = False

    def at(self, field: str | None = None) -> str:
        """``"seeds/claims.yaml:12: statements[3].stance"``."""
        line = self.line
        if field and self.field_lines:
            line = self.field_lines.get(field.split(".", 1)[0].split("[", 1)[0], line)
        where = self.file or "<input>"
        if line is not None:
            where += f":{line}"
        target = f"{self.path}.{field}" if field else self.path
        return f"{where}: {target}"

    def problem(self, field: str | None, message: str) -> str:
        return f"{self.at(field)}: {message}"

    def __repr__(self) -> str:
        return f"Location({self.at()!r})"


# A record as the importer takes it: ``(kind, fields, location)``; ``kind`` None carries a
# problem the reader found (``fields`` is its message), ``"error"`` a row a converter refused.
Record = tuple[str | None, Any, Location]


def parse_datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, dt.date):
        parsed = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise InvalidInput(f'"{value}" is not a date and time; use ISO 8601, e.g. 2011-07-12T10:00:00Z') from None
    else:
        raise InvalidInput(f"expected an ISO 8601 date and time, got {_type_name(value)}")
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise InvalidInput(f'"{parsed.isoformat()}" is outside the years {MIN_YEAR} to {MAX_YEAR} factdb keeps')
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def _type_name(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )


def _text(value: Any, name: str) -> str | None:
    """Stripped text (a quote: exactly as given), None for empty; raises InvalidInput with the reason."""
    if name in VERBATIM and isinstance(value, str) and value.strip():
        if CONTROL.search(value):
            raise InvalidInput("contains a control character; remove it")
        return value
    if type(value) is str:
        text = value.strip()
        if text.isprintable():  # the common case: no control character, no line break
            return text or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)  # a YAML key or rating written as a bare number
    if not isinstance(value, str):
        raise InvalidInput(f"expected text, got {_type_name(value)}")
    text = value.strip()
    if not text:
        return None
    if CONTROL.search(text) or (name not in MULTILINE and LINE_BREAK.search(text)):
        raise InvalidInput("contains a control character or line break; remove it")
    if name in NAME_FIELDS:
        try:
            return check_name(text, name, max_length=None)
        except InvalidInput as error:
            raise InvalidInput(str(error).split(": ", 1)[1]) from None
    return text


def _enum(value: Any, choices: tuple[str, ...]) -> str:
    if value in choices:
        return value
    if not isinstance(value, str) or value.strip() not in choices:
        shown = f"'{value}'" if isinstance(value, str) else _type_name(value)
        raise InvalidInput(f"{shown} is not one of {', '.join(choices)}")
    return value.strip()


_DATE_TEXT: dict[str, str | None] = {}  # dates repeat a lot in large bundles


def _date(value: Any) -> str | None:
    if type(value) is str:
        known = _DATE_TEXT.get(value)
        if known is not None:
            return known
        iso = _parse_date(value)
        if len(_DATE_TEXT) < 100_000:
            _DATE_TEXT[value] = iso
        return iso
    return _parse_date(value)


def _parse_date(value: Any) -> str | None:
    try:
        parsed = parse_partial_date(value)
    except InvalidInput as error:
        raise InvalidInput(str(error).split(": ", 1)[1]) from None
    return format_partial_date(parsed.value, parsed.precision) if parsed else None


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise InvalidInput(f"expected a number, got {_type_name(value)}")
    try:
        number = float(value)
    except ValueError:
        raise InvalidInput(f'"{value}" is not a number') from None
    if not math.isfinite(number):
        raise InvalidInput(f'"{value}" is not a finite number (JSON has no NaN or infinity)')
    return number


def _unique_items(
    value: Any,
    field: str,
    single: type,
    clean: Callable[[Any, str], Any],
    problems: list[tuple[str, str]],
) -> list[Any] | None:
    """A list field cleaned item by item (``clean(item, "field[i]")``, None to drop it),
    without repeats; a lone ``single`` value stands for a list of one."""
    if isinstance(value, single):
        value = [value]
    if not isinstance(value, list):
        problems.append((field, f"expected a list, got {_type_name(value)}"))
        return None
    items: list[Any] = []
    for index, item in enumerate(value):
        cleaned = clean(item, f"{field}[{index}]")
        if cleaned is not None and cleaned not in items:
            items.append(cleaned)
    return items or None


def _text_list(value: Any, name: str, problems: list[tuple[str, str]], field: str) -> list[str] | None:
    def clean(item: Any, where: str) -> str | None:
        try:
            return _text(item, name)
        except InvalidInput as error:
            problems.append((where, str(error)))
            return None

    return _unique_items(value, field, str, clean, problems)


def _mapping_list(
    value: Any,
    field: str,
    allowed: tuple[str, ...],
    required: tuple[str, ...],
    check: Callable[[str, Any], Any],
    problems: list[tuple[str, str]],
) -> list[dict[str, Any]] | None:
    def clean(item: Any, where: str) -> dict[str, Any] | None:
        return _sub_mapping(item, where, allowed, required, check, problems)

    return _unique_items(value, field, dict, clean, problems)


def _sub_mapping(
    item: Any,
    where: str,
    allowed: tuple[str, ...],
    required: tuple[str, ...],
    check: Callable[[str, Any], Any],
    problems: list[tuple[str, str]],
) -> dict[str, Any] | None:
    if not isinstance(item, dict):
        problems.append((where, f"expected a mapping, got {_type_name(item)}"))
        return None
    before = len(problems)
    values: dict[str, Any] = {}
    for name, raw in item.items():
        if name not in allowed:
            problems.append((f"{where}.{name}", _unknown(name, allowed)))
            continue
        if raw is None:
            continue
        try:
            checked = check(name, raw)
        except InvalidInput as error:
            problems.append((f"{where}.{name}", str(error)))
            continue
        if checked is not None:
            values[name] = checked
    for name in required:
        if name not in values and not any(p[0] == f"{where}.{name}" for p in problems[before:]):
            problems.append((f"{where}.{name}", "required field is missing"))
    if len(problems) > before:
        return None
    return {name: values[name] for name in allowed if name in values}


def _unknown(name: Any, allowed: tuple[str, ...] | frozenset[str]) -> str:
    close = difflib.get_close_matches(str(name), list(allowed), n=1)
    if close:
        return f'unknown field; did you mean "{close[0]}"?'
    return "unknown field; known fields: " + ", ".join(allowed)


def _check_role(name: str, value: Any) -> Any:
    if name in ("from", "until"):
        return _date(value)
    return _text(value, name)


def _check_link(name: str, value: Any) -> Any:
    if name == "kind":
        return _enum(value, vocab.CLAIM_LINK_KINDS)
    return _text(value, name)


def _check_joint(name: str, value: Any) -> Any:
    if name == "anonymous_kind":
        return _enum(value, vocab.ANONYMOUS_KINDS)
    checked = _text(value, name)  # speaker_description may span lines (MULTILINE), as the statement's own
    if name == "anonymous_id" and checked is not None and len(checked) > _JOINT_ID_LIMIT:
        raise InvalidInput(f"{len(checked)} characters is longer than the limit of {_JOINT_ID_LIMIT}")
    return checked


# a joint speaker's anonymous id, checked here as _LIMITS checks the record's own fields
_JOINT_ID_LIMIT: int = cast(String, models.StatementSpeaker.__table__.c.anonymous_id.type).length or 0

def _exact_text(value: Any) -> str:
    """A source's text (or an anchor's words) kept exactly: white space and line ends as given."""
    if not isinstance(value, str):
        raise InvalidInput(f"expected text, got {_type_name(value)}")
    if "\x00" in value:
        raise InvalidInput("contains a NUL character; is it a text file?")
    return value


def _source_text(value: Any) -> str | None:
    text = _exact_text(value)
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_TEXT_BYTES:
        raise InvalidInput(f"a text of {size:,} bytes is larger than the limit of {MAX_TEXT_BYTES // 2**20} MB")
    return text if text.strip() else None


def _check_anchor(name: str, value: Any) -> Any:
    if name == "status":
        return _enum(value, ANCHOR_STATUSES)
    if name in ("start", "end"):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidInput(f"expected a character offset (a whole number from 0), got {value!r}")
        return value
    if name == "statement":
        return _text(value, name)
    return _exact_text(value) if value != "" else None


def _check_retracted(name: str, value: Any) -> Any:
    if name == "at":
        return utc_timestamp(parse_datetime(value))
    if name == "published_on":
        return _date(value)
    return _text(value, name)


_ENUMS = {
    ("entity", "kind"): vocab.ENTITY_KINDS,
    ("source", "kind"): vocab.SOURCE_KINDS,
    ("source", "text_state"): vocab.TEXT_STATES,
    ("statement", "position"): vocab.POSITIONS,
    ("statement", "anonymous_kind"): vocab.ANONYMOUS_KINDS,
    ("statement", "stance"): vocab.STANCES,
    ("statement", "certainty"): vocab.CERTAINTIES,
    ("statement", "quote_kind"): vocab.QUOTE_KINDS,
}
_DATES = frozenset({"published_on", "said_on", "reviewed_on"})
_TIMES = frozenset({"published_time", "modified_time"})
_NUMBERS = frozenset({"rating_value", "best_rating", "worst_rating"})
_TEXT_LISTS = frozenset({"aliases", "authors", "tags", "via", "reviewer_same_as", "claimant_same_as", "appearances"})


def _checker(kind: str, name: str) -> Callable[[Any, str, list[tuple[str, str]]], Any]:
    """The function that checks one field of one kind: ``check(raw, name, problems)``."""
    if name in _TEXT_LISTS:
        return lambda raw, name, problems: _text_list(raw, name, problems, name)
    if (kind, name) in _ENUMS:
        choices = _ENUMS[kind, name]
        return lambda raw, name, problems: _enum(raw, choices)
    if name in _DATES:
        return lambda raw, name, problems: _date(raw)
    if name in _NUMBERS:
        return lambda raw, name, problems: _number(raw)
    if name in _TIMES:
        return lambda raw, name, problems: parse_time_of_day(raw, name)
    if name == "roles":
        return lambda raw, name, problems: _mapping_list(raw, name, ROLE_FIELDS, ("title",), _check_role, problems)
    if name == "links":
        return lambda raw, name, problems: _mapping_list(raw, name, LINK_FIELDS, LINK_FIELDS, _check_link, problems)
    if name == "joint_speakers":
        return lambda raw, name, problems: _mapping_list(raw, name, JOINT_FIELDS, (), _check_joint, problems)
    if (kind, name) == ("source", "text"):
        return lambda raw, name, problems: _source_text(raw)
    if name == "anchors":
        return lambda raw, name, problems: _mapping_list(
            raw, name, ANCHOR_FIELDS, ("statement", "status"), _check_anchor, problems
        )
    if name == "retracted":
        return lambda raw, name, problems: _sub_mapping(
            raw, name, RETRACTED_FIELDS, ("at", "reason"), _check_retracted, problems
        )
    return lambda raw, name, problems: _text(raw, name)


_CHECKERS = {kind: {name: _checker(kind, name) for name in fields} for kind, fields in FIELDS.items()}
# How check_record takes a text value of each field in the common case, one lookup per field:
# _PLAIN (one-line or multi-line text, stripped), _VERBATIM (a quote, kept as given), _DATE (a
# date seen before), or the frozenset of an enum's values. A field not here (lists, mappings,
# numbers, a source's text) always goes to its checker, as does any value the common case
# does not take (not text, a control character, an unknown date, a value not in the enum).
_PLAIN, _VERBATIM, _DATE = object(), object(), object()
_FAST: dict[str, dict[str, Any]] = {
    kind: {
        name: (
            frozenset(_ENUMS[kind, name]) if (kind, name) in _ENUMS
            else _VERBATIM if name in VERBATIM
            else _DATE if name in _DATES
            else _PLAIN
        )
        for name in fields
        if name not in _TEXT_LISTS and name not in _NUMBERS and name not in _TIMES
        and name not in ("roles", "links", "retracted", "anchors", "joint_speakers")
        and (kind, name) != ("source", "text")
    }
    for kind, fields in FIELDS.items()
}


# Fields stored in length-limited columns: PostgreSQL refuses an over-long value where SQLite
# keeps it, so the importer checks them itself (limits read from the models, so they never drift).
_LENGTH_FIELDS = {
    "entity": {"name": "Entity.name", "aliases": "EntityName.name", "roles": "EntityRole.title"},
    "source": {"key": "Source.key"},
    "claim": {"key": "Claim.key", "tags": "ClaimTag.tag"},
    "statement": {"key": "Statement.key", "verb": "Statement.verb", "utterance": "Statement.utterance",
                  "anonymous_id": "Statement.anonymous_id"},
    "verdict": {
        "key": "Verdict.key", "statement": "Statement.key", "publisher": "Entity.name", "rating": "Verdict.rating",
        "normalized_rating": "Verdict.normalized_rating", "language": "Verdict.language",
    },
}
_LIMITS: dict[str, list[tuple[str, int]]] = {
    kind: [
        (name, getattr(models, column.split(".")[0]).__table__.c[column.split(".")[1]].type.length)
        for name, column in _LENGTH_FIELDS.get(kind, {}).items()
    ]
    for kind in FIELDS
}


_NOT_WITH_A_SPEAKER = "describes an anonymous speaker: give a speaker_description, not a speaker"


def check_record(kind: str | None, fields: Any, location: Location) -> tuple[dict[str, Any] | None, list[str]]:
    """``(cleaned record, [])`` for a valid record, ``(its valid fields, problems)`` otherwise.

    >>> check_record("claim", {"key": "k", "text": " Iran arms militias "}, Location("f", 3, "claims[0]"))
    ({'key': 'k', 'text': 'Iran arms militias'}, [])
    """
    if kind is None:  # a problem the reader found; ``fields`` is its message
        return None, [location.problem(None, str(fields))]
    if kind == "error" and isinstance(fields, dict) and "message" in fields:
        # a row a converter (CSV, ClaimReview) refused: its message is "FILE:LINE: field: reason"
        return None, [str(fields["message"])]
    if kind not in _FIELD_SETS:
        return None, [location.problem(None, f"unknown record type {kind!r}; expected one of {', '.join(KINDS)}")]
    if not isinstance(fields, dict):
        return None, [location.problem(None, f"expected a mapping, got {_type_name(fields)}")]
    allowed = _FIELD_SETS[kind]
    checkers = _CHECKERS[kind]
    problems: list[tuple[str, str]] = []
    values: dict[str, Any] = {}
    fast = _FAST[kind]
    plain_text, verbatim, date = _PLAIN, _VERBATIM, _DATE
    printable = location.plain_text  # every text printable: no control character, no line break
    for name, raw in fields.items():
        # The common cases inline (a million statements pass here): plain one-line text,
        # a quote, a valid enum value, a date seen before.
        if type(raw) is str:
            how = fast.get(name)
            if how is plain_text:
                text = raw.strip()
                if printable:
                    if text:
                        values[name] = text
                    continue
                if text.isprintable():  # no control character, no line break
                    if text:
                        values[name] = text
                    continue
            elif how is verbatim:
                if (printable or raw.isprintable()) and not raw.isspace() and raw:  # printable: no control character
                    values[name] = raw
                    continue
            elif how is date:
                known = _DATE_TEXT.get(raw)
                if known is not None:
                    values[name] = known
                    continue
            elif how is not None and raw in how:
                values[name] = raw
                continue
        if name not in allowed:
            problems.append((str(name), _unknown(name, FIELDS[kind])))
            continue
        if raw is None:
            continue
        try:
            checked = checkers[name](raw, name, problems)
        except InvalidInput as error:
            problems.append((name, str(error)))
            continue
        if checked is not None:
            values[name] = checked
    for name in REQUIRED[kind]:
        if name not in values and not any(p[0] == name for p in problems):
            problems.append((name, "required field is missing"))
    if kind == "statement":
        if "speaker" in values:
            if "anonymous_kind" in values or "anonymous_id" in values:
                for name in ("anonymous_kind", "anonymous_id"):
                    if name in values:
                        problems.append((name, _NOT_WITH_A_SPEAKER))
        elif "speaker_description" not in values and not any(
            p[0] in ("speaker", "speaker_description") for p in problems
        ):
            problems.append(("speaker", "give a speaker (an entity) or a speaker_description (an anonymous speaker)"))
        if values.get("joint_speakers"):
            for i, joint in enumerate(values["joint_speakers"]):
                if ("speaker" in joint) == ("speaker_description" in joint):
                    problems.append((f"joint_speakers[{i}]", "give a speaker or a speaker_description, not both"))
                elif "speaker" in joint and "speaker_affiliation" in joint:
                    problems.append((f"joint_speakers[{i}]", "a speaker_affiliation goes with a speaker_description"))
                elif "speaker" in joint:
                    for name in ("anonymous_kind", "anonymous_id"):
                        if name in joint:
                            problems.append((f"joint_speakers[{i}].{name}", _NOT_WITH_A_SPEAKER))
    elif (
        kind == "verdict"
        and "claim" not in values
        and "statement" not in values
        and not any(p[0] in ("claim", "statement") for p in problems)
    ):
        problems.append(("claim", "give the claim rated, or the statement rated (a statement key)"))
    for name, limit in _LIMITS[kind]:
        value = values.get(name)
        if value is None or (type(value) is str and len(value) <= limit):
            continue  # the common case, without building a list of one
        for index, item in enumerate(value if isinstance(value, list) else [value]):
            stored = item.get("title") if isinstance(item, dict) else item  # roles: their title is the stored text
            if isinstance(stored, str) and len(stored) > limit:
                where = f"{name}[{index}]" if isinstance(value, list) else name
                problems.append((where, f"{len(stored)} characters is longer than the limit of {limit}"))
    if problems:
        # the fields that are valid still go back, so references can be checked too
        return values, [location.problem(field, message) for field, message in problems]
    if kind == "statement" and values.get("certainty") == "unspecified":
        del values["certainty"]  # the default; the exporter leaves it out
    if kind == "claim" and "tags" in values:
        values["tags"] = sorted({tag_form(tag) for tag in values["tags"]})
    # Field order is the input's: records compare as dicts, and the exporter writes its own order.
    return values, []
