"""Reading bundles: YAML and JSON documents, JSON Lines streamed line by line.

Every reader yields ``(kind, fields, location)``. YAML records carry the line of the record and
of each field, so a problem reads ``seeds/claims.yaml:41: statements[3].stance: ...``. A
problem the reader itself finds (an unknown section, a line that is not JSON) is yielded as
``(None, message, location)`` so the importer can report it with all the others.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import IO, Any

import orjson
import yaml

from factdb.errors import BundleInvalid, InvalidInput
from factdb.transfer.formats import BUNDLE_FORMATS, format_of_name
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
            yield from _read(stream, name, fmt)
    else:
        name = str(getattr(source, "name", "<stdin>"))
        fmt = _bundle_format(name, format)
        yield from _read(source, name, fmt)


def read_bundles(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Record]:
    """Several YAML/JSON files read as ONE bundle: references may cross files.

    All entities of all files come first, then all sources, and so on.
    """
    by_kind: dict[str | None, list[Record]] = {}
    for path in paths:
        for record in read_bundle(path):
            by_kind.setdefault(record[0] if record[0] in KINDS else None, []).append(record)
    for kind in (None, *KINDS):
        yield from by_kind.get(kind, ())


def _read(stream: IO[bytes], name: str, fmt: str) -> Iterator[Record]:
    if fmt == "jsonl":
        yield from _read_jsonl(stream, name)
    elif fmt == "json":
        yield from _read_json(stream.read(), name)
    else:
        yield from _read_yaml(stream.read(), name)


def _read_jsonl(stream: IO[bytes], name: str) -> Iterator[Record]:
    loads = orjson.loads
    for number, line in enumerate(stream, 1):
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
        if kind not in SECTIONS:
            message = f'"type" must be one of {", ".join(KINDS)}' + (f", not {kind!r}" if kind is not None else "")
            yield None, message, Location(name, number, "record")
            continue
        yield kind, fields, Location(name, number, kind)


def _read_json(data: bytes, name: str) -> Iterator[Record]:
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise BundleInvalid([f"{name}: not valid JSON ({error})"]) from None
    yield from _sections(document, name)


def _read_yaml(data: bytes, name: str) -> Iterator[Record]:
    loader = _yaml_loader()(data)
    try:
        try:
            root = loader.get_single_node()
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = f":{mark.line + 1}" if mark else ""
            raise BundleInvalid([f"{name}{line}: not valid YAML ({error.problem or error.context})"]) from None
        except yaml.YAMLError as error:  # ReaderError: bytes that are not UTF-8/UTF-16 text
            reason = getattr(error, "reason", None) or str(error).splitlines()[0]
            position = getattr(error, "position", None)
            at = f" at byte {position}" if position is not None else ""
            raise BundleInvalid([f"{name}: not valid YAML ({reason}{at})"]) from None
        if root is None:
            return
        if not isinstance(root, yaml.MappingNode):
            raise BundleInvalid([f"{name}:{root.start_mark.line + 1}: expected sections such as entities: and claims:"])
        sections: dict[str, tuple[int, list[Any]]] = {}
        problems: list[Record] = []
        for key_node, value_node in root.value:
            section = key_node.value
            line = key_node.start_mark.line + 1
            if section not in KIND_OF_SECTION:
                problems.append((None, _unknown_section(section), Location(name, line, str(section))))
                continue
            if not isinstance(value_node, yaml.SequenceNode):
                if not (isinstance(value_node, yaml.ScalarNode) and value_node.value in ("", "~", "null")):
                    problems.append((None, "expected a list of records", Location(name, line, section)))
                continue
            sections.setdefault(section, (line, []))[1].extend(value_node.value)
        yield from problems
        for kind in KINDS:
            section = SECTIONS[kind]
            for index, node in enumerate(sections.get(section, (0, []))[1]):
                location = Location(name, node.start_mark.line + 1, f"{section}[{index}]")
                if isinstance(node, yaml.MappingNode):
                    location.field_lines = {}
                    for key_node, _value in node.value:
                        if key_node.value in location.field_lines:
                            yield None, f"field {key_node.value!r} is given twice", location
                        location.field_lines[key_node.value] = key_node.start_mark.line + 1
                try:
                    fields = loader.construct_object(node, deep=True)
                except yaml.MarkedYAMLError as error:
                    yield None, f"not valid YAML ({error.problem})", location
                    continue
                yield kind, fields, location
    finally:
        loader.dispose()


def _yaml_loader() -> Any:
    """The safe loader (C when available) without timestamp resolution: dates stay text, so a
    bad date is reported by the bundle validation instead of failing the YAML parse."""
    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class BundleLoader(base):  # type: ignore[misc, valid-type]
        pass

    BundleLoader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in base.yaml_implicit_resolvers.items()
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
