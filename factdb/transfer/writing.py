"""Writing bundles: YAML (block style, readable), JSON (indented) and JSON Lines, streamed;
and :func:`output_file`, the one way factdb writes a file the user named.

Records are written as they come, one at a time, so exporting a large database never holds
it in memory. Output is deterministic: the same records give the same bytes.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import orjson
import yaml

from factdb.errors import InvalidInput
from factdb.transfer.schema import SECTIONS

__all__ = ["write_bundle", "check_output_path", "output_file"]

# The files SQLite keeps beside a database: writing over any of them corrupts it.
_SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def check_output_path(
    path: str | os.PathLike[str],
    *,
    database: Path | None = None,
    inputs: Sequence[str | os.PathLike[str]] = (),
    force: bool = False,
    option: str = "the output",
) -> Path:
    """Refuse, before anything is opened, an output that would destroy data; return its path.

    Refused: the SQLite ``database`` file or one of its companions (``-wal``, ``-shm``,
    ``-journal``), any of the ``inputs``, and an existing regular file unless ``force``.
    Devices and pipes (``/dev/null``, a FIFO) are written to as they are.
    """
    target = Path(path).expanduser()
    resolved = target.resolve()
    protected: list[tuple[Path, str]] = []
    if database is not None:
        protected += [
            (Path(str(database) + end), f"the database's {end} file" if end else "the database file")
            for end in _SQLITE_COMPANIONS
        ]
    protected += [(Path(item), "the input file") for item in inputs if str(item) != "-"]
    for other, what in protected:
        if _same_file(resolved, other):
            raise InvalidInput(f"Refusing to write {option} to {target}: it is {what}; nothing was written.")
    try:
        mode = resolved.stat().st_mode
    except FileNotFoundError:
        if not resolved.parent.is_dir():
            raise InvalidInput(f"Cannot write {option} to {target}: no directory {resolved.parent}") from None
        return resolved
    except OSError as error:
        raise InvalidInput(f"Cannot write {option} to {target}: {error.strerror}") from None
    if stat.S_ISDIR(mode):
        raise InvalidInput(f"Cannot write {option} to {target}: it is a directory")
    if stat.S_ISREG(mode) and not force:
        raise InvalidInput(
            f"Refusing to overwrite {target}: the file exists; use --force to replace it. Nothing was written."
        )
    return resolved


def _same_file(resolved: Path, other: Path) -> bool:
    other_resolved = other.expanduser().resolve()
    if resolved == other_resolved:
        return True
    try:
        return os.path.samefile(resolved, other_resolved)  # hard links, bind mounts
    except OSError:
        return False


@contextlib.contextmanager
def output_file(path: Path) -> Iterator[IO[bytes]]:
    """Write ``path`` (checked by :func:`check_output_path`) all or nothing.

    A regular file is written to a temporary file in the same directory, flushed to disk and
    renamed over ``path`` only when the block ends without an error: a failure, an
    interrupted export or a full disk leaves whatever was there before. A device or a pipe is
    written to directly.
    """
    try:
        is_regular = stat.S_ISREG(path.stat().st_mode)
    except FileNotFoundError:
        is_regular = True
    if not is_regular:
        with open(path, "wb") as stream:
            yield stream
        return
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # as open() would have made it, not mkstemp's 0600
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


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
        # Not a text ending in blank lines (a source's text, an anchor's suffix): its "|+" block
        # would leave the document open-ended ("..."), which the next section cannot follow.
        style = "|" if "\n" in value and not value.endswith("\n\n") else '"' if value[:1] == "'" else None
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
