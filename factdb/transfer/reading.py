"""Reading bundles: YAML and JSON documents, JSON Lines streamed line by line.

Every reader yields ``(kind, fields, location)``. YAML records carry the line of the record and
of each field, so a problem reads ``seeds/claims.yaml:41: statements[3].stance: ...``. A
problem the reader itself finds (an unknown section, a line that is not JSON) is yielded as
``(None, message, location)`` so the importer can report it with all the others.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Iterable, Iterator
from typing import IO, Any, cast

import orjson
import yaml
import yaml.cyaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from factdb.errors import BundleInvalid, InvalidInput
from factdb.normalize import normalize_name
from factdb.transfer.formats import BUNDLE_FORMATS, format_of_name, text_encoding
from factdb.transfer.schema import KIND_OF_SECTION, KINDS, SECTIONS, Location, Record

__all__ = ["read_bundle", "read_bundles"]


def _bundle_format(name: str | None, given: str | None) -> str:
    """``given``, else the bundle format the file name's ending names (.yaml/.yml, .json, .jsonl)."""
    if given:
        if given not in BUNDLE_FORMATS:
            raise InvalidInput(f"Unknown bundle format {given!r}; use one of {', '.join(BUNDLE_FORMATS)}.")
        return given
    found = format_of_name(name)
    if found in BUNDLE_FORMATS:
        return found
    raise InvalidInput(
        f"Cannot tell the format of {name or 'standard input'}; name it .yaml, .json or .jsonl or pass --format."
    )


def read_bundle(source: str | os.PathLike[str] | IO[bytes], format: str | None = None) -> Iterator[Record]:
    """Records of one bundle file (a path, or a binary stream with ``format``).

    YAML and JSON documents yield their records in dependency order (entities, sources,
    claims, statements, verdicts); JSON Lines yields them in file order, without holding the
    file in memory.
    """
    if isinstance(source, (str, os.PathLike)):
        fmt = _bundle_format(str(source), format)
        name = str(source)
        with open(source, "rb") as stream:
            yield from refuse_repeats(_read(stream, name, fmt), reread=name)
    else:
        name = str(getattr(source, "name", "<stdin>"))
        fmt = _bundle_format(name, format)
        yield from refuse_repeats(_read(source, name, fmt), reread=name if _is_file(source, name) else None)


def read_bundles(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Record]:
    """Several YAML/JSON files read as ONE bundle: references may cross files.

    All entities of all files come first, then all sources, and so on.
    """
    by_kind: dict[str | None, list[Record]] = {}
    for path in paths:
        for record in read_bundle(path):
            by_kind.setdefault(record[0] if record[0] in KINDS else None, []).append(record)
    yield from by_kind.get(None, ())
    yield from refuse_repeats(record for kind in KINDS for record in by_kind.get(kind, ()))


def refuse_repeats(records: Iterable[Record], reread: str | None = None) -> Iterator[Record]:
    """The records, a record with the natural key of an earlier one of its kind (an entity's
    name, any other record's key) replaced by a problem: given twice, the later would silently
    replace the earlier, and every import of the bundle would report it "updated" again.
    ``reread``: the path of the file the records come from, when it can be read again."""
    return _Repeats(reread).refused(records)


def _is_file(stream: IO[bytes], name: str) -> bool:
    """Whether ``stream`` reads the regular file at the path ``name`` (so it can be read again)."""
    try:
        opened, named = os.fstat(stream.fileno()), os.stat(name)
    except (AttributeError, OSError, ValueError):
        return False
    return stat.S_ISREG(opened.st_mode) and (opened.st_dev, opened.st_ino) == (named.st_dev, named.st_ino)


