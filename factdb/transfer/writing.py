"""Writing bundles: YAML (block style, readable), JSON (indented) and JSON Lines, streamed.

Records are written as they come, one at a time, so exporting a large database never holds
it in memory. Output is deterministic: the same records give the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

import orjson
import yaml

from factdb.errors import InvalidInput
from factdb.transfer.schema import SECTIONS

__all__ = ["write_bundle"]


def write_bundle(records: Iterable[tuple[str, dict[str, Any]]], stream: IO[bytes], format: str) -> dict[str, int]:
    """Write ``(kind, record)`` pairs (in dependency order) to a binary stream; return counts.

    ``format`` is ``yaml``, ``json`` or ``jsonl``. JSON Lines puts the kind first in each
    line: ``{"type": "claim", "key": "iran-arms-militias", ...}``.
    """
    writer = {"yaml": _write_yaml, "json": _write_json, "jsonl": _write_jsonl}.get(format)
    if writer is None:
        raise InvalidInput(f"Unknown bundle format {format!r}; use yaml, json or jsonl.")
    return writer(records, stream)


def _write_jsonl(records: Iterable[tuple[str, dict[str, Any]]], stream: IO[bytes]) -> dict[str, int]:
    dumps = orjson.dumps
    counts: dict[str, int] = {}
    lines: list[bytes] = []
    for kind, record in records:
        counts[kind] = counts.get(kind, 0) + 1
        lines.append(dumps({"type": kind, **record}))
        if len(lines) >= 1000:
            stream.write(b"\n".join(lines) + b"\n")
            lines.clear()
    if lines:
        stream.write(b"\n".join(lines) + b"\n")
    return counts


def _write_json(records: Iterable[tuple[str, dict[str, Any]]], stream: IO[bytes]) -> dict[str, int]:
    counts: dict[str, int] = {}
    current = None
    stream.write(b"{")
    for kind, record in records:
        counts[kind] = counts.get(kind, 0) + 1
        if kind != current:
            stream.write(b"\n  ],\n" if current else b"\n")
            stream.write(b'  "' + SECTIONS[kind].encode() + b'": [\n')
            current = kind
        else:
            stream.write(b",\n")
        text = orjson.dumps(record, option=orjson.OPT_INDENT_2)
        stream.write(b"    " + text.replace(b"\n", b"\n    "))
    stream.write(b"\n  ]\n}\n" if current else b"}\n")
    return counts


def _yaml_dumper() -> Any:
    base = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

    class BundleDumper(base):  # type: ignore[misc, valid-type]
        pass

    def text(dumper: Any, value: str) -> Any:
        # Notes and quotes that span lines stay readable as literal blocks.
        # A text that opens with an apostrophe reads better in double quotes.
        style = "|" if "\n" in value else '"' if value[:1] == "'" else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    BundleDumper.add_representer(str, text)
    return BundleDumper


def _write_yaml(records: Iterable[tuple[str, dict[str, Any]]], stream: IO[bytes]) -> dict[str, int]:
    dumper = _yaml_dumper()
    counts: dict[str, int] = {}
    current = None
    for kind, record in records:
        counts[kind] = counts.get(kind, 0) + 1
        if kind != current:
            stream.write(b"\n" if current else b"")
            stream.write(SECTIONS[kind].encode() + b":\n")
            current = kind
        text = yaml.dump(
            [record], Dumper=dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100_000
        )
        stream.write(text.encode("utf-8"))
    if current is None:
        stream.write(b"{}\n")
    return counts
