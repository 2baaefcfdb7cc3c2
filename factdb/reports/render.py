"""Rendering a report's layout as text (80 columns), Markdown or one self-contained HTML page.

A layout (:mod:`factdb.reports.layout`) is a list of blocks; each renderer walks the same
blocks, so the three formats never disagree about what a report shows. JSON is the report's
plain data (:func:`factdb.render.to_json`), CSV its main table.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from factdb.render import cell_text, markdown_escape, markdown_table, text_table, visible

__all__ = ["Title", "Heading", "Fields", "Table", "Entry", "Note", "to_text", "to_markdown", "to_html", "WIDTH"]

WIDTH = 80


@dataclass
class Title:
    text: str


@dataclass
class Heading:
    text: str


@dataclass
class Fields:
    pairs: list[tuple[str, Any]]


@dataclass
class Table:
    columns: list[str]
    rows: list[dict[str, Any]]


@dataclass
class Entry:
    """One statement: a side marker, a headline, labelled details, and the quote."""

    marker: str
    headline: str
    details: list[tuple[str, Any]] = field(default_factory=list)
    quote: str | None = None
    css: str = ""


@dataclass
class Note:
    text: str


Block = Title | Heading | Fields | Table | Entry | Note


def _present(pairs: Sequence[tuple[str, Any]]) -> list[tuple[str, str]]:
    return [(label, cell_text(value)) for label, value in pairs if value not in (None, "", [])]


# --- text -----------------------------------------------------------------------------------


def _fill(text: str, indent: str = "", subsequent: str | None = None) -> str:
    return textwrap.fill(
        text,
        WIDTH,
        initial_indent=indent,
        subsequent_indent=indent if subsequent is None else subsequent,
        break_long_words=True,
        break_on_hyphens=False,
    )


def to_text(blocks: Sequence[Block]) -> str:
    """Plain text for an 80-column terminal: quotes wrapped, ``[+]``/``[-]`` side markers."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Title):
            out.append(_fill(block.text))
            out.append("=" * min(len(block.text), WIDTH))
        elif isinstance(block, Heading):
            if out and out[-1] != "":
                out.append("")
            out.append(_fill(block.text))
            out.append("-" * min(len(block.text), WIDTH))
        elif isinstance(block, Fields):
            pairs = _present(block.pairs)
            width = max((len(label) for label, _ in pairs), default=0) + 2
            for label, value in pairs:
                out.append(_fill(f"{label + ':':<{width}}{value}", subsequent=" " * width))
        elif isinstance(block, Table):
            out.append(text_table(block.columns, block.rows, WIDTH).rstrip("\n"))
        elif isinstance(block, Entry):
            out.append(_fill(f"{block.marker} {block.headline}", subsequent="    "))
            for label, value in _present(block.details):
                out.append(_fill(f"{label}: {value}", indent="    ", subsequent="      "))
            if block.quote:
                out.append(_fill(f'"{block.quote}"', indent="    ", subsequent="     "))
            out.append("")
        elif isinstance(block, Note):
            out.append(_fill(block.text))
    while out and out[-1] == "":
        out.pop()
    return visible("\n".join(out)) + "\n"


# --- markdown -------------------------------------------------------------------------------


def _md(text: str) -> str:
    """Markdown-safe inline text (render.markdown_escape, the one escaper), on one line."""
    return markdown_escape(text, newline=" ")


def to_markdown(blocks: Sequence[Block]) -> str:
    """Markdown to paste into a draft or an editor's memo."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Title):
            out.append(f"# {_md(block.text)}\n")
        elif isinstance(block, Heading):
            out.append(f"## {_md(block.text)}\n")
        elif isinstance(block, Fields):
            out.extend(f"- **{_md(label)}:** {_md(value)}" for label, value in _present(block.pairs))
            out.append("")
        elif isinstance(block, Table):
            out.append(markdown_table(block.columns, block.rows) if block.rows else "(none)\n")
        elif isinstance(block, Entry):
            out.append(f"**{_md(block.marker)} {_md(block.headline)}**\n")
            out.extend(f"- {_md(label)}: {_md(value)}" for label, value in _present(block.details))
            if block.quote:
                out.append("")
                out.append(f"> {_md(block.quote)}")
            out.append("")
        elif isinstance(block, Note):
            out.append(_md(block.text) + "\n")
    return "\n".join(out).rstrip("\n") + "\n"


# --- html -----------------------------------------------------------------------------------

STYLE = """
body { font: 15px/1.45 Georgia, 'Times New Roman', serif; max-width: 52em; margin: 2em auto; padding: 0 1em; color: #111; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; border-bottom: 1px solid #999; margin-top: 1.6em; }
table { border-collapse: collapse; width: 100%; font-size: 0.92em; }
th, td { border: 1px solid #bbb; padding: 0.25em 0.45em; text-align: left; vertical-align: top; }
th { background: #eee; }
dl.fields { display: grid; grid-template-columns: max-content 1fr; gap: 0.1em 1em; }
dl.fields dt { font-weight: bold; } dl.fields dd { margin: 0; }
article { border-left: 4px solid #888; padding: 0.2em 0.8em; margin: 0.8em 0; page-break-inside: avoid; }
article.support { border-color: #1b7f3a; } article.oppose { border-color: #b3261e; }
article.retracted { opacity: 0.65; border-style: dashed; }
article h3 { font-size: 1em; margin: 0.2em 0; }
article ul { margin: 0.2em 0; padding-left: 1.2em; font-size: 0.92em; }
blockquote { margin: 0.4em 0 0.4em 1em; font-style: italic; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  article, table, tr { page-break-inside: avoid; }
  h2 { page-break-after: avoid; }
}
""".strip()  # noqa: E501 - CSS rules kept one per line


def _h(value: Any) -> str:
    return html.escape(cell_text(value), quote=True)


def to_html(blocks: Sequence[Block]) -> str:
    """One self-contained, printable page: inline stylesheet, no scripts, no external fetches;
    every value is escaped."""
    title = next((b.text for b in blocks if isinstance(b, Title)), "factdb report")
    body: list[str] = []
    for block in blocks:
        if isinstance(block, Title):
            body.append(f"<h1>{_h(block.text)}</h1>")
        elif isinstance(block, Heading):
            body.append(f"<h2>{_h(block.text)}</h2>")
        elif isinstance(block, Fields):
            items = "".join(f"<dt>{_h(label)}</dt><dd>{_h(value)}</dd>" for label, value in _present(block.pairs))
            body.append(f'<dl class="fields">{items}</dl>')
        elif isinstance(block, Table):
            if not block.rows:
                body.append("<p>(none)</p>")
                continue
            head = "".join(f"<th>{_h(c)}</th>" for c in block.columns)
            rows = "".join(
                "<tr>" + "".join(f"<td>{_h(row.get(c))}</td>" for c in block.columns) + "</tr>" for row in block.rows
            )
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
        elif isinstance(block, Entry):
            details = "".join(f"<li>{_h(label)}: {_h(value)}</li>" for label, value in _present(block.details))
            quote = f"<blockquote>{_h(block.quote)}</blockquote>" if block.quote else ""
            body.append(
                f'<article class="{_h(block.css)}"><h3>{_h(block.marker)} {_h(block.headline)}</h3>'
                f"<ul>{details}</ul>{quote}</article>"
            )
        elif isinstance(block, Note):
            body.append(f"<p>{_h(block.text)}</p>")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_h(title)}</title>\n<style>\n{STYLE}\n</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