class _Repeats:
    """The natural keys seen so far, per kind, and where each was first given.

    The records of one JSON Lines file (the first such record's; its records' paths are their
    kinds) keep only the hash of their key while no hash comes twice: a million statement
    keys kept as text with their line numbers cost 128 MB at 1M statements, their hashes 61 MB.
    The first hash seen twice in a kind is told from a collision by reading the file again up
    to that line, once (:meth:`_exact`): from then on that kind's keys of the file are kept
    with their lines, as every other record's key is kept with its Location. A file that
    cannot be read again (standard input, a pipe) keeps its keys with their lines from the start.
    """

    def __init__(self, reread: str | None) -> None:
        self.reread = reread
        self.located: dict[str, dict[str, Location]] = {kind: {} for kind in KINDS}
        self.lines_of: str | None = None  # the file whose records are kept as hashes or lines
        self.rereadable = False
        self.hashes: dict[str, set[int] | None] = {kind: set() for kind in KINDS}  # None: ``lines`` instead
        self.lines: dict[str, dict[str, int]] = {kind: {} for kind in KINDS}

    def refused(self, records: Iterable[Record]) -> Iterator[Record]:
        key_fields, located = _KEY_FIELDS, self.located
        lines_of, rereadable = self.lines_of, self.rereadable
        for record in records:
            kind, fields, location = record
            what = key_fields.get(kind)  # type: ignore[arg-type]
            if what is None or not isinstance(fields, dict):
                yield record
                continue
            value = fields.get(what)
            if not isinstance(value, str) or not (key := value.strip()):
                yield record
                continue
            if what == "name":
                key = normalize_name(value)
            # the common case inline (what :meth:`first` does with a JSON Lines record of the
            # file kept as hashes whose key's hash is new): remembered, nothing to refuse
            if (
                rereadable and location.file == lines_of and location.path == kind and location.line is not None
                and location.field_lines is None
            ):
                hashes = self.hashes[kind]
                if hashes is not None:
                    hashed = hash(key)
                    if hashed not in hashes and key not in located[kind]:
                        hashes.add(hashed)
                        yield record
                        continue
            first = self.first(cast(str, kind), key, location)
            lines_of, rereadable = self.lines_of, self.rereadable
            if first is not None:
                given = fields.get(what)
                message = f"{kind} {what} {given!r} is given twice in the bundle (first at {first.at()})"
                yield None, message, location
                continue
            yield record

    def first(self, kind: str, key: str, location: Location) -> Location | None:
        """Where ``key`` was first given, or None (then it is remembered as given here)."""
        first = self.located[kind].get(key)
        if first is not None:
            return first
        if self.lines_of is not None:
            line = self._line(kind, key, location)
            if line is not None:
                return Location(self.lines_of, line, kind)
        if location.line is not None and location.path == kind and location.field_lines is None:
            if self.lines_of is None:
                self.lines_of = location.file
                self.rereadable = location.file is not None and location.file == self.reread
            if location.file == self.lines_of:
                hashes = self.hashes[kind]
                if hashes is not None and self.rereadable:
                    hashes.add(hash(key))
                else:
                    self.lines[kind][key] = location.line
                return None
        self.located[kind][key] = location
        return None

    def _line(self, kind: str, key: str, location: Location) -> int | None:
        """The line of the file :attr:`lines_of` where ``key`` was first given, or None."""
        hashes = self.hashes[kind]
        if hashes is not None and self.rereadable:
            if hash(key) not in hashes:
                return None
            self.lines[kind] = self._exact(kind, location)
            self.hashes[kind] = None
        return self.lines[kind].get(key)

    def _exact(self, kind: str, location: Location) -> dict[str, int]:
        """The keys of ``kind`` the file :attr:`lines_of` gives before ``location`` (a record of
        that file or a later one), each with its first line, read from the file again."""
        assert self.lines_of is not None
        lines: dict[str, int] = {}
        before = location.line if location.file == self.lines_of and location.line is not None else None
        with open(self.lines_of, "rb") as stream:
            for record_kind, fields, at in _read_jsonl(stream, self.lines_of):
                if before is not None and cast(int, at.line) >= before:
                    break
                if record_kind == kind:
                    key = _natural_key(kind, fields)
                    if key is not None:
                        lines.setdefault(key, cast(int, at.line))
            else:
                if before is not None:
                    raise InvalidInput(f"{self.lines_of}: the file changed while it was imported")
        return lines


_KEY_FIELDS = {kind: "name" if kind == "entity" else "key" for kind in KINDS}  # what names a record


def _natural_key(kind: str | None, fields: Any) -> str | None:
    if kind not in KINDS or not isinstance(fields, dict):
        return None
    value = fields.get("name" if kind == "entity" else "key")
    if not isinstance(value, str) or not value.strip():
        return None
    return normalize_name(value) if kind == "entity" else value.strip()


