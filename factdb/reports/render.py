"""Rendering a report's layout as text, Markdown or one self-contained HTML page.

Text is wrapped to a width (:func:`factdb.render.output_width`: ``COLUMNS``, else the
terminal's, else not wrapped at all when piped), at spaces only, and its side markers are
coloured when asked (the CLI asks at a terminal, never with ``NO_COLOR``).

A layout (:mod:`factdb.reports.layout`) is a list of blocks; each renderer walks the same
blocks, so the three formats never disagree about what a report shows. JSON is the report's
plain data (:func:`factdb.render.to_json`), CSV its main table.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from factdb.render import cell_text, markdown_escape, markdown_table, output_width, text_table, visible, wrap_text

__all__ = [
    "Title", "Heading", "Fields", "Table", "Entry", "Note", "Link", "Parts", "safe_href",
    "to_text", "to_markdown", "to_html", "WIDTH",
]  # fmt: skip

WIDTH = 80  # the width of the README's examples (COLUMNS=80)
AUTO_WIDTH: int | None = -1  # to_text: the width of factdb.render.output_width()


@dataclass(frozen=True)
class Link:
    """A value shown as ``text`` that HTML makes a link to ``href`` (None: plain text); text
    and Markdown show the text alone."""

    text: str
    href: str | None = None

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Parts:
    """Text and links shown one after the other (``Leon Panetta -> NBC News``)."""

    items: tuple[str | Link, ...]

    def __str__(self) -> str:
        return "".join(str(item) for item in self.items)


def safe_href(url: str | None) -> str | None:
    """``url`` when it may be a link (http, https), else None: a ``javascript:`` or ``data:``
    URL from the data is shown as text, never made a link."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def _joined(value: Any) -> str:
    """A headline made of parts (text and links) as plain text."""
    return "".join(str(part) for part in value) if isinstance(value, list) else str(value)


@dataclass
class Title:
    text: str


@dataclass
class Heading:
    text: str | Link


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
    headline: str | list[str | Link]
    details: list[tuple[str, Any]] = field(default_factory=list)
    quote: str | None = None
    css: str = ""


@dataclass
class Note:
    text: str


Block = Title | Heading | Fields | Table | Entry | Note


