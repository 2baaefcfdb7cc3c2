"""One renderer for every listing and record: table, JSON, CSV and Markdown.

Library functions return plain data (lists of dicts, dicts); this module turns it into text.
Reports have their own layouts in :mod:`factdb.reports` but build on the helpers here.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import os
import re
import shutil
import sys
import textwrap
from collections.abc import Callable, Sequence
from typing import Any

from factdb.records import speaker_text, statement_record, utc_timestamp

__all__ = [
    "utc_timestamp",
    "statement_record",
    "speaker_text",
    "to_json",
    "render_listing",
    "render_record",
    "text_table",
    "output_width",
    "wrap_text",
    "csv_table",
    "markdown_table",
    "markdown_escape",
    "csv_cell",
    "visible",
    "cell_text",
]

# Controls that a terminal acts on (C0 but tab and line feed, DEL, C1: ESC and CSI start
# escape sequences): stored text is printed with them made visible, as \x1b or \x9b.
_TERMINAL_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_C1 = re.compile(r"[\x80-\x9f]")


def visible(text: str) -> str:
    """``text`` with every control character a terminal would act on written out (``\\x1b``)."""
    if text.isprintable() or not _TERMINAL_CONTROL.search(text):
        return text
    return _TERMINAL_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return utc_timestamp(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"cannot render {type(value).__name__} as JSON")


def to_json(data: Any) -> str:
    """Stable JSON: two-space indent, UTF-8 text kept as is (but C1 controls, written as
    ``\\u009b``: the same value, and nothing a terminal acts on), dates as ISO strings, moments
    as :func:`utc_timestamp`."""
    text = json.dumps(data, indent=2, ensure_ascii=False, default=_json_default) + "\n"
    return _C1.sub(lambda m: f"\\u{ord(m.group()):04x}", text) if not text.isascii() else text


def cell_text(value: Any) -> str:
    """A value as one table cell: lists joined with ``; ``, None as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return "; ".join(cell_text(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}={cell_text(v)}" for k, v in value.items())
    if isinstance(value, dt.datetime):
        return utc_timestamp(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def terminal_width(default: int = 80) -> int:
    return max(40, shutil.get_terminal_size((default, 24)).columns)


def output_width() -> int | None:
    """How wide text output may be: ``COLUMNS`` when set, the terminal's width when standard
    output is a terminal, else None: piped or redirected output is never wrapped (a script
    or a file wants whole lines)."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return max(20, int(columns))
    if sys.stdout.isatty():
        return terminal_width()
    return None


# the white space textwrap turns into spaces (other than the space itself)
_WRAP_SPACE = re.compile("[\t\n\x0b\x0c\r]")


def wrap_text(text: str, width: int | None, **options: Any) -> list[str]:
    """``text`` wrapped to ``width`` (None: not wrapped) at spaces only: a word, a key or a URL
    longer than the line is never broken, it overflows."""
    if width is None:
        return [options.get("initial_indent", "") + " ".join(text.split())]
    if not options and text and len(text) <= width and not text[-1].isspace() and not _WRAP_SPACE.search(text):
        # what wrap() returns for a line that fits (most table cells): the text itself
        return [text]
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False, **options)


def _styled(line: str, start: int, spans: Sequence[Sequence[int]], style: Callable[[str], str]) -> str:
    """``line`` (the text at ``start``.. of its cell) with the parts inside ``spans`` styled."""
    out: list[str] = []
    at, end = 0, start + len(line)
    for span_start, span_end in spans:
        lo, hi = max(span_start, start) - start, min(span_end, end) - start
        if lo < hi:
            out.extend((line[at:lo], style(line[lo:hi])))
            at = hi
    out.append(line[at:])
    return "".join(out)


def _wrapped_with_styles(text: str, width: int, spans: Sequence[Sequence[int]] | None,
                         style: Callable[[str], str] | None) -> list[str]:
    lines = wrap_text(text, width) or [""]
    if not spans or style is None:
        return [line.ljust(width) for line in lines]
    # wrap() only replaces white space one for one and drops it at line ends, so every line is
    # found in the text in order: that gives each line's offset, hence where the spans fall
    styled, position = [], 0
    for line in lines:
        start = text.find(line, position)
        position = start + len(line)
        styled.append(_styled(line, start, spans, style) + " " * (width - len(line)))
    return styled


def text_table(
    columns: Sequence[str],
    rows: Sequence[dict[str, Any]],
    width: int | None = None,
    *,
    spans: dict[str, str] | None = None,
    style: Callable[[str], str] | None = None,
) -> str:
    """A plain-text table that fits ``width`` columns (default :func:`output_width`: not
    wrapped when piped; 0: not wrapped); long cells wrap inside their column, at spaces only.

    ``spans`` maps a column to the field of each row holding ``[start, end]`` character
    ranges of that column's text (a search's ``matches``), drawn with ``style`` (a terminal
    style) when one is given."""
    if width is None:
        width = output_width()
    if not rows:
        return "(none)\n"
    cells = [[visible(cell_text(row.get(col)).replace("\n", " ")) for col in columns] for row in rows]
    natural = [max([len(col)] + [len(r[i]) for r in cells]) for i, col in enumerate(columns)]
    widths = list(natural)
    if width:
        # a column never gets narrower than its longest word (a name, a key, a URL): the
        # table overflows rather than break one
        # (nor than its header, which is not wrapped)
        floor = [max([len(col), *(len(word) for r in cells for word in r[i].split())]) for i, col in enumerate(columns)]
        budget = width - 2 * (len(columns) - 1)
        # Shrink the widest column that may shrink, one step at a time, until the table fits.
        while sum(widths) > budget:
            shrinkable = [i for i in range(len(columns)) if widths[i] > min(floor[i], natural[i])]
            if not shrinkable:
                break
            widest = max(shrinkable, key=lambda i: widths[i])
            widths[widest] -= 1
    lines = ["  ".join(col.ljust(widths[i]) for i, col in enumerate(columns)).rstrip()]
    lines.append("  ".join("-" * widths[i] for i in range(len(columns))))
    for row, record in zip(cells, rows, strict=True):
        wrapped = [
            _wrapped_with_styles(text, widths[i], record.get(spans[columns[i]]) if spans and columns[i] in spans
                                 else None, style)
            for i, text in enumerate(row)
        ]
        for line_no in range(max(len(w) for w in wrapped)):
            parts = [w[line_no] if line_no < len(w) else " " * widths[i] for i, w in enumerate(wrapped)]
            lines.append("  ".join(parts).rstrip())
    return "\n".join(lines) + "\n"


# A spreadsheet runs a cell that begins with one of these as a formula (OWASP, CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """A value as a CSV cell that no spreadsheet runs: text beginning with ``= + - @``, a tab
    or a carriage return gets a leading apostrophe (the OWASP rule); numbers stay numbers."""
    text = cell_text(value)
    if text.startswith(_FORMULA_START) and not isinstance(value, (int, float)):
        return "'" + text
    return text


def csv_table(columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([csv_cell(column) for column in columns])
    for row in rows:
        writer.writerow([csv_cell(row.get(col)) for col in columns])
    return buffer.getvalue()


def markdown_escape(text: Any, *, newline: str = "<br>") -> str:
    """Text as inert Markdown, for every Markdown output (listings, shows, history, search,
    reports): raw HTML escaped (``<script>`` shows as text), emphasis, code and table
    characters escaped, and ``](`` broken, so no link or image (``javascript:``, a remote
    image) can be made from stored text; line breaks become ``newline``."""
    text = html.escape(visible(cell_text(text)), quote=False)
    for char in ("\\", "*", "_", "`", "|"):
        text = text.replace(char, "\\" + char)
    return text.replace("](", "]\\(").replace("\r\n", "\n").replace("\n", newline)


def markdown_table(columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> str:
    # the columns are factdb's own names (part_of): only the cells hold stored text
    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(markdown_escape(row.get(c)) for c in columns) + " |")
    return "\n".join(lines) + "\n"


def render_listing(
    columns: Sequence[str],
    rows: Sequence[dict[str, Any]],
    fmt: str,
    *,
    json_rows: Sequence[dict[str, Any]] | None = None,
) -> str:
    """A list of records. JSON gives the full records (``json_rows`` or ``rows``); the other
    formats give ``columns``."""
    if fmt == "json":
        return to_json(list(json_rows if json_rows is not None else rows))
    if fmt == "csv":
        return csv_table(columns, rows)
    if fmt == "markdown":
        return markdown_table(columns, rows)
    return text_table(columns, rows)


def _is_table(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def render_record(data: dict[str, Any], fmt: str, *, title: str | None = None) -> str:
    """One record (``entity show``, ``info``): scalar fields as ``field: value`` lines, lists of
    records as tables under a heading. CSV gives ``field,value`` rows, nested tables flattened."""
    if fmt == "json":
        return to_json(data)
    scalars = {k: v for k, v in data.items() if not _is_table(v) and not isinstance(v, dict)}
    nested = {k: v for k, v in data.items() if isinstance(v, dict)}
    tables = {k: v for k, v in data.items() if _is_table(v)}
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["field", "value"])
        for key, value in scalars.items():
            writer.writerow([key, csv_cell(value)])
        for key, value in nested.items():
            for sub, sub_value in value.items():
                writer.writerow([f"{key}.{sub}", csv_cell(sub_value)])
        for key, value in tables.items():
            for index, row in enumerate(value):
                for sub, sub_value in row.items():
                    writer.writerow([f"{key}[{index}].{sub}", csv_cell(sub_value)])
        return buffer.getvalue()
    if fmt == "markdown":
        out = [f"## {markdown_escape(title)}\n"] if title else []
        rows = [{"field": k, "value": v} for k, v in scalars.items()]
        out.append(markdown_table(["field", "value"], rows))
        for key, value in nested.items():
            out.append(f"\n### {key}\n")
            out.append(markdown_table(["field", "value"], [{"field": k, "value": v} for k, v in value.items()]))
        for key, value in tables.items():
            columns = list(dict.fromkeys(c for row in value for c in row))
            out.append(f"\n### {key}\n")
            out.append(markdown_table(columns, value))
        return "".join(out)
    width = output_width()
    label_width = max([len(k) for k in scalars] + [0])
    out = [visible(title) + "\n" + "=" * min(len(title), width or len(title)) + "\n"] if title else []
    for key, value in scalars.items():
        text = visible(cell_text(value))
        indent = " " * (label_width + 2)
        wrapped = "\n".join(wrap_text(f"{key + ':':<{label_width + 1}} {text}", width, subsequent_indent=indent))
        out.append(wrapped + "\n")
    for key, value in nested.items():
        out.append(f"\n{key}:\n")
        sub_width = max([len(k) for k in value] + [0])
        for sub, sub_value in value.items():
            out.append(f"  {sub + ':':<{sub_width + 1}} {visible(cell_text(sub_value))}\n")
    for key, value in tables.items():
        columns = list(dict.fromkeys(c for row in value for c in row))
        out.append(f"\n{key}:\n")
        out.append(text_table(columns, value, width))
    return "".join(out)