# Memory bounds. JSON Lines and YAML are streamed record by record; a JSON document is parsed
# whole (orjson: about 5x its size in Python objects), so it is refused above this size (use
# JSON Lines, which `factdb export --format jsonl` writes, for larger exports). A line or a
# record longer than MAX_RECORD_BYTES is refused too: a file that never ends (/dev/zero)
# stops with one line instead of filling the memory.
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
MAX_RECORD_BYTES = 16 * 1024 * 1024


def _read(stream: IO[bytes], name: str, fmt: str) -> Iterator[Record]:
    """The reader of ``fmt`` (itself, not a generator around it: each layer costs every record)."""
    if fmt == "jsonl":
        return _read_jsonl(stream, name)
    if fmt == "json":
        return _read_json(read_document(stream, name, "JSON document"), name)
    return _read_yaml(stream, name)


def read_document(stream: IO[bytes], name: str, what: str) -> bytes:
    """The whole of a document that is parsed at once, refused past :data:`MAX_DOCUMENT_BYTES`."""
    data = stream.read(MAX_DOCUMENT_BYTES + 1)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InvalidInput(
            f"{name}: a {what} is read whole and this one is larger than {MAX_DOCUMENT_BYTES // 2**20} MB; "
            "use JSON Lines (.jsonl, streamed) or YAML for large bundles"
        )
    return data