def _present(pairs: Sequence[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """The pairs with a value, as text (links kept for HTML)."""
    return [(label, value if _has_link(value) else cell_text(value)) for label, value in pairs
            if value not in (None, "", [])]  # fmt: skip


def _has_link(value: Any) -> bool:
    if isinstance(value, Parts):
        return True
    return isinstance(value, Link) or (isinstance(value, list) and any(isinstance(v, Link) for v in value))


# --- text -----------------------------------------------------------------------------------


def _fill(text: str, width: int | None, indent: str = "", subsequent: str | None = None) -> str:
    return "\n".join(
        wrap_text(text, width, initial_indent=indent, subsequent_indent=indent if subsequent is None else subsequent)
    )


# The colour of each side's marker at a terminal
SIDE_COLOURS = {"[+]": "green", "[-]": "red", "[+/-]": "yellow", "[x]": "bright_black"}
_PAINTED = re.compile("\ue000(.*?)\ue001")


def to_text(
    blocks: Sequence[Block], width: int | None = AUTO_WIDTH, colour: Callable[[str, str], str] | None = None
) -> str:
    """Plain text: quotes wrapped to ``width`` (default :func:`factdb.render.output_width`;
    None: not wrapped), ``[+]``/``[-]`` side markers, drawn by ``colour(marker, text)`` when
    given (the CLI passes a terminal style)."""
    if width == AUTO_WIDTH:
        width = output_width()

    def paint(text: str) -> str:
        # stored text made visible first, so that only the colour's own escapes reach the terminal
        if colour is None:
            return text
        for marker in sorted(SIDE_COLOURS, key=len, reverse=True):
            if text.startswith(marker):
                # a placeholder, styled after the stored text's controls are made visible
                return f"\ue000{marker}\ue001" + text[len(marker):]
        return text

    rule = (lambda text: min(len(text), width)) if width else len
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Title):
            out.append(_fill(block.text, width))
            out.append("=" * rule(block.text))
        elif isinstance(block, Heading):
            if out and out[-1] != "":
                out.append("")
            out.append(paint(_fill(str(block.text), width)))
            out.append("-" * rule(str(block.text)))
        elif isinstance(block, Fields):
            pairs = _present(block.pairs)
            label_width = max((len(label) for label, _ in pairs), default=0) + 2
            for label, value in pairs:
                line = f"{label + ':':<{label_width}}{cell_text(value)}"
                out.append(_fill(line, width, subsequent=" " * label_width))
        elif isinstance(block, Table):
            out.append(text_table(block.columns, block.rows, width or 0).rstrip("\n"))
        elif isinstance(block, Entry):
            out.append(paint(_fill(f"{block.marker} {_joined(block.headline)}", width, subsequent="    ")))
            for label, value in _present(block.details):
                out.append(_fill(f"{label}: {cell_text(value)}", width, indent="    ", subsequent="      "))
            if block.quote:
                out.append(_fill(f'"{block.quote}"', width, indent="    ", subsequent="     "))
            out.append("")
        elif isinstance(block, Note):
            out.append(_fill(block.text, width))
    while out and out[-1] == "":
        out.pop()
    text = visible("\n".join(out)) + "\n"
    if colour is not None:
        text = _PAINTED.sub(lambda m: colour(m.group(1), m.group(1)), text)
    return text


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
            out.append(f"## {_md(str(block.text))}\n")
        elif isinstance(block, Fields):
            out.extend(f"- **{_md(label)}:** {_md(value)}" for label, value in _present(block.pairs))
            out.append("")
        elif isinstance(block, Table):
            out.append(markdown_table(block.columns, block.rows) if block.rows else "(none)\n")
        elif isinstance(block, Entry):
            out.append(f"**{_md(block.marker)} {_md(_joined(block.headline))}**\n")
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
nav { font-size: 0.92em; margin-bottom: 1em; } footer { margin-top: 2em; font-size: 0.85em; color: #555; }
a { color: #0b4f8a; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  article, table, tr { page-break-inside: avoid; }
  h2 { page-break-after: avoid; }
}
""".strip()  # noqa: E501 - CSS rules kept one per line


def _h(value: Any) -> str:
    """A value as HTML: escaped, a :class:`Link` with an href as a link (lists joined)."""
    if type(value) is str:  # the most frequent value, by far
        return html.escape(value, quote=True)
    if isinstance(value, Link):
        text = html.escape(value.text, quote=True)
        return f'<a href="{html.escape(value.href, quote=True)}">{text}</a>' if value.href else text
    if isinstance(value, Parts):
        return "".join(_h(item) for item in value.items)
    if isinstance(value, list) and _has_link(value):
        return "; ".join(_h(v) for v in value)
    return html.escape(cell_text(value), quote=True)


def _style(stylesheet: str | None) -> str:
    if stylesheet is None:
        return f"<style>\n{STYLE}\n</style>"
    return f'<link rel="stylesheet" href="{html.escape(stylesheet, quote=True)}" />'


def _headline(value: str | list[str | Link]) -> str:
    return "".join(_h(part) for part in value) if isinstance(value, list) else _h(value)


def to_html(
    blocks: Sequence[Block], *, nav: Sequence[Link] = (), footer: str | None = None, stylesheet: str | None = None
) -> str:
    """One self-contained, printable page: inline stylesheet, no scripts, nothing fetched;
    every value is escaped, and only :class:`Link` values are links (internal pages of a
    site, or http(s) source URLs). ``nav`` links head the page, ``footer`` ends it.
    ``stylesheet``: the relative path of a file holding :data:`STYLE` (a site's pages share
    one, :mod:`factdb.reports.site` writes it) instead of the inline stylesheet."""
    title = next((b.text for b in blocks if isinstance(b, Title)), "factdb report")
    body: list[str] = []
    if nav:
        body.append('<nav>' + " | ".join(_h(link) for link in nav) + "</nav>")
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
                f'<article class="{_h(block.css)}"><h3>{_h(block.marker)} {_headline(block.headline)}</h3>'
                f"<ul>{details}</ul>{quote}</article>"
            )
        elif isinstance(block, Note):
            body.append(f"<p>{_h(block.text)}</p>")
    if footer:
        body.append(f"<footer>{_h(footer)}</footer>")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_h(title)}</title>\n{_style(stylesheet)}\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