def _read_jsonl(stream: IO[bytes], name: str) -> Iterator[Record]:
    loads = orjson.loads
    backslash, delete = _BACKSLASH, _DEL
    number = 0
    while True:
        line = stream.readline(MAX_RECORD_BYTES + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_RECORD_BYTES:
            raise InvalidInput(f"{name}:{number}: a line longer than {MAX_RECORD_BYTES // 2**20} MB; "
                               "not a JSON Lines bundle (one record per line)")
        if len(line) < 3 and not line.strip():  # a blank line (orjson takes the newline itself)
            continue
        try:
            fields = loads(line)
        except orjson.JSONDecodeError as error:
            yield None, f"not valid JSON ({error})", Location(name, number, "record")
            continue
        if not isinstance(fields, dict):
            yield None, "expected a JSON object per line", Location(name, number, "record")
            continue
        kind = fields.pop("type", None)
        if type(kind) is not str or kind not in SECTIONS:  # a list or a mapping cannot be looked up
            message = f'"type" must be one of {", ".join(KINDS)}' + (f", not {kind!r}" if kind is not None else "")
            yield None, message, Location(name, number, "record")
            continue
        location = Location(name, number, kind)
        # plain_text_line(line), written out: a call per record costs as much as the scans
        location.plain_text = line.isascii() and backslash not in line and delete not in line
        yield kind, fields, location


def plain_text_line(line: bytes) -> bool:
    """Whether every string of this JSON text is printable ASCII (:attr:`Location.plain_text`),
    told from its bytes alone: ASCII; no backslash, so no escape (of a control character, a
    line break or anything else); and no DEL, the one control character JSON lets stand
    unescaped (orjson refuses the others). Three scans in C: the bytes are looked for as
    numbers (``b"\\\\" in line`` first tries the bytes as a number, and formats the error it
    clears); a string's white space at either end is still stripped (the two-byte searches
    for a quote beside a space cost more than the strips)."""
    return line.isascii() and _BACKSLASH not in line and _DEL not in line


_BACKSLASH, _DEL = ord("\\"), 0x7F


def _read_json(data: bytes, name: str) -> Iterator[Record]:
    data = as_utf8(data, name)
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise BundleInvalid([f"{name}: not valid JSON ({error})"]) from None
    _refuse_repeated_sections(data, name)
    yield from _sections(document, name)


_SECTION_KEY = re.compile(rb'"(' + b"|".join(s.encode() for s in SECTIONS.values()) + rb')"\s*:')


def _refuse_repeated_sections(data: bytes, name: str) -> None:
    """A JSON object keeps the last of two equal keys: two "claims" sections would lose the
    first one's records silently. Refused, with the line of the second."""
    found: dict[bytes, list[int]] = {}
    for match in _SECTION_KEY.finditer(data):
        found.setdefault(match.group(1), []).append(match.start())
    if all(len(starts) == 1 for starts in found.values()):
        return  # the common case: each section name once in the whole text
    top: list[str] = []

    def keys(items: list[tuple[str, Any]]) -> dict[str, Any]:
        top[:] = [key for key, _value in items]  # objects close innermost first: the last is the document
        return {}

    json.loads(data, object_pairs_hook=keys)
    for section, starts in found.items():
        if top.count(section.decode()) > 1:
            first, line = (data.count(b"\n", 0, start) + 1 for start in (starts[0], starts[-1]))
            raise BundleInvalid([
                f"{name}:{line}: section {section.decode()!r} is given twice (first at line {first}); merge them"
            ])


def as_utf8(data: bytes, name: str) -> bytes:
    """A JSON text as UTF-8: UTF-16 or UTF-32 (with a byte order mark, or recognised by its
    zero bytes, RFC 8259 section 8.1 and RFC 4627 section 3) converted; UTF-8 as it is."""
    encoding = text_encoding(data[:4])
    if encoding.startswith("utf-8"):
        return data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        return data.decode(encoding).encode("utf-8")
    except UnicodeDecodeError as error:
        reason = f"{error.reason} at byte {error.start}"
        raise BundleInvalid([f"{name}: not valid {encoding.upper()} text ({reason})"]) from None


_TOP_KEY = re.compile(rb"^([A-Za-z_]+)[ \t]*:", re.M)


def _read_yaml(stream: IO[bytes], name: str) -> Iterator[Record]:
    """Stream a YAML bundle: one record's nodes in memory at a time (composing the whole
    document took about 30 times the file's size).

    Records come in dependency order (entities, sources, claims, statements, verdicts). A
    file whose sections are in that order (what ``export`` writes) is parsed once; any other
    once per section (each pass skips the other sections). Standard input and other streams
    that cannot be read twice are read once, in file order."""
    if not _regular_file(stream):
        # standard input, a pipe, a device: one pass in file order (export's order), so that
        # nothing has to be held or spooled, and an endless stream fails at its first bad byte
        yield from _yaml_pass(stream, name, None, report=True)
        return
    start = stream.tell()
    found = _top_level_sections(stream)
    stream.seek(start)
    kinds = [KIND_OF_SECTION[section] for section in found if section in KIND_OF_SECTION]
    if found and kinds == sorted(kinds, key=KINDS.index):
        yield from _yaml_pass(stream, name, None, report=True)
        return
    for number, kind in enumerate(KINDS):
        stream.seek(start)
        yield from _yaml_pass(stream, name, SECTIONS[kind], report=number == 0)


def _regular_file(stream: IO[bytes]) -> bool:
    try:
        return stat.S_ISREG(os.fstat(stream.fileno()).st_mode) and stream.seekable()
    except (AttributeError, OSError, ValueError):  # an in-memory stream: seekable, finite
        return hasattr(stream, "seekable") and stream.seekable()


def _top_level_sections(stream: IO[bytes]) -> list[str]:
    """The keys at the start of a line (block-style top-level keys), in file order: a byte
    scan, cheap next to parsing. Empty for a flow-style document."""
    found: list[str] = []
    tail = b""
    while True:
        chunk = stream.read(1 << 20)
        if not chunk:
            return found
        data = tail + chunk
        cut = data.rfind(b"\n") + 1
        for match in _TOP_KEY.finditer(data, 0, cut):
            found.append(match.group(1).decode())
        tail = data[cut:][-4096:]


def _yaml_pass(stream: IO[bytes], name: str, only: str | None, *, report: bool) -> Iterator[Record]:
    """One pass over a YAML bundle, yielding the records of section ``only`` (or of every
    section, in file order); the problems of the document's layout only with ``report``."""
    loader = None
    try:
        try:
            loader = _yaml_loader()(stream)  # the C parser reads its first bytes at once
            yield from _yaml_events(loader, name, only, report)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = f":{mark.line + 1}" if mark else ""
            raise BundleInvalid([f"{name}{line}: not valid YAML ({error.problem or error.context})"]) from None
        except yaml.YAMLError as error:  # ReaderError: bytes that are not UTF-8/UTF-16 text
            reason = getattr(error, "reason", None) or str(error).splitlines()[0]
            position = getattr(error, "position", None)
            at = f" at byte {position}" if position is not None else ""
            raise BundleInvalid([f"{name}: not valid YAML ({reason}{at})"]) from None
    finally:
        if loader is not None:
            loader.dispose()


def _yaml_events(loader: Any, name: str, only: str | None, report: bool) -> Iterator[Record]:
    loader.get_event()  # stream start
    if loader.check_event(yaml.StreamEndEvent):
        return
    loader.get_event()  # document start
    if loader.check_event(yaml.DocumentEndEvent):
        return
    if not loader.check_event(yaml.MappingStartEvent):
        node = loader.compose_node(None, None)
        if isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null"):
            return
        raise BundleInvalid([f"{name}:{node.start_mark.line + 1}: expected sections such as entities: and claims:"])
    loader.get_event()
    counts: dict[str, int] = {}
    first_line: dict[str, int] = {}
    while not loader.check_event(yaml.MappingEndEvent):
        key_node = loader.compose_node(None, None)
        section = key_node.value
        line = key_node.start_mark.line + 1
        if report and section in KIND_OF_SECTION and first_line.setdefault(section, line) != line:
            message = f"section {section!r} is given twice (first at line {first_line[section]}); merge them"
            yield None, message, Location(name, line, section)
        if section not in KIND_OF_SECTION:
            loader.compose_node(None, None)  # skipped
            if report:
                yield None, _unknown_section(section), Location(name, line, str(section))
            continue
        wanted = only is None or only == section
        if not loader.check_event(yaml.SequenceStartEvent):
            value = loader.compose_node(None, None)
            if report and not (isinstance(value, yaml.ScalarNode) and value.value in ("", "~", "null")):
                yield None, "expected a list of records", Location(name, line, section)
            continue
        loader.get_event()
        kind = KIND_OF_SECTION[section]
        while not loader.check_event(yaml.SequenceEndEvent):
            node = loader.compose_node(None, None)
            index = counts.get(section, 0)
            counts[section] = index + 1
            if not wanted:
                continue
            location = Location(name, node.start_mark.line + 1, f"{section}[{index}]")
            if isinstance(node, yaml.MappingNode):
                location.field_lines = {}
                for field_node, _value in node.value:
                    if field_node.value in location.field_lines:
                        yield None, f"field {field_node.value!r} is given twice", location
                    location.field_lines[field_node.value] = field_node.start_mark.line + 1
            try:
                fields = loader.construct_object(node, deep=True)
            except yaml.MarkedYAMLError as error:
                yield None, f"not valid YAML ({error.problem})", location
                continue
            finally:
                loader.constructed_objects.clear()  # nothing kept from one record to the next
            yield kind, fields, location
        loader.get_event()


def _yaml_loader() -> Any:
    """A safe loader that composes one node at a time (the streaming reader calls
    ``compose_node`` per record), on the C parser's events when PyYAML has it, without
    timestamp resolution: dates stay text, so a bad date is reported by the bundle validation
    instead of failing the YAML parse."""
    # libyaml's C scanner and parser when PyYAML has them (ten times the pure-Python one)
    parser: Any = getattr(yaml.cyaml, "CParser", None) or yaml.parser.Parser
    reader_and_scanner = () if parser is not yaml.parser.Parser else (yaml.reader.Reader, yaml.scanner.Scanner)

    class BundleLoader(*reader_and_scanner, parser, Composer, SafeConstructor, Resolver):  # type: ignore[misc]
        def __init__(self, stream: Any):
            if reader_and_scanner:
                yaml.reader.Reader.__init__(self, stream)
                yaml.scanner.Scanner.__init__(self)
                yaml.parser.Parser.__init__(self)
            else:
                cast(Any, parser).__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

    BundleLoader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return BundleLoader


def _sections(document: Any, name: str) -> Iterator[Record]:
    """The records of a parsed JSON document (JSON keeps no line numbers)."""
    if not isinstance(document, dict):
        raise BundleInvalid([f"{name}: expected an object with entities, sources, claims, statements, verdicts"])
    for section in document:
        if section not in KIND_OF_SECTION:
            yield None, _unknown_section(section), Location(name, None, str(section))
        elif not isinstance(document[section], (list, type(None))):
            yield None, "expected a list of records", Location(name, None, section)
    for kind in KINDS:
        records = document.get(SECTIONS[kind])
        if isinstance(records, list):
            for index, fields in enumerate(records):
                yield kind, fields, Location(name, None, f"{SECTIONS[kind]}[{index}]")


def _unknown_section(section: Any) -> str:
    return f"unknown section {section!r}; expected {', '.join(SECTIONS.values())}"
